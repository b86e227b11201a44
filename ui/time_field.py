"""A time of day typed as text, instead of `st.time_input`.

Streamlit 1.67's time input refuses a typed time in English ("Hours must be 0–23.", "Invalid time
format. Please use HH:MM.") and its clear button is labelled "Clear time". This field is a plain text
input with a Danish (or English) placeholder, read by `stories.formatting.parse_time` ("16.00",
"16:00", "16", "0930"); a time it cannot read gets a one-line message under the field and the field's
value is None.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from stories import formatting
from ui.page import lang, tr


def time_field(label: str, *, key: str, value: dt.time | None = None, container=None,
               live: str = "1s") -> dt.time | None:
    """A time field (in `container`, default the page): the time typed, or None when empty or unreadable.
    Outside a form the time applies after a pause in typing (`live`); inside a form `live` has no effect."""
    where = container if container is not None else st
    if key not in st.session_state:
        st.session_state[key] = formatting.time_of_day(value, lang()) if value else ""
    text = where.text_input(label, key=key, placeholder=tr("widgets.time.placeholder"), max_chars=8, live=live)
    try:
        return formatting.parse_time(text)
    except formatting.UnreadableTime:
        where.error(tr("widgets.time.invalid", label=label, example=formatting.time_of_day(dt.time(16, 0), lang())),
                    icon="⚠️")
        return None
