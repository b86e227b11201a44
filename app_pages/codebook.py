"""Codebook: start one from a preset, edit the tree of codes, exchange it as REFI-QDA .qdc."""

import tempfile
from pathlib import Path

import streamlit as st

from ui.coding_widgets import code_label
from ui.page import current_actor, escape_markdown, get_db, lang, setup_page, show_user_error, tr
from coding.codebook.codes import (
    CodebookError, active_codebook, code_tree, coding_counts, create_codebook, list_codebooks, set_active_codebook,
)
from coding.codebook.edit import add_code, delete_code, merge_codes, move_code, retire_code, update_code
from coding.coding_export import export_codings
from coding.codings import CodingError, blind_coding, set_blind_coding
from coding.memos import add_memo, list_memos
from coding.codebook.presets import list_presets
from coding.refi.qdc import codebook_xml, import_qdc
from coding.refi.qdpx_export import export_qdpx
from coding.refi.qda_xml import QdaFormatError
from stories.limits import LimitExceeded
from stories.trust.permissions import can_export, can_manage_codebook

setup_page()
st.header(tr("coding.codebook.title"))
db, actor = get_db(), current_actor()
if not can_manage_codebook(actor):
    st.warning(tr("coding.no_permission"))
    st.stop()
ERRORS = (CodebookError, CodingError, QdaFormatError, LimitExceeded)
EXTENSIONS = {"qdpx": "qdpx", "codings-xlsx": "xlsx", "codings-csv": "csv"}


def fail(exc: Exception) -> None:
    show_user_error(exc)


def done(message_key: str, **params) -> None:
    st.session_state["codebook_msg"] = tr(message_key, **params)
    st.rerun()


if "codebook_msg" in st.session_state:
    st.success(st.session_state.pop("codebook_msg"), icon="✅")

# ---- choose or start a codebook ----------------------------------------------------------
codebooks = list_codebooks(db)
active = active_codebook(db)
if codebooks:
    names = {c.id: c.name for c in codebooks}
    chosen = st.selectbox(tr("coding.codebook.active"), list(names), index=list(names).index(active),
                          format_func=names.get)
    if chosen != active:
        set_active_codebook(db, chosen, actor=actor)
        done("coding.codebook.activated", name=escape_markdown(names[chosen]))
with st.expander(tr("coding.codebook.new"), expanded=not codebooks):
    presets = list_presets(lang())
    with st.form("new_codebook"):
        preset = st.selectbox(tr("coding.codebook.preset"), [None, *[p[0] for p in presets]],
                              format_func=lambda k: tr("coding.codebook.empty") if k is None
                              else next(p[1] for p in presets if p[0] == k))
        for key, name, description in presets:
            st.caption(f"**{escape_markdown(name)}**: {escape_markdown(description)}")
        name = st.text_input(tr("coding.codebook.name"), help=tr("coding.codebook.name_help"))
        if st.form_submit_button(tr("coding.codebook.create"), type="primary"):
            try:
                create_codebook(db, name, preset, lang=lang(), actor=actor)
            except ERRORS as exc:
                fail(exc)
            else:
                done("coding.codebook.created")
upload = st.file_uploader(tr("coding.codebook.import"), type=["qdc"], key="qdc_upload")
if upload is not None and st.button(tr("coding.codebook.import_button")):
    try:
        import_qdc(db, upload.getvalue(), name=upload.name.removesuffix(".qdc"), lang=lang(), actor=actor)
    except ERRORS as exc:
        fail(exc)
    else:
        done("coding.codebook.imported")
if active is None:
    st.stop()

# ---- the tree ----------------------------------------------------------------------------
tree = code_tree(db, active)
counts = coding_counts(db, active)
codes = {c.id: c for c, _ in tree}
st.subheader(tr("coding.codebook.codes", n=len(tree)))
st.dataframe([{
    tr("coding.col.code"): "    " * depth + ("▸ " if code.is_group else "") + code.name(lang()),
    tr("coding.col.key"): code.key, tr("coding.col.colour"): code.color, tr("coding.col.codings"): counts.get(code.id, 0),
    tr("coding.col.state"): tr("coding.codebook.retired") if code.retired else "",
} for code, depth in tree], hide_index=True, width="stretch")
st.download_button(tr("coding.codebook.export"), codebook_xml(db, active, lang()) if tree else b"",
                   file_name="codebook.qdc", mime="application/xml", disabled=not tree)


def tree_name(code_id: int | None) -> str:
    if code_id is None:
        return tr("coding.codebook.top_level")
    depth = next(d for c, d in tree if c.id == code_id)
    return "    " * depth + codes[code_id].name(lang())


with st.expander(tr("coding.codebook.add")):
    with st.form("add_code", clear_on_submit=True):
        name_da = st.text_input(tr("coding.field.name_da"))
        name_en = st.text_input(tr("coding.field.name_en"))
        parent = st.selectbox(tr("coding.codebook.parent"), [None, *codes], format_func=tree_name)
        is_group = st.checkbox(tr("coding.codebook.is_group"), help=tr("coding.codebook.is_group_help"))
        if st.form_submit_button(tr("coding.codebook.add_button"), type="primary"):
            try:
                add_code(db, active, name_da, name_en=name_en, parent_id=parent, is_group=is_group, actor=actor)
            except ERRORS as exc:
                fail(exc)
            else:
                done("coding.codebook.added")
if not tree:
    st.stop()

# ---- edit one code -----------------------------------------------------------------------
st.subheader(tr("coding.codebook.edit"))
code_id = st.selectbox(tr("coding.codebook.choose"), list(codes), format_func=tree_name, key="codebook_code")
code = codes[code_id]
st.markdown(code_label(code, lang()))
with st.form(f"edit_{code_id}"):
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
                key=f"kw_{language}_{code_id}", help=tr("coding.field.keywords_help")).split(",") if k.strip()]
    values["color"] = st.color_picker(tr("coding.field.color"), value=code.color, key=f"colour_{code_id}")
    if st.form_submit_button(tr("coding.codebook.save"), type="primary"):
        try:
            update_code(db, code_id, values, actor=actor)
        except ERRORS as exc:
            fail(exc)
        else:
            done("coding.codebook.saved")

move_col, merge_col = st.columns(2)
with move_col.form(f"move_{code_id}"):
    targets = [None, *[c for c in codes if c != code_id]]
    new_parent = st.selectbox(tr("coding.codebook.move_to"), targets, format_func=tree_name,
                              index=targets.index(code.parent_id) if code.parent_id in targets else 0)
    if st.form_submit_button(tr("coding.codebook.move")):
        try:
            move_code(db, code_id, new_parent, actor=actor)
        except ERRORS as exc:
            fail(exc)
        else:
            done("coding.codebook.moved")
with merge_col.form(f"merge_{code_id}"):
    target = st.selectbox(tr("coding.codebook.merge_into"), [c for c in codes if c != code_id], format_func=tree_name)
    sure = st.checkbox(tr("coding.codebook.merge_sure", n=counts.get(code_id, 0)))
    if st.form_submit_button(tr("coding.codebook.merge")):
        if not sure:
            st.warning(tr("coding.codebook.confirm_first"))
        else:
            try:
                merge_codes(db, code_id, target, actor=actor)
            except ERRORS as exc:
                fail(exc)
            else:
                st.session_state.pop("codebook_code", None)
                done("coding.codebook.merged")
retire_col, delete_col = st.columns(2)
if retire_col.button(tr("coding.codebook.unretire" if code.retired else "coding.codebook.retire"),
                     help=tr("coding.codebook.retire_help"), key=f"retire_{code_id}"):
    retire_code(db, code_id, not code.retired, actor=actor)
    done("coding.codebook.saved")
if delete_col.button(tr("coding.codebook.delete"), help=tr("coding.codebook.delete_help"), key=f"delete_{code_id}"):
    try:
        delete_code(db, code_id, actor=actor)
    except ERRORS as exc:
        fail(exc)
    else:
        st.session_state.pop("codebook_code", None)
        done("coding.codebook.deleted")

# ---- memos on the code -------------------------------------------------------------------
code_memos = list_memos(db, code_id=code_id)
with st.expander(tr("coding.codebook.memos", n=len(code_memos))):
    for memo in code_memos:
        st.caption(f"{escape_markdown(memo.author)} · {memo.created_at[:16].replace('T', ' ')}")
        st.text(memo.text)
    with st.form(f"code_memo_{code_id}", clear_on_submit=True):
        text = st.text_area(tr("coding.code.new_memo"), key=f"cm_{code_id}")
        if st.form_submit_button(tr("coding.code.add_memo")):
            try:
                add_memo(db, text, code_id=code_id, actor=actor)
            except ERRORS as exc:
                fail(exc)
            else:
                st.rerun()

# ---- exchange with QDA software -----------------------------------------------------------
if can_export(actor):
    st.subheader(tr("coding.exchange.title"))
    st.caption(tr("coding.exchange.help"))
    fmt = st.radio(tr("coding.exchange.format"), ("qdpx", "codings-xlsx", "codings-csv"), horizontal=True,
                   format_func=lambda f: tr(f"coding.exchange.{f}"), key="exchange_format")
    if st.button(tr("coding.exchange.prepare"), key="exchange_prepare"):
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / f"changestories.{EXTENSIONS[fmt]}"
            try:
                if fmt == "qdpx":
                    export_qdpx(db, out, actor=actor, lang=lang())
                else:
                    export_codings(db, out, fmt, actor=actor, lang=lang())
            except ERRORS as exc:
                fail(exc)
            else:
                st.session_state["exchange_file"] = (fmt, out.name, out.read_bytes())
    prepared = st.session_state.get("exchange_file")
    if prepared and prepared[0] == fmt:
        st.download_button(tr("coding.exchange.download", name=prepared[1]), prepared[2], file_name=prepared[1],
                           key="exchange_download")

# ---- settings ----------------------------------------------------------------------------
st.subheader(tr("coding.codebook.settings"))
blind = st.toggle(tr("coding.codebook.blind"), value=blind_coding(db), help=tr("coding.codebook.blind_help"))
if blind != blind_coding(db):
    set_blind_coding(db, blind, actor=actor)
    done("coding.codebook.saved")

# ---- suggestion quality (themes area: coding/classifier.py) -------------------------------
from ui.themes_views import suggestion_quality  # noqa: E402

with st.expander(tr("themes.quality")):
    suggestion_quality(db, lang())
# ---- end of suggestion quality ------------------------------------------------------------
