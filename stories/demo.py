"""Fictional demo stories, clearly marked as demo data, so a new install shows a living app."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

from stories.model import Consent, Story
from stories.bulk_create import create_stories
from stories.validation import validate

DEMO_FILE = Path(__file__).resolve().parent / "demo_data" / "stories.json"


def demo_stories() -> list[Story]:
    records = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    stories = []
    for record in records:
        record = dict(record)
        record.pop("signifiers", None)
        consent = Consent(**record.pop("consent"), version="demo")
        record["polarity"] = record.get("polarity") or None
        for name in ("period_start", "period_end", "happened_on"):
            record[name] = record.get(name) or None
        stories.append(validate(Story(**record, consent=consent, is_demo=True)))
    return stories


def has_stories(db: Database) -> bool:
    return db.execute("SELECT 1 FROM stories LIMIT 1").fetchone() is not None


def load_demo_stories(db: Database) -> int:
    """Load the demo stories (again: adds nothing the second time); how many were added.

    `changestories.demo.load_demo` loads them with the other areas' demo data.
    """
    records = demo_stories()
    return len(create_stories(db, [(story, f"demo:{i:03d}") for i, story in enumerate(records)]))
