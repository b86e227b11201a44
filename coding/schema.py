"""Tables of the coding area (migration set "coding").

- `codebooks`, `codes`: a tree of code groups (`is_group=1`) and codes per codebook.
- `codings`: one row per code applied by a coder to a whole story (start, end NULL) or to a
  span of its text (character offsets, end exclusive). `origin` says how it came:
  manual | suggestion | import | reconciled. Reconciled codings are the agreed coding of a
  story recorded by the reconcile step; `reconciliations` marks a story as reconciled.
- `story_coders`: which coder has started / finished (saved) a story; it decides blind
  coding and which coders count as having coded a story in the agreement statistics.
- `memos`: memos on stories and on codes (a coding's memo lives on the coding).
- `suggestion_events`: accepted / rejected code suggestions.
- `coding_settings`: small key/value settings (active codebook, blind coding).
- `coding_state`: a version of `codings` and `story_coders` (triggers bump it), a key for caches.
- VIEW `story_codes(story_seq, code_id, start, end)`: the codes a story carries for analysis:
  the reconciled codings where a story was reconciled, otherwise the distinct codings of
  any coder.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("coding")


@migrations()
def m001_codebooks_and_codings(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE codebooks (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            preset TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE TABLE codes (
            id INTEGER PRIMARY KEY,
            codebook_id INTEGER NOT NULL REFERENCES codebooks(id) ON DELETE CASCADE,
            parent_id INTEGER NULL REFERENCES codes(id),
            guid TEXT NOT NULL UNIQUE,
            key TEXT NOT NULL,
            name_da TEXT NOT NULL DEFAULT '',
            name_en TEXT NOT NULL DEFAULT '',
            definition_da TEXT NOT NULL DEFAULT '',
            definition_en TEXT NOT NULL DEFAULT '',
            use_when_da TEXT NOT NULL DEFAULT '',
            use_when_en TEXT NOT NULL DEFAULT '',
            not_when_da TEXT NOT NULL DEFAULT '',
            not_when_en TEXT NOT NULL DEFAULT '',
            example_da TEXT NOT NULL DEFAULT '',
            example_en TEXT NOT NULL DEFAULT '',
            keywords_da TEXT NOT NULL DEFAULT '[]',
            keywords_en TEXT NOT NULL DEFAULT '[]',
            color TEXT NOT NULL DEFAULT '#888888',
            is_group INTEGER NOT NULL DEFAULT 0,
            retired INTEGER NOT NULL DEFAULT 0,
            position INTEGER NOT NULL DEFAULT 0,
            UNIQUE (codebook_id, key)
        );
        CREATE INDEX idx_codes_parent ON codes(parent_id);

        CREATE TABLE codings (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            story_seq INTEGER NOT NULL REFERENCES stories(seq) ON DELETE CASCADE,
            code_id INTEGER NOT NULL REFERENCES codes(id),
            coder TEXT NOT NULL,
            start INTEGER NULL,
            end INTEGER NULL,
            memo TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'manual'
                CHECK (origin IN ('manual', 'suggestion', 'import', 'reconciled')),
            CHECK ((start IS NULL AND end IS NULL) OR (start >= 0 AND end > start))
        );
        CREATE INDEX idx_codings_story ON codings(story_seq);
        CREATE INDEX idx_codings_code ON codings(code_id);
        -- One coder applies a code to the same span once (a double tap stores once).
        CREATE UNIQUE INDEX ux_codings_once ON codings(
            story_seq, code_id, coder, origin = 'reconciled', ifnull(start, -1), ifnull(end, -1)
        );

        CREATE TABLE story_coders (
            story_seq INTEGER NOT NULL REFERENCES stories(seq) ON DELETE CASCADE,
            coder TEXT NOT NULL,
            done INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (story_seq, coder)
        ) WITHOUT ROWID;

        CREATE TABLE reconciliations (
            story_seq INTEGER PRIMARY KEY REFERENCES stories(seq) ON DELETE CASCADE,
            reconciled_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );

        CREATE TABLE memos (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            story_seq INTEGER NULL REFERENCES stories(seq) ON DELETE CASCADE,
            code_id INTEGER NULL REFERENCES codes(id) ON DELETE CASCADE,
            author TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            CHECK ((story_seq IS NULL) <> (code_id IS NULL))
        );
        CREATE INDEX idx_memos_story ON memos(story_seq);
        CREATE INDEX idx_memos_code ON memos(code_id);

        CREATE TABLE suggestion_events (
            id INTEGER PRIMARY KEY,
            story_seq INTEGER NOT NULL REFERENCES stories(seq) ON DELETE CASCADE,
            code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
            coder TEXT NOT NULL,
            accepted INTEGER NOT NULL,
            score REAL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX idx_suggestion_events_code ON suggestion_events(code_id);

        CREATE TABLE coding_settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        CREATE VIEW story_codes AS
        SELECT DISTINCT c.story_seq, c.code_id, c.start, c.end
        FROM codings AS c
        WHERE (c.origin = 'reconciled')
              = EXISTS (SELECT 1 FROM reconciliations AS r WHERE r.story_seq = c.story_seq);
        """
    )


@migrations()
def m002_story_coders_by_coder(db: Database) -> None:
    """Look up a coder's stories without scanning `story_coders` (keyed by story first)."""
    db.execute("CREATE INDEX idx_story_coders_coder ON story_coders(coder, done)")


@migrations()
def m003_codings_version(db: Database) -> None:
    """A version of who coded what, bumped by triggers on every change to `codings` and
    `story_coders`: it keys per-process caches of plain results (the agreement report), so a
    kept result is never stale, whichever process or tool wrote the change."""
    db.executescript(
        """
        CREATE TABLE coding_state (
            key TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        );
        INSERT INTO coding_state(key, value) VALUES ('version', 0);
        """
    )
    for table in ("codings", "story_coders"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(f"CREATE TRIGGER {table}_version_{event.lower()} AFTER {event} ON {table} BEGIN"
                       " UPDATE coding_state SET value = value + 1 WHERE key = 'version'; END")
