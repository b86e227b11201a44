"""Coding: a queue of stories, codes for the whole story and for single sentences, memos.

With blind coding on, other coders' codings of a story appear only after saving one's own.
"""

import streamlit as st

from ui.coding_widgets import code_help, code_label, status_icon
from ui.page import current_actor, escape_markdown, get_db, lang, setup_page, show_text, tr
from coding.codebook.codes import active_codebook, codable_codes, list_codes
from coding.codings import (
    WHOLE, CodingError, blind_coding, codings_of, coder_status, may_see_others, queue_item, queue_page, save_coding,
    set_coding_memo, story_codings,
)
from coding.memos import add_memo, list_memos
from stories.textindex.pipeline import story_sentences
from stories.trust.permissions import can_code
from stories.privacy.pseudonymised import needs_pseudonymisation, pseudonyms_for, story_for
from stories.i18n import choice_label
from stories.storage import get_story, story_seq

setup_page()
st.header(tr("coding.code.title"))
db, actor = get_db(), current_actor()
if not can_code(actor):
    st.warning(tr("coding.no_permission"))
    st.stop()
codebook_id = active_codebook(db)
codes = codable_codes(db, codebook_id)
if not codes:
    st.info(tr("coding.code.no_codebook"))
    st.page_link("app_pages/codebook.py", label=tr("coding.nav.codebook"), icon="📒")
    st.stop()
all_codes = {c.id: c for c in list_codes(db, codebook_id, include_retired=True)}
code_ids = [c.id for c in codes]


def code_name(code_id: int) -> str:
    code = all_codes.get(code_id)
    return code.name(lang()) if code else str(code_id)


# ---- the queue: one page of it at a time ------------------------------------------------
QUEUE_PAGE = 25  # stories the browser gets per page of the queue
FIRST, LAST = "__first__", "__last__"  # the story to pick once the next / previous page is loaded
st.session_state.setdefault("code_page", 0)
evaluator_view = needs_pseudonymisation(actor)
show_done = st.sidebar.toggle(tr("coding.code.show_done"), key="code_show_done")
search_col, second_col = st.columns([3, 2], vertical_alignment="bottom")
search = search_col.text_input(tr("coding.queue.search"), key="code_search", placeholder="#38",
                               help=tr("coding.queue.search_help_evaluator" if evaluator_view
                                       else "coding.queue.search_help"))
needs_second = second_col.toggle(tr("coding.queue.needs_second"), key="code_needs_second",
                                 help=tr("coding.queue.needs_second_help"))
query = (search, needs_second, show_done)
if st.session_state.get("code_query") != query:  # another search or filter starts on its first page
    st.session_state.update(code_query=query, code_page=0, code_pick=FIRST)
picked = st.session_state.get("code_pick")
options = dict(include_done=show_done, needs_second=needs_second, search=search)
keep = picked if picked not in (None, FIRST, LAST) else None
page = queue_page(db, actor=actor, keep=keep, limit=QUEUE_PAGE, offset=st.session_state["code_page"] * QUEUE_PAGE,
                  **options)
if not page.items and st.session_state["code_page"]:  # the queue got shorter: back to its last page
    st.session_state["code_page"] = max(0, (page.total - 1) // QUEUE_PAGE)
    page = queue_page(db, actor=actor, keep=keep, limit=QUEUE_PAGE,
                      offset=st.session_state["code_page"] * QUEUE_PAGE, **options)
if not page.items:
    if search.strip() or needs_second:
        st.info(tr("coding.queue.none_found"))
    else:
        st.success(tr("coding.code.queue_empty"))
    st.stop()
items = list(page.items)
if keep and keep not in [q.story_id for q in items]:
    # The story on screen stays selectable after saving it moved it elsewhere in the queue.
    items = [q for q in [queue_item(db, keep, actor=actor)] if q] + items
ids = [q.story_id for q in items]
by_id = {q.story_id: q for q in items}
pages = max(1, -(-page.total // QUEUE_PAGE))
if picked == LAST:
    st.session_state["code_pick"] = ids[-1]
elif picked not in ids:
    st.session_state["code_pick"] = ids[0]
on_first_page, on_last_page = st.session_state["code_page"] == 0, st.session_state["code_page"] >= pages - 1


def move(step: int) -> None:
    """The previous or next story; past the page's edge, the neighbouring page."""
    current = st.session_state.get("code_pick")
    i = ids.index(current) if current in ids else -1
    if i + step < 0 and not on_first_page:
        st.session_state.update(code_page=st.session_state["code_page"] - 1, code_pick=LAST)
    elif i + step >= len(ids) and not on_last_page:
        st.session_state.update(code_page=st.session_state["code_page"] + 1, code_pick=FIRST)
    else:
        st.session_state["code_pick"] = ids[max(0, min(len(ids) - 1, i + step))]


def turn(step: int) -> None:
    st.session_state.update(code_page=st.session_state["code_page"] + step, code_pick=FIRST)


def queue_label(story_id: str) -> str:
    item = by_id[story_id]
    parts = [f"{status_icon(item.status)} #{item.seq}"]
    if not evaluator_view:
        parts.append(item.title or tr("coding.queue.untitled"))
    if item.happened_on:
        parts.append(format_day(item.happened_on))
    parts += [p for p in (item.site, choice_label("teller_role", item.teller_role, lang()) if item.teller_role else "")
              if p]
    coded = ", ".join(f"{name} {status_icon('done' if done else 'started')}" for name, done in item.coders)
    parts.append(tr("coding.queue.coded_by", names=coded) if coded else tr("coding.queue.nobody"))
    return " · ".join(parts)


def format_day(day: str) -> str:
    import datetime as dt

    from babel.dates import format_date

    try:
        return format_date(dt.date.fromisoformat(day[:10]), format="medium", locale=lang())
    except ValueError:
        return day


index = ids.index(st.session_state["code_pick"])
at_start = index == 0 and on_first_page
at_end = index == len(ids) - 1 and on_last_page
left, middle, right = st.columns([1, 6, 1], vertical_alignment="bottom")
left.button("◀", key="code_prev", on_click=move, args=(-1,), disabled=at_start, help=tr("coding.code.previous"))
middle.selectbox(tr("coding.code.queue", n=page.total), ids, key="code_pick", format_func=queue_label)
right.button("▶", key="code_next", on_click=move, args=(1,), disabled=at_end, help=tr("coding.code.next"))
if pages > 1:
    back, where, forward = st.columns([2, 3, 2], vertical_alignment="center")
    back.button(tr("coding.queue.previous_page"), key="code_page_back", on_click=turn, args=(-1,),
                disabled=on_first_page, width="stretch")
    where.caption(tr("coding.queue.page", page=st.session_state["code_page"] + 1, pages=pages))
    forward.button(tr("coding.queue.next_page"), key="code_page_next", on_click=turn, args=(1,),
                   disabled=on_last_page, width="stretch")
st.caption(tr("coding.code.legend"))

story_id = st.session_state["code_pick"]
story = get_story(db, story_id, actor=actor)  # the original: offsets refer to its text
shown = story_for(db, story_id, actor=actor, lang=lang())
pseudonyms = pseudonyms_for(db, story, lang()) if evaluator_view else None
seq = story_seq(db, story_id)
sentences = story_sentences(db, seq, story.text)


def sentence_text(start: int, end: int) -> str:
    return pseudonyms.slice(start, end) if pseudonyms else story.text[start:end]


# ---- the story ---------------------------------------------------------------------------
status = coder_status(db, seq, actor.name)
st.subheader(escape_markdown(shown.title or tr("coding.code.untitled", n=seq)))
st.caption(tr(f"coding.code.status.{status}") + " · " + tr("coding.code.coders_done", n=by_id[story_id].coders_done))
show_text(shown.text)
if shown.significance:
    st.markdown(f"**{tr('field.significance')}**")
    show_text(shown.significance)

# ---- code suggestions (themes area: coding/suggest.py) ----------------------------------
from coding.codings import record_suggestion  # noqa: E402
from coding.themes.suggest import suggest_codes  # noqa: E402

with st.expander(tr("themes.suggest.title"), expanded=True):
    suggestions = suggest_codes(db, story_id, actor=actor, coder=actor.name, model_words=not evaluator_view)
    if not suggestions:
        st.caption(tr("themes.suggest.none"))
    for suggestion in suggestions:
        text_col, yes_col, no_col = st.columns([4, 1, 1])
        text_col.markdown(f"**{escape_markdown(code_name(suggestion.code_id))}** · {suggestion.score:.0%} · "
                          + tr(f"themes.suggest.source.{suggestion.source}"))
        text_col.caption(escape_markdown(", ".join(suggestion.words)))
        for col, accepted in ((yes_col, True), (no_col, False)):
            if col.button(tr(f"themes.suggest.{'accept' if accepted else 'reject'}"),
                          key=f"suggest_{story_id}_{suggestion.code_id}_{accepted}"):
                record_suggestion(db, story_id, suggestion.code_id, actor.name, accepted, suggestion.score, actor=actor)
                if accepted:
                    st.session_state[f"whole_{story_id}_{suggestion.code_id}"] = True
                st.rerun()
# ---- end of code suggestions -------------------------------------------------------------

# ---- my coding ---------------------------------------------------------------------------
mine = codings_of(db, seq, actor.name)
whole_now = {c.code_id for c in mine if c.whole_story}
spans_now: dict[tuple, list[int]] = {}
for coding in mine:
    if not coding.whole_story:
        spans_now.setdefault(coding.span, []).append(coding.code_id)
sentence_spans = [(s, e) for s, e, _ in sentences]
usable = set(code_ids)

with st.form(f"code_form_{story_id}"):
    st.markdown(f"**{tr('coding.code.whole_story')}**")
    columns = st.columns(2)
    chosen_whole = set()
    for i, code in enumerate(codes):
        if columns[i % 2].checkbox(code_label(code, lang()), value=code.id in whole_now,
                                   key=f"whole_{story_id}_{code.id}", help=code_help(code, lang())):
            chosen_whole.add(code.id)
    chosen_spans = {}
    if sentences:
        st.markdown(f"**{tr('coding.code.sentences')}**")
        st.caption(tr("coding.code.sentences_help"))
    for start, end in sentence_spans:
        text_col, pick_col = st.columns([3, 2])
        with text_col:
            show_text(sentence_text(start, end))
        current = [c for c in spans_now.get((start, end), []) if c in usable]
        chosen_spans[(start, end)] = pick_col.multiselect(
            tr("coding.code.sentence_codes"), code_ids, default=current, format_func=code_name,
            key=f"sent_{story_id}_{start}_{end}", label_visibility="collapsed",
            placeholder=tr("coding.code.pick"))
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
    if saved[1] and not at_end:
        st.button(tr("coding.code.next"), on_click=move, args=(1,), key="code_next_after_save")

# ---- memos on my codings -----------------------------------------------------------------
mine = codings_of(db, seq, actor.name)
if mine:
    with st.expander(tr("coding.code.coding_memos", n=len(mine))):
        with st.form(f"memo_form_{story_id}"):
            memos = {}
            for coding in mine:
                where = tr("coding.code.whole_story") if coding.whole_story else sentence_text(coding.start, coding.end)
                memos[coding.id] = st.text_input(escape_markdown(f"{code_name(coding.code_id)} · {where[:80]}"), value=coding.memo,
                                                 key=f"cmemo_{coding.id}")
            if st.form_submit_button(tr("coding.code.save_memos")):
                for coding in mine:
                    if memos[coding.id] != coding.memo:
                        set_coding_memo(db, coding.id, memos[coding.id], actor=actor)
                st.rerun()

# ---- others' codings (blind until mine is saved) -----------------------------------------
others = [c for c in story_codings(db, story_id, actor=actor) if c.coder != actor.name or c.origin == "reconciled"]
if may_see_others(db, seq, actor.name):
    if others:
        with st.expander(tr("coding.code.others", n=len({c.coder for c in others}))):
            rows = [{tr("coding.col.coder"): c.coder + (f" ({tr('coding.agreement.reconciled')})"
                                                        if c.origin == "reconciled" else ""),
                     tr("coding.col.code"): code_name(c.code_id),
                     tr("coding.col.where"): tr("coding.code.whole_story") if c.whole_story
                     else sentence_text(c.start, c.end)} for c in others]
            st.dataframe(rows, hide_index=True, width="stretch")
elif blind_coding(db):
    st.caption(tr("coding.code.blind"))

# ---- memos on the story ------------------------------------------------------------------
story_memos = list_memos(db, story_seq=seq)
with st.expander(tr("coding.code.story_memos", n=len(story_memos))):
    for memo in story_memos:
        st.caption(f"{escape_markdown(memo.author)} · {memo.created_at[:16].replace('T', ' ')}")
        show_text(memo.text)
    with st.form(f"story_memo_{story_id}", clear_on_submit=True):
        text = st.text_area(tr("coding.code.new_memo"), key=f"smemo_{story_id}")
        if st.form_submit_button(tr("coding.code.add_memo")):
            try:
                add_memo(db, text, story_id=story_id, actor=actor)
            except CodingError as exc:
                st.error(escape_markdown(str(exc)), icon="⚠️")
            else:
                st.rerun()
