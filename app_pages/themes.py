"""Themes: what the stories say, by code, site, teller role and period; words, charts, quotes, progression."""

import datetime as dt

import streamlit as st

from ui.page import current_actor, get_db, lang, setup_page, tr
from ui.choose_many import choose_many
from ui.date_field import date_field
from ui import themes_admin as admin
from ui import themes_views as views
from coding.themes.code_stats import code_infos
from coding.themes.groups import Selection
from stories.demo import has_stories
from stories.i18n import choice_label
from stories.model import LANGUAGES, MECHANISMS, POLARITIES, SOURCES, TELLER_ROLES
from stories.storage import distinct_values
from stories.visibility import StoryFilter

VIEWS = ("words", "codes", "cooccurrence", "quotes", "sentiment", "timeline", "report", "stopwords")

setup_page()
st.session_state.setdefault("themes_view", "words")
db = get_db()
actor = current_actor()
st.title(tr("themes.title"), anchor=False)

if not has_stories(db):
    st.info(tr("themes.no_stories"))
    st.stop()


def label(kind: str):
    language = lang()
    return lambda value: choice_label(kind, value, language)


codes = code_infos(db, lang())
# One story language at a time, so a word list never mixes Danish and English lemmas.
story_language = st.radio(tr("themes.f.language"), LANGUAGES, format_func=label("language"), horizontal=True,
                          key="themes_language")
st.caption(tr("themes.f.language_help"))
with st.expander(tr("themes.filters"), expanded=False):
    cols = st.columns(2)
    sites = choose_many(tr("themes.f.sites"), distinct_values(db, "site"), key="themes_sites", where=cols[0])
    roles = choose_many(tr("themes.f.roles"), TELLER_ROLES, format_func=label("teller_role"), key="themes_roles", where=cols[1])
    mechanisms = choose_many(tr("themes.f.mechanisms"), MECHANISMS, format_func=label("mechanism"),
                             key="themes_mechanisms", where=cols[0])
    polarities = choose_many(tr("themes.f.polarities"), POLARITIES, format_func=label("polarity"),
                             key="themes_polarities", where=cols[1])
    sources = choose_many(tr("themes.f.sources"), SOURCES, format_func=label("source"), key="themes_sources", where=cols[0])
    code_ids = choose_many(tr("themes.f.codes"), list(codes), format_func=lambda i: codes[i].name,
                           key="themes_codes", where=cols[0])
    date_from = date_field(tr("themes.f.date_from"), key="themes_from", min_value=dt.date(1990, 1, 1), container=cols[1])
    date_to = date_field(tr("themes.f.date_to"), key="themes_to", min_value=dt.date(1990, 1, 1), container=cols[1])
    extra_key, extra_value = views.extra_filter(db)
    include_demo = st.checkbox(tr("themes.f.include_demo"), value=True, key="themes_demo")

story_filter = StoryFilter(
    sites=sites, teller_roles=roles, polarities=polarities, mechanisms=mechanisms, sources=sources,
    languages=[story_language], date_from=date_from.isoformat() if date_from else None,
    date_to=date_to.isoformat() if date_to else None, include_demo=include_demo,
    extra={extra_key: extra_value} if extra_key and extra_value else {},
)
selection = Selection(story_filter, tuple(code_ids), actor)

view = st.segmented_control(tr("themes.view"), VIEWS, format_func=lambda v: tr(f"themes.view.{v}"),
                            key="themes_view", label_visibility="collapsed") or "words"
context = views.Context(db, selection, codes, lang())
{
    "words": views.words_view,
    "codes": views.codes_view,
    "cooccurrence": views.cooccurrence_view,
    "quotes": views.quotes_view,
    "sentiment": views.sentiment_view,
    "timeline": views.timeline_view,
    "report": admin.report_view,
    "stopwords": admin.stopwords_view,
}[view](context)
