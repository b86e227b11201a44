"""A date typed as text in the session's language, instead of `st.date_input`.

Streamlit 1.67's date input has no locale: its calendar names the months and weekdays in English,
its buttons are labelled "Choose date" and "Clear date", and its format placeholder is
"DD.MM.YYYY". This field is a plain text input with a Danish (or English) placeholder, read with
Babel (`stories.formatting.parse_date`: "1.12.2026", "01-12-26", "2026-12-01" all work); a date
it cannot read, or one outside the allowed range, gets a one-line message under the field and the
field's value is None.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from stories import formatting
from ui.page import lang, tr


def date_text(value: dt.date | None) -> str:
    """How the field shows a date: the language's short date ("01.12.2026" in Danish)."""
    return formatting.date(value, lang(), format="short", missing="") if value else ""


def read_date(text: str, label: str, min_value: dt.date | None = None,
              max_value: dt.date | None = None) -> tuple[dt.date | None, str | None]:
    """The date in `text` and the message for what is wrong with it (None when nothing is)."""
    example = date_text(max_value or dt.date.today())
    try:
        day = formatting.parse_date(text, lang())
    except formatting.UnreadableDate:
        return None, tr("widgets.date.invalid", label=label, example=example)
    if day is not None and min_value is not None and day < min_value:
        return None, tr("widgets.date.too_early", label=label, date=date_text(min_value))
    if day is not None and max_value is not None and day > max_value:
        return None, tr("widgets.date.too_late", label=label, date=date_text(max_value))
    return day, None


def date_field(label: str, *, key: str, value: dt.date | None = None, min_value: dt.date | None = None,
               max_value: dt.date | None = None, container=None, live: str = "1s") -> dt.date | None:
    """A date field (in `container`, default the page): the date typed, or None when empty or unreadable.

    Outside a form the date applies after a pause in typing (`live`: Streamlit's "Press Enter to apply"
    is English); inside a form `live` has no effect."""
    where = container if container is not None else st
    if key not in st.session_state:
        st.session_state[key] = date_text(value)
    text = where.text_input(label, key=key, placeholder=tr("widgets.date.placeholder"), max_chars=20,
                            live=live)
    day, problem = read_date(text, label, min_value, max_value)
    if problem:
        where.error(problem, icon="⚠️")
    return day


def date_in_state(key: str) -> dt.date | None:
    """The date a date field holds now (for forms that read their widgets from the session), None if unreadable."""
    value = st.session_state.get(key)
    if isinstance(value, dt.date):
        return value
    try:
        return formatting.parse_date(value or "", lang())
    except formatting.UnreadableDate:
        return None


def date_range(label_from: str, label_to: str, *, keys: tuple[str, str],
               min_value: dt.date | None = None) -> tuple[dt.date | None, dt.date | None]:
    """Two date fields side by side: "from" and "to" (each None when empty or unreadable)."""
    left, right = st.columns(2)
    return (date_field(label_from, key=keys[0], min_value=min_value, container=left),
            date_field(label_to, key=keys[1], min_value=min_value, container=right))
