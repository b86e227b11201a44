"""Widgets of the patterns page: filters, the ranked list, one pattern's figure and figures, its stories."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sqlite_utils import Database

from coding.codebook.codes import active_codebook, list_codes
from coding.themes.groups import Selection
from coding.themes.patterns import Pattern, Variable
from stories.i18n import choice_label, t
from stories.storage import StoryNotFound, distinct_values, get_story, ids_and_titles
from stories.visibility import StoryFilter
from stories.trust.permissions import Actor
from ui.page import lang, show_text, tr
from ui.choose_many import choose_many
from ui.date_field import date_field
from ui.option_search import option_search
from ui.story_cards import cards_button
from ui.table import table
from ui.picture import PLOTLY_CONFIG

COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")


def filters(db: Database, actor: Actor) -> Selection:
    """Site, period, teller role, domain and code: the stories a pattern is drawn from."""
    with st.expander(tr("patterns.filters")):
        known_sites, known_roles = distinct_values(db, "site"), distinct_values(db, "teller_role")
        sites = choose_many(tr("patterns.filter.site"), known_sites, key="pat_sites")
        roles = choose_many(tr("patterns.filter.role"), known_roles, key="pat_roles",
                            format_func=lambda r, lg=lang(): choice_label("teller_role", r, lg))
        col1, col2 = st.columns(2)
        start = date_field(tr("patterns.filter.from"), key="pat_from", container=col1)
        end = date_field(tr("patterns.filter.to"), key="pat_to", container=col2)
        domains = choose_many(tr("patterns.filter.domain"), _domains(), key="pat_domains",
                              format_func=lambda d, lg=lang(): t(f"mechanism.{d}", lg))
        codes = list_codes(db, active_codebook(db))
        code_ids = choose_many(tr("patterns.filter.code"), [c.id for c in codes], key="pat_codes",
                               format_func=lambda i, lg=lang(): next((c.name_en if lg == "en" and c.name_en else c.name_da)
                                                                     for c in codes if c.id == i))
    story = StoryFilter(sites=sites, teller_roles=roles, mechanisms=domains,
                        purpose="evaluation" if actor.role == "evaluator" else "internal",
                        date_from=start.isoformat() if start else None, date_to=end.isoformat() if end else None)
    return Selection(story, tuple(code_ids), actor)


def _domains() -> list[str]:
    from stories.model import MECHANISMS

    return list(MECHANISMS)


def p_text(value: float | None) -> str:
    if value is None:
        return "–"
    return "< 0,001" if value < 0.001 and lang() == "da" else ("< 0.001" if value < 0.001 else
                                                              f"{value:.3f}".replace(".", "," if lang() == "da" else "."))


def test_line(p: Pattern) -> str:
    if not p.test:
        return tr("patterns.no_test")
    return tr(f"patterns.test.{p.test}", stat=f"{p.statistic:.2f}", p=p_text(p.p), n=p.n).replace("= <", "<")


def ranked_table(patterns: list[Pattern], observations: dict[frozenset, int] | None = None) -> None:
    """The ranked pairs, with how many observations each has."""
    observations = observations or {}
    rows = [{tr("patterns.col.a"): p.a.label(lang()), tr("patterns.col.b"): p.b.label(lang()),
             tr("patterns.col.test"): tr(f"patterns.name.{p.test}"), tr("patterns.col.n"): p.n,
             tr("patterns.col.p"): p_text(p.p), tr("patterns.col.q"): p_text(p.p_adjusted),
             tr("observations.col"): observations.get(frozenset((p.a.key, p.b.key)), 0)} for p in patterns]
    table(pd.DataFrame(rows), hide_index=True)


def _label(v: Variable, value) -> str:
    return html.escape(v.category_label(value, lang()))


def figure(p: Pattern) -> None:
    """The picture for the pattern, its test in words, and any warning about assumptions."""
    st.caption(test_line(p))
    if p.warning:
        st.warning(tr(p.warning))
    if p.figure == "table":
        index = [p.a.category_label(r, lang()) for r in p.rows]
        columns = [p.b.category_label(c, lang()) for c in p.columns]
        st.markdown(f"**{tr('patterns.observed')}**")
        table(pd.DataFrame(p.counts, index=index, columns=columns), hide_index=False)
        if p.expected:
            st.markdown(f"**{tr('patterns.expected')}**")
            table(pd.DataFrame(p.expected, index=index, columns=columns).round(1), hide_index=False)
    elif p.figure == "box":
        cat, num = (p.b, p.a) if p.a.kind == "number" else (p.a, p.b)
        fig = go.Figure()
        for i, group in enumerate(p.rows):
            fig.add_trace(go.Box(x=p.counts[i], name=_label(cat, group), boxpoints="all", jitter=0.5, pointpos=0,
                                 orientation="h", marker={"color": COLOURS[i % len(COLOURS)]}))
        fig.update_layout(showlegend=False, xaxis={"title": {"text": html.escape(num.label(lang()))}},
                          height=160 + 50 * len(p.rows), margin={"t": 30, "b": 40})
        st.plotly_chart(fig, config=PLOTLY_CONFIG, width="stretch", key="pat_box")
    elif p.figure == "scatter":
        fig = go.Figure(go.Scatter(x=[x for _, x, _ in p.points], y=[y for _, _, y in p.points], mode="markers",
                                   marker={"size": 10, "color": COLOURS[0]}))
        fig.update_layout(xaxis={"title": {"text": html.escape(p.a.label(lang()))}},
                          yaxis={"title": {"text": html.escape(p.b.label(lang()))}}, height=420,
                          margin={"t": 30})
        st.plotly_chart(fig, config=PLOTLY_CONFIG, width="stretch", key="pat_scatter")
    elif p.figure == "ternary":
        triad, cat = (p.a, p.b) if p.a.kind == "triad" else (p.b, p.a)
        fig = go.Figure()
        for i, group in enumerate(p.rows):
            members = [(x if triad is p.a else y) for _, x, y in p.points if (y if triad is p.a else x) == group]
            fig.add_trace(go.Scatterternary(a=[w[0] for w in members], b=[w[1] for w in members],
                                            c=[w[2] for w in members], mode="markers", name=_label(cat, group),
                                            marker={"size": 11, "color": COLOURS[i % len(COLOURS)]}))
        poles = [html.escape(o.label(lang())) for o in triad.question.options]
        fig.update_layout(ternary={n: {"title": {"text": pole}} for n, pole in zip(("aaxis", "baxis", "caxis"), poles)},
                          height=480, legend={"orientation": "h"}, margin={"t": 40})
        st.plotly_chart(fig, config=PLOTLY_CONFIG, width="stretch", key="pat_ternary")


def group_name(p: Pattern, group, lg: str) -> str:
    if isinstance(group, tuple):
        return f"{p.a.category_label(group[0], lg)} · {p.b.category_label(group[1], lg)}"
    if group == "all":
        return t("patterns.all_stories", lg)
    cat = p.b if p.a.kind in ("number", "triad") else p.a
    return cat.category_label(group, lg)


def stories_of(db: Database, p: Pattern, actor: Actor) -> None:
    """The stories behind the picture, by group: choose one to read it."""
    groups = [g for g in p.stories if p.stories[g]]
    if not groups:
        return
    group = st.selectbox(tr("patterns.stories_in"), groups, key="pat_group",
                         format_func=lambda g, lg=lang(): f"{group_name(p, g, lg)} ({len(p.stories[g])})",
                         placeholder=tr("widgets.choose"), filter_mode=None)
    titles = ids_and_titles(db, p.stories[group], actor=actor)
    cards_button(db, [story_id for story_id, _ in titles.values()], actor, key=f"pat_cards_{group}")
    labels = {None: tr("patterns.open_none")}
    labels.update({seq: (title or story_id[:8]) for seq, (story_id, title) in titles.items()})
    shown = option_search(list(labels), lambda s: labels.get(s, str(s)), key=f"pat_search_{group}", keep=[None])
    if not shown:
        return
    chosen = st.selectbox(tr("patterns.open"), shown, key=f"pat_story_{group}",
                          format_func=lambda s, labels=labels: labels.get(s, str(s)), placeholder=tr("widgets.choose"), filter_mode=None)
    if chosen is not None and chosen in titles:
        try:
            story = get_story(db, titles[chosen][0], actor=actor, lang=lang())
        except StoryNotFound:
            st.error(tr("error.not_found"))
            return
        with st.container(border=True):
            if story.title:
                show_text(story.title)
            show_text(story.text)
