"""The ratings as arrays, coder x unit x code, read straight from the database; every agreement
figure is a few array operations over them instead of a Python loop per unit and code."""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from coding.agreement.figures import Figures
from coding.agreement.ratings import LEVELS, Ratings
from coding.agreement.statistics import binary_kappa
from stories.visibility import StoryFilter, filter_sql
from stories.trust.permissions import Actor


class Table:
    """The ratings as arrays: `present[coder, unit]` (the coder finished the unit's story) and
    `applied[coder, unit, code]` (they applied the code there). Every figure below is a few
    array operations over these, instead of a Python loop per unit and code."""

    def __init__(self, coders: list[str], units, present, applied, code_ids: Sequence[int]):
        import numpy as np

        self.np = np
        self.coders, self.units, self.present, self.applied = coders, units, present, applied
        self.code_ids = list(code_ids)

    @classmethod
    def from_ratings(cls, ratings: Ratings, code_ids: Sequence[int]) -> "Table":
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
                story_filter: StoryFilter | None) -> "Table":
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
            kappa = binary_kappa(np, a, b)
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
        return binary_kappa(self.np, self.applied[a][both].ravel(), self.applied[b][both].ravel())


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
