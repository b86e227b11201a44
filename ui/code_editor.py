"""Editing one code of the codebook: its texts and colour, moving, merging, retiring, deleting, memos."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st
from sqlite_utils import Database

from coding.codebook.codes import Code, CodebookError
from coding.codebook.edit import delete_code, merge_codes, move_code, retire_code, update_code
from coding.codings import CodingError
from coding.refi.qda_xml import QdaFormatError
from stories.limits import LimitExceeded
from stories.trust.permissions import Actor
from ui.coding_widgets import code_label
from ui.page import lang, show_user_error, tr

ERRORS = (CodebookError, CodingError, QdaFormatError, LimitExceeded)  # shown in one line, never a traceback


def fail(exc: Exception) -> None:
    show_user_error(exc)


def done(message_key: str, **params) -> None:
    """Remember a success message for the next run of the codebook page, and rerun."""
    st.session_state["codebook_msg"] = tr(message_key, **params)
    st.rerun()


def act(action: Callable[[], object], message_key: str, *, forget_code: bool = False) -> None:
    """Run a codebook action: its refusal in one line, or its success message after a rerun
    (`forget_code` once the picked code is gone)."""
    try:
        action()
    except ERRORS as exc:
        fail(exc)
        return
    if forget_code:
        st.session_state.pop("codebook_code", None)
    done(message_key)


def code_editor(db: Database, actor: Actor, codes: Mapping[int, Code], counts: Mapping[int, int],
                tree_name: Callable[[int | None], str]) -> int:
    """Pick a code of the tree and edit it; the code picked."""
    st.subheader(tr("coding.codebook.edit"), anchor=False)
    code_id = st.selectbox(tr("coding.codebook.choose"), list(codes), format_func=tree_name, key="codebook_code",
                           placeholder=tr("widgets.choose"), filter_mode=None)
    code = codes[code_id]
    st.markdown(code_label(code, lang()))
    with st.form(f"edit_{code_id}", enter_to_submit=False):
        values = {}
        left, right = st.columns(2)
        for column, language in ((left, "da"), (right, "en")):
            with column:
                for field in ("name", "definition", "use_when", "not_when", "example"):
                    widget = st.text_input if field == "name" else st.text_area
                    values[f"{field}_{language}"] = widget(tr(f"coding.field.{field}_{language}"),
                                                           value=getattr(code, f"{field}_{language}"),
                                                           key=f"{field}_{language}_{code_id}")
                values[f"keywords_{language}"] = [k.strip() for k in st.text_input(
                    tr(f"coding.field.keywords_{language}"), value=", ".join(code.keywords(language)),
                    key=f"kw_{language}_{code_id}").split(",") if k.strip()]
                st.caption(tr("coding.field.keywords_help"))
        values["color"] = st.color_picker(tr("coding.field.color"), value=code.color, key=f"colour_{code_id}")
        if st.form_submit_button(tr("coding.codebook.save"), type="primary"):
            act(lambda: update_code(db, code_id, values, actor=actor), "coding.codebook.saved")

    move_col, merge_col = st.columns(2)
    with move_col.form(f"move_{code_id}", enter_to_submit=False):
        targets = [None, *[c for c in codes if c != code_id]]
        new_parent = st.selectbox(tr("coding.codebook.move_to"), targets, format_func=tree_name,
                                  index=targets.index(code.parent_id) if code.parent_id in targets else 0,
                                  placeholder=tr("widgets.choose"), filter_mode=None)
        if st.form_submit_button(tr("coding.codebook.move")):
            act(lambda: move_code(db, code_id, new_parent, actor=actor), "coding.codebook.moved")
    with merge_col.form(f"merge_{code_id}", enter_to_submit=False):
        target = st.selectbox(tr("coding.codebook.merge_into"), [c for c in codes if c != code_id], format_func=tree_name,
                              placeholder=tr("widgets.choose"), filter_mode=None)
        sure = st.checkbox(tr("coding.codebook.merge_sure", n=counts.get(code_id, 0)))
        if st.form_submit_button(tr("coding.codebook.merge")):
            if not sure:
                st.warning(tr("coding.codebook.confirm_first"))
            else:
                act(lambda: merge_codes(db, code_id, target, actor=actor), "coding.codebook.merged", forget_code=True)
    retire_col, delete_col = st.columns(2)
    if retire_col.button(tr("coding.codebook.unretire" if code.retired else "coding.codebook.retire"),
                         help=tr("coding.codebook.retire_help"), key=f"retire_{code_id}"):
        retire_code(db, code_id, not code.retired, actor=actor)
        done("coding.codebook.saved")
    if delete_col.button(tr("coding.codebook.delete"), help=tr("coding.codebook.delete_help"), key=f"delete_{code_id}"):
        act(lambda: delete_code(db, code_id, actor=actor), "coding.codebook.deleted", forget_code=True)
    return code_id
