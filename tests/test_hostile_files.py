"""Hostile files (issue 9, points 2 and 3): tiny files that ask for gigabytes or hours, and
damaged files that used to crash. Each is refused with one line that names the limit or
the damage, in the user's language, and nothing is written; or, where the file is only
odd (a sheet that lies about its size), it is read correctly and quickly.

The files are built by tests/hostile.py on the fly. Where the real-size file is cheap to
build and to refuse it is used as is; otherwise the same shape is built small and met
with small limits.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from dataclasses import replace

import pytest

from coding.codebook.codes import list_codebooks
from coding.refi.qdc import import_qdc
from coding.refi.qdpx_import import import_qdpx
from coding.refi.qda_xml import QdaFormatError
from cli.main import main
from stories.i18n import error_message
from stories.importer import import_file
from stories.limits import DEFAULT_LIMITS, MB, LimitExceeded
from stories.tabular import UnreadableFile, read_table
from tests import hostile
from tests.conftest import ROOT

TABLES = ("stories", "codebooks", "codes", "codings", "memos")


def nothing_written(db) -> bool:
    return all(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0 for table in TABLES)


def refused(exc: pytest.ExceptionInfo, limit: str) -> None:
    """A LimitExceeded naming `limit`, one line in English and in Danish, with the number."""
    assert isinstance(exc.value, LimitExceeded) and exc.value.limit == limit
    for lang in ("en", "da"):
        message = error_message(exc.value, lang)
        assert len(message.splitlines()) == 1 and exc.value.key not in message
    assert "grænse" in error_message(exc.value, "da")


# ---- .qdpx: a member referenced by every source ------------------------------------------

def test_the_36_kb_qdpx_whose_10_mb_member_1000_sources_share_is_refused(db, tmp_path):
    path = hostile.qdpx_reference_bomb(tmp_path / "bomb.qdpx")  # the real size from the issue
    assert path.stat().st_size < 40_000
    with pytest.raises(LimitExceeded) as exc:
        import_qdpx(db, path)
    refused(exc, "ratio")
    assert "sources/story.txt" in str(exc.value)
    assert nothing_written(db)


def test_every_reference_to_a_member_counts_against_the_unpack_limit(db, tmp_path):
    # 900 KB (under the ratio floor and the text limit) for each of 1,000 sources: 900 MB.
    # (The text limit stops it first; without it, the unpack budget does.)
    path = hostile.qdpx_reference_bomb(tmp_path / "refs.qdpx", member_bytes=900_000, references=1000)
    with pytest.raises(LimitExceeded) as exc:
        import_qdpx(db, path)
    refused(exc, "text_chars")
    with pytest.raises(LimitExceeded) as exc:
        import_qdpx(db, path, limits=replace(DEFAULT_LIMITS, text_chars=10**12))
    refused(exc, "unpacked_bytes")
    assert "200 MB" in str(exc.value)
    assert nothing_written(db)


def test_a_25_kb_qdpx_that_would_make_20_million_characters_of_stories_is_refused(db, tmp_path):
    # 1,000 valid stories of 20,000 characters each, all from one small member.
    path = hostile.qdpx_reference_bomb(tmp_path / "chars.qdpx", member_bytes=20_000, references=1000)
    assert path.stat().st_size < 30_000
    with pytest.raises(LimitExceeded) as exc:
        import_qdpx(db, path)
    refused(exc, "text_chars")
    assert "12,000,000" in str(exc.value) and "12.000.000" in error_message(exc.value, "da")
    assert nothing_written(db)


def test_a_shared_member_is_read_once_however_many_sources_use_it(db, tmp_path, monkeypatch):
    import coding.refi.qdpx_read

    reads = []
    real = coding.refi.qdpx_read.read_member
    monkeypatch.setattr(coding.refi.qdpx_read, "read_member", lambda *a, **k: reads.append(a[1].filename) or real(*a, **k))
    path = hostile.qdpx_small(tmp_path / "shared.qdpx", sources=30)
    assert import_qdpx(db, path).stories == 30
    assert reads == ["sources/story.txt"]


def test_a_member_over_the_text_limit_is_refused_before_it_is_read(db, tmp_path):
    path = hostile.qdpx_small(tmp_path / "long.qdpx", sources=1, text=hostile.incompressible_text(1_200_000))
    with pytest.raises(LimitExceeded) as exc:
        import_qdpx(db, path)
    refused(exc, "text_member_bytes")
    assert nothing_written(db)


def test_a_member_lying_about_its_size_is_refused_as_damaged(db, tmp_path):
    good = hostile.qdpx_small(tmp_path / "good.qdpx", text=b"Historien om Ida. " * 1000)
    path = tmp_path / "lying.qdpx"
    path.write_bytes(hostile.zip_lying_about_size(good.read_bytes(), "sources/story.txt"))
    with pytest.raises(QdaFormatError) as exc:
        import_qdpx(db, path)
    assert exc.value.key == "error.archive.damaged"
    assert nothing_written(db)


# ---- .xlsx ---------------------------------------------------------------------------------

def test_the_5_kb_xlsx_declaring_a1_xfd1048576_is_read_without_trusting_it(db):
    data = hostile.xlsx_huge_dimension()  # the real size from the issue
    assert len(data) < 6_000
    table = read_table("dimension.xlsx", data)
    assert [(line, row["text"]) for line, row in table.rows] == [
        (2, "Mikkel fik en ven."), (3, "Ida lærte at cykle."), (1_048_576, "Sidste historie.")]
    assert import_file(db, "dimension.xlsx", data=data).added == 3


def test_cells_padded_out_to_the_last_column_stop_at_the_limits():
    data = hostile.xlsx_far_cells(rows=200)  # each row is 16,384 cells once padded
    with pytest.raises(LimitExceeded) as exc:
        read_table("far.xlsx", data)
    refused(exc, "columns")
    with pytest.raises(LimitExceeded) as exc:
        read_table("far.xlsx", data, limits=replace(DEFAULT_LIMITS, columns=20_000, cells=100_000))
    refused(exc, "cells")


def test_an_xlsx_whose_sheet_inflates_far_is_refused_before_it_is_read(db):
    data = hostile.xlsx_inflating(5 * MB)  # the 1 GB sheet of the issue, built small
    assert len(data) < 100_000
    with pytest.raises(LimitExceeded) as exc:
        import_file(db, "inflating.xlsx", data=data)
    refused(exc, "ratio")
    with pytest.raises(LimitExceeded) as exc:
        import_file(db, "inflating.xlsx", data=data, limits=replace(DEFAULT_LIMITS, ratio=10**6, member_bytes=2 * MB))
    refused(exc, "member_bytes")
    with pytest.raises(LimitExceeded) as exc:
        import_file(db, "inflating.xlsx", data=data, limits=replace(DEFAULT_LIMITS, ratio=10**6, unpacked_bytes=2 * MB))
    refused(exc, "unpacked_bytes")
    assert nothing_written(db)


def test_an_xlsx_whose_shared_strings_repeat_one_long_text_stops_at_the_text_limit(db):
    data = hostile.xlsx_bytes([["text"], *(["Samme lange historie om huset. " * 10] for _ in range(40))])
    with pytest.raises(LimitExceeded) as exc:
        import_file(db, "repeat.xlsx", data=data, limits=replace(DEFAULT_LIMITS, text_chars=10_000))
    refused(exc, "text_chars")
    assert import_file(db, "repeat.xlsx", data=data, limits=replace(DEFAULT_LIMITS, text_chars=20_000)).rows == 40


def test_an_xlsx_member_lying_about_its_size_is_refused_as_damaged(db):
    data = hostile.zip_lying_about_size(hostile.xlsx_bytes(hostile.STORY_ROWS), hostile.SHEET)
    with pytest.raises(UnreadableFile) as exc:
        import_file(db, "lying.xlsx", data=data)
    assert exc.value.reason == "xlsx_damaged"
    assert nothing_written(db)


def test_rows_past_the_limit_are_refused_in_xlsx(db):
    data = hostile.xlsx_bytes([["text"], *([f"Historie {i}"] for i in range(30))])
    with pytest.raises(LimitExceeded) as exc:
        import_file(db, "rows.xlsx", data=data, limits=replace(DEFAULT_LIMITS, rows=29))
    refused(exc, "rows")
    assert import_file(db, "rows.xlsx", data=data, limits=replace(DEFAULT_LIMITS, rows=30)).added == 30


# ---- CSV -------------------------------------------------------------------------------------

def test_a_million_row_csv_is_refused_at_the_row_limit(db):
    data = hostile.csv_rows(1_000_000)
    assert len(data) < 16 * MB
    with pytest.raises(LimitExceeded) as exc:
        import_file(db, "million.csv", data=data)
    refused(exc, "rows")
    assert "50,000" in str(exc.value) and "50.000" in error_message(exc.value, "da")
    assert nothing_written(db)


@pytest.mark.parametrize("limit, value, data", [
    ("file_bytes", 1 * MB, b"text\n" + b"x" * (1 * MB)),
    ("columns", 10, b",".join(b"c%d" % i for i in range(11)) + b"\nx\n"),
    ("cells", 100, b"text,site\n" + b"a,b\n" * 60),
    ("rows", 10, b"text\n" + b"x\n" * 11),
    ("text_chars", 1000, b"text\n" + b"Mikkel fik en ven.\n" * 60),
])
def test_csv_limits(db, limit, value, data):
    with pytest.raises(LimitExceeded) as exc:
        import_file(db, "limits.csv", data=data, limits=replace(DEFAULT_LIMITS, **{limit: value}))
    refused(exc, limit)
    assert nothing_written(db)


# ---- code trees ------------------------------------------------------------------------------

def test_a_qdc_nested_5000_deep_is_refused_by_the_depth_limit(db):
    with pytest.raises(LimitExceeded) as exc:
        import_qdc(db, hostile.qdc_deep(5000))
    refused(exc, "code_depth")
    assert list_codebooks(db) == [] and nothing_written(db)


def test_a_qdpx_nested_5000_deep_is_refused_by_the_depth_limit(db, tmp_path):
    with pytest.raises(LimitExceeded) as exc:
        import_qdpx(db, hostile.qdpx_deep(tmp_path / "deep.qdpx", 5000))
    refused(exc, "code_depth")
    assert nothing_written(db)


def test_a_code_tree_as_deep_as_the_limit_is_imported(db):
    depth = DEFAULT_LIMITS.code_depth
    codebook_id = import_qdc(db, hostile.qdc_deep(depth))
    assert db.execute("SELECT count(*) FROM codes WHERE codebook_id = ?", [codebook_id]).fetchone()[0] == depth
    with pytest.raises(LimitExceeded):
        import_qdc(db, hostile.qdc_deep(depth + 1))


def test_xml_element_and_file_size_limits(db, tmp_path):
    data = hostile.qdc_deep(20)
    with pytest.raises(LimitExceeded) as exc:
        import_qdc(db, data, limits=replace(DEFAULT_LIMITS, xml_elements=10))
    refused(exc, "xml_elements")
    with pytest.raises(LimitExceeded) as exc:
        import_qdc(db, data, limits=replace(DEFAULT_LIMITS, file_bytes=100))
    refused(exc, "file_bytes")
    path = hostile.qdpx_small(tmp_path / "rows.qdpx", sources=5)
    with pytest.raises(LimitExceeded) as exc:
        import_qdpx(db, path, limits=replace(DEFAULT_LIMITS, rows=4))
    refused(exc, "rows")
    assert nothing_written(db)


# ---- damaged files: a message, not a crash (point 3) -----------------------------------------

def test_a_qdpx_with_a_bad_crc_is_refused(db, tmp_path):
    with pytest.raises(QdaFormatError) as exc:
        import_qdpx(db, hostile.qdpx_bad_crc(tmp_path / "crc.qdpx"))
    assert exc.value.key == "error.archive.damaged" and "CRC" in str(exc.value)
    assert "beskadiget" in error_message(exc.value, "da")
    assert nothing_written(db)


def test_an_xlsx_with_broken_xml_is_refused(db):
    with pytest.raises(UnreadableFile) as exc:
        import_file(db, "broken.xlsx", data=hostile.xlsx_broken_xml())
    assert exc.value.reason == "xlsx_damaged"
    assert "beskadiget" in error_message(exc.value, "da")
    assert nothing_written(db)


def test_a_damaged_xlsx_archive_is_refused(db):
    data = bytearray(hostile.xlsx_bytes(hostile.STORY_ROWS))
    data[len(data) // 2: len(data) // 2 + 200] = b"\x00" * 200  # corrupt the middle of the deflate data
    with pytest.raises((UnreadableFile, LimitExceeded)):
        import_file(db, "corrupt.xlsx", data=bytes(data))
    assert nothing_written(db)


HOSTILE_FILES = {
    "crc.qdpx": lambda folder: hostile.qdpx_bad_crc(folder / "crc.qdpx"),
    "deep.qdpx": lambda folder: hostile.qdpx_deep(folder / "deep.qdpx", 5000),
    "bomb.qdpx": lambda folder: hostile.qdpx_reference_bomb(folder / "bomb.qdpx"),
    "broken.xlsx": lambda folder: write(folder / "broken.xlsx", hostile.xlsx_broken_xml()),
    "inflating.xlsx": lambda folder: write(folder / "inflating.xlsx", hostile.xlsx_inflating(5 * MB)),
    "million.csv": lambda folder: write(folder / "million.csv", hostile.csv_rows(1_000_000)),
}


def write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_the_command_line_refuses_each_hostile_file_in_one_line(tmp_path, capsys, monkeypatch, name):
    path = HOSTILE_FILES[name](tmp_path)
    db = tmp_path / "cli.db"
    for lang, word in (("C.UTF-8", "limit|damaged"), ("da_DK.UTF-8", "grænse|beskadiget")):
        monkeypatch.setenv("LANG", lang)
        for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
            monkeypatch.delenv(var, raising=False)
        assert main(["import", str(path), "--db", str(db)]) == 1
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and err.startswith("changestories: error: ")
        assert any(w in err for w in word.split("|")), err
    from changestories.database import connect

    assert nothing_written(connect(db))


def test_the_codebook_command_refuses_a_deep_qdc_in_one_line(tmp_path):
    path = tmp_path / "deep.qdc"
    path.write_bytes(hostile.qdc_deep(5000))
    result = subprocess.run([sys.executable, "-m", "cli.main", "codebook", "import", str(path), "--db",
                             str(tmp_path / "c.db")], capture_output=True, text=True, cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "LANG": "da_DK.UTF-8"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Kodetræet er indlejret mere end 50 niveauer" in result.stderr


def test_max_rows_on_the_command_line(tmp_path, capsys):
    path = write(tmp_path / "rows.csv", b"text\n" + b"".join(b"Historie %d\n" % i for i in range(12)))
    db = str(tmp_path / "rows.db")
    assert main(["import", str(path), "--db", db, "--max-rows", "11"]) == 1
    assert "more than 11 rows" in capsys.readouterr().err
    assert main(["import", str(path), "--db", db, "--max-rows", "12"]) == 0


def test_zip_members_are_checked_before_reading(tmp_path):
    from stories.safe_zip import open_archive

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", b"a" * (2 * MB))
    with pytest.raises(LimitExceeded) as exc:
        open_archive(data.getvalue(), "x.zip", DEFAULT_LIMITS)
    refused(exc, "ratio")
    open_archive(data.getvalue(), "x.zip", replace(DEFAULT_LIMITS, ratio=10**6)).close()
