"""The theme report's section on patterns across the answers: the strongest pairs ranked with
their corrected p-values in plain words, then the observations on patterns with their competing
interpretations (pseudonymised by the one rule when the report is for evaluation or publication)."""

from __future__ import annotations

from sqlite_utils import Database

from coding.themes.groups import Selection
from coding.themes.patterns import Pattern, strongest, variables
from stories import formatting
from stories.i18n import t
from stories.privacy.pseudonymised import shown_text
from stories.questions.library import list_questions
from stories.questions.observations import all_observations

RANKED = 10
# corrected p below the bound -> the words for how strong the evidence is
EVIDENCE = ((0.001, "very_strong"), (0.01, "strong"), (0.05, "some"), (0.10, "weak"))


def evidence_words(p_adjusted: float | None, lang: str = "da") -> str:
    """A corrected p-value said in plain words ("stærkt belæg: næppe tilfældigt")."""
    if p_adjusted is None:
        return t("patterns.report.evidence.none", lang)
    level = next((name for bound, name in EVIDENCE if p_adjusted < bound), "none")
    return t(f"patterns.report.evidence.{level}", lang)


def p_words(value: float | None, lang: str = "da") -> str:
    if value is None:
        return "–"
    if value < 0.001:
        return "< " + formatting.number(0.001, lang, decimals=3)
    return formatting.number(value, lang, decimals=3)


def pattern_line(p: Pattern, rank: int, lang: str = "da") -> str:
    test = t(f"patterns.test.{p.test}", lang, stat=formatting.number(p.statistic or 0, lang, decimals=2),
             p=p_words(p.p, lang), n=p.n).replace("= <", "<")  # "p < 0,001", not "p = < 0,001"
    q = p_words(p.p_adjusted, lang)
    return t("patterns.report.line", lang, rank=rank, a=p.a.label(lang), b=p.b.label(lang), test=test,
             q=q if q.startswith("<") else f"= {q}", words=evidence_words(p.p_adjusted, lang))


def add_patterns_section(doc, db: Database, selection: Selection, *, purpose: str, lang: str = "da") -> None:
    """Append the patterns section to a python-docx Document (nothing when no question has answers)."""
    questions = list_questions(db, include_retired=True)
    ranked = strongest(db, selection, questions=questions, limit=RANKED) if questions else []
    observations = all_observations(db)
    if not ranked and not observations:
        return
    doc.add_heading(t("patterns.report.heading", lang), 1)
    doc.add_paragraph(t("patterns.report.intro", lang))
    if ranked:
        for rank, p in enumerate(ranked, start=1):
            doc.add_paragraph(pattern_line(p, rank, lang), style="List Number")
    else:
        doc.add_paragraph(t("patterns.no_ranked", lang))
    if not observations:
        return
    labels = {v.key: v.label(lang) for v in variables(questions, split=True)}
    labels.update({v.key: v.label(lang) for v in variables(questions)})
    actor = selection.actor
    doc.add_heading(t("patterns.report.observations", lang), 2)
    for obs in observations:
        doc.add_heading(t("patterns.report.pair", lang, a=labels.get(obs.variable_a, obs.variable_a),
                          b=labels.get(obs.variable_b, obs.variable_b)), 3)
        doc.add_paragraph(shown_text(obs.text, actor, purpose, lang))
        doc.add_paragraph(t("patterns.report.interpretations", lang, n=len(obs.interpretations)))
        for reading in obs.interpretations:
            doc.add_paragraph(shown_text(reading.text, actor, purpose, lang), style="List Bullet")
