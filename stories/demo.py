"""Fictional demo stories, clearly marked as demo data, so a new install shows a living app."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from stories.model import Consent, Story
from stories.storage import create_stories
from stories.validation import validate

DEMO_FILE = Path(__file__).resolve().parent / "demo_data" / "stories.json"
# Further demo loaders (module:function taking the database), run after the stories.
DEMO_EXTENSIONS: list[str] = [
    "coding.demo:load_demo_coding",
    "stories.camps.signifiers:load_demo_signifiers",
    "stories.camps.demo:load_demo_camp",
    "stories.msc.demo:load_demo_msc",
]


@dataclass
class DemoReport:
    stories_added: int = 0
    extras: dict[str, object] = field(default_factory=dict)


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


def load_demo(db: Database) -> DemoReport:
    """Load the demo stories (again: adds nothing the second time) and the extensions' demo data."""
    records = demo_stories()
    added = create_stories(db, [(story, f"demo:{i:03d}") for i, story in enumerate(records)])
    report = DemoReport(stories_added=len(added))
    for ref in DEMO_EXTENSIONS:
        module_name, function = ref.split(":")
        report.extras[ref] = getattr(importlib.import_module(module_name), function)(db)
    return report
