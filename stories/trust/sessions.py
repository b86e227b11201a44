"""Signed-in sessions that survive a reload, a new tab and a bookmark.

A session is a random token (32 bytes from `secrets`) that the browser keeps in an
HttpOnly cookie. The server stores only the token's SHA-256 in `sessions`, with the user,
the idle expiry and, once ended, when it was revoked; the cookie carries no user name or
role. Each use slides the idle expiry forward; a session also ends MAX_AGE_HOURS after it
began, on sign-out, and when the user is disabled or their password or role changes
(`revoke_user_sessions`, called by `stories.trust.accounts`).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass

from sqlite_utils import Database

from stories.trust import audit
from stories.errors import UserError
from stories.trust.permissions import Actor

COOKIE_NAME = "changestories_session"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # what secrets.token_urlsafe(32) makes
MAX_AGE_HOURS = 12  # however active, a session ends this long after signing in
KEEP_ENDED_SECONDS = 24 * 3600  # ended sessions are deleted a day after they ended


class SessionEnded(UserError):
    """This session token signs nobody in: revoked, forged, unknown, or its user is disabled."""


class SessionExpired(SessionEnded):
    """The session was idle for longer than its timeout, or is older than MAX_AGE_HOURS."""

    def __init__(self, user_id: int):
        self.user_id = user_id
        super().__init__("session expired")


@dataclass(frozen=True)
class Session:
    id: int
    user_id: int
    expires_at: float
    cookie_set: bool  # the browser confirmed it stores the cookie


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def max_age_seconds() -> int:
    return MAX_AGE_HOURS * 3600


def start_session(db: Database, user_id: int, *, idle_seconds: float, now: float | None = None) -> str:
    """A new session for a user who just signed in; returns the token for the cookie (stored hashed)."""
    from stories.db import write_transaction

    now = time.time() if now is None else now
    token = secrets.token_urlsafe(32)
    with write_transaction(db):
        db.conn.execute("DELETE FROM sessions WHERE min(expires_at, coalesce(revoked_at, expires_at)) < ?",
                        [now - KEEP_ENDED_SECONDS])
        db.conn.execute(
            "INSERT INTO sessions(token_hash, user_id, created_at, last_seen, expires_at, idle_seconds)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [token_hash(token), user_id, now, now, now + idle_seconds, idle_seconds],
        )
    return token


def _row(db: Database, token: str | None):
    if not isinstance(token, str) or not TOKEN_RE.match(token):
        raise SessionEnded("not a session token")
    row = db.execute(
        "SELECT s.id, s.user_id, s.created_at, s.last_seen, s.expires_at, s.idle_seconds, s.cookie_set,"
        " s.revoked_at, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
        [token_hash(token)],
    ).fetchone()
    if row is None:
        raise SessionEnded("unknown session")
    if row[7] is not None or row[8]:
        raise SessionEnded("session revoked")
    return row


def resume_session(db: Database, token: str | None, *, now: float | None = None) -> Session:
    """The live session of this token, its idle expiry moved forward; SessionExpired or SessionEnded if none.

    The expiry is written at most once per tenth of the idle timeout, so a page that reruns
    every few seconds (the wall) does not write on every rerun.
    """
    from stories.db import write_transaction

    now = time.time() if now is None else now
    sid, user_id, created, last_seen, expires, idle, cookie_set, _, _ = _row(db, token)
    if now >= expires or now >= created + max_age_seconds():
        with write_transaction(db):
            db.conn.execute("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [now, sid])
        raise SessionExpired(user_id)
    if now - last_seen >= min(60.0, idle / 10):
        expires = now + idle
        with write_transaction(db):
            db.conn.execute("UPDATE sessions SET last_seen = ?, expires_at = ? WHERE id = ?", [now, expires, sid])
    return Session(sid, user_id, expires, bool(cookie_set))


def confirm_cookie(db: Database, token: str | None, *, now: float | None = None) -> bool:
    """The browser is about to store this token as its cookie: True if it names a live session."""
    from stories.db import write_transaction

    try:
        session = resume_session(db, token, now=now)
    except SessionEnded:
        return False
    if not session.cookie_set:
        with write_transaction(db):
            db.conn.execute("UPDATE sessions SET cookie_set = 1 WHERE id = ?", [session.id])
    return True


def end_session(db: Database, token: str | None, actor: Actor, *, now: float | None = None) -> None:
    """Sign out: the token stops working at once, in every tab; audited."""
    from stories.db import write_transaction

    now = time.time() if now is None else now
    with write_transaction(db):
        if isinstance(token, str) and TOKEN_RE.match(token):
            db.conn.execute("UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                            [now, token_hash(token)])
        audit.log(db, actor, "sign_out")


def revoke_user_sessions(db: Database, user_id: int, *, now: float | None = None) -> int:
    """End every session of a user (disabled, new password, new role); inside the caller's transaction."""
    now = time.time() if now is None else now
    cursor = db.conn.execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                             [now, user_id])
    return cursor.rowcount
