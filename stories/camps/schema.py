"""Tables of story camps, Most Significant Change selection and signifiers (migration set "camps").

camps              a camp: join code, prompt, domains, levels, signifier questions, open/closed
camp_stories       which stories were told at which camp, against which domain, under which display name
camp_groups, camp_rounds, camp_votes, camp_selections (and camp_stories.group_id): the camp's
                   selection until migration "msc" m003 moved it into the selection engine's tables
                   (msc_panels, msc_rounds, msc_votes, msc_choices, msc_assignments)
camp_join_failures failed join-code attempts, for rate limiting
story_signifiers   the teller's own placement of a story in a triangle between three poles
story_sliders      the teller's answers on sliders (e.g. how big the change was)
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("camps")


@migrations()
def m001_camps(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE camps (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            held_on TEXT,
            site TEXT NOT NULL DEFAULT '',
            prompt TEXT NOT NULL DEFAULT '',
            domains TEXT NOT NULL DEFAULT '[]',
            levels TEXT NOT NULL DEFAULT '[]',
            signifiers TEXT NOT NULL DEFAULT '{}',
            closes_at TEXT,
            closed_at TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL DEFAULT '',
            is_demo INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE camp_stories (
            story_seq INTEGER PRIMARY KEY REFERENCES stories(seq) ON DELETE CASCADE,
            camp_id INTEGER NOT NULL REFERENCES camps(id) ON DELETE CASCADE,
            domain TEXT NOT NULL DEFAULT '',
            display_name TEXT NOT NULL DEFAULT '',
            group_id INTEGER REFERENCES camp_groups(id) ON DELETE SET NULL
        );
        CREATE INDEX idx_camp_stories_camp ON camp_stories(camp_id, domain);
        CREATE TABLE camp_groups (
            id INTEGER PRIMARY KEY,
            camp_id INTEGER NOT NULL REFERENCES camps(id) ON DELETE CASCADE,
            level INTEGER NOT NULL CHECK (level >= 1),
            name TEXT NOT NULL,
            UNIQUE (camp_id, level, name)
        );
        CREATE TABLE camp_rounds (
            id INTEGER PRIMARY KEY,
            camp_id INTEGER NOT NULL REFERENCES camps(id) ON DELETE CASCADE,
            level INTEGER NOT NULL CHECK (level >= 1),
            domain TEXT NOT NULL,
            opened_at TEXT NOT NULL,
            closed_at TEXT,
            UNIQUE (camp_id, level, domain)
        );
        CREATE TABLE camp_votes (
            round_id INTEGER NOT NULL REFERENCES camp_rounds(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES camp_groups(id) ON DELETE CASCADE,
            story_seq INTEGER NOT NULL REFERENCES stories(seq) ON DELETE CASCADE,
            dots INTEGER NOT NULL CHECK (dots >= 0),
            PRIMARY KEY (round_id, group_id, story_seq)
        ) WITHOUT ROWID;
        CREATE TABLE camp_selections (
            round_id INTEGER NOT NULL REFERENCES camp_rounds(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES camp_groups(id) ON DELETE CASCADE,
            story_seq INTEGER NOT NULL REFERENCES stories(seq) ON DELETE CASCADE,
            reasons TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            recorded_by TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (round_id, group_id)
        ) WITHOUT ROWID;
        CREATE INDEX idx_camp_selections_story ON camp_selections(story_seq);
        CREATE TABLE camp_join_failures (
            id INTEGER PRIMARY KEY,
            client TEXT NOT NULL,
            attempted_at TEXT NOT NULL
        );
        CREATE INDEX idx_camp_join_failures ON camp_join_failures(client, attempted_at);
        CREATE TABLE story_signifiers (
            story_seq INTEGER PRIMARY KEY REFERENCES stories(seq) ON DELETE CASCADE,
            pole_a TEXT NOT NULL,
            pole_b TEXT NOT NULL,
            pole_c TEXT NOT NULL,
            weight_a REAL NOT NULL CHECK (weight_a BETWEEN 0 AND 1),
            weight_b REAL NOT NULL CHECK (weight_b BETWEEN 0 AND 1),
            weight_c REAL NOT NULL CHECK (weight_c BETWEEN 0 AND 1),
            CHECK (abs(weight_a + weight_b + weight_c - 1.0) < 0.001)
        );
        CREATE TABLE story_sliders (
            story_seq INTEGER NOT NULL REFERENCES stories(seq) ON DELETE CASCADE,
            slider TEXT NOT NULL,
            value INTEGER NOT NULL,
            PRIMARY KEY (story_seq, slider)
        ) WITHOUT ROWID;
        CREATE INDEX idx_story_sliders_slider ON story_sliders(slider);
        """
    )


@migrations()
def m002_camp_teller_pseudonyms(db: Database) -> None:
    """Camp stories told before tellers got a pseudonym get one, so erasure by teller reaches them:
    one per display name within a camp (CAMP-<camp id, 4 digits><n, 4 digits>), the closest
    to "one teller" the stored data allows."""
    db.execute(
        """
        WITH named AS (
            SELECT cs.story_seq, cs.camp_id,
                   DENSE_RANK() OVER (PARTITION BY cs.camp_id ORDER BY lower(trim(cs.display_name))) AS n
            FROM camp_stories AS cs JOIN camps AS c ON c.id = cs.camp_id
        )
        UPDATE stories
        SET teller_pseudonym = (SELECT 'CAMP-' || printf('%04d%04d', named.camp_id, named.n)
                                FROM named WHERE named.story_seq = stories.seq)
        WHERE teller_pseudonym = '' AND seq IN (SELECT story_seq FROM named)
        """
    )
