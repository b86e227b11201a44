"""Export the Danish and English words spaCy knows into stories/privacy/data/words_da_en.txt.gz,
and the English lemmas alone into words_en.txt.gz (English inflections are stripped against those
only: "guled" is no English "gul" + "ed").

The rule for lower-case names no list has ("med arash", "hjem til tigist") needs to know that a
word is no word. wordfreq's Danish list lacks many real words a news text or a story holds
("kultivator", "varebil", "gensplejsede"); spaCy's Danish lemma table (553,116 forms, inflections
included) and its English lemma index (WordNet's lemmas), both in spacy-lookups-data (MIT licence),
have them. Loading that table at run time costs 1.5 s and about 150 MB in every process, so this
script writes the lower-case alphabetic forms of 3 letters or more, sorted, in blocks of
``BLOCK`` words per line: the app loads the 1.6 MB file in a fraction of that and looks a word up
by bisecting the blocks' first words (``stories.privacy.word_list``).

    .venv/bin/python training/ner/word_list.py
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import spacy_lookups_data

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from stories.privacy.word_list import BLOCK, EN_WORDS_FILE, WORDS_FILE  # noqa: E402


def words(english_only: bool = False) -> list[str]:
    data = Path(spacy_lookups_data.__file__).parent / "data"
    danish = json.loads(gzip.decompress((data / "da_lemma_lookup.json.gz").read_bytes()))
    english = json.loads(gzip.decompress((data / "en_lemma_index.json.gz").read_bytes()))
    forms = {w for lemmas in english.values() for w in lemmas}
    if not english_only:
        forms |= set(danish) | set(danish.values())
    return sorted(w for w in forms if len(w) >= 3 and w.isalpha() and w.islower())


def write(path: Path, found: list[str]) -> None:
    lines = [" ".join(found[i:i + BLOCK]) for i in range(0, len(found), BLOCK)]
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    print(f"{path}: {len(found)} words, {path.stat().st_size / 1e6:.2f} MB")


def main() -> None:
    write(WORDS_FILE, words())
    write(EN_WORDS_FILE, words(english_only=True))


if __name__ == "__main__":
    main()
