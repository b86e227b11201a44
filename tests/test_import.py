import csv
import io

import pytest
from openpyxl import Workbook

from stories.importer import ImportFailed, import_file
from stories.search import count_stories, query_stories
from stories.tabular import UnreadableFile

ROWS = [
    {"text": "Hun lavede mad i køkkenet med de andre.", "title": "Æblekage", "site": "Nordvest",
     "teller_role": "ung", "dato": "31-03-2026", "polarity": "positiv", "alder": "16"},
    {"text": "Han kom tilbage efter en lang pause. Ærligt talt.", "title": "Tilbage", "site": "Valby",
     "teller_role": "staff", "dato": "2026-02-01", "polarity": "", "alder": ""},
]


def write_csv(path, rows, encoding="utf-8", delimiter=","):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_encodings_and_delimiters(db, tmp_path, encoding, delimiter):
    path = write_csv(tmp_path / "in.csv", ROWS, encoding, delimiter)
    report = import_file(db, path)
    assert (report.rows, report.added, report.duplicates) == (2, 2, 0)
    stories = {s.title: s for s in query_stories(db)}
    assert stories["Æblekage"].text == ROWS[0]["text"]
    assert stories["Æblekage"].teller_role == "young_person"
    assert stories["Æblekage"].happened_on == "2026-03-31"
    assert stories["Æblekage"].polarity == "positive"
    assert stories["Æblekage"].extra == {"alder": "16"}
    assert stories["Æblekage"].source == "import"
    assert stories["Tilbage"].extra == {}


def test_excel_unicode_text_utf16_with_tabs(db, tmp_path):
    path = write_csv(tmp_path / "unicode.txt", ROWS, "utf-16", "\t")
    assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert import_file(db, path).added == 2
    assert {s.title for s in query_stories(db)} == {"Æblekage", "Tilbage"}


def test_xlsx(db, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Historie", "Sted", "Dato", "Ekstra felt"])
    import datetime as dt

    sheet.append(["Vi byggede en scene sammen.", "Amager", dt.datetime(2026, 1, 5), 3.0])
    sheet.append([None, None, None, None])  # blank rows are skipped
    sheet.append(["Vi malede en væg.", "Valby", "2026-01-06", ""])
    path = tmp_path / "in.xlsx"
    workbook.save(path)
    report = import_file(db, path)
    assert report.added == 2
    by_site = {s.site: s for s in query_stories(db)}
    assert by_site["Amager"].happened_on == "2026-01-05"
    assert by_site["Amager"].extra == {"Ekstra felt": "3"}


def test_only_text_required(db, tmp_path):
    path = tmp_path / "min.csv"
    path.write_text("text\nEn historie fra papir.\n", encoding="utf-8")
    assert import_file(db, path).added == 1
    story = query_stories(db)[0]
    assert story.significance == "" and story.consent.internal and not story.consent.evaluation


def test_consent_columns_and_default_purposes(db, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("text,consent_evaluation\nA.,ja\nB.,0\n", encoding="utf-8")
    import_file(db, path, consent=("internal", "publication"))
    stories = {s.text: s.consent for s in query_stories(db)}
    assert stories["A."].evaluation and stories["A."].publication
    assert not stories["B."].evaluation


@pytest.mark.parametrize(
    "content,name,message",
    [
        (b"title,site\nx,y\n", "no_text.csv", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "picture.csv", "binary"),
        (b"PK\x03\x04 not really a zip", "broken.xlsx", "xlsx"),
        (b"not a zip at all", "fake.xlsx", "xlsx"),
        (b"", "empty.csv", "empty"),
    ],
)
def test_unreadable_files_are_refused(db, tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    if message is None:
        with pytest.raises(ImportFailed) as info:
            import_file(db, path)
        assert info.value.report.errors[0].key == "error.no_text_column"
    else:
        with pytest.raises(UnreadableFile) as info:
            import_file(db, path)
        assert info.value.reason == message
        assert "file" in str(info.value)
    assert count_stories(db) == 0


def thousand_rows(bad_line=None):
    rows = []
    for i in range(1000):
        rows.append({"text": f"Historie nummer {i} om fællesskab i huset.", "site": ["Nordvest", "Valby"][i % 2],
                     "dato": "2026-01-15", "teller_pseudonym": f"U-{i:04d}"})
    if bad_line is not None:
        rows[bad_line - 2]["text"] = "   "
        rows[bad_line - 2]["dato"] = "2026-13-45"
    return rows


def test_thousand_rows_with_one_bad_row(db, tmp_path):
    path = write_csv(tmp_path / "big.csv", thousand_rows(bad_line=537))
    with pytest.raises(ImportFailed) as info:
        import_file(db, path)
    assert {e.line for e in info.value.report.errors} == {537}
    assert {e.field for e in info.value.report.errors} == {"text", "happened_on"}
    assert "537" in str(info.value)
    assert count_stories(db) == 0

    path = write_csv(tmp_path / "big.csv", thousand_rows())
    assert import_file(db, path, dry_run=True).added == 1000
    assert count_stories(db) == 0
    report = import_file(db, path)
    assert report.added == 1000 and count_stories(db) == 1000
    again = import_file(db, path)
    assert (again.added, again.duplicates) == (0, 1000)
    assert count_stories(db) == 1000
    assert import_file(db, path, dry_run=True).added == 0


def test_multiline_cells_report_the_starting_line(db, tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text('text,dato\n"Linje et\nlinje to",2026-01-01\n"",2026-01-02\n', encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        import_file(db, path)
    assert [e.line for e in info.value.report.errors] == [4]


def test_export_then_import_round_trip(db, tmp_path):
    from stories.exporter import export_stories

    path = write_csv(tmp_path / "in.csv", ROWS)
    import_file(db, path)
    out = tmp_path / "out.csv"
    export_stories(db, out, "csv")
    from changestories.database import memory_db

    other = memory_db()
    assert import_file(other, out).added == 2
    assert {s.text for s in query_stories(other)} == {r["text"] for r in ROWS}
    assert {s.title: s.extra for s in query_stories(other)}["Æblekage"] == {"alder": "16"}
