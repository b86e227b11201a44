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
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from coding.codebook.codes import list_codes
from coding.codings import codings_version
from stories.trust.permissions import SYSTEM, Actor
from stories.storage import StoryFilter, filter_sql, stories_version

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
        """The same ratings as `gather`, read straight into arrays (no Python object per unit or
        coding: SQLite hands each column over as one comma-separated list, grouped by coder)."""
        import numpy as np

        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}")
        where, params = filter_sql(story_filter or StoryFilter(purpose="evaluation"), actor)
        # The stories in scope, read once (a scan of the wide stories table); the tables below are
        # read whole and cut to the scope here: cheaper than a look-up per story in each query.
        in_scope = np.unique(_ints(db.execute(f"SELECT group_concat(s.seq) FROM stories AS s WHERE {where}",
                                              params).fetchone()[0]))
        finished = db.execute("SELECT coder, group_concat(story_seq) FROM story_coders WHERE done = 1"
                              " GROUP BY coder").fetchall()
        finished = [(c, seqs[np.isin(seqs, in_scope)]) for c, seqs in ((c, _ints(t)) for c, t in finished)]
        finished = [(c, seqs) for c, seqs in finished if len(seqs)]
        all_coders = sorted(c for c, _ in finished)
        coder_row = {c: i for i, c in enumerate(all_coders)}
        per_coder = [(coder_row[c], seqs) for c, seqs in finished]
        f_seq = np.concatenate([seqs for _, seqs in per_coder]) if per_coder else np.zeros(0, np.int64)
        f_coder = np.concatenate([np.full(len(seqs), r, np.int64) for r, seqs in per_coder]) if per_coder \
            else np.zeros(0, np.int64)
        stories = np.unique(f_seq)  # the stories someone finished
        story_present = np.zeros((len(all_coders), len(stories)), dtype=bool)
        story_present[f_coder, np.searchsorted(stories, f_seq)] = True
        column = {code_id: i for i, code_id in enumerate(code_ids)}
        spans_wanted = level == "sentence"
        extra = ", group_concat(ifnull(g.start, -1)), group_concat(ifnull(g.end, -1))" if spans_wanted else ""
        groups = db.execute(
            f"""SELECT g.coder, g.code_id, group_concat(g.story_seq){extra} FROM codings AS g
                WHERE g.origin != 'reconciled' AND g.code_id IN (SELECT id FROM codes WHERE codebook_id = ?)
                GROUP BY g.coder, g.code_id""", [codebook_id]).fetchall()
        # Codings of coders who finished nothing here and of codes outside the codebook's codes are left out.
        groups = [g for g in groups if g[0] in coder_row and g[1] in column]
        parts = []
        for g in groups:
            columns = [_ints(text) for text in g[2:]]
            keep = np.isin(columns[0], in_scope)
            parts.append([c[keep] for c in columns])
        g_seq = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
        g_coder = np.concatenate([np.full(len(p[0]), coder_row[g[0]], np.int64) for g, p in zip(groups, parts)]) \
            if parts else np.zeros(0, np.int64)
        g_code = np.concatenate([np.full(len(p[0]), column[g[1]], np.int64) for g, p in zip(groups, parts)]) \
            if parts else np.zeros(0, np.int64)
        g_story = np.minimum(np.searchsorted(stories, g_seq), max(len(stories) - 1, 0))
        g_finished = (story_present[g_coder, g_story] & (stories[g_story] == g_seq)) if len(stories) else \
            np.zeros(len(g_seq), dtype=bool)
        if level == "story":
            applied = np.zeros((len(all_coders), len(stories), len(code_ids)), dtype=bool)
            keep = g_finished
            applied[g_coder[keep], g_story[keep], g_code[keep]] = True
            units = _Units(stories)
            present = story_present
        else:
            g_start = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
            g_end = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, np.int64)
            s_seq, s_start, s_end = (_ints(text) for text in db.execute(
                "SELECT group_concat(story_seq), group_concat(start), group_concat(end) FROM sentences").fetchone())
            order = np.lexsort((s_start, s_seq))
            s_seq, s_start, s_end = s_seq[order], s_start[order], s_end[order]
            s_story = np.minimum(np.searchsorted(stories, s_seq), max(len(stories) - 1, 0))
            mine = (stories[s_story] == s_seq) if len(stories) else np.zeros(len(s_seq), dtype=bool)
            s_seq, s_start, s_end, s_story = s_seq[mine], s_start[mine], s_end[mine], s_story[mine]
            present = story_present[:, s_story]
            applied = np.zeros((len(all_coders), len(s_seq), len(code_ids)), dtype=bool)
            spans = g_finished & (g_start >= 0)  # -1: a coding of the whole story
            if spans.any():
                big = np.int64(1) << 32  # offsets within a story stay below this
                c_seq, c_coder, c_code = g_seq[spans], g_coder[spans], g_code[spans]
                c_start, c_end = g_start[spans], g_end[spans]
                # The sentences a passage overlaps: from the first whose end lies after the passage's
                # start to the last whose start lies before its end (a story's sentences are disjoint
                # and in order; the story's seq in the high bits keeps each search inside its story).
                first = np.searchsorted(s_seq * big + s_end, c_seq * big + c_start, side="right")
                last = np.searchsorted(s_seq * big + s_start, c_seq * big + c_end, side="left")
                counts = np.maximum(last - first, 0)
                which = np.repeat(np.arange(len(first)), counts)
                offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
                applied[c_coder[which], first[which] + offsets, c_code[which]] = True
            units = _Units(s_seq, s_start, s_end)
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


def _ints(text: str | None):
    """A comma-separated list of integers from SQLite's group_concat as an int64 array."""
    import numpy as np

    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64)


class _Units(Sequence):
    """The units of a table as tuples, made only when one is read: (seq,) or (seq, start, end)."""

    def __init__(self, *columns):
        self.columns = columns

    def __len__(self) -> int:
        return len(self.columns[0])

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return tuple(int(c[i]) for c in self.columns)


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


CACHE_ENTRIES = 16
_REPORTS: OrderedDict = OrderedDict()
_LOCK = threading.Lock()


def data_version(db: Database) -> tuple:
    """Changes whenever an agreement report may change: the story rows (scope, consent), who coded
    what (`coding.codings.codings_version`), the settings and the imports being written (both in
    the scope's SQL)."""
    staged = db.execute("SELECT count(*), total(first_seq), total(last_seq) FROM staged_imports").fetchone()
    settings = db.execute("SELECT group_concat(key || '=' || value, char(10)) FROM settings").fetchone()[0]
    return stories_version(db), codings_version(db), tuple(staged), settings


def agreement_report(db: Database, codebook_id: int, level: str = "story", *, actor: Actor = SYSTEM,
                     story_filter: StoryFilter | None = None) -> AgreementReport:
    """Agreement per code and overall at one level, with the units where coders disagree.

    Kept per process under `data_version` and the scope's SQL (never a connection), so a page
    rerun with nothing changed does not read every coding again. The report returned is shared:
    read it, do not change it."""
    code_ids = [c.id for c in list_codes(db, codebook_id, include_retired=True) if not c.is_group]
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    where, params = filter_sql(story_filter or StoryFilter(purpose="evaluation"), actor)
    key = (data_version(db), codebook_id, level, tuple(code_ids), where, tuple(params))
    with _LOCK:
        if key in _REPORTS:
            _REPORTS.move_to_end(key)
            return _REPORTS[key]
    report = compute_report(db, codebook_id, level, code_ids, actor=actor, story_filter=story_filter)
    with _LOCK:
        _REPORTS[key] = report
        while len(_REPORTS) > CACHE_ENTRIES:
            _REPORTS.popitem(last=False)
    return report


def clear_cache() -> None:
    with _LOCK:
        _REPORTS.clear()


def compute_report(db: Database, codebook_id: int, level: str, code_ids: Sequence[int], *, actor: Actor = SYSTEM,
                   story_filter: StoryFilter | None = None) -> AgreementReport:
    """The report itself, read from the database (`agreement_report` keeps it)."""
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
