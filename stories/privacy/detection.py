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

from stories.privacy.name_features import is_candidate, stage_may_add, token_features
from stories.privacy.name_context import after_title, apposition_kin, possessive_before_kin
from stories.privacy.name_lowercase import spoken_to
from stories.privacy.name_rules import (
    NameLexicon, Thresholds, _zipf, current_thresholds, is_common_word, is_function_word, is_name_shaped,
    listed_name,
)
from stories.privacy.name_spans import _covered_tokens, person_spans, propagate_names, spans_from_flags
from stories.privacy.name_stage import shipped_stage
from stories.privacy.name_vetoes import vetoed
from stories.privacy.pii_rules import find_structured
from stories.privacy.places import is_place_name
from stories.privacy.word_list import is_known_compound, is_known_word

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
    from stories.heap import freeze_loaded

    freeze_loaded()  # the model's objects live as long as the process: no full collection walks them again
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


@dataclass(frozen=True)
class TokenScores:
    """The text's tokens ``(start, end, text)`` with the NER model's probabilities.

    ``per[i]`` is the summed probability of the beam analyses that put token i in a
    person name, ``other[i]`` the same for places and organisations (both 0.0 without
    a model).
    """

    tokens: list[tuple[int, int, str]]
    per: list[float]
    other: list[float]


def _model_token_scores(nlp: Any, docs: list) -> list[tuple[list[float], list[float]]]:
    """Per-token (PER, OTHER) probabilities from the NER model, for tokenised docs."""
    for name, proc in nlp.pipeline:
        if name != "ner":
            docs = list(proc.pipe(docs))
    if "ner" not in nlp.pipe_names:
        return [([0.0] * len(doc), [0.0] * len(doc)) for doc in docs]
    ner = nlp.get_pipe("ner")
    if ner.cfg.get("beam_width", 1) <= 1:  # greedy model: its best analysis only
        return [([float(t.ent_type_ == "PER") for t in doc], [float(t.ent_type_ not in ("", "PER")) for t in doc])
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
            out.append((per, other))
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


def score_tokens(masked: str, nlp: Any = None, has_model: bool | None = None) -> TokenScores:
    """Tokenise the (masked) text sentence by sentence and score each token with the model.

    ``nlp`` defaults to the shipped model (training scripts pass a fold's model).
    """
    if nlp is None:
        det = _detector()
        nlp, has_model = det.nlp, det.has_model
    if nlp is None:
        tokens = [(m.start(), m.end(), m.group()) for m in _FALLBACK_TOKEN_RE.finditer(masked)]
        return TokenScores(tokens, [0.0] * len(tokens), [0.0] * len(tokens))
    nlp.max_length = max(nlp.max_length, len(masked) + 1)
    segments = _segments(masked)
    docs = [nlp.make_doc(masked[s:e]) for s, e in segments]
    scored = _model_token_scores(nlp, docs) if has_model else [([0.0] * len(d), [0.0] * len(d)) for d in docs]
    tokens, per, other = [], [], []
    for (offset, _), doc, (doc_per, doc_other) in zip(segments, docs, scored):
        for tok, p, o in zip(doc, doc_per, doc_other):
            if not tok.is_space:
                tokens.append((offset + tok.idx, offset + tok.idx + len(tok.text), tok.text))
                per.append(p)
                other.append(o)
    return TokenScores(tokens, per, other)


_SHIPPED = object()


def spans_from_scores(scores: TokenScores, masked: str, lexicon: NameLexicon, lang: str = "da",
                      thresholds: Thresholds | None = None, stage: Any = _SHIPPED) -> list[tuple[int, int]]:
    """Person spans from scored tokens: the model's verdicts, the name rules, then (Danish text)
    the learned second stage on every capitalised word (``stage=None``: the rules alone)."""
    th = thresholds or current_thresholds()
    labels = []
    for (_, _, word), p, o in zip(scores.tokens, scores.per, scores.other):
        if p >= th.per_min_prob and any(c.isalpha() for c in word) and not is_function_word(word, lang) and (
                p >= th.common_per_min_prob or not is_common_word(word, lang, th) or listed_name(word, th)):
            labels.append("PER")
        else:
            labels.append("OTHER" if o >= th.other_min_prob else None)
    spans = person_spans(scores.tokens, masked, labels, lexicon, lang=lang, thresholds=th)
    vetoes = vetoed(scores.tokens, masked, lexicon, lang, th)
    # a possessive before a word of kinship, and the word after a person's title ("fru Post"), are a
    # person's, whatever the model and the stage say
    kin = kin_or_title(scores.tokens, masked, lexicon, lang, th)
    stage = shipped_stage() if stage is _SHIPPED else stage
    if stage is None or lang != "da":  # English stories and lower-case words: the rules alone (the training data has neither)
        if any(vetoes) or any(kin):
            flags = [f or k for f, k in zip(rule_flags(scores, spans), kin)]
            spans = spans_from_flags(scores.tokens, masked, without_vetoed(flags, vetoes))
        return propagate_unvetoed(scores, masked, spans, lexicon, vetoes)
    spans = propagate_names(scores.tokens, masked, spans, lexicon)
    flags = rule_flags(scores, spans)
    words = [i for i, (_, _, word) in enumerate(scores.tokens) if is_candidate(word, lang)]
    feats = [token_features(scores.tokens, masked, scores.per, scores.other, flags, i, lexicon, th, lang)
             for i in words]
    probs = dict(zip(words, stage.probabilities(feats)))
    may_add = {i: stage_may_add(scores.tokens, masked, i, lexicon, th, lang) for i in words}
    decided = stage.decide(scores.tokens, masked, flags, probs, may_add)
    kept = stage_overrides(scores.tokens, masked, flags, kin, lang, th)
    decided = without_vetoed([d or k for d, k in zip(decided, kept)], vetoes)
    spans = spans_from_flags(scores.tokens, masked, decided)
    return propagate_unvetoed(scores, masked, spans, lexicon, vetoes)


def kin_or_title(tokens: list[tuple[int, int, str]], masked: str, lexicon: NameLexicon, lang: str,
                 th: Thresholds) -> list[bool]:
    """Per token: a possessive before a word of kinship, or the word after a person's title ("fru
    Post"), or a name before a comma and its kin ("Nkechi, hendes faster"): a person's, whatever the
    model and the stage say."""
    return [possessive_before_kin(tokens, masked, i, lang, lexicon, th) or after_title(tokens, masked, i, lang, th)
            or apposition_kin(tokens, masked, i, lang, th) for i in range(len(tokens))]


def stage_overrides(tokens: list[tuple[int, int, str]], masked: str, flags: list[bool], kin: list[bool], lang: str,
                    th: Thresholds) -> list[bool]:
    """Per token: in a name whatever the second stage says (vetoes aside): ``kin_or_title``, a name
    the rules found, or a listed name, where a person is spoken to ("ringede til Toft", "har ringet
    til Kamp"), and a name the rules found that no word table has ("Tsvetelina", "Okafor": the news
    text the stage learnt from has few such names, a young person's story many). ``stage2.py``
    measures with the same overrides."""
    return [k or (f and no_word(tokens[i][2])) or (
        spoken_to(tokens, masked, i, lang) and is_candidate(tokens[i][2], lang) and (f or listed_name(tokens[i][2], th)))
        for i, (f, k) in enumerate(zip(flags, kin))]


def no_word(word: str) -> bool:
    """A capitalised word of letters that no word table and no place list has: Danish and English
    frequencies under 1 per 100 million words (Zipf 1), not in spaCy's Danish table, no town, and no
    long Danish compound ("Ungdomskriminalitetsnævnet")."""
    w = word.lower()
    return is_name_shaped(word) and word.isalpha() and not word.isupper() and not is_known_word(word) \
        and not is_known_word(w) and _zipf(w, "da") < NO_WORD_MAX_ZIPF and _zipf(w, "en") < NO_WORD_MAX_ZIPF \
        and not is_place_name(word) and not (len(w) >= 9 and is_known_compound(w, min_part=3))


NO_WORD_MAX_ZIPF = 1.0


def propagate_unvetoed(scores: TokenScores, masked: str, spans: list[tuple[int, int]], lexicon: NameLexicon,
                vetoes: list[bool]) -> list[tuple[int, int]]:
    """Every other mention of a found name, but not where a veto holds ("Christmas Eve" beside "Eve")."""
    spans = propagate_names(scores.tokens, masked, spans, lexicon)
    if not any(vetoes):
        return spans
    return spans_from_flags(scores.tokens, masked, without_vetoed(rule_flags(scores, spans), vetoes))


def without_vetoed(flags: list[bool], vetoes: list[bool]) -> list[bool]:
    """The flags, with the words ``name_vetoes`` says are surely not names taken out."""
    return [f and not v for f, v in zip(flags, vetoes)]


def rule_flags(scores: TokenScores, spans: list[tuple[int, int]]) -> list[bool]:
    """For each token, whether the rule layer put it in a name."""
    return _covered_tokens(scores.tokens, spans)


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    """spaCy's Danish and English stop words, each without the other's (no "i", "at", "man")."""
    from spacy.lang.da.stop_words import STOP_WORDS as DA
    from spacy.lang.en.stop_words import STOP_WORDS as EN

    return {"da": frozenset(DA - EN), "en": frozenset(EN - DA)}


_WORD_RE = re.compile(r"[^\W\d_]+")


def text_language(text: str, stated: str = "da") -> str:
    """The language whose rules apply to ``text``: the stated one unless the words clearly say
    otherwise (staff type an English story on a Danish form, or the other way round)."""
    words = _function_words()
    counts = {lang: 0 for lang in words}
    for w in _WORD_RE.findall(text.lower()):
        for lang, found in words.items():
            counts[lang] += w in found
    other = "en" if stated == "da" else "da"
    if counts.get(other, 0) >= 2 and counts[other] >= 2 * counts.get(stated, 0):
        return other
    return stated if stated in words else "da"


def find_person_spans(text: str, lang: str = "da") -> list[tuple[int, int]]:
    """Character spans of people's names in ``text`` (a story stated to be in ``lang``)."""
    masked = _mask_for_names(text)
    return spans_from_scores(score_tokens(masked), masked, _detector().lexicon, text_language(masked, lang))


def find_personal_data(text: str, lang: str = "da") -> list[Finding]:
    """All personal data in ``text`` (a story in ``lang``), sorted by start, non-overlapping.

    Structured findings (e-mail, CPR, phone, address) win over overlapping names.
    """
    if not text or not text.strip():
        return []
    structured = find_structured(text)  # sorted, disjoint
    starts = [s for s, _, _ in structured]
    spans = list(structured)
    for s, e in find_person_spans(text, lang):
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
        findings = find_personal_data(text, lang)
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
