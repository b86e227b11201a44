"""The database file: where it lives, connection settings, write transactions."""

from __future__ import annotations

from stories.errors import UserError

import contextlib
import os
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

DEFAULT_DB_PATH = Path("data") / "changestories.db"
ENV_VAR = "CHANGESTORIES_DB"
BUSY_TIMEOUT_MS = 15_000  # how long a writer waits for the write lock before DatabaseBusy
BEGIN_ATTEMPT_MS = 250  # one attempt of BEGIN IMMEDIATE (see _begin_immediate)
BULK_WAIT_S = 300.0  # a bulk writer (an import, a re-index) waits this long for its turn: many may queue
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


@dataclass
class LockStats:
    """This process's write transactions: how many, the longest hold and the longest wait."""

    transactions: int = 0
    longest_s: float = 0.0
    longest_wait_s: float = 0.0


_STATS = LockStats()


def lock_stats() -> LockStats:
    """The write-lock figures of this process (for the benchmarks and `make faults`)."""
    return _STATS


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _begin_immediate(conn: sqlite3.Connection, wait_s: float | None = None) -> None:
    """Take the write lock, waiting up to `wait_s` (default BUSY_TIMEOUT_MS) in all.

    SQLite's busy handler sleeps longer and longer between tries (up to 100 ms), so a
    writer that has waited long polls less often than one that just arrived and loses the
    lock to it again and again. Short attempts with a fresh handler each keep every waiter
    polling at the same pace: under contention the wait is shared fairly.
    """
    deadline = time.monotonic() + (BUSY_TIMEOUT_MS / 1000 if wait_s is None else wait_s)
    conn.execute(f"PRAGMA busy_timeout = {min(BEGIN_ATTEMPT_MS, BUSY_TIMEOUT_MS)}")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(str(exc)) from exc
                time.sleep(random.uniform(0, 0.002))
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


@contextlib.contextmanager
def write_transaction(db: Database, *, wait_s: float | None = None) -> Iterator[Database]:
    """One transaction for a multi-row write, taking the write lock up front.

    BEGIN IMMEDIATE waits (up to the busy timeout, fairly: `_begin_immediate`) for other
    writers instead of failing half-way when a read transaction must be upgraded. Nested
    calls become savepoints. Keep the body short: slow work (parsing, NLP) comes before it.
    `wait_s` lets a writer that may queue behind many others (an import) wait longer.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    asked = time.perf_counter()
    _begin_immediate(conn, wait_s)
    taken = time.perf_counter()
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
            if _is_busy(exc):
                raise DatabaseBusy(str(exc)) from exc
            raise
    finally:
        held = time.perf_counter() - taken
        _STATS.transactions += 1
        _STATS.longest_s = max(_STATS.longest_s, held)
        _STATS.longest_wait_s = max(_STATS.longest_wait_s, taken - asked)
