"""Whether a lower-case word is a Danish or English word at all (not a name no list has).

The words are spaCy's Danish lemma table and English lemma index (spacy-lookups-data, MIT
licence), exported by training/ner/word_list.py into data/words_da_en.txt.gz (and the English lemmas
alone into data/words_en.txt.gz, against which English inflections are stripped): sorted, ``BLOCK``
words to a line. Loaded once per process (about 8 MB of text), looked up by bisecting the
blocks' first words.
"""

from __future__ import annotations

import bisect
import functools
import gzip
import logging
from pathlib import Path

log = logging.getLogger(__name__)

WORDS_FILE = Path(__file__).resolve().parent / "data" / "words_da_en.txt.gz"
EN_WORDS_FILE = WORDS_FILE.with_name("words_en.txt.gz")  # the English lemmas alone, for inflections
BLOCK = 64


@functools.lru_cache(maxsize=2)
def _blocks(english_only: bool = False) -> tuple[list[str], list[str]]:
    path = EN_WORDS_FILE if english_only else WORDS_FILE
    if not path.is_file():
        # every lower-case word would then count as unknown, and more would be flagged as names
        log.warning("word list %s is missing: lower-case names are judged without it", path)
        return [], []
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").split("\n")
    blocks = [f" {line} " for line in lines if line]
    return [b[1:b.index(" ", 1)] for b in blocks], blocks


def _listed(w: str, english_only: bool = False) -> bool:
    heads, blocks = _blocks(english_only)
    i = bisect.bisect_right(heads, w) - 1
    return i >= 0 and f" {w} " in blocks[i]


# English inflections: the English lemma index has lemmas only ("kayak", not "kayaks")
_EN_ENDINGS = (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))


def is_known_word(word: str) -> bool:
    """The lower-case form of ``word`` is in spaCy's Danish lemma table (inflected forms included)
    or, perhaps inflected, in its English lemma index."""
    w = word.lower()
    if len(w) < 3:
        return False
    return _listed(w) or any(w.endswith(end) and len(w) - len(end) >= 3 and _listed(w[: -len(end)] + base, True)
                             for end, base in _EN_ENDINGS)


def is_known_compound(word: str, min_part: int = 4) -> bool:
    """Two known words, the first perhaps with a joining s or e: "boldpræcision", "lakkjolen",
    "skolepsykolog" (the lemma table has few of the compounds Danish makes at will). Both parts have
    ``min_part`` letters or more (4 by default: not "sin" + "thuja")."""
    w = word.lower()
    for cut in range(min_part, len(w) - min_part + 1):
        head, tail = w[:cut], w[cut:]
        if is_known_word(tail) and (is_known_word(head) or (head[-1] in "se" and is_known_word(head[:-1]))):
            return True
    return False
