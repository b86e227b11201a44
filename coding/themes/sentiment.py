"""Sentiment over a selection of stories, from the AFINN scores stored at index time.

Views read the stored scores (`stories.textindex.sentiment` scores each story once when it
is indexed): per 100 words, so long and short stories compare. A lexicon misses irony, and
negation beyond its phrases: the view says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from coding.themes.groups import Selection, group_rows
from coding.themes.kept import data_version, kept
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


def scores_by_group(db: Database, f=None, *, actor: Actor = SYSTEM, by: str = "") -> tuple[dict[str, np.ndarray], int]:
    """`story_scores` as arrays: each group's scores in story order (a story in several groups, as by
    code, in each), and how many stories had too few words to score; no object per story. Kept
    per process under the data's version (`coding.themes.kept`), so the view's reruns read none."""
    selection = f if isinstance(f, Selection) else Selection(f or StoryFilter(), actor=actor)
    groups, too_short = kept(("sentiment", data_version(db), selection.key(), by),
                             lambda: _scores_by_group(db, selection, by))
    return dict(groups), too_short


def _scores_by_group(db: Database, selection: Selection, by: str) -> tuple[dict[str, np.ndarray], int]:
    rows = group_rows(db, selection, by=by,
                      extra_columns="n.words, n.sentiment", join="JOIN story_nlp AS n ON n.story_seq = s.seq")
    if not rows:
        return {}, 0
    seqs, labels, words, totals = zip(*rows)
    words, totals = np.array(words, dtype=np.int64), np.array(totals, dtype=np.float64)
    scored = words >= MIN_WORDS
    index: dict[str, int] = {}
    group_of = np.fromiter((index.setdefault(label, len(index)) for label in labels), np.int64, len(labels))
    scores = np.zeros(len(words))
    scores[scored] = 100.0 * totals[scored] / words[scored]
    too_short = len(np.unique(np.array(seqs, dtype=np.int64)[~scored]))
    groups = {label: scores[scored & (group_of == g)] for label, g in index.items() if np.any(scored & (group_of == g))}
    for values in groups.values():
        values.flags.writeable = False  # kept and shared
    return groups, too_short
