"""Opening the application's database with its whole schema applied."""

from __future__ import annotations

import os

from sqlite_utils import Database

from changestories.schema import apply_migrations
from stories.db import CACHE_KIB, configure, open_database
from stories.staging import discard_abandoned


def connect(path: str | os.PathLike | None = None, *, migrate: bool = True, cache_kib: int = CACHE_KIB) -> Database:
    """Open (and create) the database at `path` with our settings and schema applied.

    Each Streamlit rerun and each CLI call opens its own connection: connections are
    cheap, and never shared between threads.
    """
    db = open_database(path, cache_kib=cache_kib)
    if migrate:
        apply_migrations(db)
        discard_abandoned(db)  # an import whose process died is removed, like a hot journal
    return db


def memory_db() -> Database:
    """An in-memory database with the full schema: for tests."""
    db = configure(Database(memory=True))
    apply_migrations(db)
    return db
