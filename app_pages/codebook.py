"""Codebook: start one from a preset, edit the tree of codes, exchange it as REFI-QDA .qdc."""

import streamlit as st

from coding.codebook.codes import (active_codebook, code_tree, coding_counts, create_codebook, list_codebooks,
                                  set_active_codebook)
from coding.codebook.edit import add_code
from coding.codebook.presets import list_presets
from coding.codings import blind_coding, set_blind_coding
from coding.refi.qdc import codebook_xml, import_qdc
from stories.trust.permissions import can_manage_codebook
from ui.code_editor import act, code_editor, done
from ui.coding_panels import memos_panel
from ui.file_field import file_field
from ui.page import current_actor, escape_markdown, get_db, lang, setup_page, tr
from ui.qda_exchange import exchange_panel
from ui.table import table

setup_page()
st.header(tr("coding.codebook.title"), anchor=False)
db, actor = get_db(), current_actor()
if not can_manage_codebook(actor):
    st.warning(tr("coding.no_permission"))
    st.stop()

if "codebook_msg" in st.session_state:
    st.success(st.session_state.pop("codebook_msg"), icon="✅")

# ---- choose or start a codebook ----------------------------------------------------------
codebooks = list_codebooks(db)
active = active_codebook(db)
if codebooks:
    names = {c.id: c.name for c in codebooks}
    chosen = st.selectbox(tr("coding.codebook.active"), list(names), index=list(names).index(active),
                          format_func=names.get, placeholder=tr("widgets.choose"), filter_mode=None)
    if chosen != active:
        set_active_codebook(db, chosen, actor=actor)
        done("coding.codebook.activated", name=escape_markdown(names[chosen]))
with st.expander(tr("coding.codebook.new"), expanded=not codebooks):
    presets = list_presets(lang())
    with st.form("new_codebook", enter_to_submit=False):
        preset = st.selectbox(tr("coding.codebook.preset"), [None, *[p[0] for p in presets]],
                              format_func=lambda k: tr("coding.codebook.empty") if k is None
                              else next(p[1] for p in presets if p[0] == k), placeholder=tr("widgets.choose"), filter_mode=None)
        for key, name, description in presets:
            st.caption(f"**{escape_markdown(name)}**: {escape_markdown(description)}")
        name = st.text_input(tr("coding.codebook.name"))
        st.caption(tr("coding.codebook.name_help"))
        if st.form_submit_button(tr("coding.codebook.create"), type="primary"):
            act(lambda: create_codebook(db, name, preset, lang=lang(), actor=actor), "coding.codebook.created")
upload = file_field(tr("coding.codebook.import"), types=["qdc"], key="qdc_upload")
if upload is not None and st.button(tr("coding.codebook.import_button")):
    act(lambda: import_qdc(db, upload.getvalue(), name=upload.name.removesuffix(".qdc"), lang=lang(), actor=actor),
        "coding.codebook.imported")
if active is None:
    st.stop()

# ---- the tree ----------------------------------------------------------------------------
tree = code_tree(db, active)
counts = coding_counts(db, active)
codes = {c.id: c for c, _ in tree}
st.subheader(tr("coding.codebook.codes", n=len(tree)), anchor=False)
table([{
    tr("coding.col.code"): "    " * depth + ("▸ " if code.is_group else "") + code.name(lang()),
    tr("coding.col.key"): code.key, tr("coding.col.colour"): code.color, tr("coding.col.codings"): counts.get(code.id, 0),
    tr("coding.col.state"): tr("coding.codebook.retired") if code.retired else "",
} for code, depth in tree], hide_index=True)
st.download_button(tr("coding.codebook.export"), codebook_xml(db, active, lang()) if tree else b"",
                   file_name="codebook.qdc", mime="application/xml", disabled=not tree)


def tree_name(code_id: int | None) -> str:
    if code_id is None:
        return tr("coding.codebook.top_level")
    depth = next(d for c, d in tree if c.id == code_id)
    return "    " * depth + codes[code_id].name(lang())


with st.expander(tr("coding.codebook.add")):
    with st.form("add_code", clear_on_submit=True, enter_to_submit=False):
        name_da = st.text_input(tr("coding.field.name_da"))
        name_en = st.text_input(tr("coding.field.name_en"))
        parent = st.selectbox(tr("coding.codebook.parent"), [None, *codes], format_func=tree_name,
                              placeholder=tr("widgets.choose"), filter_mode=None)
        is_group = st.checkbox(tr("coding.codebook.is_group"))
        st.caption(tr("coding.codebook.is_group_help"))
        if st.form_submit_button(tr("coding.codebook.add_button"), type="primary"):
            act(lambda: add_code(db, active, name_da, name_en=name_en, parent_id=parent, is_group=is_group, actor=actor),
                "coding.codebook.added")
if not tree:
    st.stop()

# ---- edit one code -----------------------------------------------------------------------
code_id = code_editor(db, actor, codes, counts, tree_name)
memos_panel(db, actor, "coding.codebook.memos", f"code_memo_{code_id}", f"cm_{code_id}", code_id=code_id)

# ---- exchange with QDA software -----------------------------------------------------------
exchange_panel(db, actor)

# ---- settings ----------------------------------------------------------------------------
st.subheader(tr("coding.codebook.settings"), anchor=False)
blind = st.toggle(tr("coding.codebook.blind"), value=blind_coding(db))
st.caption(tr("coding.codebook.blind_help"))
if blind != blind_coding(db):
    set_blind_coding(db, blind, actor=actor)
    done("coding.codebook.saved")

# ---- suggestion quality (themes area: coding/classifier.py) -------------------------------
from ui.themes_views import suggestion_quality  # noqa: E402

with st.expander(tr("themes.quality")):
    suggestion_quality(db, lang())
# ---- end of suggestion quality ------------------------------------------------------------
