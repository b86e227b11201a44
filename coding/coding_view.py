"""A story as a coder sees it: the text, its sentences and any passage, pseudonymised when the
rule says so, while the offsets stay those of the original text that codings refer to.

The coding and agreement pages use this instead of reading the original story themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from stories.model import Story
from stories.privacy.pseudonymised import StoryPseudonyms, needs_pseudonymisation, pseudonyms_for
from stories.storage import story_seq, stored_story
from stories.textindex.pipeline import story_sentences
from stories.trust.permissions import SYSTEM, Actor


@dataclass(frozen=True)
class CodingView:
    story: Story  # as the actor may see it
    seq: int
    sentences: tuple[tuple[int, int], ...]  # (start, end) into the ORIGINAL text
    text_length: int  # of the original text (a whole-story coding covers 0..text_length)
    _original: Story
    _pseudonyms: StoryPseudonyms | None

    @property
    def pseudonymised(self) -> bool:
        return self._pseudonyms is not None

    def passage(self, start: int, end: int) -> str:
        """The text between two offsets of the original, as the actor may see it."""
        if self._pseudonyms is not None:
            return self._pseudonyms.slice(start, end)
        return self._original.text[start:end]


def coding_view(db: Database, story_id: str, *, actor: Actor = SYSTEM, lang: str | None = None) -> CodingView:
    """The story `story_id` for coding by `actor` (StoryNotFound unless the actor may read it)."""
    original = stored_story(db, story_id, actor=actor)
    seq = story_seq(db, story_id)
    pseudonyms = pseudonyms_for(db, original, lang) if needs_pseudonymisation(actor) else None
    shown = pseudonyms.pseudonymised_story() if pseudonyms else original
    sentences = tuple((s, e) for s, e, _ in story_sentences(db, seq, original.text))
    return CodingView(shown, seq, sentences, len(original.text), original, pseudonyms)
