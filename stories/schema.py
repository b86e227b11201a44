"""The story record's schema: the "stories" migration set (stories, full-text search, consent).

Each area owns one migration set in its own module; `changestories.schema.MIGRATION_SETS`
fixes the order in which the sets are applied. Never edit an applied migration: add a new
one at the end.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("stories")


@migrations()
def m001_stories(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE stories (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            significance TEXT NOT NULL DEFAULT '',
            difference TEXT NOT NULL DEFAULT '',
            teller_role TEXT NOT NULL DEFAULT 'other',
            teller_pseudonym TEXT NOT NULL DEFAULT '',
            recorded_by TEXT NOT NULL DEFAULT '',
            site TEXT NOT NULL DEFAULT '',
            programme TEXT NOT NULL DEFAULT '',
            session_type TEXT NOT NULL DEFAULT '',
            happened_on TEXT,
            period_start TEXT,
            period_end TEXT,
            language TEXT NOT NULL DEFAULT 'da',
            polarity TEXT,
            teller_mechanism TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'form',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            extra TEXT NOT NULL DEFAULT '{}'
        )
        """
    )
    db.execute("CREATE INDEX idx_stories_site ON stories(site)")
    db.execute("CREATE INDEX idx_stories_happened ON stories(happened_on)")
    db.execute("CREATE INDEX idx_stories_teller ON stories(teller_pseudonym)")
    # Full-text search over title, story and significance, kept in step by triggers.
    db.execute(
        """
        CREATE VIRTUAL TABLE stories_fts USING fts5(
            title, text, significance,
            content='stories', content_rowid='seq',
            tokenize='unicode61 remove_diacritics 0'
        )
        """
    )
    db.executescript(
        """
        CREATE TRIGGER stories_ai AFTER INSERT ON stories BEGIN
            INSERT INTO stories_fts(rowid, title, text, significance)
            VALUES (new.seq, new.title, new.text, new.significance);
        END;
        CREATE TRIGGER stories_ad AFTER DELETE ON stories BEGIN
            INSERT INTO stories_fts(stories_fts, rowid, title, text, significance)
            VALUES ('delete', old.seq, old.title, old.text, old.significance);
        END;
        CREATE TRIGGER stories_au AFTER UPDATE OF title, text, significance ON stories BEGIN
            INSERT INTO stories_fts(stories_fts, rowid, title, text, significance)
            VALUES ('delete', old.seq, old.title, old.text, old.significance);
            INSERT INTO stories_fts(rowid, title, text, significance)
            VALUES (new.seq, new.title, new.text, new.significance);
        END;
        """
    )


@migrations()
def m002_consent_and_lifecycle(db: Database) -> None:
    """Consent per purpose, soft delete, demo marking and idempotency keys."""
    stories = db.table("stories")
    stories.add_column("consent_internal", int, not_null_default=0)
    stories.add_column("consent_evaluation", int, not_null_default=0)
    stories.add_column("consent_publication", int, not_null_default=0)
    stories.add_column("teller_under_15", int, not_null_default=0)
    stories.add_column("guardian_consent", int, not_null_default=0)
    stories.add_column("consent_version", str, not_null_default="")
    stories.add_column("consent_withdrawn_at", str)
    stories.add_column("deleted_at", str)
    stories.add_column("is_demo", int, not_null_default=0)
    stories.add_column("import_key", str)
    stories.add_column("submission_key", str)
    db.execute("CREATE UNIQUE INDEX idx_stories_import_key ON stories(import_key)")
    db.execute("CREATE UNIQUE INDEX idx_stories_submission_key ON stories(submission_key)")


@migrations()
def m003_review_and_settings(db: Database) -> None:
    """Stories that arrived without staff wait for a person's review; per-install settings.

    Stories stored before this migration: those from camps and imports, and form stories
    with nobody recorded as their recorder (a /tell story cannot be told apart from one a
    staff member typed in without filling in "recorded by"), wait for review. The other
    form stories were entered by staff, who saw the personal-data findings: they count as
    reviewed (with no reviewer recorded).
    """
    stories = db.table("stories")
    stories.add_column("awaiting_review", int, not_null_default=0)
    stories.add_column("reviewed_by", str)
    stories.add_column("reviewed_at", str)
    db.execute("UPDATE stories SET awaiting_review = 1 WHERE source != 'form' OR recorded_by = ''")
    db.execute("CREATE INDEX idx_stories_awaiting_review ON stories(site) WHERE awaiting_review = 1")
    db.execute(
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_by TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        )
        """
    )


@migrations()
def m004_stories_version(db: Database) -> None:
    """A version of the story rows, bumped by triggers on every change, and a random token of
    this database: together they key per-process caches of plain results (ranked search
    hits), so a kept result is never stale and never mistaken for another database's."""
    import secrets

    db.executescript(
        """
        CREATE TABLE stories_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TRIGGER stories_version_ai AFTER INSERT ON stories BEGIN
            UPDATE stories_state SET value = value + 1 WHERE key = 'version';
        END;
        CREATE TRIGGER stories_version_au AFTER UPDATE ON stories BEGIN
            UPDATE stories_state SET value = value + 1 WHERE key = 'version';
        END;
        CREATE TRIGGER stories_version_ad AFTER DELETE ON stories BEGIN
            UPDATE stories_state SET value = value + 1 WHERE key = 'version';
        END;
        """
    )
    db.conn.executemany("INSERT INTO stories_state(key, value) VALUES (?, ?)",
                        [("token", secrets.token_hex(8)), ("version", "0")])


@migrations()
def m005_staged_imports(db: Database) -> None:
    """Ranges of story seqs reserved by big imports still being written (`stories.staging`):
    listings leave them out until the import's last write removes the row. `owner` names
    the writing process (host, pid, start time), so one that died is recognised."""
    db.execute(
        """
        CREATE TABLE staged_imports (
            run TEXT PRIMARY KEY,
            first_seq INTEGER NOT NULL,
            last_seq INTEGER NOT NULL,
            started_at TEXT NOT NULL,
            heartbeat_at TEXT NOT NULL,
            owner TEXT NOT NULL DEFAULT ''
        )
        """
    )


# Rows inserted with a seq inside a range of `stories_bulk_write` skip the per-row triggers
# below: their writer (`stories.bulk_insert`) fills the full-text index with one statement
# and bumps the version once, in the same transaction, and deletes the range before it
# commits, so no other connection ever sees a row there.
@migrations()
def m006_bulk_story_writes(db: Database) -> None:
    """Big imports index their stories for full-text search in one statement per write
    instead of one per story: FTS5 flushes its pending terms at every row's trigger, which
    made the index cost three times what a bulk insert costs."""
    gate = "NOT EXISTS (SELECT 1 FROM stories_bulk_write AS b WHERE new.seq BETWEEN b.first_seq AND b.last_seq)"
    db.executescript(
        f"""
        CREATE TABLE stories_bulk_write (
            first_seq INTEGER NOT NULL,
            last_seq INTEGER NOT NULL
        );
        DROP TRIGGER stories_ai;
        CREATE TRIGGER stories_ai AFTER INSERT ON stories WHEN {gate} BEGIN
            INSERT INTO stories_fts(rowid, title, text, significance)
            VALUES (new.seq, new.title, new.text, new.significance);
        END;
        DROP TRIGGER stories_version_ai;
        CREATE TRIGGER stories_version_ai AFTER INSERT ON stories WHEN {gate} BEGIN
            UPDATE stories_state SET value = value + 1 WHERE key = 'version';
        END;
        """
    )
