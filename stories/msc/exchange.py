"""A story's place in the Most Significant Change cycle, as exports carry it.

JSON gets `period` (and, as the cycle grows, the selections and the verification) per story;
CSV and XLSX get the same as columns.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from stories.msc.periods import story_periods

FLAT_COLUMNS = ("period",)


def export_fields(db: Database, story_ids: Sequence[str], *, pseudonymise: bool = False) -> dict[str, dict]:
    """story id -> the cycle's fields for a JSON export (`pseudonymise`: reasons with personal data replaced)."""
    periods = story_periods(db, story_ids)
    return {sid: {"period": periods.get(sid)} for sid in story_ids}


def flat_fields(fields: dict) -> dict:
    """The same fields as CSV/XLSX cells."""
    return {"period": fields.get("period") or ""}
