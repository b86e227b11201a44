"""Streamlit's own English kept off Danish pages: the rules the pages follow (checked in the source) and
the app's own widgets that replace Streamlit's where it has no setting (the date field)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from stories.formatting import UnreadableDate, parse_date

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([ROOT / "app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").glob("*.py")])
# Widgets whose `help=` draws a "?" icon labelled "Help for …" (English, no setting); buttons show help as a
# plain tooltip on themselves, without that label.
LABELLED_HELP = {"text_input", "text_area", "number_input", "checkbox", "toggle", "radio", "selectbox",
                 "multiselect", "select_slider", "slider", "metric", "date_input", "time_input", "color_picker",
                 "pills", "segmented_control", "feedback", "chat_input", "file_uploader", "camera_input"}
# Streamlit widgets with English a setting cannot change, replaced by the app's own.
REPLACED = {"date_input": "ui.date_field.date_field", "file_uploader": "ui.file_field.file_field",
            "image": "ui.picture.picture", "dataframe": "ui.table.table", "bar_chart": "ui.picture.bars",
            "line_chart": "a PNG through ui.picture", "area_chart": "a PNG through ui.picture",
            "scatter_chart": "a PNG through ui.picture", "altair_chart": "a PNG through ui.picture"}


def _calls(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            yield node, {k.arg for k in node.keywords}


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def test_every_select_has_a_placeholder_from_the_catalog():
    """Without `placeholder=` Streamlit writes "Choose an option" / "Choose options", even under a chosen value."""
    missing = [_where(p, n) for p in SOURCES for n, kws in _calls(p)
               if n.func.attr in ("selectbox", "multiselect") and "placeholder" not in kws]
    assert missing == []


def test_no_multiselect_offers_the_english_select_all():
    """`select_all` (on by default up to 1,000 options) adds "Select all" / "Select 3 matches" to the open list."""
    missing = [_where(p, n) for p in SOURCES for n, kws in _calls(p)
               if n.func.attr == "multiselect" and "select_all" not in kws]
    assert missing == []


def test_no_heading_offers_the_english_link_to_heading():
    missing = [_where(p, n) for p in SOURCES for n, kws in _calls(p)
               if n.func.attr in ("title", "header", "subheader") and n.args and "anchor" not in kws]
    assert missing == []


def test_no_markdown_heading_offers_the_english_link_to_heading():
    """A Markdown heading ("#### …") gets the same English anchor link; there is no parameter to leave it out."""
    found = []
    for path in SOURCES:
        for node, _ in _calls(path):
            if node.func.attr == "markdown" and node.args:
                first = node.args[0]
                text = first.value if isinstance(first, ast.Constant) else (
                    first.values[0].value if isinstance(first, ast.JoinedStr) and first.values
                    and isinstance(first.values[0], ast.Constant) else "")
                if isinstance(text, str) and text.lstrip().startswith("#"):
                    found.append(_where(path, node))
    assert found == []


def test_help_is_a_caption_not_an_english_labelled_tooltip():
    found = [_where(p, n) for p in SOURCES for n, kws in _calls(p) if n.func.attr in LABELLED_HELP and "help" in kws]
    assert found == []


def test_widgets_without_a_locale_are_replaced_by_the_apps_own():
    found = [f"{_where(p, n)} (use {REPLACED[n.func.attr]})" for p in SOURCES for n, _ in _calls(p)
             if n.func.attr in REPLACED and p.name not in ("date_field.py", "file_field.py", "picture.py", "table.py")]
    assert found == []


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("text", ["1.12.2026", "01.12.2026", "1/12/2026", "01-12-26", "2026-12-01", " 1.12.2026 "])
def test_a_date_is_read_as_people_type_it(text, lang):
    assert parse_date(text, lang) == dt.date(2026, 12, 1)


@pytest.mark.parametrize("text", ["31.2.2026", "1.12", "i går", "1.12.2026 kl. 3", "2026"])
def test_a_date_that_is_not_a_day_month_and_year_is_refused(text):
    with pytest.raises(UnreadableDate):
        parse_date(text, "da")


def test_an_empty_date_is_no_date():
    assert parse_date("", "da") is None and parse_date("   ", "en") is None


def _payload(name: str, data: bytes) -> dict:
    import base64

    return {"name": name, "size": len(data), "data": base64.b64encode(data).decode("ascii")}


def test_the_file_field_keeps_name_and_bytes_as_the_pages_read_them():
    from ui.file_field import receive

    chosen = receive(_payload("C:\\Users\\x\\historier.CSV", b"text\nEn dag\n"), ("csv", "xlsx"), 1000)
    assert (chosen.name, chosen.getvalue(), chosen.size) == ("historier.CSV", b"text\nEn dag\n", 12)


@pytest.mark.parametrize("payload, key", [
    (_payload("stor.csv", b"x" * 1001), "widgets.upload.too_big"),
    (_payload("billede.png", b"x"), "widgets.upload.wrong_type"),
    (_payload("uden-endelse", b"x"), "widgets.upload.wrong_type"),
    ({"name": "ødelagt.csv", "data": "ikke base64!"}, "widgets.upload.wrong_type"),
    ({"name": "tom.csv", "data": None}, "widgets.upload.too_big"),
    ({"name": "lang.csv", "data": "A" * 2000}, "widgets.upload.too_big"),
])
def test_the_file_field_checks_again_what_the_browser_sent(payload, key):
    from ui.file_field import FileRefused, receive

    with pytest.raises(FileRefused) as refused:
        receive(payload, ("csv",), 1000)
    assert refused.value.key == key
