"""The theme summary of a selection: words, distinctive words, code frequencies, co-occurrence.

Everything is computed from stored results (the lemma matrix, `story_codes`, `story_nlp`)
and kept per process under the data version (`coding.themes.kept`): any change to stories,
the NLP index, the stop list, codings or reconciliations gives a new version, so a kept
summary is never stale. The version costs a few small queries; a warm summary is only those.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlite_utils import Database

from coding.themes.code_stats import (CodeCount, Cooccurrence, cooccurrence_from_pairs, counts_from_pairs, seqs_by_code,
                                      story_code_pairs, story_groups)
from coding.themes.groups import Selection, selected_seqs
from coding.themes.kept import clear, data_version, kept
from coding.nlp.lemma_matrix import load_matrix
from coding.themes.words import GroupWords, WordTable, content_mask, distinctive_words, hides_names, word_counts


@dataclass(frozen=True)
class ThemeSummary:
    n_stories: int
    words: WordTable
    distinctive: list[GroupWords]  # by code
    by_period: list[CodeCount]
    by_site: list[CodeCount]
    by_role: list[CodeCount]
    cooccurrence: Cooccurrence
    period: str


@dataclass(frozen=True)
class WordSummary:
    """The part of the summary the word view shows: no code counts by period, site or role."""

    n_stories: int
    words: WordTable
    distinctive: list[GroupWords]  # by code
    # (seq, code id) of the selection's codes, for the code counts on top (an array: small to keep)
    pairs: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64), compare=False, repr=False)


def theme_summary(db: Database, selection: Selection | None = None, *, period: str = "month",
                  top_n: int = 150) -> ThemeSummary:
    """The whole summary of a selection (cached until the data changes)."""
    selection = selection or Selection()
    key = (data_version(db), selection.key(), period, top_n)
    return kept(key, lambda: compute_summary(db, selection, period=period, top_n=top_n))


def word_summary(db: Database, selection: Selection | None = None, *, top_n: int = 150) -> WordSummary:
    """The word view's part of the summary (cached until the data changes): the same figures as
    `theme_summary`'s, without the code counts by group the word view does not show."""
    selection = selection or Selection()
    key = ("words", data_version(db), selection.key(), top_n)
    return kept(key, lambda: compute_word_summary(db, selection, top_n=top_n))


def clear_cache() -> None:
    """Forget every kept theme result (the summaries and the views' results)."""
    clear()


def compute_summary(db: Database, selection: Selection, *, period: str = "month", top_n: int = 150) -> ThemeSummary:
    """The word view's part (`word_summary`, kept) and the code counts by group on top of it."""
    part = word_summary(db, selection, top_n=top_n)
    seqs, labels = story_groups(db, selection, [period, "site", "teller_role"])
    pairs = part.pairs  # (seq, code id) rows, an integer array
    return ThemeSummary(
        n_stories=len(seqs),
        words=part.words,
        distinctive=part.distinctive,
        by_period=counts_from_pairs(seqs, labels[period], pairs),
        by_site=counts_from_pairs(seqs, labels["site"], pairs),
        by_role=counts_from_pairs(seqs, labels["teller_role"], pairs),
        cooccurrence=cooccurrence_from_pairs(pairs, "story"),
        period=period,
    )


def compute_word_summary(db: Database, selection: Selection, *, top_n: int = 150) -> WordSummary:
    seqs = selected_seqs(db, selection)
    mask = content_mask(db, load_matrix(db), hides_names(selection))
    pairs = story_code_pairs(db, selection, seqs)
    return WordSummary(
        n_stories=len(seqs),
        words=word_counts(db, selection, top_n, seqs=seqs, mask=mask),
        distinctive=distinctive_words(db, selection, "code", seqs=seqs, mask=mask, groups=seqs_by_code(pairs)),
        pairs=pairs,
    )
