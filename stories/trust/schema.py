"""Tables of the trust area (migration set "trust").

users           local accounts: argon2 password hash, one role, the sites they work at (JSON list)
sites           the organisation's sites (houses), managed by admins
login_attempts  recent sign-in attempts per name and client address, for the slow-down after failures
audit_log       who did what when; append-only: triggers refuse UPDATE and DELETE
pii_corrections what staff confirmed or corrected in the personal data found in a story
erasure_log     which stories were erased, when and why (ids only, never text); append-only,
                re-applied by every restore so an erased story never comes back from a backup
sessions        signed-in browser sessions: only the SHA-256 of each cookie token, its expiry, revocation
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("trust")


@migrations()
def m001_accounts_audit_corrections(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role TEXT NOT NULL CHECK (role IN ('admin', 'facilitator', 'staff', 'evaluator')),
            password_hash TEXT NOT NULL,
            sites TEXT NOT NULL DEFAULT '[]',
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE sites (
            name TEXT PRIMARY KEY COLLATE NOCASE,
            created_at TEXT NOT NULL
        );

        CREATE TABLE login_attempts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            at REAL NOT NULL,
            ok INTEGER NOT NULL
        );
        CREATE INDEX idx_login_attempts_name ON login_attempts(name, at);

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            role TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX idx_audit_log_action ON audit_log(action, at);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN
            SELECT RAISE(ABORT, 'audit_log is append-only');
        END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN
            SELECT RAISE(ABORT, 'audit_log is append-only');
        END;

        CREATE TABLE pii_corrections (
            id INTEGER PRIMARY KEY,
            story_seq INTEGER NOT NULL REFERENCES stories(seq) ON DELETE CASCADE,
            field TEXT NOT NULL DEFAULT 'text',
            action TEXT NOT NULL CHECK (action IN ('add', 'remove')),
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            created_by TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE INDEX idx_pii_corrections_story ON pii_corrections(story_seq);
        """
    )


@migrations()
def m002_erasure_log(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE erasure_log (
            id INTEGER PRIMARY KEY,
            story_id TEXT NOT NULL,
            erased_at TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (reason IN ('teller', 'story', 'purge', 'restore'))
        );
        CREATE INDEX idx_erasure_log_story ON erasure_log(story_id);
        CREATE TRIGGER erasure_log_no_update BEFORE UPDATE ON erasure_log
        BEGIN
            SELECT RAISE(ABORT, 'erasure_log is append-only');
        END;
        CREATE TRIGGER erasure_log_no_delete BEFORE DELETE ON erasure_log
        BEGIN
            SELECT RAISE(ABORT, 'erasure_log is append-only');
        END;
        """
    )


@migrations()
def m003_login_attempt_address(db: Database) -> None:
    """Sign-in attempts remember the client's address, so failures count per address too."""
    db.executescript(
        """
        ALTER TABLE login_attempts ADD COLUMN address TEXT NOT NULL DEFAULT '';
        CREATE INDEX idx_login_attempts_address ON login_attempts(address, at);
        """
    )


@migrations()
def m004_sessions(db: Database) -> None:
    """Sessions that outlive one browser tab: the cookie token is stored only hashed."""
    db.executescript(
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at REAL NOT NULL,
            last_seen REAL NOT NULL,
            expires_at REAL NOT NULL,
            idle_seconds REAL NOT NULL,
            cookie_set INTEGER NOT NULL DEFAULT 0,
            revoked_at REAL
        );
        CREATE INDEX idx_sessions_user ON sessions(user_id);
        CREATE INDEX idx_sessions_expires ON sessions(expires_at);
        """
    )
