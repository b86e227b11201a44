"""Coding: a queue of stories, codes for the whole story and for single sentences, memos.

With blind coding on, other coders' codings of a story appear only after saving one's own.
"""

import streamlit as st

from coding.codebook.codes import active_codebook, codable_codes, list_codes
from coding.codings import WHOLE, CodingError, codings_of, coder_status, save_coding
from coding.coding_view import coding_view
from stories.privacy.pseudonymised import needs_pseudonymisation
from stories.trust.permissions import can_code, can_manage_codebook
from ui.coding_panels import coding_memos_panel, memos_panel, others_panel, suggestions_panel
from ui.choose_many import choose_many
from ui.coding_queue import queue_picker
from ui.coding_widgets import code_help, code_label
from ui.page import current_actor, escape_markdown, get_db, lang, setup_page, show_text, tr, trn

setup_page()
st.header(tr("coding.code.title"), anchor=False)
db, actor = get_db(), current_actor()
if not can_code(actor):
    st.warning(tr("coding.no_permission"))
    st.stop()
codebook_id = active_codebook(db)
codes = codable_codes(db, codebook_id)
if not codes:
    st.info(tr("coding.code.no_codebook"))
    if can_manage_codebook(actor):  # staff do not see the codebook page: a link to it would be an error
        st.page_link("app_pages/codebook.py", label=tr("coding.nav.codebook"), icon="📒")
    st.stop()
all_codes = {c.id: c for c in list_codes(db, codebook_id, include_retired=True)}
code_ids = [c.id for c in codes]


def code_name(code_id: int) -> str:
    code = all_codes.get(code_id)
    return code.name(lang()) if code else str(code_id)


evaluator_view = needs_pseudonymisation(actor)
picked = queue_picker(db, actor, evaluator_view)
story_id = picked.story_id
view = coding_view(db, story_id, actor=actor, lang=lang())  # offsets into the original, text as we may see it
shown, seq, sentences, sentence_text = view.story, view.seq, view.sentences, view.passage


# ---- the story ---------------------------------------------------------------------------
status = coder_status(db, seq, actor.name)
st.subheader(escape_markdown(shown.title or tr("coding.code.untitled", n=seq)), anchor=False)
st.caption(tr(f"coding.code.status.{status}") + " · " + trn("coding.code.coders_done", picked.item.coders_done))
show_text(shown.text)
if shown.significance:
    st.markdown(f"**{tr('field.significance')}**")
    show_text(shown.significance)

suggestions_panel(db, story_id, actor, code_name, evaluator_view)

# ---- my coding ---------------------------------------------------------------------------
mine = codings_of(db, seq, actor.name, actor=actor, lang=lang())
whole_now = {c.code_id for c in mine if c.whole_story}
spans_now: dict[tuple, list[int]] = {}
for coding in mine:
    if not coding.whole_story:
        spans_now.setdefault(coding.span, []).append(coding.code_id)
sentence_spans = list(sentences)
usable = set(code_ids)

with st.form(f"code_form_{story_id}", enter_to_submit=False):
    st.markdown(f"**{tr('coding.code.whole_story')}**")
    columns = st.columns(2)
    chosen_whole = set()
    for i, code in enumerate(codes):
        column = columns[i % 2]
        if column.checkbox(code_label(code, lang()), value=code.id in whole_now, key=f"whole_{story_id}_{code.id}"):
            chosen_whole.add(code.id)
        column.caption(code_help(code, lang()))
    chosen_spans = {}
    if sentences:
        st.markdown(f"**{tr('coding.code.sentences')}**")
        st.caption(tr("coding.code.sentences_help"))
    for start, end in sentence_spans:
        text_col, pick_col = st.columns([3, 2])
        with text_col:
            show_text(sentence_text(start, end))
        current = [c for c in spans_now.get((start, end), []) if c in usable]
        chosen_spans[(start, end)] = choose_many(
            tr("coding.code.sentence_codes"), code_ids, default=current, format_func=code_name,
            key=f"sent_{story_id}_{start}_{end}", label_visibility="collapsed", where=pick_col)
    save_col, draft_col = st.columns(2)
    save = save_col.form_submit_button(tr("coding.code.save"), type="primary", width="stretch")
    draft = draft_col.form_submit_button(tr("coding.code.save_draft"), width="stretch")

if save or draft:
    selections = {WHOLE: chosen_whole} | {span: set(ids_) for span, ids_ in chosen_spans.items()}
    # codes retired since they were applied stay as they are
    selections[WHOLE] |= {c for c in whole_now if c not in usable}
    for span in selections:
        if span != WHOLE:
            selections[span] |= {c for c in spans_now.get(span, []) if c not in usable}
    try:
        save_coding(db, story_id, selections, done=bool(save), actor=actor)
    except CodingError as exc:
        st.error(escape_markdown(str(exc)), icon="⚠️")
    else:
        st.session_state["code_saved"] = (story_id, bool(save))
        st.rerun()

saved = st.session_state.get("code_saved")
if saved and saved[0] == story_id:
    st.success(tr("coding.code.saved" if saved[1] else "coding.code.saved_draft"), icon="✅")
    if saved[1] and not picked.at_end:
        st.button(tr("coding.code.next"), on_click=picked.move, args=(1,), key="code_next_after_save")

coding_memos_panel(db, seq, story_id, actor, code_name, sentence_text)
others_panel(db, seq, story_id, actor, code_name, sentence_text)
memos_panel(db, actor, "coding.code.story_memos", f"story_memo_{story_id}", f"smemo_{story_id}",
            story_id=story_id, seq=seq)
