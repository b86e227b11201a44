"""The time stamp every row records: now, in UTC, as ISO 8601 to the second."""

from __future__ import annotations

import datetime as dt


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
