"""The questions of a form, answered by touch (each kind works at 390 px), skippable unless
required, and read back before saving."""

from __future__ import annotations

import streamlit as st
from sqlite_utils import Database

from stories.questions.answers import NOT_APPLICABLE, answer_text
from stories.questions.library import Question, form_questions
from ui.choose_many import choose_many
from ui.page import lang, tr

SKIP = "–"
STEPS = [SKIP, *range(0, 101, 5)]


def form_key_for(mode: str) -> str:
    """The form a story form mode asks: /tell's short form, or the staff form."""
    return "tell" if mode == "short" else "staff"


def asked(db: Database, form_key: str) -> list[Question]:
    return form_questions(db, form_key)


def _label(q: Question) -> str:
    return q.wording(lang()) + (" *" if q.required else "")


def _na(prefix: str, q: Question) -> None:
    if q.allow_na:
        st.checkbox(tr("qform.na"), key=f"{prefix}qa_{q.id}_na")


def question_inputs(prefix: str, questions: list[Question]) -> None:
    """One widget (or, for a triad, three linked sliders) per question, inside the story form."""
    if not questions:
        return
    st.subheader(tr("qform.heading"), anchor=False)
    st.caption(tr("qform.intro"))
    lg = lang()
    for q in questions:
        key = f"{prefix}qa_{q.id}"
        with st.container(border=True):
            if q.kind == "triad":
                st.markdown(f"**{_escape(_label(q))}**")
                st.caption(tr("qform.triad_help"))
                for i, pole in enumerate(q.options):
                    st.slider(pole.label(lg), 0, 100, 0, 5, key=f"{key}_{i}")
            elif q.kind in ("dyad", "scale"):
                if q.kind == "dyad":
                    low, high = q.options[0].label(lg), q.options[1].label(lg)
                else:
                    low, high = str(q.scale_min), str(q.scale_max)
                steps = STEPS if q.kind == "dyad" or (q.scale_min, q.scale_max) == (0, 100) else [
                    SKIP, *range(q.scale_min, q.scale_max + 1)]
                st.select_slider(_label(q), steps, value=SKIP, key=key)
                st.caption(tr("qform.slider_help", low=low, high=high))
                st.caption(f"{low} ⟷ {high}")
            elif q.kind == "single":
                labels = {o.key: o.label(lg) for o in q.options}
                st.radio(_label(q), list(labels), index=None, key=key, format_func=lambda k, labels=labels: labels[k])
            elif q.kind == "multiple":
                labels = {o.key: o.label(lg) for o in q.options}
                choose_many(_label(q), list(labels), key=key, format_func=lambda k, labels=labels: labels[k])
            elif q.kind == "text":
                st.text_input(_label(q), max_chars=500, key=key)
            _na(prefix, q)


def _escape(text: str) -> str:
    from ui.page import escape_markdown

    return escape_markdown(text)


def read_answers(prefix: str, questions: list[Question]) -> dict[int, object]:
    """What the widgets hold now, as answer values (skipped ones left out)."""
    state = st.session_state
    values: dict[int, object] = {}
    for q in questions:
        key = f"{prefix}qa_{q.id}"
        if state.get(f"{key}_na"):
            values[q.id] = NOT_APPLICABLE
            continue
        if q.kind == "triad":
            raw = [float(state.get(f"{key}_{i}") or 0) for i in range(3)]
            total = sum(raw)
            if total:
                a, b = round(raw[0] / total, 4), round(raw[1] / total, 4)
                values[q.id] = [a, b, round(1 - a - b, 4)]
            continue
        value = state.get(key)
        if value in (None, "", SKIP, []):
            continue
        values[q.id] = list(value) if q.kind == "multiple" else value
    return values


def read_back(questions: list[Question], values: dict) -> None:
    """The answers as the teller will save them, as plain text."""
    lines = [f"{q.wording(lang())}: {answer_text(q, values[q.id], values[q.id] == NOT_APPLICABLE, lang())}"
             for q in questions if q.id in values]
    if lines:
        st.caption(tr("qform.heading"))
        st.text("\n".join(lines))
