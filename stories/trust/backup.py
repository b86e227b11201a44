"""Backups and restores with SQLite's online backup API: safe while the app runs.

A backup is one self-contained SQLite file (rollback journal, not WAL), checked with
`PRAGMA integrity_check` before it replaces an older file of the same name. A restore
refuses any file that is not a SQLite database, fails the integrity check, or holds no
stories table; then it copies the file into the live database, page by page, and brings
its schema up to date.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from stories.trust import audit
from stories.errors import UserError
from stories.trust.permissions import SYSTEM, Actor, can_backup, require


class BackupFailed(UserError):
    """The backup could not be written or did not check out; no backup file was changed."""


class RestoreRefused(UserError):
    """The file is not a sound changestories database; nothing was restored."""


def _integrity_problem(conn: sqlite3.Connection) -> str | None:
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows != [("ok",)]:
        return "; ".join(str(r[0]) for r in rows[:3])
    return None


def backup(db: Database, dest: str | os.PathLike, *, actor: Actor = SYSTEM) -> Path:
    """Copy the whole database to `dest` (replaced atomically when it exists)."""
    require(can_backup(actor), "backup")
    dest = Path(dest)
    if not dest.parent.is_dir():
        raise BackupFailed(f"folder {dest.parent} does not exist")
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with contextlib.closing(sqlite3.connect(partial)) as target:
            db.conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
            problem = _integrity_problem(target)
        if problem:
            raise BackupFailed(f"the copy failed its integrity check: {problem}")
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    audit.log(db, actor, "backup", dest.name)
    return dest


def check_backup(path: str | os.PathLike) -> None:
    """Raise RestoreRefused unless `path` is a SQLite file passing integrity_check with stories in it."""
    path = Path(path)
    if not path.is_file():
        raise RestoreRefused(f"{path} is not a file")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            problem = _integrity_problem(conn)
            if problem:
                raise RestoreRefused(f"{path} fails PRAGMA integrity_check: {problem}")
            has_stories = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'stories'"
            ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise RestoreRefused(f"{path} is not a readable SQLite database: {exc}") from exc
    if not has_stories:
        raise RestoreRefused(f"{path} is not a changestories database (no stories table)")


def restore(db: Database, src: str | os.PathLike, *, actor: Actor = SYSTEM) -> None:
    """Replace the contents of `db` with the backup `src`, after checking it."""
    from stories.schema import apply_migrations

    require(can_backup(actor), "restore")
    check_backup(src)
    if db.conn.in_transaction:
        raise RestoreRefused("a transaction is open on the database")
    with contextlib.closing(sqlite3.connect(f"file:{Path(src)}?mode=ro", uri=True)) as source:
        source.backup(db.conn)
    problem = _integrity_problem(db.conn)
    if problem:  # pragma: no cover - the source passed the same check
        raise RestoreRefused(f"the restored database fails its integrity check: {problem}")
    apply_migrations(db)
    audit.log(db, actor, "restore", Path(src).name)
