"""Staff review stories that arrived without staff (/tell, camps, imports) before evaluators see them.

The same findings view as the staff form: the personal data found, marked in the text,
each finding confirmed or un-ticked, and anything missed added.
"""

import streamlit as st

from ui.page import current_actor, get_db, lang, setup_page, tr
from ui.story_form import personal_data_review, show_story
from ui.option_search import option_search
from stories.db import DatabaseBusy
from stories.errors import UserError
from stories.i18n import choice_label
from stories.trust.permissions import PermissionDenied, can_change_settings
from stories.privacy.review import (
    count_awaiting_review, review_required, review_story, set_review_required, stories_awaiting_review,
)

LIST_LIMIT = 200

setup_page()
st.session_state.setdefault("review_notice", None)
st.session_state.setdefault("review_chosen", None)
db = get_db()
actor = current_actor()
st.header(tr("review.title"), anchor=False)
if st.session_state["review_notice"]:
    st.success(st.session_state["review_notice"], icon="✅")
    st.session_state["review_notice"] = None
required = review_required(db)
if not required:
    st.warning(tr("review.off_warning"), icon="⚠️")
if can_change_settings(actor):
    with st.expander(tr("review.setting.heading"), expanded=not required):
        wanted = st.toggle(tr("review.setting.label"), value=required,
                           key="review_required_toggle")
        st.caption(tr("review.setting.help"))
        if not wanted:
            st.warning(tr("review.setting.off_warning"), icon="⚠️")
        if wanted != required:
            try:
                set_review_required(db, wanted, actor=actor)
            except UserError:
                st.error(tr("error.permission"))
            else:
                st.session_state["review_notice"] = tr("review.setting.saved_on" if wanted else "review.setting.saved_off")
                st.rerun()

waiting = stories_awaiting_review(db, actor=actor, limit=LIST_LIMIT)
if not waiting:
    st.info(tr("review.empty"))
    st.stop()
st.caption(tr("review.intro", n=count_awaiting_review(db, actor)))


def _label(story) -> str:
    """Plain text (selectbox options are not Markdown): date, site, where it came from, first words."""
    words = " ".join((story.title or story.text).split())
    snippet = words if len(words) <= 60 else words[:59] + "…"
    parts = [(story.created_at or "")[:10], story.site or "–", choice_label("source", story.source, lang()), snippet]
    return " · ".join(parts)


labels = {s.id: _label(s) for s in waiting}
ids = option_search([s.id for s in waiting], labels.__getitem__, key="review_search")
if not ids:
    st.stop()
index = ids.index(st.session_state["review_chosen"]) if st.session_state["review_chosen"] in ids else 0
chosen = st.selectbox(tr("review.pick"), ids, index=index, format_func=labels.get,
                      key="review_pick", placeholder=tr("widgets.choose"), filter_mode=None)
st.session_state["review_chosen"] = chosen
story = next(s for s in waiting if s.id == chosen)
with st.container(border=True):
    show_story(story)
prefix = f"review_{story.id[:8]}_"
corrections = personal_data_review(prefix, story)
if st.button(tr("review.approve"), type="primary", use_container_width=True, key=prefix + "approve"):
    try:
        review_story(db, story.id, corrections, actor=actor)
    except PermissionDenied:
        st.error(tr("error.permission"))
    except DatabaseBusy:
        st.error(tr("error.busy"))
    except UserError:
        st.error(tr("review.failed"))
    else:
        for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
            del st.session_state[key]
        st.session_state["review_chosen"] = None
        st.session_state["review_notice"] = tr("review.done")
        st.rerun()
st.caption(tr("review.approve_help"))
