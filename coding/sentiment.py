"""Sentiment from a lexicon: AFINN's Danish and English word lists (shipped in the afinn package).

Stories are scored once, at index time (`coding.nlp`), as the sum of the AFINN scores of
their words (two-word phrases such as "ikke god" replace the scores of their words); the
score is stored per story. Views read the stored scores: per 100 words, so long and short
stories compare. A lexicon misses irony, and negation beyond its phrases: the view says so.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from stories.permissions import SYSTEM, Actor
from stories.storage import StoryFilter

AFINN_FILES = {"da": "AFINN-da-32.txt", "en": "AFINN-en-165.txt"}
MIN_WORDS = 5  # stories with fewer words get no score


def _afinn_dir() -> Path:
    import afinn

    return Path(afinn.__file__).resolve().parent / "data"


@functools.lru_cache(maxsize=None)
def _entries(lang: str) -> tuple[tuple[str, float], ...]:
    name = AFINN_FILES.get(lang)
    if not name:
        return ()
    entries = []
    for line in (_afinn_dir() / name).read_text(encoding="utf-8").splitlines():
        term, _, score = line.strip().rpartition("\t")
        if term and score:
            entries.append((term.strip().lower(), float(score)))
    return tuple(entries)


@functools.lru_cache(maxsize=None)
def lexicon(lang: str) -> dict[str, float]:
    """Single words and their AFINN scores (-5 .. +5)."""
    return {term: score for term, score in _entries(lang) if " " not in term}


@functools.lru_cache(maxsize=None)
def phrase_lexicon(lang: str) -> dict[tuple[str, str], float]:
    """Two-word phrases and their scores (longer phrases are left out)."""
    result = {}
    for term, score in _entries(lang):
        parts = term.split()
        if len(parts) == 2 and all(p.isalpha() for p in parts):
            result[(parts[0], parts[1])] = score
    return result


@dataclass(frozen=True)
class StorySentiment:
    story_seq: int
    group: str
    score: float  # AFINN sum per 100 words
    words: int


def story_scores(db: Database, f=None, *, actor: Actor = SYSTEM, by: str = "") -> tuple[list[StorySentiment], int]:
    """Per-story sentiment (AFINN per 100 words) in the filter, with each story's group.

    `f` is a StoryFilter or a coding.groups.Selection; `by` a grouping (see coding.groups).
    Returns the scored stories and how many stories had too few words to score.
    """
    from coding.groups import group_rows

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
