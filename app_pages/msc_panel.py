"""A panel chooses the most significant stories: team, leadership, board or funder, each at its own level.

Members see their own panels; a facilitator sees every panel to record a meeting.
"""

import streamlit as st

from stories.msc.process import get_process, panels_of
from stories.msc.rounds import read_in_round, rounds
from ui.msc_panel import level_name, round_label, round_work
from ui.msc_widgets import flash
from ui.page import current_actor, escape_markdown, get_db, setup_page, tr

setup_page()
st.session_state.setdefault("msc_panel_pick", None)
st.header(tr("msc.panel.title"), anchor=False)
flash()
db, actor = get_db(), current_actor()
mine = panels_of(db, actor)
if not mine:
    st.info(tr("msc.panel.none"))
    st.stop()
processes = {p.process_id: get_process(db, p.process_id) for p in mine}
by_id = {p.id: p for p in mine}


def panel_label(panel_id: int) -> str:
    panel = by_id[panel_id]
    process = processes[panel.process_id]
    return " · ".join(escape_markdown(part) for part in
                      (process.name, level_name(db, process, panel.level), panel.name))


if st.session_state["msc_panel_pick"] not in by_id:
    st.session_state["msc_panel_pick"] = mine[0].id
labels = {i: panel_label(i) for i in by_id}  # computed now: a format function may run after the rerun's connection closed
panel_id = st.selectbox(tr("msc.panel.pick"), list(by_id), format_func=labels.get, key="msc_panel_pick",
                        placeholder=tr("widgets.choose"), filter_mode=None)
panel = by_id[panel_id]
process = processes[panel.process_id]
if panel.sites:
    st.caption(tr("msc.panel.scope", sites=escape_markdown(", ".join(panel.sites))))
here = [r for r in rounds(db, process.id) if r.level == panel.level]
if not here:
    st.info(tr("msc.panel.no_rounds"))
    st.stop()
has_stories = {r.id: bool(read_in_round(db, r.id, panel.id)) for r in here}
here.sort(key=lambda r: (not r.is_open, not has_stories[r.id], r.domain))
tabs = st.tabs([round_label(r) for r in here])
for tab, rnd in zip(tabs, here):
    with tab:
        round_work(process, rnd, panel)
