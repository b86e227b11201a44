"""Find and pseudonymise personal data in (Danish) change stories.

Public API:

* :func:`find_personal_data` - CPR numbers, phone numbers, e-mail addresses,
  street addresses and people's names, as :class:`Finding` character spans;
* :func:`pseudonymise` - replace them with ``[Person 1]``, ``[CPR]``, ... ;
* :func:`findings_to_json`.

Structured data is found with regular expressions (``stories/pii_rules.py``).
Names come from a small spaCy NER model trained on Danish news text
(``models/ner_da/``, see its README) combined with a rule layer
(``stories/name_rules.py``) that raises recall. The model is loaded once per
process; without it, names are found by the rules alone and a warning is logged.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
import unicodedata
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from stories.privacy.name_rules import NameLexicon, person_spans, propagate_names
from stories.privacy.pii_rules import find_structured

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "ner_da"
LEXICON_FILE = "name_lexicon.json"
KINDS = ("person", "cpr", "phone", "email", "address")

_LABELS = {
    "da": {"cpr": "CPR", "phone": "Telefon", "email": "E-mail", "address": "Adresse", "person": "Person"},
    "en": {"cpr": "CPR", "phone": "Phone", "email": "E-mail", "address": "Address", "person": "Person"},
}


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str
    text: str


@dataclass(frozen=True)
class _Detector:
    nlp: Any  # spaCy Language (trained model, or a blank tokenizer) or None
    lexicon: NameLexicon
    has_model: bool


@lru_cache(maxsize=1)
def _detector() -> _Detector:
    """Load the NER model and name lexicon once per process."""
    try:
        import spacy
    except ImportError:  # pragma: no cover - spaCy is a project dependency
        spacy = None
    nlp, has_model = None, False
    if spacy is not None and (MODEL_DIR / "config.cfg").is_file():
        try:
            nlp, has_model = spacy.load(MODEL_DIR), True
        except Exception as exc:  # a broken or incompatible model must not crash the app
            log.warning("Could not load the NER model in %s (%s); names are found by rules only.",
                        MODEL_DIR, exc)
    else:
        log.warning("NER model not found in %s; names are found by rules only.", MODEL_DIR)
    if nlp is None and spacy is not None:
        nlp = spacy.blank("da")
    lexicon = NameLexicon()
    if (MODEL_DIR / LEXICON_FILE).is_file():
        lexicon = NameLexicon.load(MODEL_DIR / LEXICON_FILE)
    else:
        log.warning("Name lexicon %s not found; name rules run without it.", MODEL_DIR / LEXICON_FILE)
    return _Detector(nlp, lexicon, has_model)


def model_available() -> bool:
    """True when the trained NER model is in use (False: rules only)."""
    return _detector().has_model


# HTML tags and entities and invisible format characters (RTL marks, zero-width
# joiners) are blanked out, one space per character, before names are searched:
# offsets stay those of the original text.
_MASK_RE = re.compile(r"<[^<>]{0,500}>|&(?:[A-Za-z]{2,8}|#\d{1,6}|#[xX][0-9A-Fa-f]{1,6});")


def _mask_for_names(text: str) -> str:
    masked = _MASK_RE.sub(lambda m: " " * len(m.group()), text)
    return "".join(" " if unicodedata.category(c) == "Cf" else c for c in masked)


_FALLBACK_TOKEN_RE = re.compile(r"[A-ZÆØÅ]\.|\w+(?:[-'’]\w+)*|\S")


# The NER component is a beam-search NER: each candidate entity has a
# probability. A token counts as a name when the PER analyses covering it add
# up to PER_MIN_PROB; it is kept away from the rules as a place/organisation
# only when those analyses reach OTHER_MIN_PROB (tuned on the dev split).
PER_MIN_PROB = 0.3
OTHER_MIN_PROB = 0.9


def _model_token_labels(nlp: Any, docs: list) -> list[list[str | None]]:
    """Per-token "PER" / "OTHER" / None from the NER model, for tokenised docs."""
    for name, proc in nlp.pipeline:
        if name != "ner":
            docs = list(proc.pipe(docs))
    if "ner" not in nlp.pipe_names:
        return [[None] * len(doc) for doc in docs]
    ner = nlp.get_pipe("ner")
    if ner.cfg.get("beam_width", 1) <= 1:  # greedy model: its best analysis only
        return [[None if not t.ent_type_ else "PER" if t.ent_type_ == "PER" else "OTHER" for t in doc]
                for doc in ner.pipe(docs)]
    out = []
    for i in range(0, len(docs), _BATCH):
        batch = docs[i:i + _BATCH]
        for doc, scores in zip(batch, ner.scored_ents(ner.predict(batch))):
            per = [0.0] * len(doc)
            other = [0.0] * len(doc)
            for (start, end, label), prob in scores.items():
                target = per if label == "PER" else other
                for k in range(start, end):
                    target[k] += prob
            out.append(["PER" if p >= PER_MIN_PROB else "OTHER" if o >= OTHER_MIN_PROB else None
                        for p, o in zip(per, other)])
    return out


_BATCH = 64
# Sentence ends: a full stop after a word of 3+ letters (not "K." or "th."), or
# ! ? …, followed by space; and line breaks. The model was trained on sentences.
_SENT_END_RE = re.compile(r"(?:(?<=[^\W\d_]{3})\.|[!?…])[\"'»”)]*[ \t]+|\s*\n\s*")


def _segments(text: str) -> list[tuple[int, int]]:
    """Sentence-like (start, end) pieces of the text, covering all non-space text."""
    out, start = [], 0
    for m in _SENT_END_RE.finditer(text):
        if text[start:m.start()].strip():
            out.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def _find_person_spans(text: str) -> list[tuple[int, int]]:
    det = _detector()
    masked = _mask_for_names(text)
    if det.nlp is not None:
        det.nlp.max_length = max(det.nlp.max_length, len(masked) + 1)
        segments = _segments(masked)
        docs = [det.nlp.make_doc(masked[s:e]) for s, e in segments]
        labels_per_doc = _model_token_labels(det.nlp, docs) if det.has_model else \
            [[None] * len(d) for d in docs]
        tokens, labels = [], []
        for (offset, _), doc, doc_labels in zip(segments, docs, labels_per_doc):
            for tok, label in zip(doc, doc_labels):
                if not tok.is_space:
                    tokens.append((offset + tok.idx, offset + tok.idx + len(tok.text), tok.text))
                    labels.append(label)
    else:
        tokens = [(m.start(), m.end(), m.group()) for m in _FALLBACK_TOKEN_RE.finditer(masked)]
        labels = [None] * len(tokens)
    spans = person_spans(tokens, masked, labels, det.lexicon)
    return propagate_names(tokens, masked, spans, det.lexicon)


def find_personal_data(text: str) -> list[Finding]:
    """All personal data in ``text``, sorted by start, non-overlapping.

    Structured findings (e-mail, CPR, phone, address) win over overlapping names.
    """
    if not text or not text.strip():
        return []
    structured = find_structured(text)  # sorted, disjoint
    starts = [s for s, _, _ in structured]
    spans = list(structured)
    for s, e in _find_person_spans(text):
        i = bisect.bisect_left(starts, e)  # structured spans starting before e
        if i == 0 or structured[i - 1][1] <= s:
            spans.append((s, e, "person"))
    return [Finding(s, e, kind, text[s:e]) for s, e, kind in sorted(spans)]


def _name_parts(name: str) -> list[str]:
    return [p.casefold() for p in re.findall(r"\w+", name)]


def _same_part(a: str, b: str) -> bool:
    """Equal up to a Danish possessive ending: "Jensen"/"Jensens", "Mads"/"Mads'"."""
    return a == b or a == b + "s" or b == a + "s"


def _person_numbers(names: list[str]) -> list[int]:
    """Number people so that a later "Mads" or "Jensens" maps to "Mads Jensen"."""
    people: list[list[str]] = []  # name parts known for each person
    numbers: list[int] = []
    for name in names:
        parts = _name_parts(name) or [name.casefold()]
        match = None
        for idx, known in enumerate(people):
            if all(any(_same_part(p, k) for k in known) for p in parts) or \
                    all(any(_same_part(k, p) for p in parts) for k in known):
                match = idx
                break
        if match is None:
            people.append(list(parts))
            match = len(people) - 1
        else:
            people[match].extend(p for p in parts if p not in people[match])
        numbers.append(match + 1)
    return numbers


def pseudonymise(text: str, findings: list[Finding] | None = None, lang: str = "da") -> str:
    """Replace personal data with placeholders; the same person gets the same number."""
    labels = _LABELS.get(lang, _LABELS["da"])
    if findings is None:
        findings = find_personal_data(text)
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if kept and f.start < kept[-1].end:
            continue  # overlapping finding: the earlier one wins
        kept.append(f)
    numbers = iter(_person_numbers([f.text for f in kept if f.kind == "person"]))
    out: list[str] = []
    pos = 0
    for f in kept:
        out.append(text[pos:f.start])
        if f.kind == "person":
            out.append(f"[{labels['person']} {next(numbers)}]")
        else:
            out.append(f"[{labels.get(f.kind, f.kind)}]")
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def findings_to_json(findings: list[Finding]) -> str:
    """JSON list of {"start", "end", "kind", "text"} objects."""
    return json.dumps([asdict(f) for f in findings], ensure_ascii=False)
