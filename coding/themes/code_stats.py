"""Code frequencies (by period, site, teller role, any attribute) and code co-occurrence.

Every count reads the `story_codes` view (the codes a story carries for analysis) joined
with the selection, and counts stories: a story coded twice with a code counts once. The
(story, code) pairs of the whole corpus are read once and kept per process until a coding
or a reconciliation changes (`corpus_code_pairs`); a selection takes the pairs of its own
stories from them (`story_code_pairs`), which the filter decides as everywhere else.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from coding.themes.groups import Selection, group_expression, selected_seqs


@dataclass(frozen=True)
class CodeInfo:
    id: int
    key: str
    name: str
    color: str


@dataclass(frozen=True)
class CodeCount:
    group: str
    code_id: int
    stories: int  # stories in the group carrying the code
    group_stories: int  # stories in the group
    share: float  # stories / group_stories, 0..1


@dataclass(frozen=True)
class Cooccurrence:
    codes: list[int]
    counts: np.ndarray  # codes x codes; the diagonal holds each code's own count
    units: int  # stories (or coded sentences) counted
    level: str  # 'story' | 'sentence'


def code_infos(db: Database, lang: str = "da") -> dict[int, CodeInfo]:
    """Codes of the active codebook (and any code in use), by id, in codebook order."""
    from coding.codebook.codes import active_codebook, list_codes

    codebook = active_codebook(db)
    result: dict[int, CodeInfo] = {}
    for code in list_codes(db, codebook, include_retired=True):
        if not code.is_group:
            result[code.id] = CodeInfo(code.id, code.key, (code.name_en if lang == "en" else code.name_da)
                                       or code.name_da or code.key, code.color)
    used = db.execute("SELECT id, key, name_da, name_en, color FROM codes WHERE id IN "
                      "(SELECT DISTINCT code_id FROM codings)").fetchall()
    for id_, key, name_da, name_en, color in used:
        if id_ not in result:
            result[id_] = CodeInfo(id_, key, (name_en if lang == "en" else name_da) or name_da or key, color)
    return result


PAIRS_ENTRIES = 2  # databases whose pairs a process keeps
_PAIRS: dict[str, tuple[tuple, np.ndarray]] = {}  # corpus token -> (version, pairs)
_PAIRS_LOCK = threading.Lock()


def pairs_version(db: Database) -> tuple:
    """Changes whenever `story_codes` may have: a coding or who coded (the counter coding m003's
    triggers bump, and the number of codings), or a reconciliation."""
    from coding.codings import codings_version

    token = db.execute("SELECT value FROM nlp_state WHERE key = 'corpus_token'").fetchone()
    codings = db.execute("SELECT count(*) FROM codings").fetchone()[0]
    reconciled = tuple(db.execute("SELECT count(*), total(story_seq) FROM reconciliations").fetchone())
    return (token[0] if token else "", codings_version(db), codings, reconciled)


def corpus_code_pairs(db: Database) -> np.ndarray:
    """(story seq, code id) of every code any story carries (`story_codes`: whole story or a span),
    an (n, 2) integer array sorted by story, then code; every story, so a selection must keep
    only its own (`pairs_of`). Kept per process until `pairs_version` changes."""
    version = pairs_version(db)
    with _PAIRS_LOCK:
        kept = _PAIRS.get(version[0])
    if kept and kept[0] == version:
        return kept[1]
    rows = db.execute("SELECT DISTINCT story_seq, code_id FROM story_codes ORDER BY 1, 2").fetchall()
    pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
    pairs.flags.writeable = False  # shared by every caller
    with _PAIRS_LOCK:
        if len(_PAIRS) >= PAIRS_ENTRIES and version[0] not in _PAIRS:
            _PAIRS.pop(next(iter(_PAIRS)))
        _PAIRS[version[0]] = (version, pairs)
    return pairs


def pairs_of(pairs: np.ndarray, seqs: np.ndarray) -> np.ndarray:
    """The pairs whose story is one of `seqs` (sorted story seqs)."""
    if not len(pairs) or not len(seqs):
        return np.zeros((0, 2), dtype=np.int64)
    pos = np.minimum(np.searchsorted(seqs, pairs[:, 0]), len(seqs) - 1)
    return pairs[seqs[pos] == pairs[:, 0]]


def story_code_pairs(db: Database, selection: Selection, seqs: np.ndarray | None = None) -> np.ndarray:
    """(story seq, code id) for every code a selected story carries (whole story or a span), as
    an (n, 2) integer array sorted by story; `seqs`: the selection's story seqs, when known."""
    return pairs_of(corpus_code_pairs(db), selected_seqs(db, selection) if seqs is None else seqs)


def seqs_by_code(pairs: np.ndarray) -> dict[str, np.ndarray]:
    """The story seqs (sorted) carrying each code of the pairs, by code id as text (a grouping's labels)."""
    if not len(pairs):
        return {}
    order = np.lexsort((pairs[:, 0], pairs[:, 1]))
    codes, seqs = pairs[order, 1], pairs[order, 0]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    return {str(int(codes[a])): seqs[a:b] for a, b in zip(starts, np.r_[starts[1:], len(codes)])}


def code_counts(db: Database, selection: Selection, by: str = "") -> list[CodeCount]:
    """Stories per code in each group of `by` (month, quarter, site, teller_role, extra:<key>, ...)."""
    expression, expression_params = group_expression(by)
    where, params = selection.where()
    totals = dict(db.execute(
        f"SELECT {expression}, count(*) FROM stories AS s WHERE {where} GROUP BY 1",
        expression_params + params).fetchall())
    rows = db.execute(
        f"SELECT {expression}, c.code_id, count(DISTINCT s.seq) FROM stories AS s"
        " JOIN story_codes AS c ON c.story_seq = s.seq"
        f" WHERE {where} GROUP BY 1, 2 ORDER BY 1, 2", expression_params + params).fetchall()
    return [CodeCount(group or "", code_id, n, totals.get(group, 0), n / totals[group] if totals.get(group) else 0.0)
            for group, code_id, n in rows]


def story_groups(db: Database, selection: Selection, bys: list[str]) -> tuple[np.ndarray, dict[str, list[str]]]:
    """The selected stories' seqs (sorted) and, for each grouping, each story's label: one query."""
    parts, params = [], []
    for by in bys:
        expression, expression_params = group_expression(by)
        parts.append(expression)
        params += expression_params
    where, where_params = selection.where()
    columns = ", ".join(["s.seq", *parts])
    rows = db.execute(f"SELECT {columns} FROM stories AS s WHERE {where} ORDER BY s.seq", params + where_params).fetchall()
    seqs = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    return seqs, {by: [r[i + 1] or "" for r in rows] for i, by in enumerate(bys)}


def _factorize(labels: list[str]) -> tuple[list[str], np.ndarray]:
    """The distinct labels, sorted, and each label's index among them (np.unique's answer, by
    pandas' hash table instead of sorting an array of Python strings)."""
    import pandas as pd

    codes, names = pd.factorize(np.asarray(labels, dtype=object), sort=True)
    return names.tolist(), codes.astype(np.int64)


def counts_from_pairs(seqs: np.ndarray, labels: list[str], pairs) -> list[CodeCount]:
    """Stories per (group, code) from the stories' labels and their (seq, code id) pairs (a list
    of pairs or an (n, 2) integer array)."""
    names, group_of = _factorize([str(label) for label in labels]) if labels else ([], np.zeros(0, np.int64))
    totals = np.bincount(group_of, minlength=len(names)) if len(names) else np.zeros(0, np.int64)
    data = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if not len(data) or not len(names):
        return []
    pos = np.searchsorted(seqs, data[:, 0])
    ok = (pos < len(seqs)) & (seqs[np.minimum(pos, len(seqs) - 1)] == data[:, 0])
    groups, codes = group_of[pos[ok]], data[ok, 1]
    if not len(codes):
        return []
    low = int(codes.min())
    span = int(codes.max()) - low + 1
    keys, n = np.unique(groups * span + (codes - low), return_counts=True)  # ordered by group, then code
    return [CodeCount(names[g], int(c) + low, int(k), int(totals[g]), float(k / totals[g]))
            for g, c, k in zip((keys // span).tolist(), (keys % span).tolist(), n.tolist())]


def cooccurrence(db: Database, selection: Selection, level: str = "story") -> Cooccurrence:
    """How often two codes are given to the same story (or the same sentence)."""
    where, params = selection.where()
    if level == "story":
        rows = db.execute(
            "SELECT DISTINCT c.story_seq, c.code_id FROM story_codes AS c JOIN stories AS s ON s.seq = c.story_seq"
            f" WHERE {where}", params).fetchall()
    elif level == "sentence":
        rows = db.execute(
            "SELECT DISTINCT c.story_seq * 100000 + t.idx, c.code_id FROM story_codes AS c"
            " JOIN stories AS s ON s.seq = c.story_seq"
            " JOIN sentences AS t ON t.story_seq = c.story_seq AND t.start < c.end AND c.start < t.end"
            f" WHERE c.start IS NOT NULL AND {where}", params).fetchall()
    else:
        raise ValueError(f"unknown level {level!r}")
    return cooccurrence_from_pairs(rows, level)


def cooccurrence_from_pairs(rows, level: str = "story") -> Cooccurrence:
    """The co-occurrence counts of (unit, code id) pairs: a list of pairs or an (n, 2) integer array."""
    pairs = np.asarray(rows, dtype=np.int64).reshape(-1, 2)
    if not len(pairs):
        return Cooccurrence([], np.zeros((0, 0), dtype=np.int64), 0, level)
    units, unit_index = np.unique(pairs[:, 0], return_inverse=True)
    codes, code_index = np.unique(pairs[:, 1], return_inverse=True)
    import scipy.sparse as sp

    x = sp.csr_matrix((np.ones(len(pairs)), (unit_index, code_index)), shape=(len(units), len(codes)))
    counts = np.asarray((x.T @ x).todense(), dtype=np.int64)
    return Cooccurrence(codes.tolist(), counts, len(units), level)
