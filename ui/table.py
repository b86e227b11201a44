"""A table as text, instead of `st.dataframe`.

`st.dataframe`'s toolbar is English ("Download as CSV", "Search", "Fullscreen", "Show/hide
columns") with no setting to translate it, and the pages' tables are short and read, not
worked in. `st.table` is static, but renders Markdown in every cell, so every cell, column
name and index label is escaped here first (user text is shown as text, never as Markdown);
numbers are written by Babel in the session's language ("1.234", "0,82") and yes/no in words.
Where a table's data is worth taking away, the page adds its own `st.download_button`.
"""

from __future__ import annotations

import numbers

import pandas as pd
import streamlit as st

from stories import formatting
from ui.page import escape_markdown, lang, tr


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return tr("widgets.yes") if value else tr("widgets.no")
    if isinstance(value, numbers.Integral):
        return formatting.number(int(value), lang())
    if isinstance(value, numbers.Real):
        return formatting.number(float(value), lang(), decimals=None)
    return escape_markdown(str(value))


def as_text(data) -> pd.DataFrame:
    """`data` (rows as dicts, columns as a dict, or a DataFrame) with every cell and label as escaped text."""
    frame = data.copy() if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    frame = frame.astype(object).map(_cell) if len(frame.columns) else frame
    frame.columns = [_cell(c) for c in frame.columns]
    frame.index = [_cell(i) for i in frame.index]
    return frame


def table(data, *, hide_index: bool = True, container=None) -> None:
    """Show `data` as a static table of text (in `container`, default the page)."""
    where = container if container is not None else st
    where.table(as_text(data), hide_index=hide_index)
