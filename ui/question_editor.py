"""Widgets of the questions admin page: add a question of any kind, edit or retire one, presets,
assemble the forms, and a form's questions as a file."""

from __future__ import annotations

import streamlit as st
from sqlite_utils import Database

from stories.errors import UserError
from stories.questions.library import (
    KINDS, Question, add_question, edit_question, export_form, form_questions, import_form, list_questions,
    make_question, remove_question, set_form,
)
from stories.questions.presets import add_preset, presets
from stories.trust.permissions import Actor
from ui.page import lang, show_user_error, tr
from ui.file_field import file_field
from ui.choose_many import choose_in_order


def _options_text(q: Question | None) -> str:
    return "\n".join(f"{o.da} | {o.en}" for o in (q.options if q else ()))


def _parse_options(text: str) -> list[dict]:
    out = []
    for line in (text or "").splitlines():
        if line.strip():
            da, _, en = line.partition("|")
            out.append({"da": da.strip(), "en": en.strip()})
    return out


def question_fields(prefix: str, q: Question | None = None) -> Question | None:
    """The fields of one question; returns the checked question when saved (None otherwise)."""
    with st.form(prefix + "form", enter_to_submit=False):
        kind = st.selectbox(tr("qadmin.kind"), KINDS, index=KINDS.index(q.kind) if q else 0, key=prefix + "kind",
                            format_func=lambda k, lg=lang(): tr(f"qadmin.kind.{k}"), placeholder=tr("widgets.choose"), filter_mode=None)
        key = st.text_input(tr("qadmin.key"), value=q.key if q else "", key=prefix + "key", disabled=q is not None)
        da = st.text_input(tr("qadmin.wording_da"), value=q.wording_da if q else "", key=prefix + "da")
        en = st.text_input(tr("qadmin.wording_en"), value=q.wording_en if q else "", key=prefix + "en")
        options = st.text_area(tr("qadmin.options"), value=_options_text(q), key=prefix + "options")
        st.caption(tr("qadmin.options_help"))
        col1, col2 = st.columns(2)
        # No min/max on the fields: Streamlit refuses a number out of range in English; make_question says it in Danish.
        low = col1.number_input(tr("qadmin.min"), value=q.scale_min if q else 0, step=1, key=prefix + "min")
        high = col2.number_input(tr("qadmin.max"), value=q.scale_max if q else 100, step=1, key=prefix + "max")
        about = st.radio(tr("qadmin.about"), ("story", "teller"), index=1 if q and q.about == "teller" else 0,
                         horizontal=True, key=prefix + "about", format_func=lambda a, lg=lang(): tr(f"qadmin.about.{a}"))
        required = st.checkbox(tr("qadmin.required"), value=bool(q and q.required), key=prefix + "required")
        allow_na = st.checkbox(tr("qadmin.allow_na"), value=bool(q and q.allow_na), key=prefix + "allow_na")
        saved = st.form_submit_button(tr("qadmin.save"), type="primary")
    if not saved:
        return None
    try:
        return make_question(q.key if q else key, kind, da, en, options=_parse_options(options), about=about,
                             required=required, allow_na=allow_na, scale_min=int(low), scale_max=int(high))
    except UserError as exc:
        show_user_error(exc)
        return None


def add_tab(db: Database, actor: Actor) -> None:
    st.caption(tr("qadmin.add_help"))
    new = question_fields("qnew_")
    if new is not None:
        try:
            add_question(db, new, actor=actor)
            st.success(tr("qadmin.added", name=new.key))
        except UserError as exc:
            show_user_error(exc)
    st.subheader(tr("qadmin.presets"), anchor=False)
    for preset in presets():
        if st.button(tr("qadmin.add_preset", name=preset.name(lang())), key=f"preset_{preset.key}"):
            added = add_preset(db, preset.key, actor=actor)
            st.success(tr("qadmin.preset_added", n=len(added)))


def library_tab(db: Database, actor: Actor) -> None:
    questions = list_questions(db)
    if not questions:
        st.info(tr("qadmin.empty"))
        return
    for q in questions:
        with st.expander(f"{q.wording(lang())} · {tr(f'qadmin.kind.{q.kind}')} (v{q.version})"):
            changed = question_fields(f"qedit_{q.id}_", q)
            if changed is not None:
                try:
                    edit_question(db, q.id, changed, actor=actor)
                    st.success(tr("qadmin.saved"))
                except UserError as exc:
                    show_user_error(exc)
            if st.button(tr("qadmin.remove"), key=f"qremove_{q.id}"):
                outcome = remove_question(db, q.id, actor=actor)
                st.success(tr(f"qadmin.{outcome}"))


def forms_tab(db: Database, actor: Actor, form_keys: list[str], form_label) -> None:
    form_key = st.selectbox(tr("qadmin.form"), form_keys, key="qform_key", format_func=form_label,
                            placeholder=tr("widgets.choose"), filter_mode=None)
    questions = list_questions(db)
    by_id = {q.id: q for q in questions}
    current = [q.id for q in form_questions(db, form_key)]
    chosen = choose_in_order(tr("qadmin.form_questions"), list(by_id), default=[i for i in current if i in by_id],
                             key=f"qform_{form_key}", format_func=lambda i, lg=lang(): by_id[i].wording(lg))
    st.caption(tr("qadmin.form_help"))
    if st.button(tr("qadmin.form_save"), type="primary", key="qform_save"):
        try:
            set_form(db, form_key, chosen, actor=actor)
            st.success(tr("qadmin.form_saved", n=len(chosen)))
        except UserError as exc:
            show_user_error(exc)
    st.download_button(tr("qadmin.export"), export_form(db, form_key).encode("utf-8"),
                       file_name=f"questions-{form_key.replace(':', '-')}.json", mime="application/json",
                       key="qform_export")
    upload = file_field(tr("qadmin.import"), types=["json"], key="qform_import")
    if upload is not None and st.button(tr("qadmin.import_go"), key="qform_import_go"):
        try:
            report = import_form(db, form_key, upload.getvalue(), actor=actor)
            st.success(tr("qadmin.imported", added=len(report.added), reused=len(report.reused)))
        except UserError as exc:
            show_user_error(exc)
