"""Representative quotes for a code: its coded sentences, and the stories most typical of it.

A story is typical of a code when its words (TF-IDF over the stored lemma counts, stop
words left out) lie close to the average of all stories carrying the code (cosine).
Quotes carry the teller's pseudonym only, never a name field.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from coding.themes.code_stats import corpus_code_pairs, pairs_of
from coding.themes.groups import Selection, selected_seqs
from coding.themes.kept import data_version, kept
from coding.nlp.lemma_matrix import load_matrix

MAX_QUOTE = 400  # characters


@dataclass(frozen=True)
class Quote:
    story_id: str
    title: str
    teller_pseudonym: str
    teller_role: str
    day: str
    text: str
    score: float = 0.0  # typicality, 0..1, for typical stories
    pseudonymised: bool = False  # names and other personal data replaced


def _trim(text: str, limit: int = MAX_QUOTE) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


class _Pseudonyms:
    """Each quoted story's personal data, found once (with staff's corrections)."""

    def __init__(self, db: Database):
        self.db = db
        self.by_story: dict = {}

    def __call__(self, story_id: str):
        from stories.privacy.pseudonymised import pseudonyms_for
        from stories.storage import get_story

        if story_id not in self.by_story:
            self.by_story[story_id] = pseudonyms_for(self.db, get_story(self.db, story_id))
        return self.by_story[story_id]


def _hide(selection: Selection, pseudonymise: bool | None) -> bool:
    if pseudonymise is not None:
        return pseudonymise
    from coding.themes.words import hides_names

    return hides_names(selection)


def coded_sentences(db: Database, selection: Selection, code_id: int, limit: int = 20, *,
                    pseudonymise: bool | None = None) -> list[Quote]:
    """The passages coded with the code (spans), newest story first.

    Pseudonymised (names and the like replaced) when the selection's actor or purpose asks
    for it, or when `pseudonymise` says so; kept per process under the data's version when not
    (pseudonymised text follows staff's corrections of personal data, which the version does not count).
    """
    if _hide(selection, pseudonymise):
        return _coded_sentences(db, selection, code_id, limit, True)
    return list(kept(("coded_sentences", data_version(db), selection.key(), code_id, limit),
                     lambda: _coded_sentences(db, selection, code_id, limit, False)))


def _coded_sentences(db: Database, selection: Selection, code_id: int, limit: int, hide: bool) -> list[Quote]:
    where, params = selection.where()
    rows = db.execute(
        "SELECT s.id, s.title, s.teller_pseudonym, s.teller_role,"
        " COALESCE(s.happened_on, substr(s.created_at, 1, 10)), substr(s.text, c.start + 1, c.end - c.start),"
        " c.start, c.end FROM story_codes AS c JOIN stories AS s ON s.seq = c.story_seq"
        f" WHERE c.code_id = ? AND c.start IS NOT NULL AND {where}"
        " ORDER BY 5 DESC, s.seq DESC, c.start LIMIT ?", [code_id, *params, limit]).fetchall()
    if not hide:
        return [Quote(r[0], r[1], r[2], r[3], r[4], _trim(r[5])) for r in rows]
    found = _Pseudonyms(db)
    return [Quote(r[0], found(r[0]).field("title"), r[2], r[3], r[4], _trim(found(r[0]).slice(r[6], r[7])),
                  pseudonymised=True) for r in rows]


def typical_stories(db: Database, selection: Selection, code_id: int, limit: int = 5, *,
                    pseudonymise: bool | None = None) -> list[Quote]:
    """The stories carrying the code whose words are most like the code's stories on average (kept
    per process under the data's version, unless pseudonymised: see `coded_sentences`)."""
    hide = _hide(selection, pseudonymise)
    if hide:
        return _typical_stories(db, selection, code_id, limit, True)
    return list(kept(("typical_stories", data_version(db), selection.key(), code_id, limit),
                     lambda: _typical_stories(db, selection, code_id, limit, False)))


def _typical_stories(db: Database, selection: Selection, code_id: int, limit: int, hide: bool) -> list[Quote]:
    from coding.themes.words import content_mask

    pairs = corpus_code_pairs(db)
    seqs = pairs_of(pairs[pairs[:, 1] == code_id], selected_seqs(db, selection))[:, 0]  # the code's, sorted
    if not len(seqs):
        return []
    matrix = load_matrix(db)
    row_ids = matrix.rows(seqs)
    scores = np.zeros(len(row_ids))
    if len(row_ids):
        # TF-IDF rows x = counts * weight (stop words 0, idf over the code's stories): the column
        # sums come from integer products with the whole matrix, and only the code's rows' values
        # are copied, once, as floats
        indicator = matrix.indicator(seqs)
        df = matrix.present.T @ indicator
        weight = content_mask(db, matrix) * (np.log((1.0 + len(row_ids)) / (1.0 + df)) + 1.0)
        centroid = weight * (matrix.counts.T @ indicator) / len(row_ids)
        counts = matrix.counts[row_ids]
        x = counts.data * weight[counts.indices]  # the rows' TF-IDF values, row after row
        dots, norms = np.zeros(len(row_ids)), np.zeros(len(row_ids))
        filled = np.flatnonzero(np.diff(counts.indptr))  # rows with a word (sums over runs of them)
        if len(filled):
            dots[filled] = np.add.reduceat(x * centroid[counts.indices], counts.indptr[filled])
            norms[filled] = np.sqrt(np.add.reduceat(x * x, counts.indptr[filled]))
        norms[norms == 0] = 1.0
        centroid_norm = np.linalg.norm(centroid) or 1.0
        scores = dots / norms / centroid_norm
    order = np.argsort(-scores, kind="stable")[:limit]
    chosen = {int(matrix.seqs[row_ids[i]]): float(scores[i]) for i in order}
    if not chosen:
        chosen = {int(s): 0.0 for s in seqs[:limit]}
    marks = ",".join("?" * len(chosen))
    stories = db.execute(
        "SELECT seq, id, title, teller_pseudonym, teller_role, COALESCE(happened_on, substr(created_at, 1, 10)), text"
        f" FROM stories WHERE seq IN ({marks})", list(chosen)).fetchall()
    by_seq = {r[0]: r for r in stories}
    found = _Pseudonyms(db)
    result = []
    for seq in sorted(chosen, key=lambda s: -chosen[s]):
        if seq not in by_seq:
            continue
        _, id_, title, teller, role, day, text = by_seq[seq]
        if hide:
            title, text = found(id_).field("title"), found(id_).field("text")
        result.append(Quote(id_, title, teller, role, day, _trim(text), chosen[seq], hide))
    return result
