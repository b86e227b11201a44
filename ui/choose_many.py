"""Choosing several options, in the session's language: every option a chip (`st.pills`, multi).

Streamlit 1.67's `st.multiselect` opens on an English "No results" once every option is chosen (or
when it has none), with no setting to change it, and labels its chips "Remove …" and its clear
button "Clear all" for screen readers. Pills show every option at once as a chip that is pressed or
not: nothing opens, nothing is English, one tap on a phone chooses or drops an option, and they work
inside a form (chosen when the form is sent). With no options the field says in Danish that there is
nothing to choose (`ui.option_search.nothing_to_choose`). Pills parse their option labels as
Markdown: every label is escaped, so a site or code name is shown as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

from ui.option_search import nothing_to_choose
from ui.page import escape_markdown, tr

T = TypeVar("T")


def choose_many(label: str, options: Sequence[T], *, format_func: Callable[[T], Any] = str,
                default: Sequence[T] | None = None, key: str | None = None, where: Any = None,
                label_visibility: str = "visible", disabled: bool = False) -> list[T]:
    """The options chosen among `options` (none chosen: []), drawn in `where` (a column; the page by default)."""
    if not options:
        return nothing_to_choose(label, where)
    place = where if where is not None else st
    chosen = place.pills(label, list(options), selection_mode="multi", default=list(default or []),
                         format_func=lambda o: escape_markdown(str(format_func(o))), key=key,
                         label_visibility=label_visibility, disabled=disabled)
    return list(chosen or [])


def choose_in_order(label: str, options: Sequence[T], *, key: str, format_func: Callable[[T], Any] = str,
                    default: Sequence[T] = ()) -> list[T]:
    """The options chosen among `options`, in the order they were added (a form's questions).

    Outside a form only (each step reruns the page). The chosen ones are pressed chips numbered in
    order (a tap on one drops it); below them a select adds one more at the end, offering only those
    not chosen yet; once every option is chosen it gives way to a Danish "Alt er valgt." line, so
    nothing opens empty. The order lives in `st.session_state[key + "_order"]`, starting from `default`.
    """
    if not options:
        return nothing_to_choose(label)
    order_key = f"{key}_order"
    st.session_state.setdefault(order_key, [o for o in default if o in options])
    chosen = [o for o in st.session_state[order_key] if o in options]
    st.session_state[order_key] = chosen
    shown = lambda o: escape_markdown(str(format_func(o)))  # noqa: E731
    if chosen:
        st.pills(label, chosen, selection_mode="multi", default=chosen, key=_chosen_key(key),
                 format_func=lambda o: f"{chosen.index(o) + 1}\\. {shown(o)}", on_change=_drop, args=(key,))
        st.caption(tr("widgets.order.help"))
    else:
        st.caption(tr("widgets.order.none_chosen", label=label))
    rest = [o for o in options if o not in chosen]
    if rest:
        st.selectbox(tr("widgets.order.add", label=label), rest, index=None, key=f"{key}_add",
                     format_func=lambda o: str(format_func(o)),  # a select's options are plain text
                     placeholder=tr("widgets.choose"), filter_mode=None, on_change=_add, args=(key,))
    else:
        st.caption(tr("widgets.order.all_chosen"))
    return chosen


def _chosen_key(key: str) -> str:
    """The chips' key: a new one after every change, so the chips always offer exactly the chosen options."""
    return f"{key}_chosen_{st.session_state.get(key + '_version', 0)}"


def _drop(key: str) -> None:
    kept = st.session_state.get(_chosen_key(key)) or []
    st.session_state[f"{key}_order"] = [o for o in st.session_state[f"{key}_order"] if o in kept]
    st.session_state[f"{key}_version"] = st.session_state.get(f"{key}_version", 0) + 1


def _add(key: str) -> None:
    added = st.session_state.get(f"{key}_add")
    if added is not None and added not in st.session_state[f"{key}_order"]:
        st.session_state[f"{key}_order"] = [*st.session_state[f"{key}_order"], added]
    st.session_state[f"{key}_add"] = None
    st.session_state[f"{key}_version"] = st.session_state.get(f"{key}_version", 0) + 1
