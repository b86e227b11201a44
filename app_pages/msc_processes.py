"""Facilitators and admins set up selection over a reporting period: levels, panels and members, rounds."""

import streamlit as st

from stories.msc.process import list_processes
from stories.trust.permissions import can_run_selection
from ui.msc_processes import new_process_form, panels_section, rounds_section
from ui.msc_widgets import flash
from ui.page import current_actor, escape_markdown, get_db, setup_page, tr

setup_page()
st.session_state.setdefault("msc_process_pick", None)
st.header(tr("msc.process.title"), anchor=False)
if not can_run_selection(current_actor()):
    st.error(tr("error.permission"), icon="⛔")
    st.stop()
flash()
db = get_db()
with st.expander(tr("msc.process.new"), expanded=not list_processes(db, kind="period")):
    new_process_form()
processes = {p.id: p for p in list_processes(db, kind="period")}
if not processes:
    st.stop()
if st.session_state["msc_process_pick"] not in processes:
    st.session_state["msc_process_pick"] = next(iter(processes))
process_id = st.selectbox(tr("msc.process.pick"), list(processes),
                          format_func=lambda i: escape_markdown(processes[i].name), key="msc_process_pick",
                          placeholder=tr("widgets.choose"), filter_mode=None)
process = processes[process_id]
st.caption(tr("msc.process.about", method=tr(f"msc.method.{process.method}")))
panels_tab, rounds_tab = st.tabs([tr("msc.process.tab.panels"), tr("msc.process.tab.rounds")])
with panels_tab:
    panels_section(process)
with rounds_tab:
    rounds_section(process)
