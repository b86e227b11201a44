"""Long work reports its progress: a line on the command line, a callback for the app's bar."""

import io

import stories.bulk_create
from changestories.database import connect
from cli.main import main
from cli.progress import progress_line
from stories.importer import import_file


def write_csv(path, n: int) -> None:
    path.write_text("text,site\n" + "".join(f"Række {i}: vi lavede mad i køkkenet.,Nord\n" for i in range(n)),
                    encoding="utf-8")


def test_import_reports_progress_up_to_the_total(db, tmp_path, monkeypatch):
    monkeypatch.setattr(stories.bulk_create, "IMPORT_CHUNK", 4)
    write_csv(tmp_path / "in.csv", 10)
    seen = []
    import_file(db, tmp_path / "in.csv", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(4, 10), (8, 10), (10, 10)]


def test_cli_import_and_reindex_print_a_progress_line(db_path, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(stories.bulk_create, "IMPORT_CHUNK", 4)
    write_csv(tmp_path / "in.csv", 10)
    assert main(["import", str(tmp_path / "in.csv"), "--db", str(db_path)]) == 0
    out = capsys.readouterr()
    assert "import: 10 of 10 stories written (100%)" in out.err
    assert "added 10" in out.out
    assert main(["reindex", "--db", str(db_path)]) == 0
    out = capsys.readouterr()
    assert "reindex: 10 of 10 stories (100%)" in out.err
    assert connect(db_path).execute("SELECT count(*) FROM story_nlp").fetchone()[0] == 10


def test_progress_line_updates_in_place_on_a_terminal_and_always_shows_the_end():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    show = progress_line("import", "stories written", out)
    for done in (1, 2, 3):  # within a second: only the first is drawn
        show(done, 3)
    assert out.getvalue() == "\rimport: 1 of 3 stories written (33%)\rimport: 3 of 3 stories written (100%)\n"
