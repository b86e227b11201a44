"""The stored lemma counts of all stories as one sparse matrix (stories x lemmas), cached.

Every word view sums rows of this matrix for the stories a filter selects, so a view
over 50,000 stories reads no text and runs no NLP. The matrix is built from the packed
arrays in `story_nlp` (one quick read) and kept per process until the index changes
(the `nlp_version` counter that `index_stories` bumps). Stories that a filter leaves out
(deleted, withdrawn, out of scope) are simply rows nobody selects.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sqlite_utils import Database

CACHE_SIZE = 2  # matrices kept per process (one per database, the newest versions)
DENSE_GROUPS = 64  # up to this many groups, group sums use a dense rows x groups weight array


@dataclass(frozen=True)
class LemmaMatrix:
    seqs: np.ndarray  # story seqs, sorted: row i is story seqs[i]
    counts: sp.csr_matrix  # rows x (max lemma id + 1), int32 counts
    present: sp.csr_matrix  # the same pattern with 1s: stories containing a lemma
    lemmas: np.ndarray  # lemma text by id ('' for unused ids)
    words: np.ndarray  # alphabetic words per row
    known: np.ndarray  # of those, words a lexicon knows

    def rows(self, seqs) -> np.ndarray:
        """Row numbers of the given story seqs (seqs without a row are skipped)."""
        seqs = np.asarray(seqs, dtype=np.int64)
        if not len(self.seqs) or not len(seqs):
            return np.zeros(0, dtype=np.int64)
        pos = np.searchsorted(self.seqs, seqs)
        pos = np.clip(pos, 0, len(self.seqs) - 1)
        return pos[self.seqs[pos] == seqs]

    def indicator(self, seqs) -> np.ndarray:
        """A 0/1 vector over the rows, 1 for the given stories: integers like the counts, so a
        product with them needs no float copy of the whole matrix (a third of the time)."""
        vector = np.zeros(len(self.seqs), dtype=np.int32)
        vector[self.rows(seqs)] = 1
        return vector

    def group_matrix(self, groups: list[np.ndarray]) -> sp.csr_matrix:
        """A groups x rows 0/1 integer matrix, one row per array of story seqs."""
        rows, cols = [], []
        for g, seqs in enumerate(groups):
            r = self.rows(seqs)
            rows.append(np.full(len(r), g))
            cols.append(r)
        data_rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        data_cols = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        return sp.csr_matrix((np.ones(len(data_rows), dtype=np.int32), (data_rows, data_cols)),
                             shape=(len(groups), len(self.seqs)))

    def group_sums(self, groups: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """For each array of story seqs: its lemma counts summed, and how many of its stories
        contain each lemma (two groups x lemmas integer arrays)."""
        if len(groups) <= DENSE_GROUPS:  # rows x groups 0/1 columns: one pass over the matrix
            weights = np.zeros((len(self.seqs), len(groups)), dtype=np.int32)
            for g, seqs in enumerate(groups):
                weights[self.rows(seqs), g] = 1
            return np.ascontiguousarray((self.counts.T @ weights).T), np.ascontiguousarray((self.present.T @ weights).T)
        weights = self.group_matrix(groups)
        return np.asarray((weights @ self.counts).todense()), np.asarray((weights @ self.present).todense())


def state(db: Database) -> dict[str, str]:
    return dict(db.execute("SELECT key, value FROM nlp_state").fetchall())


def corpus_token(db: Database) -> str:
    row = db.execute("SELECT value FROM nlp_state WHERE key = 'corpus_token'").fetchone()
    return row[0] if row else ""


_CACHE: dict[str, tuple[str, LemmaMatrix]] = {}
_LOCK = threading.Lock()


def load_matrix(db: Database) -> LemmaMatrix:
    """The matrix of this database's current index (from the per-process cache when it is current)."""
    info = state(db)
    token, version = info.get("corpus_token", ""), info.get("nlp_version", "")
    cached = _CACHE.get(token)
    if cached and cached[0] == version:
        return cached[1]
    matrix = build_matrix(db)  # read after the version: a newer index only causes a rebuild later
    with _LOCK:
        if len(_CACHE) >= CACHE_SIZE and token not in _CACHE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[token] = (version, matrix)
    return matrix


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def build_matrix(db: Database) -> LemmaMatrix:
    rows = db.execute(
        "SELECT story_seq, words, known, lemma_ids, lemma_counts FROM story_nlp ORDER BY story_seq"
    ).fetchall()
    max_id = db.execute("SELECT coalesce(max(id), 0) FROM lemmas").fetchone()[0]
    lemmas = np.full(max_id + 1, "", dtype=object)
    for id_, lemma in db.execute("SELECT id, lemma FROM lemmas"):
        lemmas[id_] = lemma
    n = len(rows)
    seqs = np.fromiter((r[0] for r in rows), np.int64, n)
    words = np.fromiter((r[1] for r in rows), np.int64, n)
    known = np.fromiter((r[2] for r in rows), np.int64, n)
    indices = np.frombuffer(b"".join(r[3] for r in rows), dtype="<i4")
    data = np.frombuffer(b"".join(r[4] for r in rows), dtype="<i4")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.fromiter((len(r[3]) // 4 for r in rows), np.int64, n), out=indptr[1:])
    shape = (n, max_id + 1)
    counts = sp.csr_matrix((data.astype(np.int32), indices.astype(np.int32), indptr), shape=shape)
    present = sp.csr_matrix((np.ones(len(data), dtype=np.int32), counts.indices, counts.indptr), shape=shape)
    return LemmaMatrix(seqs, counts, present, lemmas, words, known)
