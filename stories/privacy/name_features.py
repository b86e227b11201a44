"""Features of a capitalised word, for the learned second stage of name detection.

``stories.privacy.name_stage`` decides, for each capitalised word of a Danish story, whether it
is (part of) a person's name, from these numbers: the NER model's probabilities for the word and
its neighbours, what the rule layer (``name_rules``) decided, how common the word is in Danish and
English (wordfreq), how many people in Denmark carry it as a first or last name (DaCy's list),
what the lexicon learned from the training split says, its shape and its place in the sentence.

The same function computes them at training time (``training/ner/stage2.py``, on out-of-fold
model scores) and at run time, so the two cannot drift apart.
"""

from __future__ import annotations

import math

from stories.privacy.name_rules import (
    NameLexicon, Thresholds, _TITLES, _VERBS, adjacent, _base_forms, _compound_head_zipf, name_forms, _is_initial,
    _zipf, is_common_word, is_function_word, is_name_shaped, is_name_word, lexicon_verdict,
    listed_name,
)
from stories.privacy.names import name_list, surname_words

# Prepositions that stand before places and organisations more often than before people
_PLACE_PREPOSITIONS = frozenset("i på fra til ved mod over gennem hos nær".split())
_DEFINITE_SUFFIXES = ("en", "et", "ene", "erne")

FEATURES = (
    "per", "other", "per_prev", "per_next", "other_prev", "other_next",
    "rule", "rule_prev", "rule_next", "cap_prev", "cap_next",
    "initial", "title_prev", "place_prep_prev", "verb_next",
    "first_log", "last_log", "name_word", "surname_word",
    "zipf_da", "zipf_en", "head_zipf", "common",
    "lex_per", "lex_other", "lex_lower", "verdict", "likeness",
    "all_caps", "hyphen", "length", "letter_initial", "possessive", "definite", "name_shaped",
    "hyphen_name",
)


def is_candidate(word: str, lang: str = "da") -> bool:
    """Words the second stage decides: capitalised, with a letter, not a function or calendar word."""
    return word[:1].isupper() and any(c.isalpha() for c in word) and not is_function_word(word, lang)


def stage_may_add(tokens: list[tuple[int, int, str]], text: str, i: int, lex: NameLexicon, th: Thresholds,
                  lang: str = "da") -> bool:
    """May the second stage call this word a name when the rules did not? Not where news text cannot
    teach it: a name that is also an everyday word opening a sentence ("Hans mor ..." / "Hans er ..."),
    and a frequent word that is neither a listed name nor one the lexicon knows as a name (a brand:
    "Netflix"; a role: "Mentor"), or a frequent word opening a sentence that the lexicon does not know as
    a name, even a listed one ("Smidt ud i en uge": a surname, and "thrown"). There the stage adds a
    name only when its probability reaches the stage's ``gated_min`` (at least 0.5, chosen by
    cross-validation), not at its ordinary threshold."""
    word = tokens[i][2]
    initial = _is_initial(tokens, text, i)
    if is_name_word(word, lang, lex) and initial:
        return False
    frequent = any(_zipf(f, "da") >= th.common_min_zipf for f in _base_forms(word))
    if frequent and initial:  # "Smidt ud i en uge": a listed surname, and the word that opens it
        return lexicon_verdict(word, lex) is True
    return not frequent or listed_name(word, th) or lexicon_verdict(word, lex) is True


def _log_count(counts: dict[str, int], word: str) -> float:
    return max((math.log10(1 + counts.get(f, 0)) for f in name_forms(word)), default=0.0)


def word_features(word: str, lex: NameLexicon, th: Thresholds, lang: str = "da") -> dict[str, float]:
    """The features of the word itself (no context); computed once per word, lexicon and thresholds."""
    key = ("word_features", word, lang, th)
    found = lex.cache.get(key)
    if found is None:
        if len(lex.cache) > 100_000:
            lex.cache.clear()
        found = lex.cache[key] = _word_features(word, lex, th, lang)
    return found


def _word_features(word: str, lex: NameLexicon, th: Thresholds, lang: str) -> dict[str, float]:
    names = name_list()
    lower = word.lower()
    per, other = lex.person.get(word, (0, 0))
    other += lex.not_person.get(word, 0)
    verdict = lexicon_verdict(word, lex)
    return {
        "first_log": _log_count(names.first, word),
        "last_log": _log_count(names.last, word),
        "name_word": float(is_name_word(word, lang, lex)),
        "surname_word": float(lower in surname_words()),
        "zipf_da": max(_zipf(f, "da") for f in _base_forms(word)),
        "zipf_en": _zipf(lower, "en"),
        "head_zipf": max(_compound_head_zipf(f) for f in _base_forms(word)[:2]),
        "common": float(is_common_word(word, lang, th)),
        "lex_per": math.log1p(per),
        "lex_other": math.log1p(other),
        "lex_lower": float(lower in lex.lower),
        "verdict": 0.0 if verdict is None else (1.0 if verdict else -1.0),
        "likeness": max(-10.0, min(10.0, lex.name_likeness(word))),
        "all_caps": float(word.isupper() and len(word) > 1),
        "hyphen": float("-" in word),
        "length": min(len(word), 20) / 10,
        "letter_initial": float(len(word) == 2 and word[1] == "."),
        "possessive": float(word.endswith(("s", "'", "’")) and any(f in names for f in name_forms(word)[1:])),
        "definite": float(lower.endswith(_DEFINITE_SUFFIXES) and len(lower) > 5),
        "name_shaped": float(is_name_shaped(word)),
        "hyphen_name": _hyphen_name(word, lex),
    }


def _hyphen_name(word: str, lex: NameLexicon) -> float:
    """For a hyphenated word, how many of its parts are names ("Ninn-Hansen", "Warhol-pasticher": the
    news text tags such compounds as persons): listed, or names in the lexicon. Out of fold on
    train, names fully covered 0.951 at person-token precision 0.803 with it, 0.794 without."""
    parts = [p for p in word.split("-") if p]
    if len(parts) < 2:
        return 0.0
    names = name_list()
    hits = 0
    for part in parts:
        cap = part[:1].upper() + part[1:].lower() if part.isupper() else part
        per, other = lex.person.get(cap, (0, 0))
        hits += cap[:1].isupper() and (cap in names or per > other)
    return float(hits)


def token_features(
    tokens: list[tuple[int, int, str]],
    text: str,
    per: list[float],
    other: list[float],
    rule_flags: list[bool],
    index: int,
    lex: NameLexicon,
    th: Thresholds,
    lang: str = "da",
) -> dict[str, float]:
    """All features of token ``index`` (its word, the model's scores, the rules' verdict, its neighbours)."""
    i = index
    word = tokens[i][2]
    has_prev = i > 0 and adjacent(tokens, text, i - 1, i)
    has_next = i + 1 < len(tokens) and adjacent(tokens, text, i, i + 1)
    prev_word = tokens[i - 1][2] if i > 0 else ""
    next_word = tokens[i + 1][2] if i + 1 < len(tokens) else ""
    out = {
        "per": per[i],
        "other": other[i],
        "per_prev": per[i - 1] if has_prev else 0.0,
        "per_next": per[i + 1] if has_next else 0.0,
        "other_prev": other[i - 1] if has_prev else 0.0,
        "other_next": other[i + 1] if has_next else 0.0,
        "rule": float(rule_flags[i]),
        "rule_prev": float(has_prev and rule_flags[i - 1]),
        "rule_next": float(has_next and rule_flags[i + 1]),
        "cap_prev": float(has_prev and is_name_shaped(prev_word)),
        "cap_next": float(has_next and is_name_shaped(next_word)),
        "initial": float(_is_initial(tokens, text, i)),
        "title_prev": float(i > 0 and prev_word.rstrip(".").capitalize() in _TITLES),
        "place_prep_prev": float(i > 0 and prev_word.lower() in _PLACE_PREPOSITIONS),
        "verb_next": float(has_next and next_word in _VERBS.get(lang, _VERBS["da"])),
    }
    out.update(word_features(word, lex, th, lang))
    return out


def vector(features: dict[str, float], names: tuple[str, ...] | list[str] = FEATURES) -> list[float]:
    return [features[n] for n in names]
