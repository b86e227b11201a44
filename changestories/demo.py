"""The full demo: fictional stories, then codings, signifiers and a finished story camp."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from coding.demo import load_demo_coding
from stories.camps.demo import load_demo_camp
from stories.camps.signifiers import load_demo_signifiers
from stories.demo import load_demo_stories
from stories.msc.demo import load_demo_msc
from stories.questions.demo import load_demo_questions

# Further demo loaders taking the database, run after the stories, in this order.
DEMO_EXTENSIONS = {
    "coding": load_demo_coding,
    "signifiers": load_demo_signifiers,
    "camp": load_demo_camp,
    "msc": load_demo_msc,
    "questions": load_demo_questions,
}


@dataclass
class DemoReport:
    stories_added: int = 0
    extras: dict[str, object] = field(default_factory=dict)


def load_demo(db: Database) -> DemoReport:
    """Load the demo stories (again: adds nothing the second time) and the extensions' demo data."""
    report = DemoReport(stories_added=load_demo_stories(db))
    for name, loader in DEMO_EXTENSIONS.items():
        report.extras[name] = loader(db)
    return report
