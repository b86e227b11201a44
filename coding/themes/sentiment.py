"""Sentiment over a selection of stories, from the AFINN scores stored at index time.

Views read the stored scores (`stories.textindex.sentiment` scores each story once when it
is indexed): per 100 words, so long and short stories compare. A lexicon misses irony, and
negation beyond its phrases: the view says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from coding.themes.groups import group_rows
from stories.visibility import StoryFilter
from stories.trust.permissions import SYSTEM, Actor

MIN_WORDS = 5  # stories with fewer words get no score


@dataclass(frozen=True)
class StorySentiment:
    story_seq: int
    group: str
    score: float  # AFINN sum per 100 words
    words: int


def story_scores(db: Database, f=None, *, actor: Actor = SYSTEM, by: str = "") -> tuple[list[StorySentiment], int]:
    """Per-story sentiment (AFINN per 100 words) in the filter, with each story's group.

    `f` is a StoryFilter or a `Selection`; `by` a grouping (see coding.themes.groups).
    Returns the scored stories and how many stories had too few words to score.
    """
    rows = group_rows(db, f or StoryFilter(), actor, by,
                      extra_columns="n.words, n.sentiment", join="JOIN story_nlp AS n ON n.story_seq = s.seq")
    scored: list[StorySentiment] = []
    too_short = set()
    for seq, group, words, total in rows:
        if words < MIN_WORDS:
            too_short.add(seq)
            continue
        scored.append(StorySentiment(seq, group, 100.0 * total / words, words))
    return scored, len(too_short)
