"""Feedback for the tellers of a camp: which stories were chosen, at which level, and why.

Public, from the camp's link: /camp_feedback?camp=CODE. Facilitators can export it.
"""

import streamlit as st

from ui.camp_widgets import big_text_css, domain_label, md, public_camp_intro
from ui.page import current_actor, get_db, lang, setup_page, show_text, tr
from stories.camps.report import feedback_docx
from stories.trust.permissions import can_run_camp
from stories.camps.selection import feedback
from stories.msc.verification import verifications

setup_page()
big_text_css()
st.header(tr("camps.feedback.title"), anchor=False)
camp = public_camp_intro(st.subheader)
items = feedback(get_db(), camp.id, actor=current_actor(), lang=lang())  # names replaced: a public page
checked = verifications(get_db(), [item.story.seq for item in items])
if not items:
    st.info(tr("camps.feedback.none"))
for domain in dict.fromkeys(item.domain for item in items):
    st.subheader(md(domain_label(domain)), divider="gray", anchor=False)
    for item in (i for i in items if i.domain == domain):
        with st.container(border=True):
            st.caption(tr("camps.feedback.reached", level=camp.level_name(item.highest_level, lang())))
            if item.story.seq not in checked:
                st.caption(tr("msc.feedback.unverified"))
            if item.story.title:
                with st.container(key=f"feedback_title_{item.story.seq}"):
                    show_text(item.story.title)
            show_text(item.story.text)
            show_text(f"— {item.story.display_name}")
            for reason in item.reasons:
                st.caption(tr("camps.feedback.why_at", level=camp.level_name(reason.level, lang()),
                              group=md(reason.panel)))
                show_text(reason.reasons)

if can_run_camp(current_actor()) and items:
    st.download_button(tr("camps.feedback.export"), feedback_docx(get_db(), camp.id, lang()),
                       file_name=f"feedback-{camp.code}.docx", icon="⬇️",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
