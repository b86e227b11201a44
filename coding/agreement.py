"""Inter-coder agreement: percent agreement, Cohen's kappa and Krippendorff's alpha (nominal).

Each code is a yes/no decision per unit. At story level the unit is a story and a coder
says "yes" when they applied the code anywhere in it (whole story or a passage); at
sentence level the unit is a stored sentence and "yes" means a passage coding of the
code overlaps it. Only coders who finished (saved) a story rate its units; other coders
are missing there, which Krippendorff's alpha allows. Reconciled codings never count.
The overall figures pool every (unit, code) decision.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from coding.codebook.codes import list_codes
from stories.trust.permissions import SYSTEM, Actor
from stories.storage import StoryFilter, filter_sql

LEVELS = ("story", "sentence")


# ---- the statistics ----------------------------------------------------------------------

def percent_agreement(units: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Mean share of agreeing coder pairs per unit, over units rated by at least two coders."""
    shares = []
    for ratings in units:
        values = [v for v in ratings if v is not None]
        if len(values) < 2:
            continue
        pairs = list(itertools.combinations(values, 2))
        shares.append(sum(a == b for a, b in pairs) / len(pairs))
    return sum(shares) / len(shares) if shares else None


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two coders' ratings of the same units (None when undefined)."""
    if len(a) != len(b):
        raise ValueError("both coders must rate the same units")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[c] * count_b[c] for c in set(count_a) | set(count_b)) / (n * n)
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(reliability_data: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data: rows are coders, columns units, None is missing.

    Units with fewer than two values are not pairable and ignored; None when undefined
    (fewer than two pairable values, or only one value in use).
    """
    if not reliability_data:
        return None
    coincidences: dict[tuple, float] = defaultdict(float)
    for column in zip(*reliability_data):
        values = [v for v in column if v is not None]
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, k in itertools.product(counts, repeat=2):
            pairs = counts[c] * (counts[k] - (c == k))
            if pairs:
                coincidences[(c, k)] += pairs / (m - 1)
    totals: Counter = Counter()
    for (c, _), o in coincidences.items():
        totals[c] += o
    n = sum(totals.values())
    if n < 2:
        return None
    disagreement = sum(o for (c, k), o in coincidences.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if expected == 0:
        return None
    return 1 - (n - 1) * disagreement / expected


# ---- gathering the ratings ---------------------------------------------------------------

@dataclass
class Ratings:
    """Who coded what: per unit, each finished coder's set of code ids."""

    level: str
    coders: list[str]
    units: list[tuple]  # (seq,) or (seq, start, end)
    chosen: dict[tuple, dict[str, set[int]]]  # unit -> coder -> code ids (only finished coders)


def _coded_rows(db: Database, codebook_id: int, level: str, actor: Actor, story_filter: StoryFilter | None
                ) -> tuple[str, list, list[tuple[int, str]], list[tuple]]:
    """What every reading of the ratings starts from: the stories in scope (a subquery and its
    parameters), who finished which story, and the codebook's codings (reconciled ones left out)."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    where, params = filter_sql(story_filter or StoryFilter(purpose="evaluation"), actor)
    scope = f"SELECT s.seq FROM stories AS s WHERE {where}"
    finished = db.execute(f"SELECT story_seq, coder FROM story_coders WHERE done = 1 AND story_seq IN ({scope})"
                          " ORDER BY story_seq, coder", params).fetchall()
    codings = db.execute(
        f"""SELECT g.story_seq, g.coder, g.code_id, g.start, g.end FROM codings AS g
            JOIN codes AS c ON c.id = g.code_id
            WHERE c.codebook_id = ? AND g.origin != 'reconciled' AND g.story_seq IN ({scope})""",
        [codebook_id, *params]).fetchall()
    return scope, params, finished, codings


def gather(db: Database, codebook_id: int, level: str = "story", *, actor: Actor = SYSTEM,
           story_filter: StoryFilter | None = None) -> Ratings:
    scope, params, finished_rows, codings = _coded_rows(db, codebook_id, level, actor, story_filter)
    finished: dict[int, list[str]] = defaultdict(list)
    for seq, coder in finished_rows:
        finished[seq].append(coder)
    chosen: dict[tuple, dict[str, set[int]]] = {}
    if level == "story":
        for seq, coders in finished.items():
            chosen[(seq,)] = {c: set() for c in coders}
        for seq, coder, code_id, _, _ in codings:
            if coder in chosen.get((seq,), {}):
                chosen[(seq,)][coder].add(code_id)
    else:
        sentences: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for seq, start, end in db.execute(
                f"SELECT story_seq, start, end FROM sentences WHERE story_seq IN ({scope}) ORDER BY story_seq, idx",
                params):
            if seq in finished:
                sentences[seq].append((start, end))
                chosen[(seq, start, end)] = {c: set() for c in finished[seq]}
        for seq, coder, code_id, start, end in codings:
            if start is None or coder not in finished.get(seq, ()):
                continue
            for s, e in sentences.get(seq, ()):
                if start < e and end > s:
                    chosen[(seq, s, e)][coder].add(code_id)
    coders = sorted({c for per in chosen.values() for c in per})
    return Ratings(level, coders, sorted(chosen), chosen)


# ---- the report --------------------------------------------------------------------------

@dataclass
class Figures:
    """Agreement on one code (code_id None: all codes pooled)."""

    code_id: int | None
    units: int  # units rated by at least two coders
    percent: float | None
    kappa: float | None  # with exactly two coders
    alpha: float | None
    applied: dict[str, int] = field(default_factory=dict)  # coder -> units they applied the code to


@dataclass
class Disagreement:
    unit: tuple  # (seq,) or (seq, start, end)
    codes: list[int]  # the codes the coders disagree on
    by_coder: dict[str, set[int]]


@dataclass
class AgreementReport:
    level: str
    coders: list[str]
    per_code: list[Figures]
    overall: Figures
    pairwise_kappa: dict[tuple[str, str], float | None]
    disagreements: list[Disagreement]
    units_by_coder: dict[str, int]


class _Table:
    """The ratings as arrays: `present[coder, unit]` (the coder finished the unit's story) and
    `applied[coder, unit, code]` (they applied the code there). Every figure below is a few
    array operations over these, instead of a Python loop per unit and code."""

    def __init__(self, coders: list[str], units, present, applied, code_ids: Sequence[int]):
        import numpy as np

        self.np = np
        self.coders, self.units, self.present, self.applied = coders, units, present, applied
        self.code_ids = list(code_ids)

    @classmethod
    def from_ratings(cls, ratings: Ratings, code_ids: Sequence[int]) -> "_Table":
        import numpy as np

        column = {code_id: i for i, code_id in enumerate(code_ids)}
        row = {coder: i for i, coder in enumerate(ratings.coders)}
        present = np.zeros((len(ratings.coders), len(ratings.units)), dtype=bool)
        applied = np.zeros((len(ratings.coders), len(ratings.units), len(code_ids)), dtype=bool)
        for u, unit in enumerate(ratings.units):
            for coder, chosen in ratings.chosen[unit].items():
                present[row[coder], u] = True
                for code_id in chosen:
                    if code_id in column:
                        applied[row[coder], u, column[code_id]] = True
        return cls(ratings.coders, ratings.units, present, applied, code_ids)

    @classmethod
    def from_db(cls, db: Database, codebook_id: int, level: str, code_ids: Sequence[int], *, actor: Actor,
                story_filter: StoryFilter | None) -> "_Table":
        """The same ratings as `gather`, read straight into arrays (no Python object per unit)."""
        import numpy as np

        scope, params, finished, rows = _coded_rows(db, codebook_id, level, actor, story_filter)
        all_coders = sorted({c for _, c in finished})
        coder_row = {c: i for i, c in enumerate(all_coders)}
        f_seq = np.array([q for q, _ in finished], dtype=np.int64)
        f_coder = np.array([coder_row[c] for _, c in finished], dtype=np.int64)
        stories = np.unique(f_seq)  # the stories someone finished
        story_present = np.zeros((len(all_coders), len(stories)), dtype=bool)
        story_present[f_coder, np.searchsorted(stories, f_seq)] = True
        column = {code_id: i for i, code_id in enumerate(code_ids)}
        # Codings as arrays: coder and code as row and column numbers, -1 for coders who
        # finished nothing here and codes outside the codebook's codes.
        columns = list(zip(*rows)) if rows else [(), (), (), (), ()]
        names, name_index = np.unique(np.array(columns[1], dtype=object), return_inverse=True)
        g_coder = np.array([coder_row.get(n, -1) for n in names], dtype=np.int64)[name_index.astype(np.int64)]
        g_code = np.array([column.get(k, -1) for k in columns[2]], dtype=np.int64)
        known = (g_coder >= 0) & (g_code >= 0)
        g_seq, g_coder, g_code = np.array(columns[0], dtype=np.int64)[known], g_coder[known], g_code[known]
        g_start = np.array(columns[3], dtype=float)[known]  # None (the whole story) becomes NaN
        g_end = np.array(columns[4], dtype=float)[known]
        g_story = np.minimum(np.searchsorted(stories, g_seq), max(len(stories) - 1, 0))
        g_finished = (story_present[g_coder, g_story] & (stories[g_story] == g_seq)) if len(stories) else \
            np.zeros(len(g_seq), dtype=bool)
        if level == "story":
            applied = np.zeros((len(all_coders), len(stories), len(code_ids)), dtype=bool)
            keep = g_finished
            applied[g_coder[keep], g_story[keep], g_code[keep]] = True
            units = [(q,) for q in stories.tolist()]
            present = story_present
        else:
            rows = db.execute(f"SELECT story_seq, start, end FROM sentences WHERE story_seq IN ({scope})"
                              " ORDER BY story_seq, start", params).fetchall()
            s_seq = np.array([r[0] for r in rows], dtype=np.int64)
            s_start = np.array([r[1] for r in rows], dtype=np.int64)
            s_end = np.array([r[2] for r in rows], dtype=np.int64)
            s_story = np.minimum(np.searchsorted(stories, s_seq), max(len(stories) - 1, 0))
            mine = (stories[s_story] == s_seq) if len(stories) else np.zeros(len(rows), dtype=bool)
            s_seq, s_start, s_end, s_story = s_seq[mine], s_start[mine], s_end[mine], s_story[mine]
            present = story_present[:, s_story]
            applied = np.zeros((len(all_coders), len(s_seq), len(code_ids)), dtype=bool)
            spans = g_finished & ~np.isnan(g_start)
            if spans.any():
                big = np.int64(1) << 32  # offsets within a story stay below this
                c_seq, c_coder, c_code = g_seq[spans], g_coder[spans], g_code[spans]
                c_start, c_end = g_start[spans].astype(np.int64), g_end[spans].astype(np.int64)
                # The sentences a passage overlaps: from the first whose end lies after the passage's
                # start to the last whose start lies before its end (a story's sentences are disjoint
                # and in order; the story's seq in the high bits keeps each search inside its story).
                first = np.searchsorted(s_seq * big + s_end, c_seq * big + c_start, side="right")
                last = np.searchsorted(s_seq * big + s_start, c_seq * big + c_end, side="left")
                counts = np.maximum(last - first, 0)
                which = np.repeat(np.arange(len(first)), counts)
                offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
                applied[c_coder[which], first[which] + offsets, c_code[which]] = True
            units = list(zip(s_seq.tolist(), s_start.tolist(), s_end.tolist()))
        used = present.any(axis=1)  # coders rating at least one unit
        coders = [c for c, u in zip(all_coders, used) if u]
        return cls(coders, units, present[used], applied[used], code_ids)

    def figures(self, codes: slice | list[int], code_id: int | None, coders: list[str]) -> Figures:
        np = self.np
        applied = self.applied[:, :, codes]  # coders x units x codes
        n_codes = applied.shape[2]
        present = np.repeat(self.present[:, :, None], n_codes, axis=2)
        m = present.sum(axis=0).ravel().astype(float)  # coders rating each (unit, code) column
        ones = applied.sum(axis=0).ravel().astype(float)
        pairable = m >= 2
        m, ones = m[pairable], ones[pairable]
        zeros = m - ones
        percent = None
        if len(m):
            pairs = m * (m - 1) / 2
            percent = float(np.mean((ones * (ones - 1) / 2 + zeros * (zeros - 1) / 2) / pairs))
        kappa = None
        if len(coders) == 2:
            both = (present[0] & present[1]).ravel()
            a, b = applied[0].ravel()[both], applied[1].ravel()[both]
            kappa = _binary_kappa(np, a, b)
        alpha = None
        if len(m):
            o11 = float(np.sum(ones * (ones - 1) / (m - 1)))
            o00 = float(np.sum(zeros * (zeros - 1) / (m - 1)))
            o01 = float(np.sum(ones * zeros / (m - 1)))
            n1, n0 = o11 + o01, o00 + o01
            expected = 2 * n0 * n1
            if n0 + n1 >= 2 and expected:
                alpha = 1 - (n0 + n1 - 1) * 2 * o01 / expected
        counts = applied.sum(axis=(1, 2))
        return Figures(code_id, int(pairable.sum()), percent, kappa, alpha,
                       {coder: int(n) for coder, n in zip(coders, counts)})

    def pairwise_kappa(self, a: int, b: int) -> float | None:
        both = self.present[a] & self.present[b]
        if not both.any():
            return None
        return _binary_kappa(self.np, self.applied[a][both].ravel(), self.applied[b][both].ravel())


def _binary_kappa(np, a, b) -> float | None:
    """`cohen_kappa` of two yes/no arrays."""
    n = len(a)
    if n == 0:
        return None
    observed = float(np.mean(a == b))
    pa, pb = float(np.mean(a)), float(np.mean(b))
    expected = pa * pb + (1 - pa) * (1 - pb)
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


def agreement_report(db: Database, codebook_id: int, level: str = "story", *, actor: Actor = SYSTEM,
                     story_filter: StoryFilter | None = None) -> AgreementReport:
    """Agreement per code and overall at one level, with the units where coders disagree."""
    code_ids = [c.id for c in list_codes(db, codebook_id, include_retired=True) if not c.is_group]
    table = _Table.from_db(db, codebook_id, level, code_ids, actor=actor, story_filter=story_filter)
    coders = table.coders
    per_code = [table.figures([i], code_id, coders) for i, code_id in enumerate(code_ids)]
    overall = table.figures(slice(None), None, coders)
    pairwise = {(coders[a], coders[b]): table.pairwise_kappa(a, b)
                for a, b in itertools.combinations(range(len(coders)), 2)}
    np = table.np
    m = table.present.sum(axis=0)  # coders per unit
    ones = table.applied.sum(axis=0)  # units x codes
    differs = (ones > 0) & (ones < m[:, None]) & (m[:, None] >= 2)
    disagreements = []
    for u in np.flatnonzero(differs.any(axis=1)):
        codes = [code_ids[c] for c in np.flatnonzero(differs[u])]
        by_coder = {coder: {code_ids[c] for c in np.flatnonzero(table.applied[r, u])}
                    for r, coder in enumerate(coders) if table.present[r, u]}
        disagreements.append(Disagreement(table.units[u], codes, by_coder))
    units_by_coder = {c: int(n) for c, n in zip(coders, table.present.sum(axis=1))}
    return AgreementReport(level, coders, per_code, overall, pairwise, disagreements, units_by_coder)


def disagreeing_stories(report: AgreementReport) -> list[int]:
    """The story seqs with at least one disagreement, in order."""
    return sorted({d.unit[0] for d in report.disagreements})
