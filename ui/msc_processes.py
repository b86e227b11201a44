"""Setting up a selection process: its levels, the panels per level and their members, and the rounds."""

from __future__ import annotations

import streamlit as st

from stories.msc.periods import list_periods
from stories.msc.process import (
    DEFAULT_LEVELS, MAX_LEVELS, METHODS, PURPOSES, Process, add_panel, create_period_process, levels, member_names,
    panels, remove_panel, set_members,
)
from stories.msc.rounds import close_round, reopen_round, rounds, start_process
from stories.sites import list_sites
from ui.choose_many import choose_many
from ui.msc_panel import level_name
from ui.msc_widgets import act, domain_names
from ui.page import current_actor, escape_markdown, get_db, show_text, tr


def new_process_form() -> None:
    db, actor = get_db(), current_actor()
    periods = {p.id: p for p in list_periods(db)}
    if not periods:
        st.info(tr("msc.process.no_periods"))
        return
    with st.form("msc_new_process", enter_to_submit=False):
        period_id = st.selectbox(tr("msc.process.period"), list(periods), format_func=lambda i: periods[i].name,
                                 key="msc_new_period", placeholder=tr("widgets.choose"), filter_mode=None)
        name = st.text_input(tr("msc.process.name"), max_chars=80, key="msc_new_name",
                             placeholder=tr("msc.process.name_placeholder"))
        st.caption(tr("msc.process.levels_help"))
        specs = []
        for i in range(MAX_LEVELS):
            default_name, default_purpose = DEFAULT_LEVELS[i] if i < len(DEFAULT_LEVELS) else ("", "internal")
            left, right = st.columns([3, 2])
            level = left.text_input(tr("msc.process.level_n", n=i + 1), value=default_name, max_chars=80,
                                    key=f"msc_new_level_{i}")
            purpose = right.selectbox(tr("msc.process.purpose"), PURPOSES, index=PURPOSES.index(default_purpose),
                                      format_func=lambda p: tr(f"purpose.{p}"), key=f"msc_new_purpose_{i}",
                                      placeholder=tr("widgets.choose"), filter_mode=None)
            specs.append((level, purpose))
        method = st.radio(tr("msc.process.method"), METHODS, format_func=lambda m: tr(f"msc.method.{m}"),
                          horizontal=True, key="msc_new_method")
        if st.form_submit_button(tr("msc.process.create"), type="primary"):
            chosen = name or f"{tr('msc.process.default_name')} {periods[period_id].name}"

            def create() -> None:
                made = create_period_process(db, period_id, chosen, specs, method, actor=actor)
                st.session_state["msc_process_pick"] = made.id
            act(create, "msc.process.created")


def members_field(options: list[str], default: list[str], *, key: str) -> list[str]:
    """A panel's members: the known names to pick from, and a line for names not known yet (comma-separated).

    Instead of `accept_new_options`, whose open list offers the new name as "Add: …" in English.
    """
    picked = choose_many(tr("msc.process.members"), options, default=default, key=key) if options else []
    typed = st.text_input(tr("msc.process.other_members"), key=key + "_new", max_chars=400, live="1s")
    st.caption(tr("msc.process.other_members_help"))
    return list(dict.fromkeys([*picked, *(part.strip() for part in typed.split(",") if part.strip())]))


def panels_section(process: Process) -> None:
    db, actor = get_db(), current_actor()
    known = member_names(db)
    sites = list_sites(db)
    for lv in levels(db, process):
        st.markdown(f"**{escape_markdown(level_name(db, process, lv.level))}** · {tr(f'purpose.{lv.purpose}')}")
        for panel in panels(db, process.id, lv.level):
            with st.container(border=True):
                show_text(panel.name)
                st.caption(tr("msc.process.panel_scope", sites=escape_markdown(", ".join(panel.sites))
                              or tr("msc.process.all_sites")))
                options = list(dict.fromkeys([*known, *panel.members]))
                chosen = members_field(options, list(panel.members), key=f"msc_members_{panel.id}")
                left, right = st.columns(2)
                if left.button(tr("msc.process.save_members"), key=f"msc_save_members_{panel.id}"):
                    act(lambda p=panel.id, m=chosen: set_members(db, p, m, actor=actor), "msc.process.saved")
                if right.button(tr("msc.process.remove_panel"), key=f"msc_remove_panel_{panel.id}"):
                    act(lambda p=panel.id: remove_panel(db, p, actor=actor), "msc.process.saved")
        with st.expander(tr("msc.process.add_panel")):
            with st.form(f"msc_add_panel_{process.id}_{lv.level}", border=False, enter_to_submit=False):
                name = st.text_input(tr("msc.process.panel_name"), max_chars=80,
                                     key=f"msc_panel_name_{process.id}_{lv.level}")
                scope = choose_many(tr("msc.process.panel_sites"), sites, key=f"msc_panel_sites_{process.id}_{lv.level}")
                st.caption(tr("msc.process.panel_sites_help"))
                members = members_field(known, [], key=f"msc_panel_members_{process.id}_{lv.level}")
                if st.form_submit_button(tr("msc.process.add_panel")):
                    act(lambda lv=lv.level, n=name, s=scope, m=members:
                        add_panel(db, process.id, lv, n, sites=s, members=m, actor=actor), "msc.process.saved")


def rounds_section(process: Process) -> None:
    db, actor = get_db(), current_actor()
    existing = rounds(db, process.id)
    if not existing:
        st.caption(tr("msc.process.start_help"))
        if st.button(tr("msc.process.start"), type="primary", key="msc_start"):
            act(lambda: start_process(db, process.id, actor=actor), "msc.process.started")
        return
    names = domain_names()
    for rnd in existing:
        left, mid, right = st.columns([3, 2, 2])
        left.text(f"{level_name(db, process, rnd.level)} · {names.get(rnd.domain, rnd.domain)}")
        mid.caption(tr("msc.round.open" if rnd.is_open else "msc.round.closed"))
        if rnd.is_open:
            if right.button(tr("msc.panel.close"), key=f"msc_round_close_{rnd.id}"):
                act(lambda r=rnd.id: close_round(db, r, actor=actor), "msc.panel.closed_now")
        elif right.button(tr("msc.process.reopen"), key=f"msc_round_reopen_{rnd.id}"):
            act(lambda r=rnd.id: reopen_round(db, r, actor=actor), "msc.process.saved")
