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
            f'style="{size};height:auto;display:block;margin-inline:auto">')
    if caption:
        st.caption(caption)


# Plotly's mode bar names its buttons in English ("Zoom in", "Download plot as a png", "Autoscale"), shown on
# hover; the charts are read, not worked with, and the pages offer their own downloads.
PLOTLY_CONFIG = {"displayModeBar": False}


def bars(labels: list[str], values: list[float], *, axis: str, colors: list[str] | None = None,
         lang: str = "da") -> None:
    """Horizontal bars as plain HTML (drawn by the browser, no chart toolbar): one row per label, the bar's
    length relative to the largest value, the value written by Babel. Labels are escaped."""
    from stories import formatting

    top = max((abs(v) for v in values), default=0) or 1
    rows = []
    for i, (label, value) in enumerate(zip(labels, values)):
        colour = (colors[i % len(colors)] if colors else None) or "var(--primary-color, #b3471d)"
        share = max(1.0, 100 * abs(value) / top)
        rows.append(
            '<div style="display:flex;align-items:center;gap:0.5rem;margin:0.15rem 0">'
            f'<span style="flex:0 0 35%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap">{html.escape(label)}</span>'
            f'<span style="flex:1 1 auto"><span style="display:block;height:0.9rem;width:{share:.1f}%;'
            f'background:{html.escape(colour, quote=True)};border-radius:2px"></span></span>'
            f'<span style="flex:0 0 4rem;text-align:right">{html.escape(formatting.number(value, lang))}</span></div>')
    st.html(f'<div role="list" aria-label="{html.escape(axis, quote=True)}">'
            + "".join(f'<div role="listitem">{row}</div>' for row in rows)
            + f'<div style="font-size:0.8rem;opacity:0.7;text-align:right">{html.escape(axis)}</div></div>')
