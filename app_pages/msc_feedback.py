"""Feedback for each period and level: what was chosen, why and how; a DOCX for the houses and the staff
who recorded the stories; and a note of whom it was sent to."""

import streamlit as st

from stories.msc.feedback import feedback, mark_sent
from stories.msc.feedback_docx import feedback_docx
from stories.msc.process import list_processes, may_run
from stories.trust.permissions import can_read_feedback
from ui.msc_feedback import chosen_card
from ui.msc_widgets import act, flash
from ui.page import current_actor, escape_markdown, get_db, lang, setup_page, show_text, tr

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

setup_page()
st.session_state.setdefault("msc_feedback_pick", None)
st.header(tr("msc.feedback.title"), anchor=False)
actor = current_actor()
if not can_read_feedback(actor):
    st.error(tr("error.permission"), icon="⛔")
    st.stop()
flash()
db = get_db()
processes = {p.id: p for p in list_processes(db, kind="period")}
if not processes:
    st.info(tr("msc.feedback.no_process"))
    st.stop()
if st.session_state["msc_feedback_pick"] not in processes:
    st.session_state["msc_feedback_pick"] = next(iter(processes))
names = {i: escape_markdown(p.name) for i, p in processes.items()}
process_id = st.selectbox(tr("msc.process.pick"), list(processes), format_func=names.get, key="msc_feedback_pick",
                          placeholder=tr("widgets.choose"), filter_mode=None)
process = processes[process_id]
report = feedback(db, process.id, actor=actor)
runs = may_run(db, process, actor)

st.download_button(tr("msc.feedback.docx"), feedback_docx(db, process.id, lang(), actor=actor),
                   file_name=f"feedback-{process.id}.docx", mime=DOCX, icon="⬇️", type="primary")
tabs = st.tabs([escape_markdown(f"{lv.level.level}. {lv.level.name}") for lv in report])
for tab, level in zip(tabs, report):
    with tab:
        if not level.chosen:
            st.info(tr("msc.feedback.none_at_level"))
        for item in level.chosen:
            chosen_card(item)
        for sent in level.sent:
            st.caption(tr("msc.feedback.sent_to", audience=escape_markdown(sent.audience), when=sent.sent_at[:10]))
            if sent.note:
                show_text(sent.note)
        if not level.sent:
            st.warning(tr("msc.feedback.not_sent"))
        if runs and level.chosen:
            with st.form(f"msc_sent_{process.id}_{level.level.level}", enter_to_submit=False):
                audience = st.text_input(tr("msc.feedback.audience"), max_chars=120,
                                         key=f"msc_audience_{level.level.level}")
                note = st.text_area(tr("msc.feedback.note"), max_chars=2000, key=f"msc_sent_note_{level.level.level}")
                if st.form_submit_button(tr("msc.feedback.mark_sent")):
                    act(lambda lv=level.level.level, a=audience, n=note:
                        mark_sent(db, process.id, lv, a, n, actor=actor), "msc.feedback.marked")
