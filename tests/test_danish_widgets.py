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
            "time_input": "ui.time_field.time_field", "image": "ui.picture.picture",
            "code": "ui.page.show_text (st.code's copy button says 'Copy to clipboard')",
            "json": "ui.page.show_text (st.json's copy button says 'Copy to clipboard')", "dataframe": "ui.table.table", "bar_chart": "ui.picture.bars",
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


def test_several_options_are_chosen_through_the_apps_chips():
    """Streamlit's multi-select opens on an English "No results" once every option is chosen (and labels its
    chips "Remove …", its clear button "Clear all"): several options are chosen with `ui.choose_many`
    (chips, or `choose_in_order` where the order counts), whose labels are escaped, never with a bare
    `st.multiselect` or multi-choice `st.pills`."""
    found = [_where(p, n) for p in SOURCES for n, kws in _calls(p) if p.name != "choose_many.py" and (
        n.func.attr == "multiselect" or n.func.attr == "pills" and any(
            k.arg == "selection_mode" and isinstance(k.value, ast.Constant) and k.value.value == "multi"
            for k in n.keywords))]
    assert found == []


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
             if n.func.attr in REPLACED and p.name not in ("date_field.py", "time_field.py", "file_field.py", "picture.py", "table.py")]
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


# --- Typing and searching (issue 15): what Streamlit writes under a field once a person types in it ---

def _is_form(item: ast.withitem) -> bool:
    call = item.context_expr
    return isinstance(call, ast.Call) and (
        isinstance(call.func, ast.Attribute) and call.func.attr == "form"
        or isinstance(call.func, ast.Name) and call.func.id == "enter_form")


def _placed_calls() -> list[tuple[Path, ast.Call, str, str | None, bool]]:
    """Every call in the sources with its name, its enclosing function and whether it sits inside a form."""
    found = []

    def visit(path, node, function, in_form):
        for child in ast.iter_child_nodes(node):
            fn, inside = function, in_form
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                fn, inside = child.name, False
            if isinstance(child, ast.With) and any(_is_form(i) for i in child.items):
                inside = True
            if isinstance(child, ast.Call):
                name = (child.func.attr if isinstance(child.func, ast.Attribute)
                        else child.func.id if isinstance(child.func, ast.Name) else None)
                if name:
                    found.append((path, child, name, function, in_form))
            visit(path, child, fn, inside)

    for path in SOURCES:
        visit(path, ast.parse(path.read_text(encoding="utf-8")), None, False)
    return found


def _outside_forms(widgets: set[str]) -> list[tuple[Path, ast.Call]]:
    """The calls of `widgets` that can run outside a form: not inside `with …form(…)`, and not in a
    function that is only ever called from inside a form (followed through helpers, by name)."""
    calls = _placed_calls()
    sites: dict[str, list[tuple[str | None, bool]]] = {}
    for _, _, name, function, in_form in calls:
        sites.setdefault(name, []).append((function, in_form))
    only_in_forms: set[str] = set()
    grew = True
    while grew:
        grew = False
        for name, where in sites.items():
            if name not in only_in_forms and all(inside or fn in only_in_forms for fn, inside in where):
                only_in_forms.add(name)
                grew = True
    return [(p, n) for p, n, name, function, in_form in calls
            if name in widgets and not in_form and function not in only_in_forms]


def test_every_form_leaves_out_the_english_press_enter_to_submit():
    """A form that submits on Enter writes "Press Enter to submit form" (or "Press Ctrl+Enter …") under a
    focused field; `enter_to_submit=False` leaves it out (`ui.form_enter.enter_form` gives Enter back)."""
    missing = [_where(p, n) for p in SOURCES for n, kws in _calls(p)
               if n.func.attr == "form" and "enter_to_submit" not in kws]
    assert missing == []


def test_every_text_input_outside_a_form_applies_as_it_is_typed():
    """Outside a form a text input writes "Press Enter to apply" as soon as it is typed in, unless it is `live`."""
    missing = [_where(p, n) for p, n in _outside_forms({"text_input"})
               if "live" not in {k.arg for k in n.keywords}]
    assert missing == []


def test_text_areas_and_number_inputs_sit_in_forms():
    """Outside a form they write "Press Ctrl+Enter to apply" / "Press Enter to apply" once typed in, and
    have no `live`; inside a form with `enter_to_submit=False` they write nothing."""
    assert [_where(p, n) for p, n in _outside_forms({"text_area", "number_input", "chat_input"})] == []


def test_every_select_decides_how_it_is_searched():
    """Typing in a select that matches nothing shows Streamlit's English "No results": every select says
    how it is searched (`filter_mode=None` for lists read at a glance, where typing is off)."""
    missing = [_where(p, n) for p in SOURCES for n, kws in _calls(p)
               if n.func.attr in ("selectbox", "multiselect") and "filter_mode" not in kws]
    assert missing == []


@pytest.mark.parametrize("option, why", [
    ("accept_new_options", 'the open list offers a typed name as "Add: …"'),
    ("max_selections", 'a full multi-select says "You can only select up to N options. Remove an option first."'),
])
def test_no_select_uses_an_option_with_english_text(option, why):
    found = [_where(p, n) for p in SOURCES for n, kws in _calls(p)
             if n.func.attr in ("selectbox", "multiselect") and option in kws]
    assert found == [], why


def test_no_number_field_refuses_a_number_in_english():
    """A number field with `min_value`/`max_value` refuses a number typed out of range with "Number is above
    the allowed range. Please enter …" in English; the range is checked by the domain, in the user's words."""
    found = [_where(p, n) for p in SOURCES for n, kws in _calls(p) if n.func.attr == "number_input"
             and (len(n.args) > 1 or {"min_value", "max_value"} & kws)]
    assert found == []


@pytest.mark.parametrize("query, expected", [
    ("", ["Skolen i Nordvest", "Jobcentret", "Huset og skolen"]),
    ("skole", ["Skolen i Nordvest", "Huset og skolen"]),
    ("SKOLE hus", ["Huset og skolen"]),
    ("  nordvest  ", ["Skolen i Nordvest"]),
    ("zqxw", []),
])
def test_the_option_search_keeps_the_options_holding_every_word(query, expected):
    from ui.option_search import matching

    options = ["Skolen i Nordvest", "Jobcentret", "Huset og skolen"]
    assert matching(options, str, query) == expected


def test_no_cached_function_shows_the_english_running_spinner():
    """A cached function shows "Running `name(...)`." while it runs, unless `show_spinner=False`
    (a page that wants a spinner says what it does with `st.spinner(tr(...))`)."""
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for deco in getattr(node, "decorator_list", []):
                name = deco.func if isinstance(deco, ast.Call) else deco
                if isinstance(name, ast.Attribute) and name.attr in ("cache_data", "cache_resource") and not (
                        isinstance(deco, ast.Call) and "show_spinner" in {k.arg for k in deco.keywords}):
                    found.append(_where(path, node))
    assert found == []


@pytest.mark.parametrize("text, expected", [("16.00", (16, 0)), ("16:00", (16, 0)), ("16", (16, 0)), ("0930", (9, 30)),
                                            (" 9.05 ", (9, 5)), ("23.59", (23, 59))])
def test_a_time_is_read_as_people_type_it(text, expected):
    from stories.formatting import parse_time

    assert parse_time(text) == dt.time(*expected)


@pytest.mark.parametrize("text", ["24.00", "16.60", "9.5", "kl. 16", "1:2:3", "16:00:00"])
def test_a_time_that_is_not_hours_and_minutes_is_refused(text):
    from stories.formatting import UnreadableTime, parse_time

    with pytest.raises(UnreadableTime):
        parse_time(text)


@pytest.mark.parametrize("lang, shown", [("da", "16.00"), ("en", "16:00")])
def test_a_time_is_written_as_the_language_writes_it(lang, shown):
    from stories.formatting import time_of_day

    assert time_of_day(dt.time(16, 0), lang) == shown
