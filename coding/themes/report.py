"""The theme report (DOCX) for a board or a funder: charts, counts, patterns across the answers
with the observations on them, and chosen quotes.

Only stories whose consent covers the report's purpose are counted or quoted (the
purpose goes into the story filter, so `filter_sql` enforces it), tellers appear by
pseudonym only, and every quote goes through `stories.privacy.pseudonymise` first.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import replace

from sqlite_utils import Database

from coding.themes import charts

from coding.themes import tables
from coding.themes.code_stats import code_infos
from coding.themes.groups import Selection
from coding.themes.quotes import Quote, coded_sentences, typical_stories
from coding.themes.sentiment import story_scores
from coding.themes.summary import theme_summary
from stories.i18n import choice_label, t
from stories.model import CONSENT_PURPOSES
from stories.trust.permissions import can_export, require

WIDTH_CM = 16


def _quote_text(quote: Quote, lang: str) -> str:
    """Quotes leave the app here: names and the like out, whatever the purpose."""
    if quote.pseudonymised:
        return quote.text
    from stories.privacy.detection import pseudonymise

    return pseudonymise(quote.text, lang=lang)


def default_quotes(db: Database, selection: Selection, per_code: int = 2) -> dict[int, list[Quote]]:
    """Coded sentences first, then typical stories, per code."""
    result = {}
    for code_id in code_infos(db):
        quotes = (coded_sentences(db, selection, code_id, per_code, pseudonymise=True)
                  or typical_stories(db, selection, code_id, per_code, pseudonymise=True))
        if quotes:
            result[code_id] = quotes[:per_code]
    return result


def _describe(selection: Selection, lang: str) -> str:
    f = selection.story
    parts = []
    if f.date_from or f.date_to:
        parts.append(t("themes.report.period", lang, start=f.date_from or "…", end=f.date_to or "…"))
    if f.sites:
        parts.append(t("themes.f.sites", lang) + ": " + ", ".join(f.sites))
    if f.teller_roles:
        parts.append(t("themes.f.roles", lang) + ": " + ", ".join(choice_label("teller_role", r, lang) for r in f.teller_roles))
    if f.mechanisms:
        parts.append(t("themes.f.mechanisms", lang) + ": " + ", ".join(choice_label("mechanism", m, lang) for m in f.mechanisms))
    if f.polarities:
        parts.append(t("themes.f.polarities", lang) + ": " + ", ".join(choice_label("polarity", p, lang) for p in f.polarities))
    for key, value in f.extra.items():
        parts.append(f"{key}: {value}")
    return "; ".join(parts) or t("themes.report.all_stories", lang)


REPORT_STEPS = ("summary", "quotes", "charts", "words", "document")


def theme_report(db: Database, selection: Selection, *, purpose: str, lang: str = "da", title: str = "",
                 quotes: dict[int, list[Quote]] | None = None, period: str = "quarter",
                 progress: Callable[[str, float], None] | None = None) -> bytes:
    """A DOCX report of the selection, restricted to stories whose consent covers `purpose`.

    `progress(step, done)` is told each step of `REPORT_STEPS` as it starts, with the share
    of the work done so far (0..1), so a page can show a progress bar.
    """
    from docx import Document
    from docx.shared import Cm

    def step(name: str) -> None:
        if progress is not None:
            progress(name, REPORT_STEPS.index(name) / len(REPORT_STEPS))

    require(can_export(selection.actor), "export")
    if purpose not in CONSENT_PURPOSES:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    selection = replace(selection, story=replace(selection.story, purpose=purpose))
    codes = code_infos(db, lang)
    step("summary")
    summary = theme_summary(db, selection, period=period)
    step("quotes")
    quotes = default_quotes(db, selection) if quotes is None else _consented(db, selection, quotes)
    step("charts")

    doc = Document()
    doc.add_heading(title or t("themes.report.title", lang), 0)
    doc.add_paragraph(_describe(selection, lang))
    doc.add_paragraph(t("themes.report.facts", lang, n=summary.n_stories, purpose=t(f"themes.purpose.{purpose}", lang),
                        day=dt.date.today().isoformat()))
    doc.add_paragraph(t("themes.report.method", lang))
    if not summary.n_stories:
        doc.add_paragraph(t("themes.empty_filter", lang))
        return _save(doc)

    def picture(png: bytes | None) -> None:
        if png:
            doc.add_picture(io.BytesIO(png), width=Cm(WIDTH_CM))

    def table(frame) -> None:
        if frame.empty:
            return
        grid = doc.add_table(rows=1, cols=len(frame.columns))
        grid.style = "Light Grid Accent 1"
        for cell, name in zip(grid.rows[0].cells, frame.columns):
            cell.text = str(name)
        for values in frame.itertuples(index=False):
            for cell, value in zip(grid.add_row().cells, values):
                cell.text = "" if value is None else str(value)

    co = summary.cooccurrence
    doc.add_heading(t("themes.code_totals", lang), 1)
    if co.codes:
        labels = [tables.code_name(codes, c) for c in co.codes]
        totals = [int(co.counts[i, i]) for i in range(len(co.codes))]
        picture(charts.bar_png(labels, totals, xlabel=t("themes.col.stories", lang),
                               colors=[codes[c].color if c in codes else "" for c in co.codes]))
        doc.add_heading(t("themes.over_time", lang), 1)
        groups, series, colors = tables.pivot_shares(summary.by_period, codes)
        picture(charts.lines_png(groups, series, ylabel=t("themes.share_axis", lang), colors=colors))
        names = {c: t(f"themes.col.{c}", lang) for c in ("group", "code", "stories", "group_stories", "share", "lemma",
                                                          "count", "z", "rest", "mean", "median")}
        table(tables.counts_frame(summary.by_period, codes, str, names))
        doc.add_heading(t("themes.by.site", lang), 1)
        groups, series, colors = tables.pivot_shares(summary.by_site, codes)
        picture(charts.grouped_bars_png(groups, series, ylabel=t("themes.share_axis", lang), colors=colors))
        if len(co.codes) > 1:
            doc.add_heading(t("themes.view.cooccurrence", lang), 1)
            picture(charts.heatmap_png(labels, co.counts))
    else:
        doc.add_paragraph(t("themes.no_codings", lang))
        names = {c: t(f"themes.col.{c}", lang) for c in ("group", "lemma", "count", "stories", "mean", "median")}

    step("words")
    doc.add_heading(t("themes.cloud", lang), 1)
    picture(charts.wordcloud_png({w.lemma: w.count for w in summary.words.rows}))
    short = replace(summary.words, rows=summary.words.rows[:20])
    table(tables.words_frame(short, names))

    scored, _ = story_scores(db, selection, by="teller_role")
    if scored:
        doc.add_heading(t("themes.view.sentiment", lang), 1)
        by_role: dict[str, list[float]] = {}
        for s in scored:
            by_role.setdefault(choice_label("teller_role", s.group, lang), []).append(s.score)
        picture(charts.distribution_png(by_role, ylabel=t("themes.sentiment_axis", lang)))
        doc.add_paragraph(t("themes.sentiment_help", lang))

    step("document")
    from coding.themes.patterns_report import add_patterns_section  # scipy.stats: only when a report is made

    add_patterns_section(doc, db, selection, purpose=purpose, lang=lang)
    if quotes:
        doc.add_heading(t("themes.report.quotes", lang), 1)
        for code_id, chosen in quotes.items():
            doc.add_heading(tables.code_name(codes, code_id), 2)
            for quote in chosen:
                doc.add_paragraph(_quote_text(quote, lang), style="Quote")
                doc.add_paragraph(" · ".join(p for p in (quote.teller_pseudonym, quote.day) if p))
    return _save(doc)


def _consented(db: Database, selection: Selection, quotes: dict[int, list[Quote]]) -> dict[int, list[Quote]]:
    """Only quotes from stories in the (purpose-restricted) selection."""
    ids = sorted({q.story_id for chosen in quotes.values() for q in chosen})
    if not ids:
        return {}
    where, params = selection.where()
    marks = ",".join("?" * len(ids))
    allowed = {r[0] for r in db.execute(f"SELECT s.id FROM stories AS s WHERE s.id IN ({marks}) AND {where}",
                                        ids + params).fetchall()}
    kept = {code_id: [q for q in chosen if q.story_id in allowed] for code_id, chosen in quotes.items()}
    return {code_id: chosen for code_id, chosen in kept.items() if chosen}


def _save(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
