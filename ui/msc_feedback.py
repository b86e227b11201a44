"""Widgets for feedback: a level's choices with why and how, and a story's own way through the selection."""

from __future__ import annotations

import streamlit as st

from stories.msc.feedback_docx import how_chosen
from stories.msc.history import highest_level_name
from ui.msc_widgets import domain_names
from ui.msc_widgets import act
from ui.page import current_actor, escape_markdown, get_db, lang, show_text, tr
from ui.date_field import date_field


def chosen_card(item) -> None:
    names = domain_names()
    with st.container(border=True):
        st.caption(escape_markdown(names.get(item.domain, item.domain)) + " · "
                   + tr("msc.feedback.chosen_by", panel=escape_markdown(item.panel)))
        if not item.verified:
            st.caption(tr("msc.feedback.unverified"))
        if item.story.title:
            with st.container(key=f"msc_feedback_title_{item.level}_{item.story.seq}"):
                show_text(item.story.title)
        show_text(item.story.text)
        st.caption(tr("msc.feedback.why"))
        show_text(item.reasons)
        st.caption(tr("msc.feedback.how"))
        show_text(how_chosen(item, lang()))
        if item.discussion:
            st.caption(tr("msc.feedback.discussion"))
            show_text(item.discussion)
        for reason in item.earlier:
            st.caption(tr("msc.feedback.earlier", level=reason.level, panel=escape_markdown(reason.panel)))
            show_text(reason.reasons)
        verify_form(item)


def story_journey(readings, verification_state: str | None) -> None:
    """How far a story went and with which reasons (its own page in browse)."""
    if not readings:
        return
    st.caption(tr("msc.journey.heading"))
    top = highest_level_name(readings)
    show_text(tr("msc.journey.reached", level=top) if top else tr("msc.journey.not_chosen"))
    for r in readings:
        state = tr("msc.journey.chosen") if r.chosen else tr("msc.journey.read")
        show_text(f"{r.process} · {r.level_name} · {r.panel}: {state}")
        if r.chosen and r.reasons:
            show_text(r.reasons)
    if verification_state:
        st.caption(tr(f"msc.journey.{verification_state}"))


def story_journey_of(story) -> None:
    """The journey of a stored story, read from the database of this rerun."""
    from stories.msc.history import story_readings
    from stories.msc.verification import status, verifications
    from stories.storage import story_seq

    db = get_db()
    seq = story_seq(db, story.id)
    readings = story_readings(db, seq)
    story_journey(readings, status(any(r.chosen for r in readings), verifications(db, [seq]).get(seq)))


def verify_form(item) -> None:
    """Record who checked a chosen story's facts (for staff of its site, facilitators and admins)."""
    import datetime as dt

    from stories.msc.verification import METHODS, verify_story
    from stories.trust.permissions import can_verify_story

    actor = current_actor()
    if not can_verify_story(actor, item.story.site):
        return
    with st.expander(tr("msc.verify.heading" if not item.verified else "msc.verify.correct")):
        with st.form(f"msc_verify_{item.level}_{item.story.seq}", border=False, enter_to_submit=False):
            by = st.text_input(tr("msc.verify.by"), max_chars=80, key=f"msc_verify_by_{item.level}_{item.story.seq}")
            on = date_field(tr("msc.verify.on"), value=dt.date.today(), max_value=dt.date.today(),
                            key=f"msc_verify_on_{item.level}_{item.story.seq}")
            how = st.radio(tr("msc.verify.how"), METHODS, format_func=lambda m: tr(f"msc.verify.method.{m}"),
                           horizontal=True, key=f"msc_verify_how_{item.level}_{item.story.seq}")
            note = st.text_area(tr("msc.verify.note"), max_chars=2000,
                                key=f"msc_verify_note_{item.level}_{item.story.seq}")
            if st.form_submit_button(tr("msc.verify.save")):
                act(lambda: verify_story(get_db(), item.story.id, by, on, how, note, actor=actor), "msc.verify.saved")
