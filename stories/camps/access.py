"""Joining a camp by its code: the camp's links and QR code, and slowing down guessed codes.

Every wrong code is stored with a timestamp per browser session and per address; after
SESSION_LIMIT (or ADDRESS_LIMIT) wrong codes within WINDOW, further codes are refused
until the oldest of them is old enough. A code has 32**6 (about 10**9) values.
"""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote, urlsplit

from sqlite_utils import Database

from stories.camps.camps import CODE_LENGTH, Camp, CampNotFound, iso_utc, normalise_code, select_camps, utc_now
from stories.errors import UserError

SESSION_LIMIT, ADDRESS_LIMIT = 5, 30  # wrong codes allowed per WINDOW
WINDOW = dt.timedelta(minutes=10)


class TooManyAttempts(UserError):
    """Too many wrong camp codes from this browser or address: wait before trying again."""

    def __init__(self, wait_seconds: int):
        self.wait_seconds = wait_seconds
        self.wait_minutes = max(1, -(-wait_seconds // 60))
        super().__init__(f"too many wrong camp codes; try again in {self.wait_minutes} minutes")




def _wait_seconds(db: Database, client: str, limit: int, now: dt.datetime) -> int:
    rows = db.execute("SELECT attempted_at FROM camp_join_failures WHERE client = ? AND attempted_at > ?"
                      " ORDER BY attempted_at", [client, iso_utc(now - WINDOW)]).fetchall()
    if len(rows) < limit:
        return 0
    freed = dt.datetime.fromisoformat(rows[len(rows) - limit][0]) + WINDOW
    return max(1, int((freed - now).total_seconds()) + 1)


def find_camp(db: Database, code: str, *, session: str, address: str | None = None,
              now: dt.datetime | None = None) -> Camp:
    """The camp with this join code, open or closed; wrong codes are counted and slowed down.

    Raises TooManyAttempts after SESSION_LIMIT wrong codes from one browser session (or
    ADDRESS_LIMIT from one address) within WINDOW, until the oldest of them is old enough.
    """
    from stories.db import write_transaction

    now = now or utc_now()
    clients = [(f"session:{session}", SESSION_LIMIT)] + ([(f"address:{address}", ADDRESS_LIMIT)] if address else [])
    wait = max(_wait_seconds(db, client, limit, now) for client, limit in clients)
    if wait:
        raise TooManyAttempts(wait)
    wanted = normalise_code(code)
    camps = select_camps(db, "code = ?", [wanted]) if len(wanted) == CODE_LENGTH else []
    if camps:
        return camps[0]
    with write_transaction(db):
        db.conn.executemany("INSERT INTO camp_join_failures (client, attempted_at) VALUES (?, ?)",
                            [(client, iso_utc(now)) for client, _ in clients])
        db.conn.execute("DELETE FROM camp_join_failures WHERE attempted_at < ?", [iso_utc(now - dt.timedelta(days=1))])
    raise CampNotFound(wanted)


def base_url(page_url: str | None, fallback: str = "http://localhost:8501") -> str:
    """The app's address (scheme, host and port) from the URL of the current page."""
    if not page_url:
        return fallback
    parts = urlsplit(page_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else fallback


def join_link(base: str, code: str) -> str:
    """The link participants open on their phones (the camp_join page takes the code)."""
    return f"{base.rstrip('/')}/camp_join?camp={quote(code)}"


def feedback_link(base: str, code: str) -> str:
    return f"{base.rstrip('/')}/camp_feedback?camp={quote(code)}"


def qr_png(link: str, scale: int = 8) -> bytes:
    """A QR code for the link, as PNG bytes (segno, error correction M)."""
    import segno

    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
