"""The panels of the coding page around the coding form: suggestions, memos, others' codings."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlite_utils import Database

from coding.codings import (CodingError, blind_coding, codings_of, may_see_others, record_suggestion, set_coding_memo,
                            story_codings)
from coding.memos import add_memo, list_memos
from coding.themes.classifier import training
from coding.themes.suggest import suggest_codes
from stories import formatting
from stories.trust.permissions import Actor
from ui.page import escape_markdown, get_db, lang, rerun_scope, show_text, show_user_error, tr
from ui.table import table

CodeName = Callable[[int], str]
SentenceText = Callable[[int, int], str]


def suggestions_panel(db: Database, story_id: str, actor: Actor, code_name: CodeName, evaluator_view: bool) -> None:
    """Code suggestions for the story (coding.themes.suggest); accepting one ticks the code."""
    with st.expander(tr("themes.suggest.title"), expanded=True):
        suggestions = suggest_codes(db, story_id, actor=actor, coder=actor.name, model_words=not evaluator_view)
        if not suggestions:
            st.caption(tr("themes.suggest.none"))
        if training(db):  # the classifiers learn in the background: keywords until then
            st.caption(tr("themes.suggest.learning"))
            rerun_once_trained()
        for suggestion in suggestions:
            text_col, yes_col, no_col = st.columns([4, 1, 1])
            text_col.markdown(f"**{escape_markdown(code_name(suggestion.code_id))}** · {formatting.percent(suggestion.score, lang())} · "
                              + tr(f"themes.suggest.source.{suggestion.source}"))
            text_col.caption(escape_markdown(", ".join(suggestion.words)))
            for col, accepted in ((yes_col, True), (no_col, False)):
                if col.button(tr(f"themes.suggest.{'accept' if accepted else 'reject'}"),
                              key=f"suggest_{story_id}_{suggestion.code_id}_{accepted}"):
                    record_suggestion(db, story_id, suggestion.code_id, actor.name, accepted, suggestion.score, actor=actor)
                    if accepted:
                        st.session_state[f"whole_{story_id}_{suggestion.code_id}"] = True
                    st.rerun()


TRAINING_POLL_SECONDS = 2


@st.fragment(run_every=TRAINING_POLL_SECONDS)
def rerun_once_trained() -> None:
    """While the classifiers train (`coding.themes.classifier`), look every few seconds; once they
    are ready, the whole page again, with their suggestions (and without this poll)."""
    with rerun_scope():  # a fragment's own reruns do not pass through app.py
        if not training(get_db()):
            st.rerun()


def coding_memos_panel(db: Database, seq: int, story_id: str, actor: Actor, code_name: CodeName,
                       sentence_text: SentenceText) -> None:
    """A memo on each of the actor's own codings."""
    mine = codings_of(db, seq, actor.name, actor=actor, lang=lang())  # memos as the actor may see them
    if mine:
        with st.expander(tr("coding.code.coding_memos", n=len(mine))):
            with st.form(f"memo_form_{story_id}", enter_to_submit=False):
                memos = {}
                for coding in mine:
                    where = (tr("coding.code.whole_story") if coding.whole_story
                             else sentence_text(coding.start, coding.end))
                    memos[coding.id] = st.text_input(escape_markdown(f"{code_name(coding.code_id)} · {where[:80]}"),
                                                     value=coding.memo, key=f"cmemo_{coding.id}")
                if st.form_submit_button(tr("coding.code.save_memos")):
                    for coding in mine:
                        if memos[coding.id] != coding.memo:
                            set_coding_memo(db, coding.id, memos[coding.id], actor=actor)
                    st.rerun()


def others_panel(db: Database, seq: int, story_id: str, actor: Actor, code_name: CodeName,
                 sentence_text: SentenceText) -> None:
    """Other coders' codings, hidden by blind coding until the actor's own are saved."""
    others = [c for c in story_codings(db, story_id, actor=actor, lang=lang())
              if c.coder != actor.name or c.origin == "reconciled"]
    if may_see_others(db, seq, actor.name):
        if others:
            with st.expander(tr("coding.code.others", n=len({c.coder for c in others}))):
                rows = [{tr("coding.col.coder"): c.coder + (f" ({tr('coding.agreement.reconciled')})"
                                                            if c.origin == "reconciled" else ""),
                         tr("coding.col.code"): code_name(c.code_id),
                         tr("coding.col.where"): tr("coding.code.whole_story") if c.whole_story
                         else sentence_text(c.start, c.end)} for c in others]
                table(rows, hide_index=True)
    elif blind_coding(db):
        st.caption(tr("coding.code.blind"))


def memos_panel(db: Database, actor: Actor, title_key: str, form_key: str, text_key: str, *,
                story_id: str | None = None, seq: int | None = None, code_id: int | None = None) -> None:
    """The memos on a story (`story_id`, `seq`) or a code (`code_id`), and a form for a new one."""
    memos = (list_memos(db, story_seq=seq, actor=actor, lang=lang()) if code_id is None
             else list_memos(db, code_id=code_id, actor=actor, lang=lang()))  # as the actor may see them
    with st.expander(tr(title_key, n=len(memos))):
        for memo in memos:
            st.caption(f"{escape_markdown(memo.author)} · {memo.created_at[:16].replace('T', ' ')}")
            show_text(memo.text)
        with st.form(form_key, clear_on_submit=True, enter_to_submit=False):
            text = st.text_area(tr("coding.code.new_memo"), key=text_key)
            if st.form_submit_button(tr("coding.code.add_memo")):
                try:
                    add_memo(db, text, story_id=story_id, code_id=code_id, actor=actor)
                except CodingError as exc:
                    show_user_error(exc)
                else:
                    st.rerun()
