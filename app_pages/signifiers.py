"""The tellers' own signifiers across stories: a ternary plot (choose a point to open its story) and
the slider answers by group."""

import html

import plotly.graph_objects as go
import streamlit as st

from ui.camp_widgets import big_text_css, md
from ui.page import current_actor, get_db, lang, setup_page, show_text, tr
from ui.picture import PLOTLY_CONFIG
from stories.camps.camps import camp_stories, label, list_camps
from stories import formatting
from stories.i18n import choice_label
from stories.camps.signifiers import SLIDER_MAX, SLIDER_MIN, pole_sets, slider_keys, slider_values, triangle_points
from stories.privacy.pseudonymised import needs_pseudonymisation
from stories.storage import StoryNotFound, get_story
from stories.visibility import StoryFilter

COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")
KINDS = {"teller_role": "teller_role", "site": None, "polarity": "polarity"}

setup_page()
big_text_css()
st.header(tr("camps.sigpage.title"), anchor=False)
st.caption(tr("camps.sigpage.intro"))
db, actor = get_db(), current_actor()
story_filter = StoryFilter(purpose="internal")

camps = list_camps(db, actor=actor)
scope = st.selectbox(tr("camps.sigpage.scope"), [None, *[c.id for c in camps]],
                     format_func=lambda i: tr("camps.sigpage.all") if i is None else
                     next(f"{c.name} ({c.code})" for c in camps if c.id == i), placeholder=tr("widgets.choose"), filter_mode=None)
seqs = [s.seq for s in camp_stories(db, scope)] if scope is not None else None
colour_by = st.radio(tr("camps.sigpage.colour_by"), list(KINDS), horizontal=True,
                     format_func=lambda k: tr(f"camps.sigpage.by.{k}"))


def group_label(value: str) -> str:
    kind = KINDS[colour_by]
    if not value:
        return tr("choice.none")
    return choice_label(kind, value, lang()) if kind else value


def pole_text(poles) -> str:
    return " · ".join(label("pole", p, lang()) for p in poles)


sets = pole_sets(db, story_filter, actor=actor)
if not sets:
    st.info(tr("camps.sigpage.none"))
else:
    choices = [poles for poles, _ in sets]
    poles = st.selectbox(tr("camps.sigpage.poles"), choices, format_func=lambda p: f"{pole_text(p)}"
                         f" ({dict(sets)[p]})", placeholder=tr("widgets.choose"), filter_mode=None) if len(choices) > 1 else choices[0]
    points = triangle_points(db, poles, story_filter, actor=actor, story_seqs=seqs)
    st.caption(tr("camps.sigpage.count", n=len(points)))
    traces: list[list[str]] = []
    fig = go.Figure()
    groups = sorted({getattr(p, colour_by) for p in points})
    for i, group in enumerate(groups):
        members = [p for p in points if getattr(p, colour_by) == group]
        traces.append([p.story_id for p in members])
        fig.add_trace(go.Scatterternary(
            a=[p.weights[0] for p in members], b=[p.weights[1] for p in members], c=[p.weights[2] for p in members],
            mode="markers", name=html.escape(group_label(group)), customdata=[p.story_id for p in members],
            text=[html.escape((p.title or "")[:60]) for p in members],
            hovertemplate="%{text}<br>%{a:.0%} · %{b:.0%} · %{c:.0%}<extra></extra>",
            marker={"size": 12, "color": COLOURS[i % len(COLOURS)], "line": {"width": 1, "color": "white"}},
        ))
    a, b, c = (html.escape(label("pole", p, lang())) for p in poles)
    fig.update_layout(
        ternary={name: {"title": {"text": pole}, "tickformat": ".0%"}
                 for name, pole in (("aaxis", a), ("baxis", b), ("caxis", c))},
        separators=formatting.plotly_separators(lang()), height=560, margin={"l": 60, "r": 60, "t": 40, "b": 40}, legend={"orientation": "h"}, clickmode="event+select",
    )
    event = st.plotly_chart(fig, config=PLOTLY_CONFIG, on_select="rerun", selection_mode="points", key="ternary",
                            width="stretch")
    chosen = None
    for point in (event.selection.points if event else []):
        data = point.get("customdata")
        chosen = data[0] if isinstance(data, list) and data else data
        if not chosen and point.get("curve_number") is not None:
            chosen = traces[point["curve_number"]][point["point_index"]]
        break
    ids = [p.story_id for p in points]
    hidden = needs_pseudonymisation(actor)  # evaluators see no raw titles
    titles = {p.story_id: ("" if hidden else p.title) for p in points}
    picked = st.selectbox(tr("camps.sigpage.open"), [None, *ids], index=ids.index(chosen) + 1 if chosen in ids else 0,
                          format_func=lambda i: tr("camps.sigpage.open_none") if i is None else
                          (titles[i] or i[:8]), key=f"sig_open_{chosen}", placeholder=tr("widgets.choose"), filter_mode=None)
    if picked:
        try:
            story = get_story(db, picked, actor=actor, lang=lang())
        except StoryNotFound:
            st.error(tr("error.not_found"))
        else:
            with st.container(border=True):
                if story.title:
                    with st.container(key="sig_story_title"):
                        show_text(story.title)
                show_text(story.text)
                if story.significance:
                    st.caption(tr("field.significance"))
                    show_text(story.significance)
                st.caption(f"{choice_label('teller_role', story.teller_role, lang())} · {md(story.site or '–')}")

st.subheader(tr("camps.sigpage.sliders"), anchor=False)
keys = slider_keys(db, story_filter, actor=actor)
if not keys:
    st.info(tr("camps.sigpage.no_sliders"))
for key in keys:
    values = slider_values(db, key, colour_by, story_filter, actor=actor, story_seqs=seqs)
    if not values:
        continue
    fig = go.Figure()
    for i, group in enumerate(sorted({g for g, _ in values})):
        fig.add_trace(go.Box(x=[v for g, v in values if g == group], name=html.escape(group_label(group)),
                             boxpoints="all", jitter=0.5, pointpos=0, marker={"color": COLOURS[i % len(COLOURS)]},
                             orientation="h"))
    fig.update_layout(title={"text": html.escape(label("slider", key, lang()))}, showlegend=False,
                      xaxis={"range": [SLIDER_MIN - 0.5, SLIDER_MAX + 0.5], "dtick": 1},
                      height=140 + 50 * len({g for g, _ in values}), margin={"t": 50, "b": 30})
    st.plotly_chart(fig, config=PLOTLY_CONFIG, width="stretch", key=f"slider_{key}")
