"""The button that makes printable story cards (PDF, A6, four to a page) of a selection of stories."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from sqlite_utils import Database

from stories.errors import UserError
from stories.questions.cards import story_cards_pdf
from stories.trust.permissions import Actor
from ui.page import lang, show_user_error, tr


def cards_button(db: Database, story_ids: Sequence[str], actor: Actor, key: str) -> None:
    """Make the cards on a click (they are pseudonymised by the one rule), then offer the download."""
    purpose = "evaluation" if actor.role == "evaluator" else "internal"
    made = st.session_state.get(key)
    wanted = (tuple(story_ids), lang())
    if st.button(tr("cards.make"), key=f"{key}_make", icon="🗂️"):
        try:
            made = (wanted, story_cards_pdf(db, story_ids, actor=actor, purpose=purpose, lang=lang()))
        except UserError as exc:
            show_user_error(exc)
            made = None
        st.session_state[key] = made
    if made and made[0] == wanted:
        st.download_button(tr("cards.download"), made[1], file_name="historiekort.pdf" if lang() == "da"
                           else "story-cards.pdf", mime="application/pdf", key=f"{key}_download", type="primary")
