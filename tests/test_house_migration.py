"""A database made by main before the house move (issue 12) opens and migrates with nothing lost.

The old database is built here, not checked out: every migration set is applied as far as
main had it before the move (`BEFORE_THE_MOVE`, the migrations of commit dfd20ed), sets that
came later are left out, and every table then gets a row. Opening it with today's
`connect` must apply the rest and keep every row and every value.
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from changestories.database import connect
from changestories.schema import MIGRATION_SETS
from stories.db import configure
from stories.storage import get_story
from stories.search import count_stories

# The migrations main had when the house move started; their set names and migration names
# are stored in every database made since, so they may never change.
BEFORE_THE_MOVE = {
    "stories": ["m001_stories", "m002_consent_and_lifecycle", "m003_review_and_settings"],
    "nlp": ["m001_sentences_and_lemmas", "m002_story_nlp_and_stop_words", "m003_generic_time_words"],
    "coding": ["m001_codebooks_and_codings"],
    "trust": ["m001_accounts_audit_corrections"],
    "camps": ["m001_camps"],
}
# Values the old schema's CHECK constraints and today's readers need (the rest: a value of the column's type).
VALUES = {
    ("stories", "consent_internal"): 1, ("stories", "language"): "da", ("stories", "teller_pseudonym"): "UNG-0042",
    ("stories", "text"): "Jeg lærte at cykle i huset. Det var godt.", ("stories", "source"): "form",
    ("stories", "deleted_at"): None, ("stories", "consent_withdrawn_at"): None, ("stories", "polarity"): None,
    ("stories", "extra"): "{\"age_group\": \"15-17\"}", ("stories", "happened_on"): "2025-03-01",
    ("stories", "period_start"): None, ("stories", "period_end"): None, ("stories", "teller_role"): "young_person",
    ("stop_words", "kind"): "keep", ("codings", "origin"): "manual", ("users", "role"): "staff",
    ("pii_corrections", "action"): "add", ("memos", "code_id"): None, ("camp_votes", "dots"): 2,
    ("story_signifiers", "weight_a"): 1.0, ("story_signifiers", "weight_b"): 0.0, ("story_signifiers", "weight_c"): 0.0,
    ("codings", "start"): None, ("codings", "end"): None,
}
# Values a later migration changes on purpose, with the reason.
MIGRATED: dict[tuple[str, str], str] = {
    ("stop_words", "kind"): "nlp m005: the preset 'keep' of 'lave' becomes a stop word (a generic verb of staff writing)",
    ("nlp_state", "value"): "nlp m005: stop_version is bumped, so every view drops its cached word counts",
}
# Tables a later migration moved, with their rows: old table -> (new table, old column -> new
# column, None where the column's value lives elsewhere now).
MOVED_TABLES = {
    # msc m003: the camps' selection moves into the one selection engine, ids kept
    "camp_groups": ("msc_panels", {"camp_id": None}),
    "camp_rounds": ("msc_rounds", {"camp_id": None}),
    "camp_votes": ("msc_votes", {"group_id": "panel_id", "dots": "value"}),
    "camp_selections": ("msc_choices", {"group_id": "panel_id"}),
    "camp_stories": ("camp_stories", {"group_id": None}),  # the group is an msc_assignments row now
}
SAMPLE = {"INTEGER": 1, "REAL": 0.5, "TEXT": "x", "BLOB": b"x", "": "x"}


def _old_database(path) -> Database:
    db = configure(Database(path))
    for migration_set in MIGRATION_SETS:
        known = BEFORE_THE_MOVE.get(migration_set.name)
        if known is None:
            continue  # a set that came after the move
        names = [m.name for m in migration_set._migrations]
        later = names[len(known)] if len(names) > len(known) else None
        migration_set.apply(db, stop_before=later)
    return db


def _tables(db: Database) -> list[str]:
    """Our tables, parents before the tables that refer to them."""
    names = [t for t in db.table_names()
             if not t.startswith(("sqlite_", "_sqlite", "stories_fts"))]
    ordered: list[str] = []

    def visit(name: str, seen: tuple = ()) -> None:
        if name in ordered or name in seen:
            return
        for fk in db[name].foreign_keys:
            if fk.other_table != name:
                visit(fk.other_table, seen + (name,))
        ordered.append(name)

    for name in names:
        visit(name)
    return ordered


def _fill(db: Database) -> dict[str, dict]:
    """One row in every table (foreign keys pointing at the rows made before); the rows made."""
    made: dict[str, dict] = {}
    for name in _tables(db):
        table = db[name]
        fks = {fk.column: (fk.other_table, fk.other_column) for fk in table.foreign_keys}
        row = {}
        for column in table.columns:
            if column.is_pk and table.pks == [column.name] and column.type.upper() == "INTEGER" \
                    and column.name not in fks:
                continue  # rowid: SQLite picks it
            if (name, column.name) in VALUES:
                row[column.name] = VALUES[(name, column.name)]
            elif column.name in fks:
                other, other_column = fks[column.name]
                row[column.name] = made[other][other_column] if other != name else None
            else:
                row[column.name] = SAMPLE.get(column.type.upper(), "x")
        if name == "stories":
            row["id"] = "00000000-0000-4000-8000-000000000042"
        cursor = db.execute(f"INSERT INTO [{name}] ({', '.join(f'[{c}]' for c in row)}) "
                            f"VALUES ({', '.join('?' * len(row))})", list(row.values()))
        made[name] = {**row, **{pk: cursor.lastrowid for pk in table.pks if pk not in row}}
    db.conn.commit()
    return made


def _snapshot(db: Database) -> dict[str, list[dict]]:
    return {name: [dict(r) for r in db[name].rows] for name in _tables(db)}


@pytest.fixture
def old_path(tmp_path):
    path = tmp_path / "before-the-move.db"
    db = _old_database(path)
    _fill(db)
    db.conn.close()
    return path


def test_the_old_migrations_keep_their_names():
    current = {s.name: [m.name for m in s._migrations] for s in MIGRATION_SETS}
    for set_name, names in BEFORE_THE_MOVE.items():
        assert current[set_name][:len(names)] == names


def test_every_old_table_got_a_row(old_path):
    with sqlite3.connect(old_path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        empty = [t for t in tables if not t.startswith(("sqlite_", "stories_fts"))
                 and not conn.execute(f"SELECT 1 FROM [{t}] LIMIT 1").fetchone()]
    assert len(tables) > 20 and empty == []


def test_a_database_from_before_the_move_migrates_with_nothing_lost(old_path):
    old = Database(sqlite3.connect(old_path))
    before = _snapshot(old)
    applied_before = [tuple(r) for r in old.execute("SELECT migration_set, name FROM _sqlite_migrations")]
    old.conn.close()

    db = connect(old_path)  # today's code: the rest of the migrations run here
    assert all(not s.pending(db) for s in MIGRATION_SETS)
    applied_after = [tuple(r) for r in db.execute("SELECT migration_set, name FROM _sqlite_migrations")]
    assert set(applied_before) <= set(applied_after)
    after = _snapshot(db)
    for table, rows in before.items():
        new_table, renamed = MOVED_TABLES.get(table, (table, {}))
        assert new_table in after, f"table {table} is gone"
        for old_row in rows:
            expected = {renamed.get(k, k): v for k, v in old_row.items()
                        if (table, k) not in MIGRATED and renamed.get(k, k) is not None}
            kept = [{k: new.get(k) for k in expected} for new in after[new_table]]
            assert expected in kept, (table, old_row)
    group = before["camp_stories"][0]["group_id"]
    assert {"story_seq": before["camp_stories"][0]["story_seq"], "panel_id": group} in after["msc_assignments"]
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    story = get_story(db, "00000000-0000-4000-8000-000000000042")  # read through today's API
    assert story.text == VALUES[("stories", "text")]
    assert count_stories(db) == 1
