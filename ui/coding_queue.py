"""The coding queue: one page of it at a time, with search, filters and previous / next."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from sqlite_utils import Database

from coding.queue import QueueItem, queue_item, queue_page
from stories.i18n import choice_label
from stories.trust.permissions import Actor
from ui.coding_widgets import status_icon
from ui.page import lang, tr

QUEUE_PAGE = 25  # stories the browser gets per page of the queue
FIRST, LAST = "__first__", "__last__"  # the story to pick once the next / previous page is loaded


@dataclass(frozen=True)
class Picked:
    story_id: str
    item: QueueItem
    at_end: bool  # the last story of the last page
    move: Callable[[int], None]  # on_click callback: the previous (-1) or next (+1) story


def format_day(day: str) -> str:
    from stories import formatting

    try:
        return formatting.date(day[:10], lang())
    except ValueError:
        return day


def queue_picker(db: Database, actor: Actor, evaluator_view: bool) -> Picked:
    """The queue's widgets; the story picked (stops the page when the queue is empty)."""
    st.session_state.setdefault("code_page", 0)
    show_done = st.sidebar.toggle(tr("coding.code.show_done"), key="code_show_done")
    search_col, second_col = st.columns([3, 2], vertical_alignment="bottom")
    search = search_col.text_input(tr("coding.queue.search"), key="code_search", placeholder="#38", live="300ms")
    search_col.caption(tr("coding.queue.search_help_evaluator" if evaluator_view
                                           else "coding.queue.search_help"))
    needs_second = second_col.toggle(tr("coding.queue.needs_second"), key="code_needs_second")
    second_col.caption(tr("coding.queue.needs_second_help"))
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

    index = ids.index(st.session_state["code_pick"])
    at_start = index == 0 and on_first_page
    at_end = index == len(ids) - 1 and on_last_page
    left, middle, right = st.columns([1, 6, 1], vertical_alignment="bottom")
    left.button("◀", key="code_prev", on_click=move, args=(-1,), disabled=at_start, help=tr("coding.code.previous"))
    labels = {i: queue_label(i) for i in ids}  # made now, in this rerun's language
    middle.selectbox(tr("coding.code.queue", n=page.total), ids, key="code_pick", format_func=labels.__getitem__,
                     placeholder=tr("widgets.choose"), filter_mode=None)
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
    return Picked(story_id, by_id[story_id], at_end, move)
