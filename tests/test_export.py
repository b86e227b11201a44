import csv
import json

import pytest
from openpyxl import load_workbook

from stories.exporter import export_stories
from stories.importer import import_file
from stories.model import Consent, Story
from stories.trust.permissions import Actor, PermissionDenied
from stories.storage import create_story, withdraw_consent
from stories.visibility import StoryFilter
from stories.search import query_stories


@pytest.fixture
def stories(db):
    a = create_story(db, Story(text="=HYPERLINK(\"http://x\") æøå", significance="Vigtigt", title="Formel",
                               site="Valby", extra={"alder": "16", "id": "kollision"},
                               consent=Consent(internal=True, evaluation=True)))
    b = create_story(db, Story(text="Anden historie 😀", significance="Også", consent=Consent(internal=True)))
    c = create_story(db, Story(text="Trukket tilbage", significance="x", consent=Consent(internal=True)))
    withdraw_consent(db, c.id)
    return a, b


def test_json_has_every_field(db, tmp_path, stories):
    out = tmp_path / "s.json"
    assert export_stories(db, out, "json") == 2
    data = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) == 2
    fields = set(Story.__dataclass_fields__)
    assert all(fields <= set(obj) for obj in data)
    by_title = {d["title"]: d for d in data}
    assert by_title["Formel"]["extra"] == {"alder": "16", "id": "kollision"}
    assert by_title["Formel"]["consent"]["evaluation"] is True
    assert "Trukket tilbage" not in out.read_text(encoding="utf-8")


def test_csv_one_row_per_story_with_extras(db, tmp_path, stories):
    out = tmp_path / "s.csv"
    export_stories(db, out, "csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(rows) == 2
    formula = next(r for r in rows if r["title"] == "Formel")
    assert formula["alder"] == "16" and formula["extra_id"] == "kollision"
    assert formula["text"].endswith("æøå") and formula["consent_evaluation"] == "1"


def test_xlsx_keeps_formula_like_text_as_text(db, tmp_path, stories):
    out = tmp_path / "s.xlsx"
    export_stories(db, out, "xlsx")
    sheet = load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row}
    cell = cells['=HYPERLINK("http://x") æøå']
    assert cell.data_type == "s"
    assert "text" in header and "alder" in header


def test_xlsx_round_trips_through_import(db, tmp_path, stories):
    from changestories.database import memory_db

    out = tmp_path / "s.xlsx"
    export_stories(db, out, "xlsx")
    other = memory_db()
    assert import_file(other, out).added == 2
    assert {s.text for s in query_stories(other)} == {s.text for s in stories}


def test_purpose_filter_and_permission(db, tmp_path, stories):
    out = tmp_path / "e.json"
    assert export_stories(db, out, "json", story_filter=StoryFilter(purpose="evaluation")) == 1
    with pytest.raises(PermissionDenied):
        export_stories(db, out, "json", actor=Actor("x", "facilitator"))
    with pytest.raises(ValueError):
        export_stories(db, out, "pdf")


FORMULAS = ["=1+1", "+41 55 12", "-2+3", "@SUM(A1:A9)", "\tTAB", "\r=CR", "=HYPERLINK(\"http://x\",\"klik\")"]


@pytest.mark.parametrize("value", FORMULAS)
def test_spreadsheet_exports_never_run_a_cell_as_a_formula(db, tmp_path, value):
    """OWASP CSV injection: CSV gets a leading apostrophe, XLSX a quote-prefixed text cell with
    the exact value, JSON the exact value."""
    stored = create_story(db, Story(text=value + " i teksten", title=value, significance="mærke", extra={"felt": value},
                                    consent=Consent(internal=True)))
    create_story(db, Story(text="Almindelig tekst - med bindestreg", title="Almindelig", significance="x",
                           consent=Consent(internal=True)))
    fields = {"title": stored.title, "text": stored.text, "felt": stored.extra["felt"]}  # as validation left them
    risky = {k: v for k, v in fields.items() if v.startswith(("=", "+", "-", "@", "\t", "\r"))}
    assert "felt" in risky or value != value.strip()  # validation strips a leading tab or CR

    export_stories(db, tmp_path / "s.csv", "csv")
    rows = {r["id"]: r for r in csv.DictReader((tmp_path / "s.csv").open(encoding="utf-8-sig", newline=""))}
    assert {k: rows[stored.id][k] for k in fields} == {k: ("'" + v if k in risky else v) for k, v in fields.items()}
    assert rows[next(i for i in rows if i != stored.id)]["text"] == "Almindelig tekst - med bindestreg"

    export_stories(db, tmp_path / "s.xlsx", "xlsx")
    sheet = load_workbook(tmp_path / "s.xlsx").worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value in risky.values()]
    assert sorted(c.value for c in cells) == sorted(risky.values())
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)

    export_stories(db, tmp_path / "s.json", "json")
    data = {d["id"]: d for d in json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))}
    assert data[stored.id]["text"] == stored.text and data[stored.id]["extra"] == stored.extra


def test_xlsx_formula_like_text_round_trips_exactly(db, tmp_path):
    from changestories.database import memory_db

    for value in FORMULAS[:4] + ["#N/A"]:
        create_story(db, Story(text=value, significance="x", consent=Consent(internal=True)))
    export_stories(db, tmp_path / "s.xlsx", "xlsx")
    other = memory_db()
    assert import_file(other, tmp_path / "s.xlsx").added == 5
    assert {s.text for s in query_stories(other)} == set(FORMULAS[:4] + ["#N/A"])


def test_json_export_is_the_whole_list_as_json_dumps_writes_it(db, tmp_path, stories, monkeypatch):
    import stories.exporter

    monkeypatch.setattr(stories.exporter, "EXPORT_BATCH", 1)  # written story by story
    out = tmp_path / "s.json"
    export_stories(db, out, "json")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert out.read_text(encoding="utf-8") == json.dumps(data, ensure_ascii=False, indent=2)
    assert [d["id"] for d in data] == [s.id for s in query_stories(db)]
    export_stories(db, out, "json", story_filter=StoryFilter(sites=["Nowhere"]))
    assert json.loads(out.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("value", FORMULAS + ["#N/A"])
def test_table_writers_neutralise_every_formula_like_cell(tmp_path, value):
    """The writers the story and codings exports share (a coded passage may start with a tab)."""
    from stories.exporter import write_csv, write_xlsx

    rows = [{"a": value, "b": 7, "c": "tekst"}]
    assert write_csv(tmp_path / "t.csv", ["a", "b", "c"], iter(rows)) == 1
    got = list(csv.reader((tmp_path / "t.csv").open(encoding="utf-8-sig", newline="")))
    assert got[1] == [("'" + value) if value != "#N/A" else value, "7", "tekst"]
    assert write_xlsx(tmp_path / "t.xlsx", ["a", "b", "c"], iter(rows)) == 1
    a, b, c = next(load_workbook(tmp_path / "t.xlsx").worksheets[0].iter_rows(min_row=2))
    assert (a.value, a.data_type, a.quotePrefix) == (value, "s", True)
    assert (b.value, c.value, c.quotePrefix) == (7, "tekst", False)


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_export_tells_its_progress_and_writes_the_same_file(db, tmp_path, stories, fmt, monkeypatch):
    """The transfer page's bar: told the stories written a batch at a time, up to all; the file is
    the same with or without it."""
    import stories.exporter

    monkeypatch.setattr(stories.exporter, "EXPORT_BATCH", 1)
    seen = []
    plain, told = tmp_path / f"plain.{fmt}", tmp_path / f"told.{fmt}"
    assert export_stories(db, plain, fmt) == export_stories(db, told, fmt, progress=lambda d, t: seen.append((d, t))) == 2
    assert seen == [(1, 2), (2, 2)]
    if fmt != "xlsx":  # an xlsx file carries the time it was saved
        assert plain.read_bytes() == told.read_bytes()
    else:
        assert [list(r) for r in load_workbook(plain).active.values] == [list(r) for r in load_workbook(told).active.values]
