"""Word counts and distinctive words, from the stored lemma counts.

Distinctive words compare a group of stories with the rest of the selection by the
log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' Words"): the prior is the selection's own word frequencies, scaled to at most
PRIOR_WORDS words, so rare words need real evidence; each word gets a z-score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from coding.themes.groups import Selection, group_rows, selected_seqs, seqs_by_group
from coding.nlp.lemma_matrix import LemmaMatrix, load_matrix
from coding.nlp.stopwords import stop_lemma_ids

PRIOR_WORDS = 10_000.0
MIN_COUNT = 3  # a distinctive word occurs at least this often in the group
MIN_STORIES = 2  # a group needs this many stories to have distinctive words


@dataclass(frozen=True)
class WordCount:
    lemma: str
    count: int
    stories: int


@dataclass(frozen=True)
class WordTable:
    n_stories: int
    n_words: int  # words after stop words
    rows: list[WordCount]
    foreign: int = 0  # stories that look like neither Danish nor English
    empty: int = 0  # stories with no words left after stop words


@dataclass(frozen=True)
class DistinctiveWord:
    lemma: str
    z: float
    count: int  # in the group
    rest: int  # in the rest of the selection
    stories: int  # stories of the group that use it


@dataclass(frozen=True)
class GroupWords:
    group: str
    n_stories: int
    words: list[DistinctiveWord]


FOREIGN_SHARE = 0.5  # fewer known words than this share: probably another language
FOREIGN_MIN_WORDS = 5


def content_mask(db: Database, matrix: LemmaMatrix, hide_names: bool = False) -> np.ndarray:
    """1.0 for lemma columns views count, 0.0 for stop lemmas and unused ids; with
    `hide_names` also 0.0 for common first names (views that must show no names)."""
    mask = np.ones(matrix.counts.shape[1], dtype=np.float64)
    stops = stop_lemma_ids(db)
    if hide_names:
        stops = np.concatenate([stops, name_lemma_ids(db)])
    mask[stops[stops < len(mask)]] = 0.0
    mask[0] = 0.0
    return mask


def hides_names(selection: Selection) -> bool:
    """Evaluators, and anything for evaluation or publication, see no names (also not as words)."""
    from stories.privacy.pseudonymised import needs_pseudonymisation

    return needs_pseudonymisation(selection.actor, selection.story.purpose)


def name_lemma_ids(db: Database) -> np.ndarray:
    from stories.privacy.names import hidden_word_forms

    names = sorted(hidden_word_forms())
    ids: list[int] = []
    for i in range(0, len(names), 500):
        chunk = names[i : i + 500]
        ids += [r[0] for r in db.execute(f"SELECT id FROM lemmas WHERE lemma IN ({','.join('?' * len(chunk))})", chunk)]
    return np.array(ids, dtype=np.int64)


def word_counts(db: Database, selection: Selection, top_n: int = 150, *, seqs: np.ndarray | None = None,
                mask: np.ndarray | None = None) -> WordTable:
    """The most frequent lemmas (stop words left out) in the selection, with their counts."""
    matrix = load_matrix(db)
    seqs = selected_seqs(db, selection) if seqs is None else seqs
    mask = content_mask(db, matrix, hides_names(selection)) if mask is None else mask
    rows = matrix.rows(seqs)
    indicator = np.zeros(len(matrix.seqs), dtype=np.int32)  # integers like the counts: no float copy of them
    indicator[rows] = 1
    counts = (matrix.counts.T @ indicator) * mask
    stories = (matrix.present.T @ indicator) * mask
    per_story = (matrix.counts @ mask.astype(np.int32))[rows] if len(rows) else np.zeros(0)  # no copy of the rows
    words, known = matrix.words[rows], matrix.known[rows]
    foreign = int(np.sum((words >= FOREIGN_MIN_WORDS) & (known < FOREIGN_SHARE * words)))
    top = _top(counts, top_n)
    return WordTable(
        n_stories=len(seqs),
        n_words=int(counts.sum()),
        rows=[WordCount(matrix.lemmas[i], int(counts[i]), int(stories[i])) for i in top],
        foreign=foreign,
        empty=int(len(seqs) - len(rows) + np.sum(per_story == 0)),
    )


def _top(values: np.ndarray, n: int) -> np.ndarray:
    nonzero = np.flatnonzero(values > 0)
    if len(nonzero) > n:
        nonzero = nonzero[np.argpartition(-values[nonzero], n - 1)[:n]]
    return nonzero[np.lexsort((nonzero, -values[nonzero]))]


def log_odds(group: np.ndarray, rest: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """z-scores of the log-odds ratio of each word in `group` against `rest`, with a Dirichlet prior."""
    a0 = prior.sum()
    n_g, n_r = group.sum(), rest.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log((group + prior) / (n_g + a0 - group - prior))
                 - np.log((rest + prior) / (n_r + a0 - rest - prior)))
        variance = 1.0 / (group + prior) + 1.0 / (rest + prior)
        z = delta / np.sqrt(variance)
    return np.nan_to_num(z, nan=0.0, posinf=0.0, neginf=0.0)


def distinctive_words(db: Database, selection: Selection, by: str = "code", top_n: int = 15, *,
                      seqs: np.ndarray | None = None, mask: np.ndarray | None = None,
                      groups: dict[str, np.ndarray] | None = None) -> list[GroupWords]:
    """For each group (of `by`) the words most typical of it against the rest of the selection.

    A group with fewer than MIN_STORIES stories gets no words (the page says so). `groups`:
    the selection's story seqs (sorted) by group label, when known.
    """
    matrix = load_matrix(db)
    seqs = selected_seqs(db, selection) if seqs is None else seqs
    mask = content_mask(db, matrix, hides_names(selection)) if mask is None else mask
    groups = seqs_by_group(group_rows(db, selection, by=by)) if groups is None else groups
    if not groups or not len(seqs):
        return []
    labels = sorted(groups)
    per_group, per_group_stories = matrix.group_sums([groups[g] for g in labels])
    per_group = per_group * mask
    total = (matrix.counts.T @ matrix.indicator(seqs)) * mask
    prior = total * (min(PRIOR_WORDS, total.sum()) / max(total.sum(), 1.0))
    prior[mask > 0] = np.maximum(prior[mask > 0], 0.01)
    result = []
    for g, label in enumerate(labels):
        n_stories = len(groups[label])
        if n_stories < MIN_STORIES:
            result.append(GroupWords(label, n_stories, []))
            continue
        counts = per_group[g]
        rest = np.maximum(total - counts, 0.0)
        z = log_odds(counts, rest, prior) * (counts >= MIN_COUNT) * mask
        top = _top(np.where(z > 0, z, 0.0), top_n)
        result.append(GroupWords(label, n_stories, [
            DistinctiveWord(matrix.lemmas[i], float(z[i]), int(counts[i]), int(rest[i]), int(per_group_stories[g, i]))
            for i in top
        ]))
    return result
