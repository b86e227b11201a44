import json
import subprocess
import sys

import pytest

from cli.main import main
from stories.model import Story

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def run(*argv):
    return main(list(argv))


def test_demo_then_export_json(tmp_path, capsys):
    db = tmp_path / "demo.db"
    assert run("demo", "--db", str(db)) == 0
    assert run("demo", "--db", str(db)) == 0  # again: adds nothing
    out = tmp_path / "stories.json"
    assert run("export", "--format", "json", "--db", str(db), "--out", str(out)) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data) >= 40
    assert all(set(Story.__dataclass_fields__) <= set(d) for d in data)
    assert all(d["is_demo"] for d in data)
    assert {d["language"] for d in data} == {"da", "en"}
    assert {d["polarity"] for d in data} >= {"positive", "negative", "mixed"}
    assert len({d["site"] for d in data}) >= 3
    assert len({d["teller_role"] for d in data}) >= 4
    assert len({d["teller_mechanism"] for d in data} - {""}) == 3
    assert "40" in capsys.readouterr().out or len(data) >= 40


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_formats(tmp_path, fmt):
    db = tmp_path / "d.db"
    run("demo", "--db", str(db))
    out = tmp_path / f"s.{fmt}"
    assert run("export", "--format", fmt, "--db", str(db), "--out", str(out)) == 0
    assert out.stat().st_size > 1000


def test_import_report_and_errors(tmp_path, capsys):
    db = tmp_path / "i.db"
    good = tmp_path / "good.csv"
    good.write_text("text,farve\nEn historie.\nTo historier.\n", encoding="utf-8")
    assert run("import", str(good), "--db", str(db), "--dry-run") == 0
    assert "would add 2" in capsys.readouterr().out
    assert run("import", str(good), "--db", str(db)) == 0
    assert run("import", str(good), "--db", str(db)) == 0
    assert "added 0, 2 already there" in capsys.readouterr().out

    bad = tmp_path / "bad.csv"
    bad.write_text("text,site\nfin,A\n   ,B\n", encoding="utf-8")
    assert run("import", str(bad), "--db", str(db)) == 1
    captured = capsys.readouterr()
    assert "line 3: text: is required." in captured.out
    assert captured.err.strip().startswith("changestories: error:") and len(captured.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["import", "missing.csv"], "No such file"),
        (["export", "--format", "json", "--out", "/nonexistent-dir/x.json"], "No such file"),
    ],
)
def test_errors_are_one_line(tmp_path, capsys, argv, needle):
    assert run(*argv, "--db", str(tmp_path / "e.db")) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and needle in err and "Traceback" not in err


def test_console_script_without_traceback(tmp_path):
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x00\x01\x02binary")
    result = subprocess.run([sys.executable, "-m", "cli.main", "import", str(binary), "--db",
                             str(tmp_path / "c.db")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "changestories: error: The file does not look like a CSV or Excel file (it holds binary data).")
