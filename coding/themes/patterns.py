"""Patterns across the answers: for two questions, the right figure and test, and the strongest
pairs ranked with a correction for testing many.

Every statistic comes from scipy (chi-square with expected counts, Fisher's exact test,
Mann-Whitney U, Kruskal-Wallis H, Spearman's rho, Benjamini-Hochberg); nothing is hand-written.
A single choice is a category; a multiple choice is one yes/no category per option; scales and
dyads are numbers; a triad is a composition (pictured per group, tested pole by pole as numbers).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats
from sqlite_utils import Database

from coding.themes.groups import Selection
from stories.questions.answers import answers_by_story
from stories.questions.library import Question, list_questions

MIN_STORIES = 5  # fewer stories answering both: no test
MIN_EXPECTED = 5  # chi-square's assumption: every expected count at least 5


@dataclass(frozen=True)
class Variable:
    """One side of a pattern: a question, or one option of a multiple choice, or one pole of a triad."""

    question: Question
    part: str = ""  # the option (multiple) or pole (triad) this variable is about

    @property
    def key(self) -> str:
        return f"{self.question.key}#{self.part}" if self.part else self.question.key

    @property
    def kind(self) -> str:
        """'category', 'number' or 'triad'."""
        q = self.question
        if q.kind in ("single", "multiple"):
            return "category"
        if q.kind in ("scale", "dyad") or (q.kind == "triad" and self.part):
            return "number"
        return "triad"

    def label(self, lang: str = "da") -> str:
        text = self.question.wording(lang)
        if self.part:
            option = self.question.option(self.part)
            text += f": {option.label(lang) if option else self.part}"
        return text

    def value(self, raw):
        """This variable's value in a stored answer (None: not usable)."""
        q = self.question
        if q.kind == "multiple":
            return "yes" if self.part in raw else "no"
        if q.kind == "triad" and self.part:
            index = [o.key for o in q.options].index(self.part)
            return float(raw[index])
        if q.kind in ("scale", "dyad"):
            return float(raw)
        return raw

    def category_label(self, value, lang: str = "da") -> str:
        if self.question.kind == "multiple":
            from stories.i18n import t

            return t(f"patterns.{value}", lang)
        option = self.question.option(str(value))
        return option.label(lang) if option else str(value)


def variables(questions: list[Question], *, split: bool = False) -> list[Variable]:
    """The variables of these questions (write-ins have none). `split`: triads as one number per pole."""
    out = []
    for q in questions:
        if q.kind == "text":
            continue
        if q.kind == "multiple":
            out.extend(Variable(q, o.key) for o in q.options)
        elif q.kind == "triad" and split:
            out.extend(Variable(q, o.key) for o in q.options)
        else:
            out.append(Variable(q))
    return out


def selection_seqs(db: Database, selection: Selection) -> list[int]:
    where, params = selection.where("s")
    return [r[0] for r in db.execute(f"SELECT s.seq FROM stories AS s WHERE {where} ORDER BY s.seq", params)]


def paired_values(db: Database, a: Variable, b: Variable, seqs: list[int],
                  answers: dict | None = None) -> list[tuple[int, object, object]]:
    """(story seq, value of a, value of b) for every selected story that answered both.
    `answers`, when given, keeps each question's answers over `seqs` for the next pair."""
    def read(question_id):
        if answers is None:
            return answers_by_story(db, question_id, seqs)
        if question_id not in answers:
            answers[question_id] = answers_by_story(db, question_id, seqs)
        return answers[question_id]

    va = read(a.question.id)
    vb = va if b.question.id == a.question.id else read(b.question.id)
    out = []
    for seq in sorted(set(va) & set(vb)):
        x, y = a.value(va[seq]), b.value(vb[seq])
        if x is not None and y is not None:
            out.append((seq, x, y))
    return out


@dataclass
class Pattern:
    """Two variables, their figure and their test."""

    a: Variable
    b: Variable
    figure: str  # 'table', 'box', 'scatter', 'ternary'
    n: int
    test: str = ""  # 'chi2', 'fisher', 'mannwhitney', 'kruskal', 'spearman', '' (none)
    statistic: float | None = None
    p: float | None = None
    p_adjusted: float | None = None
    warning: str = ""  # a catalog key when an assumption does not hold
    rows: list = field(default_factory=list)  # table: row categories; box/ternary: groups
    columns: list = field(default_factory=list)  # table: column categories
    counts: list = field(default_factory=list)  # table: observed counts [row][column]
    expected: list = field(default_factory=list)  # table: expected counts
    points: list = field(default_factory=list)  # (seq, x, y) as paired
    stories: dict = field(default_factory=dict)  # cell or group -> story seqs

    @property
    def effect(self) -> float | None:
        """A size that ranks patterns of different tests: |rho|, Cramér's V, or the rank-biserial / epsilon²."""
        return self._effect

    _effect: float | None = None


def _table(p: Pattern) -> Pattern:
    rows = sorted({x for _, x, _ in p.points}, key=str)
    cols = sorted({y for _, _, y in p.points}, key=str)
    p.rows, p.columns = rows, cols
    counts = np.zeros((len(rows), len(cols)), dtype=int)
    for seq, x, y in p.points:
        i, j = rows.index(x), cols.index(y)
        counts[i, j] += 1
        p.stories.setdefault((x, y), []).append(seq)
    p.counts = counts.tolist()
    if len(rows) < 2 or len(cols) < 2:
        p.warning = "patterns.warn.one_category"
        return p
    result = stats.chi2_contingency(counts, correction=False)
    p.expected = result.expected_freq.tolist()
    p.test, p.statistic, p.p = "chi2", float(result.statistic), float(result.pvalue)
    p._effect = float(stats.contingency.association(counts, method="cramer"))
    if (result.expected_freq < MIN_EXPECTED).any():
        if counts.shape == (2, 2):
            fisher = stats.fisher_exact(counts)
            p.test, p.statistic, p.p = "fisher", float(fisher.statistic), float(fisher.pvalue)
        else:
            p.warning = "patterns.warn.expected"
    return p


def _groups(p: Pattern, numbers_first: bool) -> Pattern:
    groups: dict = {}
    for seq, x, y in p.points:
        number, group = (x, y) if numbers_first else (y, x)
        groups.setdefault(group, []).append(number)
        p.stories.setdefault(group, []).append(seq)
    p.rows = sorted(groups, key=str)
    samples = [groups[g] for g in p.rows]
    p.counts = [list(s) for s in samples]
    if len(samples) < 2 or any(len(s) < 2 for s in samples):
        p.warning = "patterns.warn.small_groups"
        return p
    if all(len(set(s)) == 1 for s in samples) and len({s[0] for s in samples}) == 1:
        p.warning = "patterns.warn.constant"
        return p
    if len(samples) == 2:
        result = stats.mannwhitneyu(samples[0], samples[1], alternative="two-sided")
        p.test, p.statistic, p.p = "mannwhitney", float(result.statistic), float(result.pvalue)
        p._effect = abs(1 - 2 * p.statistic / (len(samples[0]) * len(samples[1])))
    else:
        result = stats.kruskal(*samples)
        p.test, p.statistic, p.p = "kruskal", float(result.statistic), float(result.pvalue)
        n = sum(len(s) for s in samples)
        p._effect = float(p.statistic / (n - 1))
    return p


def _scatter(p: Pattern) -> Pattern:
    xs = [x for _, x, _ in p.points]
    ys = [y for _, _, y in p.points]
    p.stories = {"all": [seq for seq, _, _ in p.points]}
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        p.warning = "patterns.warn.constant"
        return p
    result = stats.spearmanr(xs, ys)
    p.test, p.statistic, p.p = "spearman", float(result.statistic), float(result.pvalue)
    p._effect = abs(p.statistic)
    return p


def _ternary(p: Pattern, triad_first: bool) -> Pattern:
    for seq, x, y in p.points:
        group = y if triad_first else x
        p.stories.setdefault(group, []).append(seq)
    p.rows = sorted(p.stories, key=str)
    return p


def analyse(db: Database, a: Variable, b: Variable, selection: Selection | None = None, *,
            seqs: list[int] | None = None, answers: dict | None = None) -> Pattern:
    """The figure and test for two variables over the selected stories (`seqs`: the selection's
    stories when already known; `answers`: answers read for earlier pairs, see `paired_values`)."""
    if seqs is None:
        seqs = selection_seqs(db, selection or Selection())
    points = paired_values(db, a, b, seqs, answers)
    kinds = (a.kind, b.kind)
    figure = {("category", "category"): "table", ("number", "number"): "scatter"}.get(kinds)
    if figure is None:
        figure = "ternary" if "triad" in kinds else "box"
    p = Pattern(a, b, figure, len(points), points=points)
    if figure == "ternary":
        if kinds == ("triad", "triad"):
            p.warning = "patterns.warn.two_triads"
            return p
        return _ternary(p, a.kind == "triad")
    if len(points) < MIN_STORIES:
        p.warning = "patterns.warn.few"
        if figure == "table":
            _table(p)
            p.test, p.statistic, p.p, p._effect = "", None, None, None
            p.warning = "patterns.warn.few"
        return p
    if figure == "table":
        return _table(p)
    if figure == "box":
        return _groups(p, a.kind == "number")
    return _scatter(p)


def strongest(db: Database, selection: Selection | None = None, *, questions: list[Question] | None = None,
              limit: int = 20) -> list[Pattern]:
    """Every pair of variables from different questions tested, adjusted with Benjamini-Hochberg
    (scipy's false_discovery_control) over all tested pairs, strongest (smallest adjusted p) first."""
    selection = selection or Selection()
    chosen = variables(questions if questions is not None else list_questions(db, include_retired=True), split=True)
    tested = []
    seqs, answers = selection_seqs(db, selection), {}  # read once for all pairs, not once a pair
    for a, b in itertools.combinations(chosen, 2):
        if a.question.id == b.question.id:
            continue
        p = analyse(db, a, b, seqs=seqs, answers=answers)
        if p.p is not None and not math.isnan(p.p):
            tested.append(p)
    if not tested:
        return []
    adjusted = stats.false_discovery_control([p.p for p in tested], method="bh")
    for p, q in zip(tested, adjusted):
        p.p_adjusted = float(q)
    tested.sort(key=lambda p: (p.p_adjusted, p.p, -(p.effect or 0)))
    return tested[:limit]
