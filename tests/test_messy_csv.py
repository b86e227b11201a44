"""Real spreadsheets, read exactly (issue 9, point 5): every character of every cell comes
through, or the file is refused with a message that names the line. Never a shifted
column, a silent merge of rows, a dropped cell or mojibake.

The messy files are built here, from fictional texts.
"""

from __future__ import annotations

import csv
import io

import pytest

from stories.i18n import error_message
from stories.importer import ImportFailed, import_file
from stories.search import count_stories, query_stories
from stories.tabular import UnreadableFile, read_table

# Cells that trip up CSV readers: delimiters, doubled quotes next to commas, line breaks,
# spaces at the ends, a lone quote, tabs, semicolons, Danish letters, emoji.
TRICKY = [
    'Vi vil være dem, "der ikke gør en forskel," sagde hun, og smilede',
    'Hun kaldte det "forskel," og "plads, ro"',
    "Første linje\nanden linje, med komma\r\ntredje; med semikolon",
    "  mellemrum før og efter  ",
    'Et enkelt " midt i teksten',
    '"Citat i starten", sagde Søren',
    "Tab\tinde i teksten",
    "Ærø, Øster Åby og Æbelø 👩‍👧",
    "C:\\Users\\x \\n \\\" backslashes",
    "",
]


def write(rows: list[list[str]], delimiter: str, encoding: str) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.mark.parametrize("delimiter, encoding", [
    (",", "utf-8"), (";", "utf-8"), ("\t", "utf-8"), (",", "utf-8-sig"), (";", "utf-8-sig"),
    ("\t", "utf-16"), (";", "utf-16"),
])
def test_every_character_of_every_cell_is_read_exactly(delimiter, encoding):
    rows = [["text", "site", "extra"]] + [[text, f"Sted {i}", TRICKY[-1 - i]] for i, text in enumerate(TRICKY)]
    table = read_table("tricky.csv", write(rows, delimiter, encoding))
    assert table.headers == ["text", "site", "extra"]
    got = [[row[h] for h in table.headers] for _, row in table.rows]
    assert got == rows[1:]


def test_windows_1252_files_still_read_exactly():
    rows = [["text", "site"], ["Ærø, Øster Åby og Æbelø – «citat»", "Valby"], ['Han sagde "hej, du"', "Amager"]]
    table = read_table("old.csv", write(rows, ";", "cp1252"))
    assert [[r["text"], r["site"]] for _, r in table.rows] == rows[1:]


def web_texts() -> bytes:
    """The seed organisations' web texts as CSV: 29 plain rows, then one whose text holds
    `forskel,"` and doubled quotes (the row that shifted columns on line 31)."""
    lines = ["title,text,language"]
    lines += [f"Tekst {i},En almindelig tekst om huset nummer {i},da" for i in range(29)]
    lines.append('Om os,"Vi vil være dem, ""der ikke gør en forskel,"" sagde hun, og smilede",da')
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_doubled_quotes_after_a_comma_do_not_shift_columns(db):
    table = read_table("web.csv", web_texts())
    line, row = table.rows[-1]
    assert line == 31
    assert row == {"title": "Om os", "language": "da",
                   "text": 'Vi vil være dem, "der ikke gør en forskel," sagde hun, og smilede'}
    assert import_file(db, "web.csv", data=web_texts()).added == 30


def mixed_encoding() -> bytes:
    return ("text,site\nSøren og Åse lavede mad,Valby\n".encode("utf-8")
            + "Ærø og Øster Åby,Nordvest\n".encode("cp1252")
            + "Ida cyklede til Åmosen,Amager\n".encode("utf-8"))


def test_a_utf8_file_with_one_windows_1252_line_is_refused_naming_the_line(db):
    with pytest.raises(UnreadableFile) as exc:
        import_file(db, "mixed.csv", data=mixed_encoding())
    assert exc.value.reason == "encoding_line" and exc.value.params["line"] == 3
    assert "Linje 3" in error_message(exc.value, "da") and "Line 3" in str(exc.value)
    assert count_stories(db) == 0


def test_one_line_mixing_utf8_and_windows_1252_is_refused_naming_it():
    data = "text\nIda\n".encode() + "Søren og ".encode("utf-8") + "Åse".encode("cp1252") + b"\n"
    with pytest.raises(UnreadableFile) as exc:
        read_table("line.csv", data)
    assert exc.value.params["line"] == 3


def test_a_utf8_bom_file_with_a_windows_1252_line_is_refused_naming_the_line():
    with pytest.raises(UnreadableFile) as exc:
        read_table("bom.csv", b"\xef\xbb\xbf" + mixed_encoding())
    assert exc.value.params["line"] == 3


@pytest.mark.parametrize("body, line", [
    ('text,site\nFørste,A\n"Anden starter et citat,B\nTredje,C\nFjerde,D\n', 3),  # never closes
    ('text,site\nFørste,A\nAnden,B\n"Tredje" sagde hun,C\nFjerde,D\n', 4),  # text after the closing quote
    ('text,site\n"Første\nlinje to",A\n"Anden" og mere,B\n', 4),  # after a multi-line cell: its own line
])
def test_an_unbalanced_quote_is_refused_naming_the_line_never_merged(db, body, line):
    with pytest.raises(UnreadableFile) as exc:
        import_file(db, "quotes.csv", data=body.encode("utf-8"))
    assert exc.value.reason == "quote" and exc.value.params["line"] == line
    assert f"Linje {line}" in error_message(exc.value, "da")
    assert count_stories(db) == 0


def test_a_cell_with_an_unquoted_delimiter_is_refused_not_cut(db):
    data = "text;site\nHistorie;Valby\nEn historie; der fortsætter;Nordvest\n".encode("utf-8")
    with pytest.raises(UnreadableFile) as exc:
        import_file(db, "extra.csv", data=data)
    assert exc.value.reason == "fields" and exc.value.params == {"detail": "fields", "line": 3, "n": 3, "m": 2}
    assert count_stories(db) == 0


def test_trailing_empty_fields_are_fine():
    table = read_table("trailing.csv", b"text;site\nHistorie;Valby;;\nAnden;Amager\n")
    assert [r for _, r in table.rows] == [{"text": "Historie", "site": "Valby"}, {"text": "Anden", "site": "Amager"}]


def test_a_one_column_file_keeps_its_commas():
    table = read_table("one.csv", "text\nHej, med dig\nHvordan går det; godt?\n".encode("utf-8"))
    assert [r["text"] for _, r in table.rows] == ["Hej, med dig", "Hvordan går det; godt?"]


def test_two_columns_with_the_same_name_are_refused(db):
    with pytest.raises(UnreadableFile) as exc:
        import_file(db, "dup.csv", data=b"text,site,site\nA,B,C\n")
    assert exc.value.reason == "duplicate_column" and exc.value.params["column"] == "site"


def test_the_web_texts_import_from_the_command_line(tmp_path, capsys):
    from cli.main import main

    path = tmp_path / "web.csv"
    path.write_bytes(web_texts())
    assert main(["import", str(path), "--db", str(tmp_path / "w.db")]) == 0
    assert "added 30" in capsys.readouterr().out
    path.write_bytes(mixed_encoding())
    assert main(["import", str(path), "--db", str(tmp_path / "w.db")]) == 1
    err = capsys.readouterr().err
    assert "Line 3 is not UTF-8" in err and len(err.strip().splitlines()) == 1


def test_stories_keep_their_text_exactly_after_import(db):
    rows = [["text", "title"], [TRICKY[0], "Forskel"], [TRICKY[2], "Linjer"], [TRICKY[7], "Øer"]]
    import_file(db, "exact.csv", data=write(rows, ",", "utf-8"))
    by_title = {s.title: s.text for s in query_stories(db)}
    assert by_title["Forskel"] == TRICKY[0] and by_title["Øer"] == TRICKY[7]
    assert by_title["Linjer"] == TRICKY[2].replace("\r\n", "\n")  # stories keep LF line ends


def test_import_failed_still_names_bad_rows(db):
    with pytest.raises(ImportFailed):
        import_file(db, "bad.csv", data=b"text,language\nEn historie,klingon\n")
