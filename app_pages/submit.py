"""Staff write a change story after a session: the full form."""

import streamlit as st

from app_pages.common import setup_page, tr
from app_pages.story_form import render_story_form

setup_page()
st.header(tr("submit.title"))
render_story_form("full")
