"""Reporting periods: named date ranges ("Forår 2026") over which stories are selected and reported.

A story belongs to the period in which its change happened (`happened_on`), or, without that
date, the one in which it was told (`created_at`). Periods never overlap, so a story belongs
to at most one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from stories.msc.errors import MscInvalid
from stories.trust import audit
from stories.trust.permissions import SYSTEM, Actor, can_manage_periods, require
from stories.validation import CONTROL_RE

MAX_NAME = 80


@dataclass(frozen=True)
class Period:
    id: int
    name: str
    starts_on: str
    ends_on: str

    def contains(self, day: str) -> bool:
        return self.starts_on <= day <= self.ends_on


def story_day(alias: str = "s") -> str:
    """SQL for the day that places a story in a period: when the change happened, else when it was told."""
    return f"COALESCE({alias}.happened_on, substr({alias}.created_at, 1, 10))"


def period_id_sql(alias: str = "s") -> str:
    """SQL for the id of the story's period (NULL outside every period)."""
    return (f"(SELECT p.id FROM msc_periods AS p WHERE {story_day(alias)} BETWEEN p.starts_on AND p.ends_on"
            f" LIMIT 1)")


def list_periods(db: Database) -> list[Period]:
    """Every period, the latest first."""
    rows = db.execute("SELECT id, name, starts_on, ends_on FROM msc_periods ORDER BY starts_on DESC").fetchall()
    return [Period(*r) for r in rows]


def get_period(db: Database, period_id: int) -> Period:
    row = db.execute("SELECT id, name, starts_on, ends_on FROM msc_periods WHERE id = ?", [period_id]).fetchone()
    if row is None:
        raise MscInvalid("msc.error.no_period", value=str(period_id))
    return Period(*row)


def find_period(db: Database, name: str) -> Period:
    row = db.execute("SELECT id FROM msc_periods WHERE name = ?", [" ".join(str(name or "").split())]).fetchone()
    if row is None:
        raise MscInvalid("msc.error.no_period", value=str(name)[:80])
    return get_period(db, row[0])


def _day(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value or "").strip()).isoformat()
    except ValueError:
        raise MscInvalid("msc.error.period_date", value=str(value or "")[:40]) from None


def _check(db: Database, name: str, starts_on, ends_on, except_id: int | None = None) -> tuple[str, str, str]:
    name = " ".join(str(name or "").split())
    if not name:
        raise MscInvalid("msc.error.period_name_required")
    if len(name) > MAX_NAME or CONTROL_RE.search(name):
        raise MscInvalid("msc.error.period_name", max=MAX_NAME)
    start, end = _day(starts_on), _day(ends_on)
    if end < start:
        raise MscInvalid("msc.error.period_order", start=start, end=end)
    for other in list_periods(db):
        if other.id == except_id:
            continue
        if other.name.casefold() == name.casefold():
            raise MscInvalid("msc.error.period_exists", name=name)
        if start <= other.ends_on and other.starts_on <= end:
            raise MscInvalid("msc.error.period_overlap", name=other.name)
    return name, start, end


def add_period(db: Database, name: str, starts_on, ends_on, *, actor: Actor = SYSTEM) -> Period:
    """A new reporting period; its end may not come before its start, nor overlap another period."""
    from stories.db import write_transaction
    from stories.clock import now_iso

    require(can_manage_periods(actor), "manage_periods")
    with write_transaction(db):
        name, start, end = _check(db, name, starts_on, ends_on)
        cursor = db.conn.execute("INSERT INTO msc_periods (name, starts_on, ends_on, created_at, created_by)"
                                 " VALUES (?, ?, ?, ?, ?)", [name, start, end, now_iso(), actor.name])
        audit.log(db, actor, "msc_period", name, change="add")
    return get_period(db, cursor.lastrowid)


def update_period(db: Database, period_id: int, name: str, starts_on, ends_on, *, actor: Actor = SYSTEM) -> Period:
    from stories.db import write_transaction

    require(can_manage_periods(actor), "manage_periods")
    with write_transaction(db):
        get_period(db, period_id)
        name, start, end = _check(db, name, starts_on, ends_on, except_id=period_id)
        db.conn.execute("UPDATE msc_periods SET name = ?, starts_on = ?, ends_on = ? WHERE id = ?",
                        [name, start, end, period_id])
        audit.log(db, actor, "msc_period", name, change="edit")
    return get_period(db, period_id)


def delete_period(db: Database, period_id: int, *, actor: Actor = SYSTEM) -> None:
    """Remove a period no selection has started in (its stories stay, in no period)."""
    from stories.db import write_transaction

    require(can_manage_periods(actor), "manage_periods")
    with write_transaction(db):
        period = get_period(db, period_id)
        if db["msc_processes"].exists() and db.execute("SELECT 1 FROM msc_processes WHERE period_id = ?",
                                                       [period_id]).fetchone():
            raise MscInvalid("msc.error.period_in_use", name=period.name)
        db.conn.execute("DELETE FROM msc_periods WHERE id = ?", [period_id])
        audit.log(db, actor, "msc_period", period.name, change="delete")


def story_periods(db: Database, story_ids: Sequence[str]) -> dict[str, str]:
    """story id -> the name of its period (stories outside every period are left out)."""
    rows = db.execute(
        f"SELECT s.id, p.name FROM stories AS s JOIN msc_periods AS p ON {story_day('s')} BETWEEN p.starts_on"
        " AND p.ends_on WHERE s.id IN (SELECT value FROM json_each(?))", [json.dumps(list(story_ids))]).fetchall()
    return dict(rows)


def period_counts(db: Database) -> dict[int, int]:
    """period id -> how many stories (not deleted, consent not withdrawn) belong to it."""
    rows = db.execute(
        f"SELECT p.id, count(s.seq) FROM msc_periods AS p LEFT JOIN stories AS s ON {story_day('s')} BETWEEN"
        " p.starts_on AND p.ends_on AND s.deleted_at IS NULL AND s.consent_withdrawn_at IS NULL GROUP BY p.id"
    ).fetchall()
    return dict(rows)
