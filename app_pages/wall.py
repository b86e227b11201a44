"""The live wall for a projector: the camp's join code and QR, and its stories as they arrive.

Full width, no sidebar, type sized to the screen; meant for its own tab or window beside the
facilitator's camp page (the sign-in cookie keeps that tab signed in).
"""

import streamlit as st

from stories.camps.camps import camp_stories
from ui.browser_session import session_holds
from ui.camp_widgets import current_camp, domain_label, md, wall_join_panel
from ui.page import get_db, rerun_scope, setup_page, show_text, tr

REFRESH_SECONDS = 3
MAX_SHOWN = 60

st.set_page_config(layout="wide", initial_sidebar_state="collapsed")
setup_page()
st.html(
    """<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] { display: none; }
    [data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1.5rem 2.5vw 1rem; }
    .st-key-wall_title h1 { font-size: clamp(2rem, 3.4vw, 4.5rem); line-height: 1.1; }
    .st-key-wall_prompt [data-testid="stText"] { font-size: clamp(1.2rem, 1.7vw, 2.4rem); white-space: pre-wrap; }
    .st-key-wall_count [data-testid="stMetricValue"] { font-size: clamp(2.5rem, 4vw, 6rem); }
    .st-key-wall_join { background: rgba(179, 71, 29, 0.07); border-radius: 1rem; padding: 1rem; text-align: center; }
    .st-key-wall_code [data-testid="stText"] { font-size: clamp(3rem, 4.6vw, 8rem); font-weight: 800;
        letter-spacing: 0.3vw; line-height: 1; text-align: center; }
    .st-key-wall_join img { width: 100% !important; max-width: min(100%, 42vh) !important; height: auto !important;
        margin: 0 auto; display: block; }
    .st-key-wall_code, .st-key-wall_link, .st-key-wall_join { align-items: center; }
    .st-key-wall_join [data-testid="stCaptionContainer"] p { font-size: clamp(1rem, 1.5vw, 2.2rem); }
    .st-key-wall_count [data-testid="stMetricLabel"] p { font-size: clamp(1rem, 1.3vw, 2rem); }
    @media (min-width: 641px) { .st-key-wall_layout [data-testid="stHorizontalBlock"] { flex-direction: row-reverse; } }
    .st-key-wall_link [data-testid="stText"] { font-size: clamp(0.9rem, 1.1vw, 1.6rem); text-align: center;
        overflow-wrap: anywhere; }
    .st-key-wall_grid { display: grid !important; grid-template-columns: repeat(auto-fill, minmax(min(100%, 26rem), 1fr));
        gap: 1.2rem; align-items: start; }
    [class*="st-key-wall_story"] [data-testid="stText"] { font-size: clamp(1.15rem, 1.5vw, 2.2rem); line-height: 1.4;
        white-space: pre-wrap; }
    [class*="st-key-wall_heading"] [data-testid="stText"] { font-size: clamp(1.4rem, 1.9vw, 2.8rem); font-weight: 700; }
    [class*="st-key-wall_name"] [data-testid="stText"] { font-size: clamp(1rem, 1.2vw, 1.8rem); opacity: 0.75; }
    </style>"""
)

camp = current_camp()
if camp is None:
    st.page_link("app_pages/camps.py", label=tr("nav.camps"), icon=":material/arrow_back:")
    st.stop()

# The join panel comes first in the page so that a phone, where columns stack, shows the code and QR
# before the stories even before this page's CSS arrives (a few hundred ms after the elements on a
# first render); on a wider screen the CSS above puts it on the right, beside the stories.
join_column, stories_column = st.container(key="wall_layout").columns([3, 7], gap="large")
with join_column:
    if camp.is_open():
        wall_join_panel(camp)
    else:
        st.warning(tr("camps.wall.closed"), icon="🔒")
with stories_column:
    with st.container(key="wall_title"):
        st.title(md(camp.name), anchor=False)
    if camp.prompt:
        with st.container(key="wall_prompt"):
            show_text(camp.prompt)


@st.fragment(run_every=REFRESH_SECONDS)
def live_wall(camp_id: int) -> None:
    """Re-read the camp's stories every few seconds (one connection per refresh, closed at its end)."""
    with rerun_scope():  # a fragment's own reruns do not pass through app.py
        if not session_holds(get_db()):
            st.rerun()  # the whole page again: signed out elsewhere or expired, so the sign-in page
        show_wall(camp_id)


def show_wall(camp_id: int) -> None:
    stories = camp_stories(get_db(), camp_id)
    with st.container(key="wall_count"):
        st.metric(tr("camps.wall.count"), len(stories))
    if not stories:
        st.info(tr("camps.wall.empty"))
        return
    with st.container(key="wall_grid"):
        for story in list(reversed(stories))[:MAX_SHOWN]:
            with st.container(border=True, key=f"wall_card_{story.seq}"):
                if story.title:
                    with st.container(key=f"wall_heading_{story.seq}"):
                        show_text(story.title)
                with st.container(key=f"wall_story_{story.seq}"):
                    show_text(story.text)
                with st.container(key=f"wall_name_{story.seq}"):
                    show_text(f"— {story.display_name}" + (f" · {domain_label(story.domain)}" if story.domain else ""))


with stories_column:
    live_wall(camp.id)
st.page_link("app_pages/camps.py", label=tr("nav.camps"), icon=":material/arrow_back:")
