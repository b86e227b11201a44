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


@migrations()
def m003_selection(db: Database) -> None:
    """One selection engine for reporting periods and camps, feedback and verification.

    The camps' groups, rounds, dots and choices (camp_groups, camp_rounds, camp_votes,
    camp_selections, camp_stories.group_id) move into the engine's tables with their ids
    kept: every camp becomes a process of kind 'camp', its groups panels, its dots the
    panel's tally (voter ''), its distribution of stories panel assignments.
    """
    _run(db, """
        CREATE TABLE msc_processes (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('period', 'camp')),
            name TEXT NOT NULL,
            period_id INTEGER REFERENCES msc_periods(id),
            camp_id INTEGER UNIQUE REFERENCES camps(id) ON DELETE CASCADE,
            method TEXT NOT NULL DEFAULT 'votes' CHECK (method IN ('votes', 'scores')),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL DEFAULT '',
            CHECK ((kind = 'period') = (period_id IS NOT NULL)),
            CHECK ((kind = 'camp') = (camp_id IS NOT NULL))
        );
        CREATE INDEX idx_msc_processes_period ON msc_processes(period_id);
        CREATE TABLE msc_levels (
            process_id INTEGER NOT NULL REFERENCES msc_processes(id) ON DELETE CASCADE,
            level INTEGER NOT NULL CHECK (level >= 1),
            name TEXT NOT NULL,
            purpose TEXT NOT NULL DEFAULT 'internal' CHECK (purpose IN ('internal', 'evaluation', 'publication')),
            PRIMARY KEY (process_id, level)
        ) WITHOUT ROWID;
        CREATE TABLE msc_panels (
            id INTEGER PRIMARY KEY,
            process_id INTEGER NOT NULL REFERENCES msc_processes(id) ON DELETE CASCADE,
            level INTEGER NOT NULL CHECK (level >= 1),
            name TEXT NOT NULL,
            sites TEXT NOT NULL DEFAULT '[]',
            UNIQUE (process_id, level, name)
        );
        CREATE TABLE msc_panel_members (
            panel_id INTEGER NOT NULL REFERENCES msc_panels(id) ON DELETE CASCADE,
            member TEXT NOT NULL COLLATE NOCASE,
            PRIMARY KEY (panel_id, member)
        ) WITHOUT ROWID;
        CREATE INDEX idx_msc_panel_members_member ON msc_panel_members(member);
        CREATE TABLE msc_assignments (
            story_seq INTEGER NOT NULL REFERENCES stories(seq) ON DELETE CASCADE,
            panel_id INTEGER NOT NULL REFERENCES msc_panels(id) ON DELETE CASCADE,
            PRIMARY KEY (story_seq, panel_id)
        ) WITHOUT ROWID;
        CREATE TABLE msc_rounds (
            id INTEGER PRIMARY KEY,
            process_id INTEGER NOT NULL REFERENCES msc_processes(id) ON DELETE CASCADE,
            level INTEGER NOT NULL CHECK (level >= 1),
            domain TEXT NOT NULL,
            opened_at TEXT NOT NULL,
            closed_at TEXT,
            closed_by TEXT NOT NULL DEFAULT '',
            UNIQUE (process_id, level, domain)
        );
        CREATE TABLE msc_votes (
            round_id INTEGER NOT NULL REFERENCES msc_rounds(id) ON DELETE CASCADE,
            panel_id INTEGER NOT NULL REFERENCES msc_panels(id) ON DELETE CASCADE,
            voter TEXT NOT NULL DEFAULT '',
            story_seq INTEGER NOT NULL REFERENCES stories(seq) ON DELETE CASCADE,
            value INTEGER NOT NULL CHECK (value >= 0),
            recorded_at TEXT NOT NULL DEFAULT '',
            recorded_by TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (round_id, panel_id, voter, story_seq)
        ) WITHOUT ROWID;
        CREATE INDEX idx_msc_votes_story ON msc_votes(story_seq);
        CREATE TABLE msc_choices (
            round_id INTEGER NOT NULL REFERENCES msc_rounds(id) ON DELETE CASCADE,
            panel_id INTEGER NOT NULL REFERENCES msc_panels(id) ON DELETE CASCADE,
            story_seq INTEGER NOT NULL REFERENCES stories(seq) ON DELETE CASCADE,
            reasons TEXT NOT NULL,
            discussion TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL,
            recorded_by TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (round_id, panel_id)
        ) WITHOUT ROWID;
        CREATE INDEX idx_msc_choices_story ON msc_choices(story_seq);
        CREATE TABLE msc_feedback (
            id INTEGER PRIMARY KEY,
            process_id INTEGER NOT NULL REFERENCES msc_processes(id) ON DELETE CASCADE,
            level INTEGER NOT NULL CHECK (level >= 1),
            audience TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            sent_at TEXT NOT NULL,
            sent_by TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE msc_verifications (
            story_seq INTEGER PRIMARY KEY REFERENCES stories(seq) ON DELETE CASCADE,
            checked_by TEXT NOT NULL,
            checked_on TEXT NOT NULL,
            method TEXT NOT NULL CHECK (method IN ('teller', 'witness', 'other')),
            note TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL,
            recorded_by TEXT NOT NULL DEFAULT ''
        )
        """)
    if not db["camp_groups"].exists():
        return
    # camps: every camp a process; groups, rounds, dots, choices and distributions move over, ids kept
    db.execute("INSERT INTO msc_processes (kind, name, camp_id, created_at, created_by)"
               " SELECT 'camp', name, id, created_at, created_by FROM camps ORDER BY id")
    db.execute("INSERT INTO msc_panels (id, process_id, level, name) SELECT g.id, p.id, g.level, g.name"
               " FROM camp_groups AS g JOIN msc_processes AS p ON p.camp_id = g.camp_id")
    db.execute("INSERT INTO msc_rounds (id, process_id, level, domain, opened_at, closed_at)"
               " SELECT r.id, p.id, r.level, r.domain, r.opened_at, r.closed_at"
               " FROM camp_rounds AS r JOIN msc_processes AS p ON p.camp_id = r.camp_id")
    db.execute("INSERT INTO msc_votes (round_id, panel_id, voter, story_seq, value)"
               " SELECT round_id, group_id, '', story_seq, dots FROM camp_votes")
    db.execute("INSERT INTO msc_choices (round_id, panel_id, story_seq, reasons, recorded_at, recorded_by)"
               " SELECT round_id, group_id, story_seq, reasons, recorded_at, recorded_by FROM camp_selections")
    db.execute("INSERT INTO msc_assignments (story_seq, panel_id) SELECT story_seq, group_id FROM camp_stories"
               " WHERE group_id IS NOT NULL AND group_id IN (SELECT id FROM msc_panels)")
    columns = [c.name for c in db["camp_stories"].columns if c.name != "group_id"]
    _run(db, f"""
        CREATE TABLE camp_stories_moved (
            story_seq INTEGER PRIMARY KEY REFERENCES stories(seq) ON DELETE CASCADE,
            camp_id INTEGER NOT NULL REFERENCES camps(id) ON DELETE CASCADE,
            domain TEXT NOT NULL DEFAULT '',
            display_name TEXT NOT NULL DEFAULT ''
        );
        INSERT INTO camp_stories_moved ({', '.join(columns)}) SELECT {', '.join(columns)} FROM camp_stories;
        DROP TABLE camp_votes;
        DROP TABLE camp_selections;
        DROP TABLE camp_rounds;
        DROP TABLE camp_stories;
        DROP TABLE camp_groups;
        ALTER TABLE camp_stories_moved RENAME TO camp_stories;
        CREATE INDEX idx_camp_stories_camp ON camp_stories(camp_id, domain)
        """)
