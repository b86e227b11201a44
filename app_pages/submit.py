"""Staff write a change story after a session: the full form."""

import streamlit as st

from ui.page import setup_page, tr
from ui.story_form import render_story_form

setup_page()
st.header(tr("submit.title"), anchor=False)
render_story_form("full")
