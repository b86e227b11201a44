"""A search field that narrows a long select's options, in the session's language.

Selects have `filter_mode=None` (typing in Streamlit's own filter shows "No results" in English when
nothing matches); a long list of stories gets this field above it instead: the options whose label
holds every typed word (case and accents as typed: "skole" finds "Skolen") stay, and when none does
the field says so in Danish ("Ingen historier passer til søgningen.") and the select is not drawn.
A select with no options at all is not drawn either (it would open on "No results"): `nothing_to_choose`
says so under its label.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import streamlit as st

from ui.page import tr

T = TypeVar("T")
SEARCH_FROM = 10  # shorter lists are read at a glance


def matching(options: Sequence[T], label: Callable[[T], str], query: str) -> list[T]:
    """The options whose label holds every word of `query` (case-insensitive); all of them for an empty query."""
    words = query.casefold().split()
    return [o for o in options if all(w in label(o).casefold() for w in words)]


def option_search(options: Sequence[T], label: Callable[[T], str], *, key: str, keep: Sequence[T] = ()) -> list[T]:
    """The options left after the search field (drawn only for a list of `SEARCH_FROM` or more); `keep`
    (such as a "none chosen" option) always stays first. An empty result has had its message shown."""
    rest = [o for o in options if o not in keep]
    if len(rest) < SEARCH_FROM:
        return list(options)
    query = st.text_input(tr("widgets.search.label"), key=key, placeholder=tr("widgets.search.placeholder"),
                          max_chars=100, live="300ms")
    found = matching(rest, label, query)
    if not found:
        st.caption(tr("widgets.search.no_match"))
        return []
    return [*keep, *found]


def nothing_to_choose(label: str, where=None) -> list:
    """In place of a select without options: one line saying there is nothing to choose; no choice ([])."""
    (where if where is not None else st).caption(tr("widgets.nothing_to_choose", label=label))
    return []
