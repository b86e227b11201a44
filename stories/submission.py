"""Submitting a story from the staff form: the story and staff's corrections of the personal
data found in it are written in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from stories.db import write_transaction
from stories.model import Story
from stories.trust.permissions import SYSTEM, Actor

REVIEWED_FIELDS = ("title", "text", "significance", "difference")


@dataclass(frozen=True)
class Found:
    """One distinct piece of personal data found in a field of a story about to be saved."""

    field: str
    kind: str
    text: str


def personal_data_in(story: Story) -> list[Found]:
    """What the detector finds in the story's text fields, each distinct text once per field."""
    from stories.privacy.pseudonymised import cached_findings

    found: list[Found] = []
    for field in REVIEWED_FIELDS:
        for finding in cached_findings(getattr(story, field) or "", story.language):
            item = Found(field, finding.kind, finding.text)
            if item not in found:
                found.append(item)
    return found


def marked(text: str, lang: str = "da") -> str:
    """The text with every finding wrapped in ⟦ ⟧, for showing as plain text."""
    from stories.privacy.pseudonymised import cached_findings

    out, last = [], 0
    for finding in cached_findings(text, lang):
        out += [text[last:finding.start], "⟦", text[finding.start:finding.end], "⟧"]
        last = finding.end
    return "".join(out + [text[last:]])


def submit_story(db: Database, story: Story, *, actor: Actor = SYSTEM, corrections: Sequence = (),
                 signifiers=None, submission_key: str | None = None, answers=None) -> Story:
    """Store a form's story (consent required) with the teller's signifiers and staff's
    corrections of the personal data found, all or nothing."""
    from stories.camps.signifiers import create_story_with_signifiers
    from stories.privacy.corrections import save_corrections
    from stories.textindex.pipeline import prepare_index
    from stories.validation import validate

    # The slow part (the NLP index) before the write lock: the transaction is inserts only.
    checked = validate(story, require_consent=True)
    if answers is not None:  # (the form's questions, the teller's values): checked before anything is written
        from stories.questions.answers import check_answers, write_answers
        from stories.storage import story_seq

        questions, values = answers
        clean = check_answers(questions, values)
    index = prepare_index([checked.text], [checked.language])
    with write_transaction(db):
        saved = create_story_with_signifiers(db, story, signifiers, actor=actor, require_consent=True,
                                             submission_key=submission_key, index=index)
        if answers is not None and clean:
            write_answers(db, story_seq(db, saved.id), questions, clean)
        if corrections:
            save_corrections(db, saved.id, corrections, actor=actor)
    return saved
