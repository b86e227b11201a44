"""The admin's start page: how collection goes this month, open camps, stories awaiting review."""

import streamlit as st

from ui.page import current_actor, get_db, setup_page, tr
from changestories.demo import load_demo
from stories.demo import has_stories
from stories.overview import overview
from stories.trust.permissions import can_manage_users

setup_page()
st.header(tr("overview.title"), anchor=False)
actor = current_actor()
if not can_manage_users(actor):
    st.error(tr("error.permission"))
    st.stop()
db = get_db()
if "overview_notice" in st.session_state:
    st.success(st.session_state.pop("overview_notice"), icon="✅")

numbers = overview(db, actor=actor)
left, middle, right = st.columns(3)
left.metric(tr("overview.this_month"), numbers.stories_this_month)
left.caption(tr("overview.total", n=numbers.stories_total))
middle.metric(tr("overview.open_camps"), numbers.open_camps)
right.metric(tr("overview.awaiting_review"), numbers.awaiting_review)

if not has_stories(db):
    st.info(tr("browse.empty_db"), icon="📖")
    if st.button(tr("browse.load_demo"), type="primary", key="overview_load_demo"):
        report = load_demo(db)
        st.session_state["overview_notice"] = tr("browse.demo_loaded", n=report.stories_added)
        st.rerun()

st.subheader(tr("overview.next"), anchor=False)
links = st.columns(2)
links[0].page_link("app_pages/submit.py", label=tr("nav.submit"), icon=":material/edit_note:")
links[0].page_link("app_pages/camps.py", label=tr("nav.camps"), icon=":material/local_fire_department:")
links[0].page_link("app_pages/review.py", label=tr("nav.review"), icon=":material/fact_check:")
links[1].page_link("app_pages/browse.py", label=tr("nav.browse"), icon=":material/library_books:")
links[1].page_link("app_pages/admin.py", label=tr("trust.nav.admin"), icon=":material/admin_panel_settings:")
