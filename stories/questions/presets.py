"""The question presets that ship with the app (JSON files in presets/), added to a library on request."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from stories.db import write_transaction
from stories.questions.errors import QuestionInvalid
from stories.questions.library import Question, add_question, question_from_dict
from stories.trust.permissions import SYSTEM, Actor

PRESET_DIR = Path(__file__).with_name("presets")


@dataclass(frozen=True)
class Preset:
    key: str
    name_da: str
    name_en: str
    questions: tuple[Question, ...]

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_da


def presets() -> list[Preset]:
    out = []
    for path in sorted(PRESET_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append(Preset(data["key"], data["name_da"], data["name_en"],
                          tuple(question_from_dict(q) for q in data["questions"])))
    return out


def add_preset(db: Database, key: str, *, actor: Actor = SYSTEM) -> list[str]:
    """Add a preset's questions whose keys the library does not have yet; returns the keys added."""
    preset = next((p for p in presets() if p.key == key), None)
    if preset is None:
        raise QuestionInvalid("questions.error.preset")
    added = []
    with write_transaction(db):
        for q in preset.questions:
            if not db.execute("SELECT 1 FROM questions WHERE key = ?", [q.key]).fetchone():
                add_question(db, q, actor=actor)
                added.append(q.key)
    return added
