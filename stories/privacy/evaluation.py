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

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def uner_dir() -> Path | None:
    """The UNER Danish-DDT folder of ``../shared`` (or $CHANGESTORIES_SHARED), if present.

    It is development data beside the project, not part of it: callers skip without it.
    """
    candidates = [Path(os.environ["CHANGESTORIES_SHARED"])] if os.environ.get("CHANGESTORIES_SHARED") else []
    candidates += [REPO.parent / "shared", REPO.parent.parent / "shared"]  # a checkout, or a worktree in wt/
    for shared in candidates:
        if (shared / "data" / "uner-da" / "da_ddt-ud-train.iob2").is_file():
            return shared / "data" / "uner-da"
    return None


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


# --- the hard sentences (training/ner/hard/*.txt) -------------------------------------

HARD_DIR = REPO / "training" / "ner" / "hard"


@dataclass
class HardSentence:
    """A fictional sentence with its names (as IOB2 tags) and its marked non-names by kind."""

    lang: str
    sentence: Sentence
    non_names: list[tuple[int, int, str]]  # (start, end, kind)


def parse_hard_line(line: str) -> HardSentence:
    """``da|I dag ringede [Mikkel] fra {institution:Jobcentret}.`` -> text, gold names, non-names."""
    import re

    lang, _, marked = line.partition("|")
    if lang not in ("da", "en") or not marked:
        raise ValueError(f"not a hard sentence: {line!r}")
    text, names, others = [], [], []
    pos = 0
    for m in re.finditer(r"\[([^\]]+)\]|\{(\w+):([^}]+)\}|([^\[{]+)", marked):
        if m.group(1) is not None:
            names.append((pos, pos + len(m.group(1))))
            piece = m.group(1)
        elif m.group(2) is not None:
            others.append((pos, pos + len(m.group(3)), m.group(2)))
            piece = m.group(3)
        else:
            piece = m.group(4)
        text.append(piece)
        pos += len(piece)
    plain = "".join(text)
    sentence = Sentence(plain)
    for tm in re.finditer(r"\w+(?:[-'’]\w+)*|\S", plain):
        s, e = tm.start(), tm.end()
        tag = "O"
        for ns, ne in names:
            if ns <= s and e <= ne:
                tag = "B-PER" if s == ns else "I-PER"
        sentence.tokens.append(Token(s, e, tm.group(), tag))
    return HardSentence(lang, sentence, others)


def read_hard(path: str | Path) -> list[HardSentence]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [parse_hard_line(line) for line in lines if line.strip() and not line.startswith("#")]


def evaluate_hard(
    sentences: Iterable[HardSentence],
    detect: Callable[[str, str], Iterable[tuple[int, int]]],
) -> dict:
    """Recall and precision per language, and how often each kind of non-name was flagged.

    ``detect(text, lang) -> [(start, end), ...]`` gives person spans.
    """
    sentences = list(sentences)
    out: dict = {"languages": {}, "false_flags": {}}
    found_by_id = {id(h): [(s, e) for s, e in detect(h.sentence.text, h.lang)] for h in sentences}
    for lang in sorted({h.lang for h in sentences}):
        group = [h for h in sentences if h.lang == lang]
        result = evaluate_person_detection([h.sentence for h in group],
                                           lambda text, g=group: found_by_id[id(next(h for h in g if h.sentence.text == text))])
        out["languages"][lang] = result
    kinds: dict[str, list] = {}
    for h in sentences:
        found = found_by_id[id(h)]
        for s, e, kind in h.non_names:
            flagged = any(fs < e and s < fe for fs, fe in found)
            entry = kinds.setdefault(kind, [0, 0, []])
            entry[0] += 1
            if flagged:
                entry[1] += 1
                entry[2].append(h.sentence.text[s:e])
    out["false_flags"] = {k: {"words": n, "flagged": f, "examples": ex} for k, (n, f, ex) in sorted(kinds.items())}
    total = sum(v[0] for v in kinds.values())
    out["false_flag_rate"] = sum(v[1] for v in kinds.values()) / total if total else 0.0
    return out
