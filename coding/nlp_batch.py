"""The vectorised analysis of a batch of spaCy docs: sentences, lemma counts, words, sentiment.

A token is never turned into a Python object: each doc is read as one numpy array
(lower-case hash, is_alpha, offset, length, sentence start), the arrays of a batch are
joined, and what a word form means (lemma, AFINN score, known to a lexicon or not) is
worked out once per process per form and remembered by its hash (`Forms`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.attrs import IDX, IS_ALPHA, LENGTH, LOWER, SENT_START

from coding import nlp as _nlp

ATTRS = [LOWER, IS_ALPHA, IDX, LENGTH, SENT_START]
NEGATORS = {"da": ("ikke", "aldrig", "ingen", "intet"), "en": ("not", "never", "no", "nothing", "nobody")}


class Forms:
    """What each word form of one language means, for one lemma table, by spaCy hash."""

    def __init__(self, lang: str, table: Mapping[str, str]):
        from coding.sentiment import lexicon, phrase_lexicon

        self.lang = lang
        self.table = table  # held, so the cache key id(table) stays unique
        self.strings = _nlp.load_pipeline(lang).vocab.strings
        self.overrides = _nlp.lemma_overrides(lang)
        self.stops = _nlp.stop_words(lang)
        self.scores = lexicon(lang)
        self.lemma_values = frozenset(v for v in table.values() if isinstance(v, str))
        self.phrases = {(self.strings.add(a), self.strings.add(b)): s for (a, b), s in phrase_lexicon(lang).items()}
        self.negators = {self.strings.add(w) for w in NEGATORS.get(lang, ())}
        starts = {a for a, _ in self.phrases} | self.negators
        self.context_starts = np.array(sorted(starts), dtype=np.uint64)
        self.by_hash: dict[int, tuple[str, float, bool]] = {}

    def resolve(self, h: int) -> tuple[str, float, bool]:
        """(lemma, AFINN score, known) of the form with hash h; remembered."""
        text = self.strings[h]
        lemma = self.overrides.get(text) or self.table.get(text, None)
        known = lemma is not None or text in self.lemma_values or text in self.stops or text in self.scores
        info = (lemma or text, float(self.scores.get(text, 0.0)), known)
        self.by_hash[h] = info
        return info


_FORMS: dict[tuple[str, int], Forms] = {}
_LOCK = threading.Lock()


def forms_for(lang: str) -> Forms:
    table = _nlp.load_lemma_table(lang)
    key = (lang, id(table))
    forms = _FORMS.get(key)
    if forms is None:
        with _LOCK:
            forms = _FORMS.get(key) or Forms(lang, table)
            _FORMS[key] = forms
    return forms


@dataclass
class DocBatch:
    """The analysis of n docs. Pairs are sorted by doc, then lemma index."""

    n: int
    sent_doc: np.ndarray
    sent_idx: np.ndarray
    sent_start: np.ndarray
    sent_end: np.ndarray
    lemmas: list[str]  # the distinct lemmas of the batch; pair_lemma indexes this list
    pair_doc: np.ndarray
    pair_lemma: np.ndarray
    pair_n: np.ndarray
    words: np.ndarray
    known: np.ndarray
    sentiment: np.ndarray
    scored: np.ndarray

    def doc_bounds(self, doc_of: np.ndarray) -> np.ndarray:
        """Start offsets (n + 1) of each doc's rows in an array sorted by doc."""
        return np.searchsorted(doc_of, np.arange(self.n + 1))


def analyse_docs(docs: Sequence, forms: Forms) -> DocBatch:
    n = len(docs)
    arrays = [doc.to_array(ATTRS).reshape(-1, len(ATTRS)) for doc in docs]
    lengths = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=n)
    tokens = np.concatenate(arrays) if n else np.zeros((0, len(ATTRS)), dtype=np.uint64)
    doc_of = np.repeat(np.arange(n), lengths)
    # Sentences: every doc starts one; a sentence ends just before the next one starts.
    is_start = tokens[:, 4] == 1
    firsts = (np.cumsum(lengths) - lengths)[lengths > 0]
    is_start[firsts] = True
    starts = np.flatnonzero(is_start)
    ends = np.append(starts[1:] - 1, len(tokens) - 1).astype(np.int64) if len(starts) else starts
    sent_doc = doc_of[starts]
    first_sentence = np.searchsorted(sent_doc, np.arange(n))
    sent_idx = np.arange(len(starts)) - first_sentence[sent_doc] if len(starts) else starts
    sent_start = tokens[starts, 2].astype(np.int64)
    sent_end = (tokens[ends, 2] + tokens[ends, 3]).astype(np.int64)
    # Words: alphabetic tokens, by form, then by lemma.
    alpha = tokens[:, 1] == 1
    hashes = tokens[alpha, 0]
    word_doc = doc_of[alpha]
    uniq, inverse = np.unique(hashes, return_inverse=True)
    by_hash = forms.by_hash
    infos = [by_hash.get(h) or forms.resolve(h) for h in uniq.tolist()]
    lemma_index: dict[str, int] = {}
    form_lemma = np.fromiter((lemma_index.setdefault(i[0], len(lemma_index)) for i in infos), np.int64, len(infos))
    form_score = np.fromiter((i[1] for i in infos), np.float64, len(infos))
    form_known = np.fromiter((i[2] for i in infos), np.float64, len(infos))
    token_score = form_score[inverse]
    words = np.bincount(word_doc, minlength=n)
    known = np.bincount(word_doc, weights=form_known[inverse], minlength=n).astype(np.int64)
    sentiment = np.bincount(word_doc, weights=token_score, minlength=n)
    scored = np.bincount(word_doc, weights=token_score != 0, minlength=n).astype(np.int64)
    if len(forms.context_starts) and len(hashes) > 1:
        _in_context(hashes, word_doc, forms, sentiment, scored)
    size = max(len(lemma_index), 1)
    keys, counts = np.unique(word_doc * size + form_lemma[inverse], return_counts=True)
    return DocBatch(n, sent_doc, sent_idx, sent_start, sent_end, list(lemma_index), keys // size, keys % size,
                    counts, words, known, sentiment, scored)


def _in_context(hashes: np.ndarray, word_doc: np.ndarray, forms: Forms, sentiment: np.ndarray,
                scored: np.ndarray) -> None:
    """Two-word lexicon phrases ("for lidt") replace the scores of their own words, and a
    negation ("ikke", "aldrig") turns the score of the next word around ("ikke glad")."""
    candidates = np.isin(hashes[:-1], forms.context_starts) & (word_doc[:-1] == word_doc[1:])
    by_hash = forms.by_hash
    for i in np.flatnonzero(candidates).tolist():
        pair = (int(hashes[i]), int(hashes[i + 1]))
        doc = word_doc[i]
        score = forms.phrases.get(pair)
        if score is not None:
            for h in pair:
                single = by_hash[h][1]
                if single:
                    sentiment[doc] -= single
                    scored[doc] -= 1
            sentiment[doc] += score
            scored[doc] += 1
        elif pair[0] in forms.negators:
            sentiment[doc] -= 2 * by_hash[pair[1]][1]
