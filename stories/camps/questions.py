"""The questions a camp's phone form asks: chosen from the install's question library
(stories.questions) by the camp's facilitator; the answers are stored like every other form's."""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from stories.questions.errors import QuestionInvalid
from stories.questions.library import Question, form_questions, set_form
from stories.trust.permissions import SYSTEM, Actor


def camp_form_key(camp_id: int) -> str:
    return f"camp:{int(camp_id)}"


def camp_questions(db: Database, camp_id: int) -> list[Question]:
    """The library questions the camp asks, in order (none: the camp asks its own triangle and sliders)."""
    return form_questions(db, camp_form_key(camp_id))


def set_camp_questions(db: Database, camp_id: int, question_ids: Sequence[int], *, actor: Actor = SYSTEM) -> None:
    """The camp asks exactly these library questions, in this order (checked, audited)."""
    if not db.execute("SELECT 1 FROM camps WHERE id = ?", [camp_id]).fetchone():
        raise QuestionInvalid("questions.error.form")
    set_form(db, camp_form_key(camp_id), question_ids, actor=actor)
