"""Training-time augmentation of the UNER sentences (train split only).

* name swap: a copy of every sentence with a person name, each name replaced by
  names drawn from the name list shipped in ``stories/privacy/data`` (DaCy's list,
  Danish and Muslim first and last names), so the model meets the names young people
  in Danish social work carry, not only those in the news;
* names from other countries (off for the shipped model, ``FOREIGN_SHARE``): for a share of the
  sentences with a person name, a second copy
  whose names are first and last names of one of Faker's locales (MIT; ``foreign_names.py``):
  out of fold, most names missed were neither in DaCy's list nor Danish ("Goldberg", "Rushdie");
* lower case: a copy of some sentences in lower case, as young people often write.

Deterministic for a given seed.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from stories.privacy.evaluation import Sentence, Token  # noqa: E402
from stories.privacy.names import name_list  # noqa: E402


def _weighted(names: dict[str, int], rng: random.Random, k: int) -> list[str]:
    items = sorted(names.items())
    weights = [n ** 0.35 for _, n in items]  # flatter than the population: rarer names appear too
    return rng.choices([w for w, _ in items], weights=weights, k=k)


def rebuild(sentence: Sentence, replacements: list[tuple[str, str]]) -> Sentence:
    """The sentence with each token's text replaced (same tags), spacing kept."""
    out = Sentence("")
    pieces: list[str] = []
    pos = 0
    cursor = 0
    for tok, (text, tag) in zip(sentence.tokens, replacements):
        gap = sentence.text[pos:tok.start]
        pieces.append(gap)
        cursor += len(gap)
        out.tokens.append(Token(cursor, cursor + len(text), text, tag))
        pieces.append(text)
        cursor += len(text)
        pos = tok.end
    pieces.append(sentence.text[pos:])
    out.text = "".join(pieces)
    return out


def swap_names(sentence: Sentence, rng: random.Random, foreign: tuple[list[str], list[str]] | None = None
               ) -> Sentence | None:
    """A copy with every person name replaced by listed names (None: no person in it); with
    ``foreign`` (first names, last names of one locale), by those, drawn uniformly."""
    spans = sentence.spans("PER")
    if not spans:
        return None
    names = name_list()
    chosen: dict[str, str] = {}
    replacements = [(t.text, t.tag) for t in sentence.tokens]
    for start, end, _ in spans:
        idx = [i for i, t in enumerate(sentence.tokens) if start <= t.start and t.end <= end]
        for n, i in enumerate(idx):
            tok = sentence.tokens[i]
            word = tok.text
            if not word[:1].isalpha():
                continue  # keep hyphens, initials' dots
            possessive = word.endswith("s") and len(word) > 3 and n == len(idx) - 1 and len(idx) > 1
            base = word[:-1] if possessive else word
            if base not in chosen:
                last = n > 0 and n == len(idx) - 1
                if foreign is not None:
                    chosen[base] = rng.choice(foreign[1] if last else foreign[0])
                else:
                    chosen[base] = _weighted(names.last if last else names.first, rng, 1)[0]
            new = chosen[base] + ("s" if possessive else "")
            if word.isupper() and len(word) > 1:
                new = new.upper()
            replacements[i] = (new, tok.tag)
    return rebuild(sentence, replacements)


def lower_case(sentence: Sentence) -> Sentence:
    return rebuild(sentence, [(t.text.lower(), t.tag) for t in sentence.tokens])


# Of the sentences with a person name: a second copy with names from other countries. Off (0.0) for
# the shipped model; 0.5 was being tried by cross-validation on train (issue 10) when the session ended.
FOREIGN_SHARE = 0.0


def augment(sentences: list[Sentence], seed: int = 0, lower_share: float = 0.15,
            foreign_share: float = FOREIGN_SHARE) -> list[Sentence]:
    """The sentences plus their name-swapped copies (listed names; for a share, names from other
    countries as well) and a lower-cased share."""
    rng = random.Random(seed)
    locales = _foreign_locales() if foreign_share else {}
    out = list(sentences)
    for sent in sentences:
        swapped = swap_names(sent, rng)
        if swapped is not None:
            out.append(swapped)
            if locales and rng.random() < foreign_share:
                out.append(swap_names(sent, rng, locales[rng.choice(sorted(locales))]))
        if rng.random() < lower_share:
            out.append(lower_case(swapped or sent))
    return out


def _foreign_locales() -> dict[str, tuple[list[str], list[str]]]:
    from foreign_names import locale_names  # needs the "training" extra (faker)

    return locale_names()
