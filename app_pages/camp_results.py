"""Selection results of a camp: per domain and level, each group's dots, its chosen story and why."""

import streamlit as st

from ui.camp_widgets import big_text_css, domain_label, md, pick_camp
from ui.page import current_actor, get_db, lang, setup_page, show_text, tr
from ui.table import table
from stories.camps.report import camp_report_docx, feedback_docx
from stories.camps.selection import results

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

setup_page()
big_text_css()
st.header(tr("camps.results.title"), anchor=False)
camp = pick_camp("results_camp")
if camp is None:
    st.stop()

all_results = results(get_db(), camp.id, actor=current_actor())
if not all_results:
    st.info(tr("camps.results.none"))
for domain in dict.fromkeys(r.round.domain for r in all_results):
    st.subheader(md(domain_label(domain)), divider="gray", anchor=False)
    for result in (r for r in all_results if r.round.domain == domain):
        state = tr("camps.round.open" if result.round.is_open else "camps.round.closed")
        st.markdown(f"**{md(camp.level_name(result.round.level, lang()))} · {state}**")  # no heading: no English anchor
        columns = st.columns(max(1, len(result.panels)))
        for column, group in zip(columns, result.panels):
            with column, st.container(border=True):
                st.caption(tr("camps.group_label", name=md(group.panel.name)))
                chosen = group.choice
                if chosen:
                    st.caption(tr("camps.results.chosen"))
                    with st.container(key=f"chosen_{result.round.id}_{group.panel.id}"):
                        show_text(f"{chosen.story.title or chosen.story.text[:80]} — {chosen.story.display_name}")
                    st.caption(tr("camps.results.why"))
                    show_text(chosen.reasons)
                    for reason in chosen.earlier:
                        st.caption(tr("camps.feedback.why_at", level=camp.level_name(reason.level, lang()),
                                      group=md(reason.panel)))
                        show_text(reason.reasons)
                else:
                    st.info(tr("camps.results.not_chosen"))
                if group.tally:
                    table({tr("camps.dots"): [n for _, n, _ in group.tally],
                           tr("camps.story"): [f"{s.title or s.text[:60]} — {s.display_name}"
                                               for s, _, _ in group.tally]}, hide_index=True)

st.divider()
st.subheader(tr("camps.report.heading"), anchor=False)
if st.button(tr("camps.report.make"), icon="📄"):
    with st.spinner(tr("camps.report.making")):
        st.session_state["camp_report"] = (camp.code, camp_report_docx(get_db(), camp.id, lang(),
                                                                        actor=current_actor()))
report = st.session_state.get("camp_report")
if report and report[0] == camp.code:
    st.download_button(tr("camps.report.download"), report[1], file_name=f"camp-{camp.code}.docx", mime=DOCX,
                       icon="⬇️", type="primary")
st.download_button(tr("camps.feedback.export"), feedback_docx(get_db(), camp.id, lang()),
                   file_name=f"feedback-{camp.code}.docx", mime=DOCX, icon="⬇️")
