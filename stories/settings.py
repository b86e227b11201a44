"""Per-install settings, kept in the `settings` table and changed by admins only.

Each known setting has a default and the values it may take; `set_setting` checks
permission, validates, writes and logs the change in the audit log.
"""

from __future__ import annotations

from sqlite_utils import Database

from stories.errors import UserError
from stories.trust.permissions import SYSTEM, Actor, can_change_settings, require

# name -> (default, allowed values)
SETTINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    # stories that arrived without staff wait for a person's review before evaluators see them
    "review_required": ("1", ("1", "0")),
    # the address phones reach the app at (a URL; "" = detected); checked by stories.camps.address
    "camp_address": ("", ()),
}


class SettingInvalid(UserError, ValueError):
    """An unknown setting, or a value the setting does not take."""


def get_setting(db: Database, name: str) -> str:
    """The setting's stored value, or its default."""
    if name not in SETTINGS:
        raise SettingInvalid(name)
    row = db.execute("SELECT value FROM settings WHERE key = ?", [name]).fetchone()
    return row[0] if row else SETTINGS[name][0]


def set_setting(db: Database, name: str, value: str, *, actor: Actor = SYSTEM) -> None:
    """Store a setting for this install (admins only); the change is audited."""
    require(can_change_settings(actor), "change_settings")
    if name not in SETTINGS or value not in SETTINGS[name][1]:
        raise SettingInvalid(f"{name}={value}")
    store_setting(db, name, value, actor=actor)


def store_setting(db: Database, name: str, value: str, *, actor: Actor) -> None:
    """Write a setting whose own module checked the permission and the value (e.g. a URL); audited."""
    from stories.trust import audit
    from stories.db import write_transaction
    from stories.clock import now_iso

    if name not in SETTINGS:
        raise SettingInvalid(name)
    with write_transaction(db):
        db.conn.execute(
            "INSERT INTO settings(key, value, updated_by, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by,"
            " updated_at = excluded.updated_at",
            [name, value, actor.name, now_iso()],
        )
        audit.log(db, actor, "setting_change", name, value=value)
