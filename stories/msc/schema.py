"""Tables of the Most Significant Change cycle (migration set "msc").

msc_domains   the install's domains of change: 3–5 named ones, the fixed "any other change",
              an optional "negative change"; `stories.domain` names one of them
msc_periods   reporting periods ("Forår 2026"): a story belongs to the period its change happened
              in (or, without a date, the one it was told in)
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("msc")
PRESETS_DIR = Path(__file__).resolve().parent / "presets"


def _run(db: Database, script: str) -> None:
    """Statements one by one: `executescript` would commit the migration's transaction half-way."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_domains(db: Database) -> None:
    """Domains of change, seeded with the KBH+ mechanisms; stories get a `domain`.

    A story that already named a KBH+ mechanism (or was told at a camp against one) keeps it
    as its domain.
    """
    _run(db, """
        CREATE TABLE msc_domains (
            key TEXT PRIMARY KEY,
            kind TEXT NOT NULL DEFAULT 'named' CHECK (kind IN ('named', 'other', 'negative')),
            name_da TEXT NOT NULL,
            name_en TEXT NOT NULL,
            description_da TEXT NOT NULL DEFAULT '',
            description_en TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        ALTER TABLE stories ADD COLUMN domain TEXT REFERENCES msc_domains(key) ON UPDATE CASCADE;
        CREATE INDEX idx_stories_domain ON stories(domain);
        """)
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    preset = json.loads((PRESETS_DIR / "kbh_plus.json").read_text(encoding="utf-8"))
    rows = [(d["key"], "named", d["name_da"], d["name_en"], d["description_da"], d["description_en"], i, stamp)
            for i, d in enumerate(preset["domains"], start=1)]
    rows.append(("any_other_change", "other", "Anden forandring", "Any other change",
                 "Betydningsfulde forandringer, der ikke passer i de andre domæner.",
                 "Significant changes that do not fit the other domains.", 99, stamp))
    db.conn.executemany("INSERT INTO msc_domains (key, kind, name_da, name_en, description_da, description_en,"
                        " position, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.execute("UPDATE stories SET domain = teller_mechanism WHERE teller_mechanism IN (SELECT key FROM msc_domains)")
    if db["camp_stories"].exists():
        db.execute("UPDATE stories SET domain = (SELECT c.domain FROM camp_stories AS c WHERE c.story_seq = stories.seq)"
                   " WHERE domain IS NULL AND seq IN (SELECT story_seq FROM camp_stories"
                   " WHERE domain IN (SELECT key FROM msc_domains))")


@migrations()
def m002_periods(db: Database) -> None:
    """Reporting periods: named date ranges that do not overlap, so a story belongs to at most one."""
    _run(db, """
        CREATE TABLE msc_periods (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            starts_on TEXT NOT NULL,
            ends_on TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL DEFAULT '',
            CHECK (ends_on >= starts_on)
        )
        """)
