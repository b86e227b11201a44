"""Reading IOB2 (CoNLL-style) NER files and measuring person-name detection.

Shared by the training scripts in ``training/ner/`` and by the tests; it has no
dependency on spaCy so the metrics can be computed anywhere.

Metrics (computed on each sentence's ``# text``):

* name recall: share of gold person spans whose every character lies inside
  some detected person span;
* token precision: share of gold tokens flagged as person (overlapping a
  detected person span) that lie inside a gold person span.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Token:
    start: int
    end: int
    text: str
    tag: str


@dataclass
class Sentence:
    text: str
    tokens: list[Token] = field(default_factory=list)

    def spans(self, label: str | None = None) -> list[tuple[int, int, str]]:
        """Entity spans as (start, end, label) character offsets into ``text``."""
        out: list[tuple[int, int, str]] = []
        cur: list | None = None
        for tok in self.tokens:
            prefix, _, lab = tok.tag.partition("-")
            if prefix == "B" or (prefix == "I" and (cur is None or cur[2] != lab)):
                if cur:
                    out.append(tuple(cur))
                cur = [tok.start, tok.end, lab]
            elif prefix == "I":
                cur[1] = tok.end
            else:
                if cur:
                    out.append(tuple(cur))
                cur = None
        if cur:
            out.append(tuple(cur))
        return [s for s in out if label is None or s[2] == label]


def read_iob2(path: str | Path) -> list[Sentence]:
    """Read an IOB2 file whose sentences each carry a ``# text = ...`` line.

    Tokens are aligned to character offsets in the text by searching for each
    token after the end of the previous one.
    """
    sentences: list[Sentence] = []
    text: str | None = None
    rows: list[tuple[str, str]] = []

    def flush() -> None:
        nonlocal text, rows
        if rows:
            src = text if text is not None else " ".join(t for t, _ in rows)
            sent = Sentence(src)
            pos = 0
            for tok, tag in rows:
                i = src.find(tok, pos)
                if i < 0:
                    raise ValueError(f"token {tok!r} not found in {src!r}")
                sent.tokens.append(Token(i, i + len(tok), tok, tag))
                pos = i + len(tok)
            sentences.append(sent)
        text, rows = None, []

    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("# text = "):
                text = line[len("# text = "):]
            elif line.startswith("#"):
                continue
            elif not line.strip():
                flush()
            else:
                parts = line.split("\t")
                rows.append((parts[1], parts[2]))
    flush()
    return sentences


def _covered(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    chars = set(range(start, end))
    for s, e in spans:
        chars -= set(range(s, e))
    return not chars


def evaluate_person_detection(
    sentences: Iterable[Sentence],
    detect: Callable[[str], Iterable[tuple[int, int]]],
) -> dict:
    """Score ``detect(text) -> [(start, end), ...]`` (person spans) on gold data."""
    sentences = list(sentences)
    n_gold = n_covered = n_flagged = n_flagged_ok = 0
    missed: list[str] = []
    false_tokens: list[str] = []
    for sent in sentences:
        found = [(s, e) for s, e in detect(sent.text)]
        gold = [(s, e) for s, e, _ in sent.spans("PER")]
        for s, e in gold:
            n_gold += 1
            if _covered(s, e, found):
                n_covered += 1
            else:
                missed.append(sent.text[s:e])
        for tok in sent.tokens:
            if any(s < tok.end and tok.start < e for s, e in found):
                n_flagged += 1
                if any(s <= tok.start and tok.end <= e for s, e in gold):
                    n_flagged_ok += 1
                else:
                    false_tokens.append(tok.text)
    return {
        "sentences": len(sentences),
        "gold_person_spans": n_gold,
        "covered_person_spans": n_covered,
        "name_recall": n_covered / n_gold if n_gold else 0.0,
        "flagged_tokens": n_flagged,
        "flagged_tokens_in_gold": n_flagged_ok,
        "token_precision": n_flagged_ok / n_flagged if n_flagged else 0.0,
        "missed": missed,
        "false_tokens": false_tokens,
    }
