"""The facilitator's selection widgets: groups per level, rounds, dots and chosen stories with reasons."""

from __future__ import annotations

import streamlit as st

from ui.camp_widgets import domain_label, md
from ui.page import current_actor, get_db, lang, show_text, tr
from stories.camps.camps import Camp
from stories.msc.errors import MscInvalid
from stories.camps.selection import (
    MAX_REASONS, add_group, candidates, close_round, distribute_stories, groups,
    open_round, remove_group, reopen_round, rounds, selections, votes, record_selection, record_votes,
)


def _act(action, success_key: str | None = None, **params) -> bool:
    """Run a selection action; show its error in the user's language instead of failing."""
    try:
        action()
    except MscInvalid as exc:  # the camp's SelectionInvalid and the engine's other refusals
        st.error(tr(exc.key, **{k: md(str(v)) for k, v in exc.params.items()}), icon="⚠️")
        return False
    if success_key:
        st.session_state["camp_flash"] = tr(success_key, **params)
    st.rerun()
    return True


def groups_section(camp: Camp) -> None:
    db, actor = get_db(), current_actor()
    st.caption(tr("camps.groups.help"))
    for level in range(1, len(camp.levels) + 1):
        st.markdown(f"**{md(camp.level_name(level, lang()))}** ({tr('camps.level_n', n=level)})")
        for group in groups(db, camp.id, level):
            name_col, button_col = st.columns([4, 1])
            name_col.text(group.name)
            if button_col.button(tr("camps.groups.remove"), key=f"rm_group_{group.id}"):
                _act(lambda g=group: remove_group(db, g.id, actor=actor))
        with st.form(f"add_group_{level}", border=False, enter_to_submit=False):
            name_col, button_col = st.columns([4, 1], vertical_alignment="bottom")
            name = name_col.text_input(tr("camps.groups.name"), key=f"group_name_{level}",
                                       placeholder=tr("camps.groups.placeholder"))
            if button_col.form_submit_button(tr("camps.groups.add")):
                _act(lambda n=name, lv=level: add_group(db, camp.id, lv, n, actor=actor))
        if not groups(db, camp.id, level) and st.button(tr("camps.groups.plenary"), key=f"plenary_{level}"):
            _act(lambda lv=level: add_group(db, camp.id, lv, tr("camps.groups.plenary_name"), actor=actor))
    if len(groups(db, camp.id, 1)) > 1:
        st.caption(tr("camps.groups.distribute_help"))
        if st.button(tr("camps.groups.distribute")):
            _act(lambda: distribute_stories(db, camp.id, actor=actor), "camps.groups.distributed")


def _story_card(camp: Camp, candidate) -> None:
    story = candidate.story
    with st.container(border=True):
        if story.title:
            show_text(story.title)
        show_text(story.text)
        if story.significance:
            st.caption(tr("field.significance"))
            show_text(story.significance)
        show_text(f"— {story.display_name}")
        for reason in candidate.earlier:
            st.caption(tr("camps.feedback.why_at", level=camp.level_name(reason.level, lang()),
                          group=md(reason.panel)))
            show_text(reason.reasons)


def _story_choice(candidate) -> str:
    story = candidate.story
    return f"{story.title or story.text[:60]} — {story.display_name}"


def group_panel(camp: Camp, round_id: int, group, is_open: bool) -> None:
    """One group's work in a round: read, put dots, choose and say why."""
    db, actor = get_db(), current_actor()
    items = candidates(db, round_id, group.id)
    if not items:
        st.info(tr("camps.rounds.no_stories"))
        return
    for item in items:
        _story_card(camp, item)
    given = votes(db, round_id, group.id)
    with st.form(f"votes_{round_id}_{group.id}", enter_to_submit=False):
        st.markdown(f"**{tr('camps.rounds.dots_heading')}**")
        st.caption(tr("camps.rounds.dots_help"))
        dots = {}
        for item in items:
            # No min/max: Streamlit refuses a number out of range in English; record_votes says it in Danish.
            dots[item.story.seq] = st.number_input(md(_story_choice(item)), value=given.get(item.story.seq, 0), step=1,
                                                   key=f"dots_{round_id}_{group.id}_{item.story.seq}")
        if st.form_submit_button(tr("camps.rounds.save_dots"), disabled=not is_open):
            _act(lambda: record_votes(db, round_id, group.id, {k: int(v) for k, v in dots.items()}, actor=actor),
                 "camps.rounds.dots_saved", group=md(group.name))
    chosen = next((s for s in selections(db, round_id) if s.panel.id == group.id), None)
    seqs = [item.story.seq for item in items]
    by_seq = {item.story.seq: item for item in items}
    with st.form(f"choice_{round_id}_{group.id}", enter_to_submit=False):
        st.markdown(f"**{tr('camps.rounds.choice_heading')}**")
        default = seqs.index(chosen.story.seq) if chosen and chosen.story.seq in seqs else None
        choices = {s: _story_choice(by_seq[s]) for s in seqs}  # labels made now, in this rerun's language
        pick = st.radio(tr("camps.rounds.choice"), seqs, index=default, format_func=choices.__getitem__,
                        key=f"pick_{round_id}_{group.id}")
        reasons = st.text_area(tr("camps.rounds.reasons"), value=chosen.reasons if chosen else "",
                               max_chars=MAX_REASONS,
                               key=f"reasons_{round_id}_{group.id}")
        st.caption(tr("camps.rounds.reasons_help"))
        if st.form_submit_button(tr("camps.rounds.save_choice"), type="primary", disabled=not is_open):
            if pick is None:
                st.error(tr("camps.error.pick_story"), icon="⚠️")
            else:
                _act(lambda: record_selection(db, round_id, group.id, pick, reasons, actor=actor),
                     "camps.rounds.choice_saved", group=md(group.name))
    if chosen:
        st.success(tr("camps.rounds.current_choice", story=md(_story_choice(by_seq.get(chosen.story.seq, items[0])))))


def rounds_section(camp: Camp) -> None:
    db, actor = get_db(), current_actor()
    st.caption(tr("camps.rounds.help"))
    domains = list(camp.domains) or [""]
    levels = list(range(1, len(camp.levels) + 1))
    with st.form("open_round", border=True, enter_to_submit=False):
        left, right = st.columns(2)
        domain_names = {d: domain_label(d) for d in domains}  # labels made now, in this rerun's language
        level_names = {n: camp.level_name(n, lang()) for n in levels}
        domain = left.selectbox(tr("camps.domain_short"), domains, format_func=domain_names.__getitem__,
                                placeholder=tr("widgets.choose"), filter_mode=None)
        level = right.selectbox(tr("camps.level"), levels, format_func=level_names.__getitem__,
                                placeholder=tr("widgets.choose"), filter_mode=None)
        if st.form_submit_button(tr("camps.rounds.start"), type="primary"):
            def start() -> None:
                st.session_state["camp_round_pick"] = open_round(db, camp.id, level, domain, actor=actor).id
            _act(start)
    existing = rounds(db, camp.id)
    if not existing:
        st.info(tr("camps.rounds.none"))
        return
    ids = [r.id for r in existing]
    by_id = {r.id: r for r in existing}
    if st.session_state.get("camp_round_pick") not in ids:
        st.session_state["camp_round_pick"] = ids[-1]
    def round_label(i: int) -> str:
        rnd = by_id[i]
        state = "" if rnd.is_open else f" ({tr('camps.round.closed')})"
        return f"{domain_label(rnd.domain)} · {camp.level_name(rnd.level, lang())}{state}"

    labels = {i: round_label(i) for i in ids}  # made now, in this rerun's language
    round_id = st.radio(tr("camps.rounds.pick"), ids, key="camp_round_pick", format_func=labels.__getitem__)
    rnd = by_id[round_id]
    if rnd.is_open:
        if st.button(tr("camps.rounds.close"), key="close_round"):
            _act(lambda: close_round(db, rnd.id, actor=actor))
    elif st.button(tr("camps.rounds.reopen"), key="reopen_round"):
        _act(lambda: reopen_round(db, rnd.id, actor=actor))
    level_groups = groups(db, camp.id, rnd.level)
    if not level_groups:
        st.warning(tr("camps.error.no_groups"))
        return
    tabs = st.tabs([md(g.name) for g in level_groups])
    for tab, group in zip(tabs, level_groups):
        with tab:
            group_panel(camp, rnd.id, group, rnd.is_open)
