"""The live wall for a projector: a camp's stories as they arrive, large, display names only."""

import streamlit as st

from ui.camp_widgets import big_text_css, domain_label, join_box, pick_camp
from ui.page import get_db, rerun_scope, setup_page, show_text, tr
from stories.camps.camps import camp_stories

REFRESH_SECONDS = 3
MAX_SHOWN = 60

setup_page()
big_text_css()
camp = pick_camp("wall_camp")
if camp is None:
    st.stop()

with st.expander(tr("camps.wall.join_expander"), expanded=camp.is_open()):
    join_box(camp, qr_width=260)


@st.fragment(run_every=REFRESH_SECONDS)
def live_wall(camp_id: int) -> None:
    """Re-read the camp's stories every few seconds (one connection per refresh, closed at its end)."""
    with rerun_scope():  # a fragment's own reruns do not pass through app.py
        show_wall(camp_id)


def show_wall(camp_id: int) -> None:
    stories = camp_stories(get_db(), camp_id)
    st.metric(tr("camps.wall.count"), len(stories))
    if not stories:
        st.info(tr("camps.wall.empty"))
        return
    newest = list(reversed(stories))[:MAX_SHOWN]
    columns = st.columns(2)
    for i, story in enumerate(newest):
        with columns[i % 2], st.container(border=True):
            if story.title:
                with st.container(key=f"wall_title_{story.seq}"):
                    show_text(story.title)
            with st.container(key=f"wall_story_{story.seq}"):
                show_text(story.text)
            with st.container(key=f"wall_name_{story.seq}"):
                show_text(f"— {story.display_name}" + (f" · {domain_label(story.domain)}" if story.domain else ""))


live_wall(camp.id)
