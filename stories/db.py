"""The database file: where it lives, connection settings, write transactions."""

from __future__ import annotations

from stories.errors import UserError

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

DEFAULT_DB_PATH = Path("data") / "changestories.db"
ENV_VAR = "CHANGESTORIES_DB"
BUSY_TIMEOUT_MS = 15_000
# SQLite's page cache per connection. The app opens one connection per rerun (closed when the
# rerun ends) and several reruns run at once; a large cache per connection is memory the
# server holds for every rerun in flight (glibc seldom returns it), while the operating
# system caches the database file for all of them anyway. 64 MB here made the server grow
# by about that much with every page visit; 8 MB changes no page's time measurably.
CACHE_KIB = 8 * 1024


class DatabaseBusy(UserError):
    """Another writer held the database for longer than the busy timeout."""


def resolve_db_path(cli_value: str | os.PathLike | None = None) -> Path:
    """The database file: --db, else $CHANGESTORIES_DB, else data/changestories.db."""
    if cli_value:
        return Path(cli_value)
    from stories.environment import database_path

    return database_path() or DEFAULT_DB_PATH


def configure(db: Database, *, cache_kib: int = CACHE_KIB) -> Database:
    """WAL journal, foreign keys on, a busy timeout, a page cache of `cache_kib` KiB."""
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
    if not db.memory:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    return db


def open_database(path: str | os.PathLike | None = None, *, cache_kib: int = CACHE_KIB) -> Database:
    """Open (and create) the database file at `path` with our settings, without migrating.

    `changestories.database.connect` opens it with the whole application schema applied.
    """
    target = resolve_db_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(target), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    return configure(Database(conn), cache_kib=cache_kib)


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One transaction for a multi-row write, taking the write lock up front.

    BEGIN IMMEDIATE waits (up to the busy timeout) for other writers instead of failing
    half-way when a read transaction must be upgraded. Nested calls become savepoints.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseBusy(str(exc)) from exc
        raise
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if "locked" in str(exc) or "busy" in str(exc):
                raise DatabaseBusy(str(exc)) from exc
            raise
