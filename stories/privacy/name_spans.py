"""Assembling people's names from per-token verdicts: spans of adjacent name words, names
extended over initials, particles and surnames, and every other mention of a found name.

The verdicts on single words (is this word a name here?) are in ``name_verdicts``; the learned
second stage (``name_stage``) may change them before the spans are assembled again.
"""

from __future__ import annotations

import re

from stories.privacy.name_rules import (
    NameLexicon, Thresholds, _zipf, adjacent, name_forms, current_thresholds, is_common_word, is_function_word,
    is_name_shaped, lexicon_verdict, listed_name,
)
from stories.privacy.name_verdicts import token_verdicts

_INITIAL_RE = re.compile(r"^[A-ZÆØÅÄÖÜ]\.$")
_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "la", "le", "du", "af", "bin", "al", "el"}
_ROMAN_RE = re.compile(r"^(?:I{1,3}|IV|V|VI{1,3}|IX|X{1,3}|XI{1,3}|XIV|XV)$")


def person_spans(
    tokens: list[tuple[int, int, str]],
    text: str,
    model_labels: list[str | None],
    lex: NameLexicon,
    lang: str = "da",
    thresholds: Thresholds | None = None,
) -> list[tuple[int, int]]:
    """Person spans from tokens ``(start, end, text)`` and per-token model labels.

    ``model_labels[i]`` is "PER" (the model says name), another label (the
    model is confident it is a place or organisation) or None (undecided); see
    ``name_verdicts.token_verdicts``.
    """
    th = thresholds or current_thresholds()
    n = len(tokens)
    flag = token_verdicts(tokens, text, model_labels, lex, lang, th)
    # extend names over initials ("K. J. Philipsen"), particles ("Van Helsing"),
    # regnal numbers ("Christian IV") and adjacent capitalised words
    changed = True
    while changed:
        changed = False
        for i in range(n):
            if flag[i]:
                continue
            word = tokens[i][2]
            nxt = i + 1 < n and flag[i + 1] and adjacent(tokens, text, i, i + 1)
            prv = i > 0 and flag[i - 1] and adjacent(tokens, text, i - 1, i)
            if _INITIAL_RE.match(word) and nxt:
                flag[i] = changed = True
            elif word.lower() in _PARTICLES and nxt and (prv or word[0].isupper()):
                flag[i] = changed = True
            elif _ROMAN_RE.match(word) and prv and not (lang == "en" and word == "I"):
                flag[i] = changed = True
            elif (nxt or prv) and is_name_shaped(word) and lexicon_verdict(word, lex) is not False \
                    and not is_function_word(word, lang) \
                    and (model_labels[i] is None or (prv and listed_name(tokens[i - 1][2], th, first_only=True))) \
                    and (listed_name(word, th) or not is_common_word(word, lang, th)
                         or (prv and (lang == "en" or listed_name(tokens[i - 1][2], th, first_only=True))
                             and _rare_as_written(word, lang, th))):
                flag[i] = changed = True  # "Karen Siune": a surname after a first name
    return spans_from_flags(tokens, text, flag)


def _rare_as_written(word: str, lang: str, th: Thresholds) -> bool:
    """The word as written, not its base forms, is no everyday word: "Kravets" after a first name (or any
    name, in an English story, where Danish endings say nothing) is a surname, though "kravet" is a
    Danish word."""
    w = word.lower()
    return _zipf(w, "da") < th.common_min_zipf and (lang != "en" or _zipf(w, "en") < th.en_common_min_zipf)


def spans_from_flags(tokens: list[tuple[int, int, str]], text: str, flag: list[bool]) -> list[tuple[int, int]]:
    """Person spans from per-token verdicts: adjacent flagged tokens make one name."""
    n = len(tokens)
    spans: list[list[int]] = []
    for i in range(n):
        if not flag[i]:
            continue
        s, e, _ = tokens[i]
        if spans and flag[i - 1] and adjacent(tokens, text, i - 1, i):
            spans[-1][1] = e
        else:
            spans.append([s, e])
    # a possessive apostrophe glued to a name: "Lars'"
    for sp in spans:
        if text[sp[1]:sp[1] + 1] in ("'", "’") and text[sp[1] - 1:sp[1]] in ("s", "x", "z"):
            sp[1] += 1
    return [(s, e) for s, e in spans]


def propagate_names(
    tokens: list[tuple[int, int, str]], text: str, spans: list[tuple[int, int]], lex: NameLexicon
) -> list[tuple[int, int]]:
    """Flag every other mention of a word already found in a name.

    A story often names "Mads Jensen" once in a clear context and "Mads" at the
    start of later sentences, where the model or the rules may miss him.
    Tokens and spans are both sorted by start.
    """
    covered = _covered_tokens(tokens, spans)
    words = {word for (_, _, word), cov in zip(tokens, covered)
             if cov and len(word) >= 2 and is_name_shaped(word) and lexicon_verdict(word, lex) is not False}
    if not words:
        return spans
    extra = [(ts, te) for (ts, te, word), cov in zip(tokens, covered)
             if not cov and any(f in words for f in name_forms(word))]
    if not extra:
        return spans
    merged: list[list[int]] = []
    for s, e in sorted([*spans, *extra]):
        if merged and text[merged[-1][1]:s].strip(" \t") == "":
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _covered_tokens(tokens: list[tuple[int, int, str]], spans: list[tuple[int, int]]) -> list[bool]:
    """For each token, whether it lies inside one of the (sorted, disjoint) spans."""
    out, j = [], 0
    for ts, te, _ in tokens:
        while j < len(spans) and spans[j][1] <= ts:
            j += 1
        out.append(j < len(spans) and spans[j][0] <= ts and te <= spans[j][1])
    return out
