"""The audit log: who did what, and when.

Kept in the database table `audit_log`, which triggers make append-only: the application
can add entries but never change or remove one. An entry records THAT something happened
(sign-ins, failed sign-ins, exports, erasures, role changes, evaluators' reads of stories),
never the personal data it touched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from stories.trust.permissions import SYSTEM, Actor, can_read_audit, require

ACTIONS = (
    "sign_in", "sign_in_failed", "sign_out", "session_timeout",
    "first_admin", "user_add", "role_change", "user_sites", "user_disable", "user_enable", "password_change",
    "site_add", "site_remove",
    "export", "read_story", "read_stories",
    "erase", "access_export", "backup", "restore",
    "review_story", "setting_change",
    "msc_domain", "msc_period", "msc_process", "msc_round", "msc_choice", "msc_feedback", "msc_verify",
    "question_edit", "form_edit", "pattern_observation",
)
MAX_FIELD = 200


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    role: str
    action: str
    target: str
    detail: dict


def log(db: Database, actor: Actor, action: str, target: str = "", **detail) -> None:
    """Append one entry (inside the caller's transaction when there is one)."""
    from stories.db import write_transaction
    from stories.clock import now_iso

    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    row = (now_iso(), actor.name[:MAX_FIELD], actor.role, action, str(target)[:MAX_FIELD],
           json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str))
    with write_transaction(db):
        db.conn.execute(
            "INSERT INTO audit_log(at, actor, role, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)", row
        )


def _where(action: str | None, who: str | None) -> tuple[str, list]:
    where, params = ["1"], []
    if action:
        where.append("action = ?")
        params.append(action)
    if who:
        where.append("actor = ? COLLATE NOCASE")
        params.append(who)
    return " AND ".join(where), params


def read_log(db: Database, *, actor: Actor = SYSTEM, action: str | None = None, who: str | None = None,
             limit: int = 200, offset: int = 0) -> list[AuditEntry]:
    """The newest entries first; admins only."""
    require(can_read_audit(actor), "read_audit")
    where, params = _where(action, who)
    rows = db.execute(
        f"SELECT id, at, actor, role, action, target, detail FROM audit_log WHERE {where}"
        f" ORDER BY id DESC LIMIT {int(limit)} OFFSET {int(offset)}",
        params,
    ).fetchall()
    return [AuditEntry(*row[:6], json.loads(row[6] or "{}")) for row in rows]


def count_log(db: Database, *, actor: Actor = SYSTEM, action: str | None = None, who: str | None = None) -> int:
    require(can_read_audit(actor), "read_audit")
    where, params = _where(action, who)
    return db.execute(f"SELECT count(*) FROM audit_log WHERE {where}", params).fetchone()[0]
