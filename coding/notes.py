"""Memos and other free text about stories, as an actor may see them.

A memo on a story, a coding's memo or a camp group's reasons may name people just as the
story does. When `needs_pseudonymisation(actor, purpose)` says so, each text is
pseudonymised with the numbering of the story it is about (so "[Person 1]" in a memo is
"[Person 1]" in the story); a text about no story (a memo on a code) on its own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlite_utils import Database

from stories.privacy.pseudonymised import needs_pseudonymisation, shown_notes, shown_text
from stories.storage import StoryNotFound, stored_story
from stories.trust.permissions import SYSTEM, Actor


def notes_as_seen(db: Database, notes: Sequence[tuple[int | None, str]], *, actor: Actor = SYSTEM,
                  purpose: str | None = None, lang: str | None = None) -> list[str]:
    """The texts of (story seq or None, text) pairs as `actor` may see them for `purpose`, in order."""
    if not needs_pseudonymisation(actor, purpose):
        return [text for _, text in notes]
    shown = [text for _, text in notes]
    by_story: dict[int, list[int]] = {}
    for i, (seq, text) in enumerate(notes):
        if not text:
            continue
        if seq is None:
            shown[i] = shown_text(text, actor, purpose, lang or "da")
        else:
            by_story.setdefault(seq, []).append(i)
    ids = dict(db.execute("SELECT seq, id FROM stories WHERE seq IN (SELECT value FROM json_each(?))",
                          [json.dumps(sorted(by_story))]).fetchall()) if by_story else {}
    for seq, positions in by_story.items():
        texts = [notes[i][1] for i in positions]
        try:
            story = stored_story(db, ids[seq])  # the original: the notes take its numbering
        except (KeyError, StoryNotFound):  # a story gone from view: each note on its own
            seen = [shown_text(t, actor, purpose, lang or "da") for t in texts]
        else:
            seen = shown_notes(db, story, texts, actor, purpose, lang)
        for i, text in zip(positions, seen):
            shown[i] = text
    return shown
