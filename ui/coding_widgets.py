"""Small display helpers shared by the coding, codebook and agreement pages (no data access)."""

from __future__ import annotations

import colorsys

from stories import formatting
from ui.page import escape_markdown, lang, tr
from coding.codebook.codes import Code

# Streamlit's Markdown colours with a representative hue (degrees), for a code's colour mark.
PALETTE = (("red", 0), ("orange", 30), ("yellow", 55), ("green", 120), ("blue", 215), ("violet", 275))
STATUS_ICONS = {"none": "○", "started": "◐", "done": "●"}


def markdown_colour(hex_colour: str) -> str:
    """The nearest Streamlit Markdown colour name to a #RRGGBB colour."""
    try:
        r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    except (TypeError, ValueError):
        return "gray"
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    if s < 0.2 or lightness < 0.12 or lightness > 0.92:
        return "gray"
    hue = h * 360
    return min(PALETTE, key=lambda p: min(abs(hue - p[1]), 360 - abs(hue - p[1])))[0]


def code_label(code: Code, lang: str) -> str:
    """A code's name with a colour mark, as a Markdown label (the name escaped)."""
    suffix = f" ({tr('coding.codebook.retired')})" if code.retired else ""
    return f":{markdown_colour(code.color)}[■] {escape_markdown(code.name(lang))}{escape_markdown(suffix)}"


def code_help(code: Code, lang: str) -> str:
    """The help text of a code: definition, when to use it and when not (escaped)."""
    parts = [code.text("definition", lang)]
    if code.text("use_when", lang):
        parts.append(f"{tr('coding.field.use_when')}: {code.text('use_when', lang)}")
    if code.text("not_when", lang):
        parts.append(f"{tr('coding.field.not_when')}: {code.text('not_when', lang)}")
    return "\n\n".join(escape_markdown(p) for p in parts if p) or tr("coding.codebook.no_definition")


def status_icon(status: str) -> str:
    return STATUS_ICONS.get(status, "○")


def percent(value: float | None) -> str:
    """A share as the page's language writes it: "66,7 %" (da) / "66.7%" (en)."""
    return formatting.percent(value, lang(), decimals=1)


def number(value: float | None) -> str:
    """A statistic with two decimals: "0,82" (da) / "0.82" (en)."""
    return formatting.number(value, lang(), decimals=2)
