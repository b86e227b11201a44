"""Observations on the pattern shown, with their competing interpretations (NarraFirma's catalysis):
listed with the pattern, written by evaluators and facilitators."""

from __future__ import annotations

import streamlit as st
from sqlite_utils import Database

from coding.themes.patterns import Pattern
from stories import formatting
from stories.errors import UserError
from stories.questions.observations import (
    MAX_INTERPRETATION, MAX_OBSERVATION, Observation, add_interpretation, add_observation, observations_on,
)
from stories.trust.permissions import Actor, can_write_observations
from ui.page import escape_markdown, lang, show_text, show_user_error, tr

NEW_READINGS = 3  # interpretation boxes on a new observation


def _when(stamp: str) -> str:
    return formatting.datetime(stamp, lang())


def _show(obs: Observation) -> None:
    with st.container(border=True):
        st.caption(tr("observations.by", author=escape_markdown(obs.author), when=_when(obs.created_at)))
        show_text(obs.text)
        for i, reading in enumerate(obs.interpretations, start=1):
            st.caption(tr("observations.interpretation_by", n=i, author=escape_markdown(reading.author)))
            show_text(reading.text)


def observations_section(db: Database, pattern: Pattern, actor: Actor) -> None:
    """The observations on this pair of variables, and (for those who may) a form for a new one."""
    st.subheader(tr("observations.heading"), anchor=False)
    a, b = pattern.a.key, pattern.b.key
    found = observations_on(db, a, b)
    if not found:
        st.caption(tr("observations.none"))
    writer = can_write_observations(actor)
    for obs in found:
        _show(obs)
        if writer:
            with st.expander(tr("observations.add_interpretation")), st.form(f"obs_more_{obs.id}", clear_on_submit=True, enter_to_submit=False):
                text = st.text_area(tr("observations.another"), max_chars=MAX_INTERPRETATION, key=f"obs_more_t_{obs.id}")
                if st.form_submit_button(tr("observations.add_interpretation")):
                    try:
                        add_interpretation(db, obs.id, text, actor=actor)
                    except UserError as exc:
                        show_user_error(exc)
                    else:
                        st.rerun()
    if not writer:
        return
    with st.form(f"obs_new_{a}_{b}", enter_to_submit=False):
        st.markdown(f"**{tr('observations.new')}**")
        text = st.text_area(tr("observations.text"), max_chars=MAX_OBSERVATION, key="obs_new_text")
        st.caption(tr("observations.text_help"))
        readings = []
        for i in range(NEW_READINGS):
            readings.append(st.text_area(tr("observations.interpretation_n", n=i + 1), max_chars=MAX_INTERPRETATION,
                                         key=f"obs_new_i{i}"))
            if i == 0:
                st.caption(tr("observations.interpretation_help"))
        if st.form_submit_button(tr("observations.save"), type="primary"):
            try:
                add_observation(db, a, b, text, readings, actor=actor)
            except UserError as exc:
                show_user_error(exc)
            else:
                st.success(tr("observations.saved"), icon="✅")
                for key in ["obs_new_text", *(f"obs_new_i{i}" for i in range(NEW_READINGS))]:
                    st.session_state.pop(key, None)
                st.rerun()
