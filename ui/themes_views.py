"""The views of the themes page (widgets only: the work is done in coding/)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from sqlite_utils import Database

from ui.page import current_actor, escape_markdown, lang, show_text, tr
from ui.table import table
from ui.picture import bars, picture
from coding.themes import charts
from coding.themes import tables
from ui.themes_charts import distribution_block, heatmap_block, series_block, timeline_block
from coding.themes.code_stats import CodeInfo, code_counts, cooccurrence
from coding.themes.groups import COLUMNS, Selection, extra_values, groupings
from coding.themes.quotes import coded_sentences, typical_stories
from coding.themes.sentiment import scores_by_group
from coding.themes.summary import theme_summary, word_summary
from coding.themes.timeline import pseudonyms, timeline
from coding.themes.words import MIN_STORIES, distinctive_words
from stories.i18n import choice_label

MAX_GROUPS = 12
CHOICE_KINDS = {"teller_role": "teller_role", "polarity": "polarity", "source": "source",
                "teller_mechanism": "mechanism", "language": "language"}


@dataclass
class Context:
    db: Database
    selection: Selection
    codes: dict[int, CodeInfo]
    lang: str

    def group_label(self, by: str):
        """How to show a group's value for a grouping."""
        def show(value: str) -> str:
            if by == "code":
                info = self.codes.get(int(value)) if str(value).isdigit() else None
                return info.name if info else str(value)
            if not value:
                return tr("themes.no_value")
            if by in CHOICE_KINDS:
                return choice_label(CHOICE_KINDS[by], value, self.lang)
            return str(value)
        return show


@st.cache_data(show_spinner=False, max_entries=128)
def cached_png(kind: str, *args, **kwargs) -> bytes | None:
    return getattr(charts, f"{kind}_png")(*args, **kwargs)


def png_block(png: bytes | None, name: str, empty_key: str = "themes.no_chart") -> None:
    if png is None:
        st.info(tr(empty_key))
        return
    picture(png, alt=tr("widgets.chart"))
    st.download_button(tr("themes.download_png"), png, file_name=f"{name}.png", mime="image/png", key=f"png_{name}")


def bars_block(labels: list[str], values: list[float], name: str, *, axis: str, colors: list[str] | None = None) -> None:
    """Horizontal bars drawn by the browser (nothing to render on the server at each filter
    change; `ui.picture.bars`, without a chart's English toolbar); the same chart as a PNG is
    made only when its download button is clicked."""
    if not labels:
        st.info(tr("themes.no_chart"))
        return
    bars(labels, values, axis=axis, colors=colors, lang=lang())
    st.download_button(tr("themes.download_png"), lambda: charts.bar_png(labels, values, xlabel=axis, colors=colors),
                       file_name=f"{name}.png", mime="image/png", key=f"png_{name}")


def table_block(frame, name: str) -> None:
    if frame.empty:
        st.info(tr("themes.no_rows"))
        return
    table(frame, hide_index=True)
    st.download_button(tr("themes.download_csv"), tables.csv_bytes(frame), file_name=f"{name}.csv", mime="text/csv",
                       key=f"csv_{name}")


def names(*columns: str) -> dict[str, str]:
    return {c: tr(f"themes.col.{c}") for c in columns}


def grouping_select(ctx: Context, key: str, options: list[str] | None = None, default: str = "code") -> str:
    options = options or groupings(ctx.db)
    def show(by: str) -> str:
        return tr("themes.by.extra", name=by[6:]) if by.startswith("extra:") else tr(f"themes.by.{by}")
    return st.selectbox(tr("themes.group_by"), options, index=options.index(default) if default in options else 0,
                        format_func=show, key=key, placeholder=tr("widgets.choose"), filter_mode=None)


def extra_filter(db: Database) -> tuple[str, str]:
    keys = [g[6:] for g in groupings(db) if g.startswith("extra:")]
    cols = st.columns(2)
    key = cols[0].selectbox(tr("themes.f.extra_key"), ["", *keys], key="themes_extra_key",
                            format_func=lambda k: k or tr("themes.f.any"), placeholder=tr("widgets.choose"), filter_mode=None)
    if not key:
        return "", ""
    values = extra_values(db, key, actor=current_actor())
    value = cols[1].selectbox(tr("themes.f.extra_value"), ["", *map(str, values)], key="themes_extra_value",
                              format_func=lambda v: v or tr("themes.f.any"), placeholder=tr("widgets.choose"), filter_mode=None)
    return key, value


def _summary_or_stop(ctx: Context, period: str | None = "month"):
    """The selection's summary (None: only the word view's part), or None after a message when
    the filter leaves no story."""
    summary = word_summary(ctx.db, ctx.selection) if period is None else theme_summary(ctx.db, ctx.selection,
                                                                                       period=period)
    if not summary.n_stories:
        st.info(tr("themes.empty_filter"))
        return None
    return summary


def words_view(ctx: Context) -> None:
    summary = _summary_or_stop(ctx, None)
    if summary is None:
        return
    words = summary.words
    cols = st.columns(2)
    cols[0].metric(tr("themes.metric.stories"), summary.n_stories)
    cols[1].metric(tr("themes.metric.words"), words.n_words)
    if words.foreign:
        st.warning(tr("themes.foreign", n=words.foreign))
    if words.empty:
        st.info(tr("themes.empty_stories", n=words.empty))
    st.subheader(tr("themes.cloud"), anchor=False)
    png_block(cached_png("wordcloud", {w.lemma: w.count for w in words.rows}), "wordcloud", "themes.no_words")
    table_block(tables.words_frame(words, names("lemma", "count", "stories")), "words")
    st.subheader(tr("themes.distinctive"), anchor=False)
    st.caption(tr("themes.distinctive_help"))
    with st.expander(tr("themes.how")):
        st.text(tr("themes.distinctive_how"))
    by = grouping_select(ctx, "themes_distinctive_by")
    groups = summary.distinctive if by == "code" else distinctive_words(ctx.db, ctx.selection, by)
    if not groups:
        st.info(tr("themes.no_groups"))
        return
    show = ctx.group_label(by)
    groups = sorted(groups, key=lambda g: -g.n_stories)[:MAX_GROUPS]
    columns = st.columns(2)
    for i, group in enumerate(groups):
        with columns[i % 2]:
            st.markdown(f"**{escape_markdown(show(group.group))}** · {tr('themes.n_stories', n=group.n_stories)}")
            if group.n_stories < MIN_STORIES:
                st.info(tr("themes.group_too_small", n=MIN_STORIES))
            elif not group.words:
                st.info(tr("themes.no_distinctive"))
            else:
                bars_block([w.lemma for w in group.words], [round(w.z, 2) for w in group.words],
                           f"distinctive_{by.replace(':', '_')}_{i}", axis=tr("themes.col.z"))
    table_block(tables.distinctive_frame(groups, show, names("group", "lemma", "z", "count", "rest", "stories")),
                f"distinctive_{by.replace(':', '_')}")


def codes_view(ctx: Context) -> None:
    period = st.radio(tr("themes.period"), ("month", "quarter"), format_func=lambda p: tr(f"themes.by.{p}"),
                      horizontal=True, key="themes_period")
    summary = _summary_or_stop(ctx, period)
    if summary is None:
        return
    co = summary.cooccurrence
    if not co.codes:
        st.info(tr("themes.no_codings"))
        return
    st.subheader(tr("themes.code_totals"), anchor=False)
    labels = [tables.code_name(ctx.codes, c) for c in co.codes]
    colors = [ctx.codes[c].color if c in ctx.codes else "" for c in co.codes]
    totals = [int(co.counts[i, i]) for i in range(len(co.codes))]
    bars_block(labels, totals, "code_totals", axis=tr("themes.col.stories"), colors=colors)
    st.subheader(tr("themes.over_time"), anchor=False)
    groups, series, colors = tables.pivot_shares(summary.by_period, ctx.codes)
    series_block("lines", groups, series, f"codes_{period}", axis=tr("themes.share_axis"), colors=colors)
    table_block(tables.counts_frame(summary.by_period, ctx.codes, str, names("group", "code", "stories",
                                                                           "group_stories", "share")), f"codes_{period}")
    st.subheader(tr("themes.by_attribute"), anchor=False)
    options = [g for g in groupings(ctx.db) if g in COLUMNS or g.startswith("extra:")]
    by = grouping_select(ctx, "themes_codes_by", options, "site")
    counts = {"site": summary.by_site, "teller_role": summary.by_role}.get(by) or code_counts(ctx.db, ctx.selection, by)
    show = ctx.group_label(by)
    groups, series, colors = tables.pivot_shares(counts, ctx.codes)
    series_block("grouped_bars", [show(g) for g in groups], series, f"codes_by_{by.replace(':', '_')}",
                 axis=tr("themes.share_axis"), colors=colors)
    table_block(tables.counts_frame(counts, ctx.codes, show, names("group", "code", "stories", "group_stories", "share")),
                f"codes_by_{by.replace(':', '_')}")
    with st.expander(tr("themes.quality")):
        suggestion_quality(ctx.db, ctx.lang)


def suggestion_quality(db: Database, lang: str) -> None:
    """Cross-validated precision and recall of the suggestion classifiers, and acceptance rates
    (also shown on the codebook page)."""
    import pandas as pd

    from coding.themes.classifier import MIN_STORIES as LEARN_AT, code_quality
    from coding.themes.code_stats import code_infos
    from coding.codings import suggestion_acceptance

    st.caption(tr("themes.quality_help", n=LEARN_AT))
    if not st.button(tr("themes.quality_run"), key="themes_quality_run"):
        return
    acceptance = suggestion_acceptance(db)
    codes = code_infos(db, lang)
    rows = []
    for q in code_quality(db):
        accepted, shown = acceptance.get(q.code_id, (0, 0))
        rows.append({"code": tables.code_name(codes, q.code_id), "stories": q.positives,
                     "precision": None if q.precision is None else round(q.precision, 2),
                     "recall": None if q.recall is None else round(q.recall, 2),
                     "accepted": f"{accepted}/{shown}" if shown else ""})
    frame = pd.DataFrame(rows, columns=["code", "stories", "precision", "recall", "accepted"])
    table_block(frame.rename(columns=names("code", "stories", "precision", "recall", "accepted")), "suggestion_quality")


def cooccurrence_view(ctx: Context) -> None:
    level = st.radio(tr("themes.level"), ("story", "sentence"), format_func=lambda v: tr(f"themes.level.{v}"),
                     horizontal=True, key="themes_level")
    summary = _summary_or_stop(ctx)
    if summary is None:
        return
    co = summary.cooccurrence if level == "story" else cooccurrence(ctx.db, ctx.selection, "sentence")
    if len(co.codes) < 2:
        st.info(tr("themes.cooccurrence_needs_two"))
        return
    st.caption(tr(f"themes.cooccurrence_help.{level}", n=co.units))
    labels = [tables.code_name(ctx.codes, c) for c in co.codes]
    heatmap_block(labels, co.counts.tolist(), f"cooccurrence_{level}")
    table_block(tables.cooccurrence_frame(co, ctx.codes), f"cooccurrence_{level}")


def quote_list(quotes, lang: str) -> None:
    for quote in quotes:
        with st.container(border=True):
            meta = [quote.day, quote.teller_pseudonym, choice_label("teller_role", quote.teller_role, lang)]
            st.caption(escape_markdown(" · ".join(p for p in meta if p) + (f" · {quote.title}" if quote.title else "")))
            show_text(quote.text)


def quotes_view(ctx: Context) -> None:
    if not ctx.codes:
        st.info(tr("themes.no_codings"))
        return
    code_id = st.selectbox(tr("themes.code"), list(ctx.codes), format_func=lambda i: ctx.codes[i].name,
                           key="themes_quote_code", placeholder=tr("widgets.choose"), filter_mode=None)
    st.subheader(tr("themes.coded_sentences"), anchor=False)
    sentences = coded_sentences(ctx.db, ctx.selection, code_id)
    if not sentences:
        st.info(tr("themes.no_coded_sentences"))
    quote_list(sentences, ctx.lang)
    st.subheader(tr("themes.typical"), anchor=False)
    st.caption(tr("themes.typical_help"))
    typical = typical_stories(ctx.db, ctx.selection, code_id)
    if not typical:
        st.info(tr("themes.no_stories_with_code"))
    elif len(typical) == 1:
        st.info(tr("themes.one_story_with_code"))
    quote_list(typical, ctx.lang)
    columns = names("day", "teller", "title", "quote")
    table_block(tables.quotes_frame(sentences + typical, columns), f"quotes_{ctx.codes[code_id].key}")


def sentiment_view(ctx: Context) -> None:
    st.caption(tr("themes.sentiment_help"))
    with st.expander(tr("themes.how")):
        st.text(tr("themes.sentiment_how"))
    by = grouping_select(ctx, "themes_sentiment_by", default="teller_role")
    scored, too_short = scores_by_group(ctx.db, ctx.selection, by=by)
    if too_short:
        st.info(tr("themes.too_short", n=too_short))
    if not scored:
        st.info(tr("themes.empty_filter"))
        return
    show = ctx.group_label(by)
    groups: dict[str, list[float]] = {}
    for group in sorted(scored):  # each group's label once, not once per story
        groups.setdefault(show(group), []).extend(round(v, 2) for v in scored[group].tolist())
    distribution_block(groups, f"sentiment_{by.replace(':', '_')}", axis=tr("themes.sentiment_axis"))
    table_block(tables.summary_stats(groups, names("group", "stories", "mean", "median")),
                f"sentiment_{by.replace(':', '_')}")


def timeline_view(ctx: Context) -> None:
    people = pseudonyms(ctx.db, ctx.selection.story, actor=ctx.selection.actor)
    if not people:
        st.info(tr("themes.no_pseudonyms"))
        return
    counts = dict(people)
    person = st.selectbox(tr("themes.pseudonym"), list(counts), key="themes_person",
                          format_func=lambda p: f"{p} ({tr('themes.n_stories', n=counts[p])})",
                          placeholder=tr("widgets.choose"), filter_mode=None)
    entries = timeline(ctx.db, person, ctx.selection.story, actor=ctx.selection.actor)
    if len(entries) == 1:
        st.info(tr("themes.one_story"))
    code_ids = [c for c in ctx.codes if any(c in e.code_ids for e in entries)]
    rows = {c: i for i, c in enumerate(code_ids)}
    points = [(i, rows[c], ctx.codes[c].color) for i, e in enumerate(entries) for c in e.code_ids if c in rows]
    timeline_block([e.day for e in entries], [ctx.codes[c].name for c in code_ids], points,
                   [e.sentiment for e in entries], f"timeline_{person}", title=person, axis=tr("themes.sentiment_axis"))
    role = lambda r: choice_label("teller_role", r, ctx.lang)  # noqa: E731
    table_block(tables.timeline_frame(entries, ctx.codes, role, names("day", "title", "teller", "role", "codes",
                                                                      "sentiment")), f"timeline_{person}")
