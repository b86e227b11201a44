import csv
import json

import pytest
from openpyxl import load_workbook

from stories.exporter import export_stories
from stories.importer import import_file
from stories.model import Consent, Story
from stories.trust.permissions import Actor, PermissionDenied
from stories.storage import StoryFilter, create_story, query_stories, withdraw_consent


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
