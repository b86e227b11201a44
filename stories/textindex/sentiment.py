"""The sentiment lexicon: AFINN's Danish and English word lists (shipped in the afinn package).

Stories are scored once, at index time (`stories.textindex.batch`), as the sum of the AFINN
scores of their words (two-word phrases such as "ikke god" replace the scores of their
words); the score is stored per story in `story_nlp`. The views over a selection of stories
live in `coding.themes.sentiment`.
"""

from __future__ import annotations

import functools
from pathlib import Path

AFINN_FILES = {"da": "AFINN-da-32.txt", "en": "AFINN-en-165.txt"}


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
