"""A PNG picture as a plain image, instead of `st.image`.

`st.image` puts an English "Fullscreen" button (aria-label "Fullscreen: <caption>", tooltip
"Fullscreen") on every picture, with no setting to leave it out. This draws the PNG as an
`<img>` with a data URI through `st.html` (sanitised by Streamlit's DOMPurify; only the app's
own bytes and an escaped alt text go in), with the caption as text under it.
"""

from __future__ import annotations

import base64
import html

import streamlit as st


def picture(png: bytes, *, alt: str, width: int | None = None, caption: str | None = None) -> None:
    """`png` at `width` pixels (or the column's width), described by `alt` for screen readers."""
    size = f"width:{int(width)}px;max-width:100%" if width else "width:100%"
    source = base64.b64encode(png).decode("ascii")
    st.html(f'<img src="data:image/png;base64,{source}" alt="{html.escape(alt, quote=True)}" '
            f'style="{size};height:auto;display:block">')
    if caption:
        st.caption(caption)


# Plotly's mode bar names its buttons in English ("Zoom in", "Download plot as a png", "Autoscale"), shown on
# hover; the charts are read, not worked with, and the pages offer their own downloads.
PLOTLY_CONFIG = {"displayModeBar": False}
