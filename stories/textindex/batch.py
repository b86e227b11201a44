"""The vectorised analysis of a batch of spaCy docs: sentences, lemma counts, words, sentiment.

A token is never turned into a Python object: each doc is read as one numpy array
(the token's text as a hash, its offset), the arrays of a batch are joined, and what a
token text is (its lower-case form, alphabetic, punctuation, sentence-final, its length:
lexeme attributes, the same for every token of that text) and what a word form means
(lemma, AFINN score, known to a lexicon or not) are worked out once per process per text
and form (`Forms`) and looked up for the whole batch with numpy. Python loops run over the
distinct texts of a batch, never over its tokens.
"""

from __future__ import annotations

import functools
import operator
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from stories.textindex import language as _lang

NEGATORS = {"da": ("ikke", "aldrig", "ingen", "intet"), "en": ("not", "never", "no", "nothing", "nobody")}
_PAIR = np.uint64(1_000_003)  # mixes two word hashes into one key (wrapping is fine: exact check follows)


@functools.lru_cache(maxsize=1)
def token_attrs() -> tuple[int, int]:
    """The token attributes read per token, ORTH and IDX: everything else about a token is an
    attribute of its text (`Forms.texts`). (spaCy is imported on first use, not with the module.)"""
    from spacy.attrs import IDX, ORTH

    return ORTH, IDX


class Forms:
    """What each word form of one language means, for one lemma table, by spaCy hash.

    Form i has lemma `lemma_names[form_lemma[i]]`, AFINN score `form_score[i]` and is known
    to a lexicon or the stop list when `form_known[i]`.
    """

    def __init__(self, lang: str, table: Mapping[str, str]):
        from stories.textindex.sentiment import lexicon, phrase_lexicon

        self.lang = lang
        self.table = table  # held, so the cache key id(table) stays unique
        self.strings = _lang.load_pipeline(lang).vocab.strings
        self.overrides = _lang.lemma_overrides(lang)
        self.stops = _lang.stop_words(lang)
        self.scores = lexicon(lang)
        self.lemma_values = frozenset(v for v in table.values() if isinstance(v, str))
        self.phrases = {(self.strings.add(a), self.strings.add(b)): s for (a, b), s in phrase_lexicon(lang).items()}
        pairs = np.array(sorted(self.phrases), dtype=np.uint64).reshape(-1, 2)
        self.phrase_keys = np.unique(pairs[:, 0] * _PAIR + pairs[:, 1])
        self.negators = np.array(sorted({self.strings.add(w) for w in NEGATORS.get(lang, ())}), dtype=np.uint64)
        punct = _lang.load_pipeline(lang).get_pipe("sentencizer").punct_chars  # the pipeline's own rule
        self.sentence_ends = np.array(sorted({self.strings.add(c) for c in punct}), dtype=np.uint64)
        self.form_id: dict[int, int] = {}
        self.lemma_id: dict[str, int] = {}
        self.lemma_names: list[str] = []
        self.form_lemma = np.zeros(0, dtype=np.int64)
        self.form_score = np.zeros(0, dtype=np.float64)
        self.form_known = np.zeros(0, dtype=np.float64)
        self.vocab = _lang.load_pipeline(lang).vocab
        self.text_id: dict[int, int] = {}  # ORTH hash -> row of the text_* arrays
        self.text_lower = np.zeros(0, dtype=np.uint64)
        self.text_alpha = np.zeros(0, dtype=bool)
        self.text_punct = np.zeros(0, dtype=bool)
        self.text_final = np.zeros(0, dtype=bool)
        self.text_length = np.zeros(0, dtype=np.int64)
        self.text_form = np.zeros(0, dtype=np.int64)  # the form of an alphabetic text, else -1
        self._lock = threading.RLock()  # `texts` adds forms (`ids`) while it holds it

    def resolve(self, h: int) -> tuple[str, float, bool]:
        """(lemma, AFINN score, known) of the form with hash h."""
        text = self.strings[h]
        lemma = self.overrides.get(text) or self.table.get(text, None)
        known = lemma is not None or text in self.lemma_values or text in self.stops or text in self.scores
        return lemma or text, float(self.scores.get(text, 0.0)), known

    def ids(self, hashes: np.ndarray) -> np.ndarray:
        """Form numbers of distinct hashes, adding the forms not seen before."""
        get = self.form_id.get
        ids = [get(h, -1) for h in hashes.tolist()]
        if -1 in ids:
            with self._lock:
                new = [(i, h) for i, h in enumerate(hashes.tolist()) if self.form_id.get(h) is None]
                infos = [self.resolve(h) for _, h in new]
                start = len(self.form_id)
                lemmas = [self.lemma_id.setdefault(lemma, len(self.lemma_id)) for lemma, _, _ in infos]
                self.lemma_names.extend(list(self.lemma_id)[len(self.lemma_names):])
                self.form_lemma = np.concatenate([self.form_lemma, np.array(lemmas, dtype=np.int64)])
                self.form_score = np.concatenate([self.form_score, np.array([s for _, s, _ in infos])])
                self.form_known = np.concatenate([self.form_known, np.array([k for _, _, k in infos], dtype=float)])
                for n, (_, h) in enumerate(new):
                    self.form_id[h] = start + n
            ids = [self.form_id[h] for h in hashes.tolist()]
        return np.array(ids, dtype=np.int64)


    def texts(self, orths: np.ndarray) -> np.ndarray:
        """Rows of the text_* arrays for ORTH hashes, adding the texts not seen before.

        A token's lower-case form, IS_ALPHA, IS_PUNCT and LENGTH are its lexeme's (what
        `Doc.to_array` would read for each token), so they are read once per text."""
        get = self.text_id.get
        rows = [get(h, -1) for h in orths.tolist()]
        if -1 in rows:
            with self._lock:
                new = list(dict.fromkeys(h for h in orths.tolist() if self.text_id.get(h) is None))
                lexemes = [self.vocab[h] for h in new]
                lower = np.array([lex.lower for lex in lexemes], dtype=np.uint64)
                alpha = np.array([lex.is_alpha for lex in lexemes], dtype=bool)
                form = np.full(len(new), -1, dtype=np.int64)
                if alpha.any():
                    distinct, which = np.unique(lower[alpha], return_inverse=True)
                    form[alpha] = self.ids(distinct)[which]
                start = len(self.text_lower)
                self.text_lower = np.concatenate([self.text_lower, lower])
                self.text_alpha = np.concatenate([self.text_alpha, alpha])
                self.text_punct = np.concatenate([self.text_punct, np.array([lex.is_punct for lex in lexemes], dtype=bool)])
                self.text_final = np.concatenate([self.text_final, np.isin(np.array(new, dtype=np.uint64), self.sentence_ends)])
                self.text_length = np.concatenate([self.text_length, np.array([len(lex.orth_) for lex in lexemes], dtype=np.int64)])
                self.text_form = np.concatenate([self.text_form, form])
                for n, h in enumerate(new):
                    self.text_id[h] = start + n
            rows = [self.text_id[h] for h in orths.tolist()]
        return np.array(rows, dtype=np.int64)


_FORMS: dict[tuple[str, int], Forms] = {}
_LOCK = threading.Lock()


def forms_for(lang: str) -> Forms:
    table = _lang.load_lemma_table(lang)
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
    lemma_gids: np.ndarray  # their numbers in the `Forms` (`Forms.lemma_names`)
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


def analyse_docs(docs: Iterable, forms: Forms) -> DocBatch:
    """The analysis of the docs (an iterable: each doc is read into an array and let go)."""
    attrs = list(token_attrs())
    arrays = [doc.to_array(attrs).reshape(-1, len(attrs)) for doc in docs]
    n = len(arrays)
    lengths = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=n)
    tokens = np.concatenate(arrays) if n else np.zeros((0, len(attrs)), dtype=np.uint64)
    del arrays
    doc_of = np.repeat(np.arange(n), lengths)
    offsets = tokens[:, 1].astype(np.int64)
    # What each token's text is, looked up once per distinct text of the batch.
    text_codes, distinct = pd.factorize(tokens[:, 0])
    text_rows = forms.texts(np.asarray(distinct, dtype=np.uint64))[text_codes] if len(tokens) else text_codes
    # Sentences: every doc starts one; a sentence ends just before the next one starts.
    starts = sentence_starts(forms.text_final[text_rows], forms.text_punct[text_rows], lengths, doc_of)
    ends = np.append(starts[1:] - 1, len(tokens) - 1).astype(np.int64) if len(starts) else starts
    sent_doc = doc_of[starts]
    sent_idx = np.arange(len(starts)) - np.searchsorted(sent_doc, np.arange(n))[sent_doc] if len(starts) else starts
    sent_start = offsets[starts]
    sent_end = offsets[ends] + forms.text_length[text_rows[ends]]
    # Words: alphabetic tokens -> forms -> lemmas, all by table lookups.
    word_rows = text_rows[forms.text_alpha[text_rows]]
    hashes = forms.text_lower[word_rows]
    word_doc = doc_of[forms.text_alpha[text_rows]]
    token_form = forms.text_form[word_rows]
    token_score = forms.form_score[token_form]
    local, lemma_gids = pd.factorize(forms.form_lemma[token_form])
    words = np.bincount(word_doc, minlength=n)
    known = np.bincount(word_doc, weights=forms.form_known[token_form], minlength=n).astype(np.int64)
    sentiment = np.bincount(word_doc, weights=token_score, minlength=n)
    scored = np.bincount(word_doc, weights=token_score != 0, minlength=n).astype(np.int64)
    if len(hashes) > 1:
        _in_context(hashes, word_doc, token_score, forms, sentiment, scored)
    size = max(len(lemma_gids), 1)
    keys, counts = np.unique(word_doc * size + local, return_counts=True)
    gids = np.asarray(lemma_gids).tolist()
    lemmas = list(operator.itemgetter(*gids)(forms.lemma_names)) if len(gids) > 1 else [forms.lemma_names[g] for g in gids]
    return DocBatch(n, sent_doc, sent_idx, sent_start, sent_end, lemmas, np.asarray(gids, dtype=np.int64),
                    keys // size, keys % size,
                    counts, words, known, sentiment, scored)


def sentence_starts(final: np.ndarray, punct: np.ndarray, lengths: np.ndarray, doc_of: np.ndarray) -> np.ndarray:
    """Token positions that start a sentence: spaCy's Sentencizer rule, over the whole batch at once.

    The Sentencizer starts a doc's first sentence at its first token, and a new one at the
    first token after a sentence-final character (`final`, per token) that is neither
    punctuation (`punct`) nor such a character. So a word (a token that is neither) starts a
    sentence exactly when such a character stands between it and the word before it in
    the same doc (or the doc's start). The tokens come from the tokenizer alone: running the
    Sentencizer itself would make a Python object of every token.
    """
    firsts = (np.cumsum(lengths) - lengths)[lengths > 0]
    is_start = np.zeros(len(final), dtype=bool)
    is_start[firsts] = True
    if len(final):
        word = np.flatnonzero(~(final | punct))
        seen = np.concatenate([[0], np.cumsum(final)])  # seen[i]: sentence-final characters before token i
        doc_first = (np.cumsum(lengths) - lengths)[doc_of[word]]
        previous = np.concatenate([[-1], word[:-1]])
        since = np.maximum(previous + 1, doc_first)
        is_start[word[seen[word] - seen[since] > 0]] = True
    return np.flatnonzero(is_start)


def _in_context(hashes: np.ndarray, word_doc: np.ndarray, score: np.ndarray, forms: Forms,
                sentiment: np.ndarray, scored: np.ndarray) -> None:
    """Two-word lexicon phrases ("for lidt") replace the scores of their own words, and a
    negation ("ikke", "aldrig") turns the score of the next word around ("ikke glad")."""
    same_doc = word_doc[:-1] == word_doc[1:]
    phrase = np.zeros(len(same_doc), dtype=bool)
    if len(forms.phrase_keys):
        phrase = np.isin(hashes[:-1] * _PAIR + hashes[1:], forms.phrase_keys) & same_doc
        for i in np.flatnonzero(phrase).tolist():
            value = forms.phrases.get((int(hashes[i]), int(hashes[i + 1])))
            if value is None:  # two other words with the same mixed key
                phrase[i] = False
                continue
            doc = word_doc[i]
            sentiment[doc] += value - score[i] - score[i + 1]
            scored[doc] += 1 - int(score[i] != 0) - int(score[i + 1] != 0)
    if len(forms.negators):
        negated = np.flatnonzero(np.isin(hashes[:-1], forms.negators) & same_doc & ~phrase) + 1
        np.subtract.at(sentiment, word_doc[negated], 2 * score[negated])
