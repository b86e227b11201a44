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


def gather(db: Database, codebook_id: int, level: str = "story", *, actor: Actor = SYSTEM,
           story_filter: StoryFilter | None = None) -> Ratings:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    where, params = filter_sql(story_filter or StoryFilter(purpose="evaluation"), actor)
    scope = f"SELECT s.seq FROM stories AS s WHERE {where}"
    finished: dict[int, list[str]] = defaultdict(list)
    for seq, coder in db.execute(
            f"SELECT story_seq, coder FROM story_coders WHERE done = 1 AND story_seq IN ({scope})"
            " ORDER BY story_seq, coder", params):
        finished[seq].append(coder)
    codings = db.execute(
        f"""SELECT g.story_seq, g.coder, g.code_id, g.start, g.end FROM codings AS g
            JOIN codes AS c ON c.id = g.code_id
            WHERE c.codebook_id = ? AND g.origin != 'reconciled' AND g.story_seq IN ({scope})""",
        [codebook_id, *params]).fetchall()
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


def _matrix(ratings: Ratings, code_ids: Sequence[int]) -> list[list[int | None]]:
    """Coder rows, (unit, code) columns: 1 applied, 0 not applied, None not coded."""
    rows = []
    for coder in ratings.coders:
        row = []
        for unit in ratings.units:
            per = ratings.chosen[unit]
            for code_id in code_ids:
                row.append(None if coder not in per else int(code_id in per[coder]))
        rows.append(row)
    return rows


def _figures(ratings: Ratings, code_ids: Sequence[int], code_id: int | None) -> Figures:
    matrix = _matrix(ratings, code_ids)
    columns = list(zip(*matrix)) if matrix else []
    pairable = sum(1 for col in columns if sum(v is not None for v in col) >= 2)
    kappa = None
    if len(ratings.coders) == 2:
        pairs = [(a, b) for a, b in zip(*matrix) if a is not None and b is not None]
        kappa = cohen_kappa([a for a, _ in pairs], [b for _, b in pairs]) if pairs else None
    applied = {coder: sum(v == 1 for v in row) for coder, row in zip(ratings.coders, matrix)}
    return Figures(code_id, pairable, percent_agreement(columns), kappa, krippendorff_alpha(matrix), applied)


def agreement_report(db: Database, codebook_id: int, level: str = "story", *, actor: Actor = SYSTEM,
                     story_filter: StoryFilter | None = None) -> AgreementReport:
    """Agreement per code and overall at one level, with the units where coders disagree."""
    ratings = gather(db, codebook_id, level, actor=actor, story_filter=story_filter)
    code_ids = [c.id for c in list_codes(db, codebook_id, include_retired=True) if not c.is_group]
    per_code = [_figures(ratings, [code_id], code_id) for code_id in code_ids]
    overall = _figures(ratings, code_ids, None)
    pairwise: dict[tuple[str, str], float | None] = {}
    for a, b in itertools.combinations(ratings.coders, 2):
        xs, ys = [], []
        for unit in ratings.units:
            per = ratings.chosen[unit]
            if a in per and b in per:
                xs.extend(int(c in per[a]) for c in code_ids)
                ys.extend(int(c in per[b]) for c in code_ids)
        pairwise[(a, b)] = cohen_kappa(xs, ys) if xs else None
    disagreements = []
    for unit in ratings.units:
        per = ratings.chosen[unit]
        if len(per) < 2:
            continue
        union = set().union(*per.values())
        differing = sorted(c for c in union if not all(c in chosen for chosen in per.values()))
        if differing:
            disagreements.append(Disagreement(unit, differing, {k: set(v) for k, v in per.items()}))
    units_by_coder = {c: sum(c in ratings.chosen[u] for u in ratings.units) for c in ratings.coders}
    return AgreementReport(level, ratings.coders, per_code, overall, pairwise, disagreements, units_by_coder)


def disagreeing_stories(report: AgreementReport) -> list[int]:
    """The story seqs with at least one disagreement, in order."""
    return sorted({d.unit[0] for d in report.disagreements})
