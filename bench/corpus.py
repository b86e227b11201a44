"""Synthetic Danish change stories for the benchmark: fictional, deterministic, ~150 words each.

Words come from two sources: the sentences of the fictional demo stories (so the common
words, their order and the sentence lengths look like real stories) and, for about one
word in five, a Zipf-distributed draw from the Danish lookup table's word forms (so the
vocabulary grows with the corpus the way a real one does).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator

import numpy as np

from stories.demo import DEMO_FILE
from stories.model import MECHANISMS, Consent, Story

SITES = ("Nordvest", "Sydhavn", "Valby", "Amager", "Nørrebro", "Bispebjerg")
ROLES = ("young_person", "staff", "parent_network", "partner", "other")
ROLE_WEIGHTS = (0.45, 0.35, 0.08, 0.07, 0.05)
POLARITIES = ("positive", "mixed", "negative")
TAIL_SHARE = 0.15
TAIL_SIZE = 60_000


def _demo_sentences() -> list[list[str]]:
    records = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    sentences = []
    for record in records:
        if record["language"] != "da":
            continue
        for field in ("text", "significance", "difference"):
            for sentence in re.split(r"(?<=[.!?])\s+", record[field]):
                words = re.findall(r"\w+", sentence)
                if len(words) >= 4:
                    sentences.append(words)
    return sentences


def _tail_words(rng: np.random.Generator) -> list[str]:
    from stories.textindex.language import load_lemma_table

    table = load_lemma_table("da")  # word form -> lemma: its values are the lemmas
    forms = sorted({v for v in table.values() if isinstance(v, str) and v.isalpha() and len(v) > 3})
    rng.shuffle(forms)
    return forms[:TAIL_SIZE]


class CorpusGenerator:
    """Makes `Story` objects; the same seed gives the same stories."""

    def __init__(self, seed: int = 2026):
        self.rng = np.random.default_rng(seed)
        self.sentences = _demo_sentences()
        self.tail = _tail_words(self.rng)
        ranks = np.arange(1, len(self.tail) + 1)
        self.tail_cdf = np.cumsum(1.0 / (ranks + 50) ** 1.05)
        self.tail_cdf /= self.tail_cdf[-1]

    def text(self, words: int = 150) -> str:
        rng = self.rng
        out: list[str] = []
        count = 0
        while count < words:
            sentence = list(self.sentences[rng.integers(len(self.sentences))])
            swaps = np.flatnonzero(rng.random(len(sentence)) < TAIL_SHARE)
            if len(swaps):
                picks = np.searchsorted(self.tail_cdf, rng.random(len(swaps)))
                for i, pick in zip(swaps, picks):
                    sentence[i] = self.tail[min(pick, len(self.tail) - 1)]
            sentence[0] = sentence[0].capitalize()
            out.append(" ".join(sentence) + ".")
            count += len(sentence)
        return " ".join(out)

    def texts(self, n: int, words: int = 150) -> list[str]:
        return [self.text(words) for _ in range(n)]

    def stories(self, n: int) -> Iterator[Story]:
        rng = self.rng
        start = dt.date(2024, 1, 1)
        for i in range(n):
            role = ROLES[rng.choice(len(ROLES), p=ROLE_WEIGHTS)]
            young = f"U-{rng.integers(1, max(2, n // 20) + 1):04d}"
            extra = {"age_group": ("13-14", "15-17", "18-21", "22-25")[rng.integers(4)]}
            pseudonym = young if role == "young_person" else f"S-{rng.integers(1, 60):04d}"
            if role == "staff":
                extra["about"] = young
            yield Story(
                text=self.text(),
                significance="Det betyder noget for den unge.",
                title=f"Fortælling {i + 1}",
                teller_role=role,
                teller_pseudonym=pseudonym,
                site=SITES[rng.integers(len(SITES))],
                happened_on=(start + dt.timedelta(days=int(rng.integers(730)))).isoformat(),
                language="da",
                polarity=POLARITIES[rng.integers(len(POLARITIES))],
                teller_mechanism=MECHANISMS[rng.integers(len(MECHANISMS))],
                source="import",
                extra=extra,
                consent=Consent(internal=True, evaluation=bool(rng.random() < 0.9), publication=False),
            )
