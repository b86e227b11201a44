"""Build the name lexicon shipped next to the NER model (from TRAIN data only).

The lexicon gives the rule layer in ``stories/name_rules.py`` three word lists:

* ``person``: capitalised word forms seen inside gold person names, with how
  often they were a name and how often the same form was not;
* ``not_person``: capitalised word forms seen only outside person names
  (places, organisations, sentence-initial words);
* ``lower``: lower-case word forms (ordinary Danish words), so that a capitalised
  "Otte" or "Måtte" at the start of a sentence is not taken for a name;
* ``suffixes``: how many name forms and ordinary-word forms end in each 1-4
  letter ending, for a naive-Bayes guess on words seen in neither list.

    python training/ner/lexicon.py TRAIN.iob2 OUT.json
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from stories.privacy.evaluation import read_iob2  # noqa: E402


def build_lexicon(train_path: Path, min_lower: int = 1) -> dict:
    return build_lexicon_from(read_iob2(train_path), min_lower)


def build_lexicon_from(sentences, min_lower: int = 1) -> dict:
    per: Counter[str] = Counter()
    other: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for sent in sentences:
        for tok in sent.tokens:
            word = tok.text
            if not word[:1].isalpha():
                continue
            if word[0].isupper():
                (per if tok.tag.endswith("PER") else other)[word] += 1
            elif word.islower():
                lower[word] += 1
    person = {w: [per[w], other[w]] for w in sorted(per)}
    not_person = {w: n for w, n in sorted(other.items()) if w not in per}
    lower_words = sorted(w for w, n in lower.items() if n >= min_lower)
    # word endings of names vs ordinary words, counted over distinct forms
    name_forms = {w.lower() for w, (p, o) in person.items() if p > o and not w.isupper()}
    return {
        "source": "UNER Danish-DDT train split (CC BY-SA 4.0)",
        "person": person,
        "not_person": not_person,
        "lower": lower_words,
        "suffixes": {
            "name": _suffix_counts(name_forms),
            "word": _suffix_counts(lower_words),
            "n_name": len(name_forms),
            "n_word": len(lower_words),
        },
    }


def _suffix_counts(words) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for w in words:
        for k in SUFFIX_LENGTHS:
            if len(w) > k:
                counts[w[-k:]] += 1
    return dict(sorted(counts.items()))


SUFFIX_LENGTHS = (1, 2, 3, 4)


def write_lexicon(lex: dict, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(lex, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{dest}: {len(lex['person'])} person forms, {len(lex['not_person'])} other "
          f"capitalised forms, {len(lex['lower'])} lower-case forms")


def main() -> None:
    write_lexicon(build_lexicon(Path(sys.argv[1])), Path(sys.argv[2]))


if __name__ == "__main__":
    main()
