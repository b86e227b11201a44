"""A panel's work in a round: read the stories with the earlier reasons, vote or score, choose and say why."""

from __future__ import annotations

import streamlit as st

from stories.i18n import choice_label
from stories.msc.process import Panel, Process, get_level, levels, may_act_for
from stories.msc.reading import panel_reading
from stories.msc.rounds import (
    MAX_REASONS, Round, choices, close_round, record_choice, record_votes, voter_for, votes,
)
from ui.msc_widgets import act, domain_names
from ui.page import current_actor, escape_markdown, get_db, lang, show_text, tr
from ui.table import table


def level_name(db, process: Process, level: int) -> str:
    from stories.camps.camps import label

    names = {lv.level: lv.name for lv in levels(db, process)}
    return label("level", names.get(level, str(level)), lang())


def story_card(db, process: Process, candidate) -> None:
    story = candidate.story
    with st.container(border=True):
        if story.title:
            with st.container(key=f"msc_title_{story.seq}"):
                show_text(story.title)
        show_text(story.text)
        if story.significance:
            st.caption(tr("field.significance"))
            show_text(story.significance)
        who = [choice_label("teller_role", story.teller_role, lang()), story.site, story.display_name]
        st.caption(escape_markdown(" · ".join(p for p in who if p)))
        for reason in candidate.earlier:
            st.caption(tr("msc.panel.why_at", level=escape_markdown(level_name(db, process, reason.level)),
                          panel=escape_markdown(reason.panel)))
            show_text(reason.reasons)


def _label(candidate) -> str:
    story = candidate.story
    return escape_markdown(story.title or story.text[:60])


def round_work(process: Process, rnd: Round, panel: Panel) -> None:
    """Everything one panel does in one round."""
    db, actor = get_db(), current_actor()
    level = get_level(db, process, rnd.level)
    st.caption(tr("msc.panel.purpose", purpose=tr(f"purpose.{level.purpose}")))
    items = panel_reading(db, rnd.id, panel.id, actor=actor)
    if not items:
        st.info(tr("msc.panel.no_stories"))
    for item in items:
        story_card(db, process, item)
    allowed = rnd.is_open and may_act_for(db, actor, panel)
    if not rnd.is_open:
        st.info(tr("msc.panel.closed"))
    elif not allowed:
        st.warning(tr("msc.error.not_on_panel", panel=escape_markdown(panel.name)))
    if items:
        _votes_form(process, rnd, panel, items, allowed)
        _choice_form(rnd, panel, items, allowed)
    if allowed:
        st.caption(tr("msc.panel.close_help"))
        if st.button(tr("msc.panel.close"), key=f"msc_close_{rnd.id}_{panel.id}"):
            act(lambda: close_round(db, rnd.id, actor=actor), "msc.panel.closed_now")


def _votes_form(process: Process, rnd: Round, panel: Panel, items, allowed: bool) -> None:
    db, actor = get_db(), current_actor()
    scores = process.method == "scores"
    mine = votes(db, rnd.id, panel.id, voter_for(actor, panel))
    with st.form(f"msc_votes_{rnd.id}_{panel.id}", enter_to_submit=False):
        st.markdown(f"**{tr('msc.panel.scores_heading' if scores else 'msc.panel.votes_heading')}**")
        st.caption(tr("msc.panel.scores_help" if scores else "msc.panel.votes_help"))
        # No min/max: Streamlit refuses a number out of range in English; record_votes says it in Danish.
        given = {item.story.seq: st.number_input(_label(item), value=mine.get(item.story.seq, 0), step=1,
                                                 key=f"msc_vote_{rnd.id}_{panel.id}_{item.story.seq}")
                 for item in items}
        if st.form_submit_button(tr("msc.panel.save_votes"), disabled=not allowed):
            act(lambda: record_votes(db, rnd.id, panel.id, {k: int(v) for k, v in given.items()}, actor=actor),
                "msc.panel.votes_saved")
    total = votes(db, rnd.id, panel.id)
    if total:
        by_seq = {item.story.seq: item for item in items}
        table({tr("msc.panel.story"): [by_seq[s].story.title or by_seq[s].story.text[:60] for s in total if s in by_seq],
               tr("msc.panel.total"): [n for s, n in total.items() if s in by_seq]}, hide_index=True)


def _choice_form(rnd: Round, panel: Panel, items, allowed: bool) -> None:
    db, actor = get_db(), current_actor()
    chosen = next((c for c in choices(db, rnd.id) if c.panel.id == panel.id), None)
    seqs = [item.story.seq for item in items]
    by_seq = {item.story.seq: item for item in items}
    with st.form(f"msc_choice_{rnd.id}_{panel.id}", enter_to_submit=False):
        st.markdown(f"**{tr('msc.panel.choice_heading')}**")
        default = seqs.index(chosen.story.seq) if chosen and chosen.story.seq in seqs else None
        pick = st.radio(tr("msc.panel.choice"), seqs, index=default, format_func=lambda s: _label(by_seq[s]),
                        key=f"msc_pick_{rnd.id}_{panel.id}")
        reasons = st.text_area(tr("msc.panel.reasons"), value=chosen.reasons if chosen else "", max_chars=MAX_REASONS,
                               key=f"msc_reasons_{rnd.id}_{panel.id}")
        st.caption(tr("msc.panel.reasons_help"))
        talk = st.text_area(tr("msc.panel.discussion"), value=chosen.discussion if chosen else "",
                            max_chars=MAX_REASONS,
                            key=f"msc_discussion_{rnd.id}_{panel.id}")
        st.caption(tr("msc.panel.discussion_help"))
        if st.form_submit_button(tr("msc.panel.save_choice"), type="primary", disabled=not allowed):
            if pick is None:
                st.error(tr("msc.error.pick_story"), icon="⚠️")
            else:
                act(lambda: record_choice(db, rnd.id, panel.id, pick, reasons, talk, actor=actor),
                    "msc.panel.choice_saved")
    if chosen and chosen.story.seq in by_seq:
        st.success(tr("msc.panel.current_choice", story=_label(by_seq[chosen.story.seq])))


def round_label(rnd: Round) -> str:
    state = "" if rnd.is_open else f" ({tr('msc.round.closed')})"
    return escape_markdown(domain_names().get(rnd.domain) or rnd.domain or tr("camps.no_domain")) + state
