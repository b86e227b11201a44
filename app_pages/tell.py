"""Young people tell their own story: the short form, no account needed.

A submit link per site: /tell?site=Nordvest
"""

import streamlit as st

from ui.page import setup_page, tr
from ui.story_form import render_story_form

setup_page()
st.header(tr("tell.title"), anchor=False)
st.caption(tr("tell.intro"))
render_story_form("short", site=st.query_params.get("site", "")[:200])
