"""`changestories selections`: the selection processes, and one process's chosen stories with
the panels' reasons, as text and as JSON (the same figures `stories.msc.results.results` gives)."""

from __future__ import annotations

import json

import pytest

from changestories.database import connect
from changestories.demo import load_demo
from cli.main import main
from stories.msc.process import list_processes
from stories.msc.results import results


@pytest.fixture
def demo_path(tmp_path):
    path = tmp_path / "selections.db"
    db = connect(path)
    load_demo(db)
    db.conn.close()
    return path


def test_the_list_names_every_process_with_its_rounds(demo_path, capsys):
    assert main(["selections", "--json", "--db", str(demo_path)]) == 0
    listed = json.loads(capsys.readouterr().out)
    db = connect(demo_path)
    assert [p["id"] for p in listed] == [p.id for p in list_processes(db)]
    assert all(p["rounds"] >= p["open_rounds"] >= 0 for p in listed) and any(p["rounds"] for p in listed)
    assert main(["selections", "--db", str(demo_path)]) == 0
    assert capsys.readouterr().out.startswith(f"selections: {len(listed)} processes")


def test_a_process_shows_each_panels_choice_and_its_reasons(demo_path, capsys):
    db = connect(demo_path)
    process = next(p for p in list_processes(db) if any(pr.choice for r in results(db, p.id) for pr in r.panels))
    expected = [(r.round.level, r.round.domain, pr.panel.name, pr.choice.story.seq, pr.choice.reasons)
                for r in results(db, process.id) for pr in r.panels if pr.choice]
    assert main(["selections", "--process", str(process.id), "--json", "--db", str(demo_path)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["id"] == process.id
    assert [(r["level"], r["domain"], p["panel"], p["chosen"]["seq"], p["chosen"]["reasons"])
            for r in shown["rounds"] for p in r["panels"] if p["chosen"]] == expected
    assert main(["selections", "--process", str(process.id), "--db", str(demo_path)]) == 0
    text = capsys.readouterr().out
    level, domain, panel, seq, reasons = expected[0]
    assert f"  {panel}: chose #{seq} " in text and " ".join(reasons.split()) in text


def test_an_unknown_process_is_one_line_and_exit_1(demo_path, capsys):
    assert main(["selections", "--process", "999", "--db", str(demo_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
