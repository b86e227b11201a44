"""Upgrading a database made by an earlier version keeps every row."""

import pytest
from sqlite_utils import Database

from changestories.database import connect
from stories.db import configure
from changestories.schema import all_migration_sets, apply_migrations
from stories.search import count_stories, query_stories

STEPS = [(i, m.name) for i, s in enumerate(all_migration_sets()) for m in s._migrations]


def _apply_until(db: Database, set_index: int, name: str) -> None:
    """The schema as an earlier version left it: every migration before `name` applied."""
    sets = all_migration_sets()
    for earlier in sets[:set_index]:
        earlier.apply(db)
    sets[set_index].apply(db, stop_before=name)


@pytest.mark.parametrize("set_index,name", [s for s in STEPS if s != STEPS[0]])
def test_upgrade_keeps_rows(tmp_path, set_index, name):
    path = tmp_path / "old.db"
    old = configure(Database(path))
    _apply_until(old, set_index, name)
    columns = {c.name for c in old.table("stories").columns}
    rows = [
        {"id": f"00000000-0000-4000-8000-00000000000{i}", "text": f"Gammel historie {i} om huset.",
         "created_at": "2025-01-01T10:00:00+00:00", "updated_at": "2025-01-01T10:00:00+00:00"}
        for i in range(3)
    ]
    for row in rows:
        row = {k: v for k, v in row.items() if k in columns}
        old.execute(f"INSERT INTO stories ({','.join(row)}) VALUES ({','.join('?' * len(row))})", list(row.values()))
    old.conn.commit()
    old.conn.close()

    upgraded = connect(path)
    assert all(not s.pending(upgraded) for s in all_migration_sets())
    texts = sorted(r[0] for r in upgraded.execute("SELECT text FROM stories"))
    assert texts == [f"Gammel historie {i} om huset." for i in range(3)]
    if "consent_internal" in columns:  # listings need consent; give it and read the rows back through the API
        upgraded.execute("UPDATE stories SET consent_internal = 1")
        upgraded.conn.commit()
        assert count_stories(upgraded) == 3
        assert len(query_stories(upgraded)) == 3


def test_migrations_are_idempotent(tmp_path):
    db = connect(tmp_path / "x.db")
    apply_migrations(db)
    applied = db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    apply_migrations(connect(tmp_path / "x.db"))
    assert db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == applied == len(STEPS)


def test_connection_settings(tmp_path):
    db = connect(tmp_path / "y.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_db_path_resolution(monkeypatch, tmp_path):
    from stories.db import DEFAULT_DB_PATH, resolve_db_path

    monkeypatch.delenv("CHANGESTORIES_DB", raising=False)
    assert resolve_db_path() == DEFAULT_DB_PATH
    monkeypatch.setenv("CHANGESTORIES_DB", str(tmp_path / "env.db"))
    assert resolve_db_path() == tmp_path / "env.db"
    assert resolve_db_path(tmp_path / "cli.db") == tmp_path / "cli.db"
