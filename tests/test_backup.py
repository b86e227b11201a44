"""Backups with SQLite's online backup (safe while the app writes) and restores of checked files only."""

import sqlite3
import subprocess
import sys

import pytest

from stories.trust import audit
from changestories.backup import RestoreRefused, backup, check_backup, restore
from changestories.database import connect
from stories.model import Consent, Story
from stories.storage import create_story
from tests.conftest import ROOT


def add(db, text):
    return create_story(db, Story(text=text, significance="Det betød noget.", consent=Consent(internal=True)))


def texts(db):
    return sorted(r[0] for r in db.execute("SELECT text FROM stories"))


def test_backup_while_another_connection_is_writing(db_path, tmp_path, monkeypatch):
    db = connect(db_path)
    add(db, "Første historie.")
    app = connect(db_path)  # the running app, in the middle of a write
    app.conn.execute("BEGIN IMMEDIATE")
    app.conn.execute("INSERT INTO stories(id, text, created_at, updated_at) VALUES ('x', 'Halvskrevet.', 'a', 'a')")
    real_log = audit.log

    def log_after_the_writer(*args, **kwargs):  # the copy is done; let the app commit, then log
        app.conn.execute("COMMIT")
        real_log(*args, **kwargs)

    monkeypatch.setattr(audit, "log", log_after_the_writer)
    copy = backup(db, tmp_path / "copy.db")
    assert not app.conn.in_transaction
    assert not (tmp_path / "copy.db-wal").exists()  # one self-contained file
    check_backup(copy)
    with sqlite3.connect(copy) as conn:
        assert [r[0] for r in conn.execute("SELECT text FROM stories")] == ["Første historie."]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert audit.read_log(db, action="backup")[0].target == "copy.db"
    assert texts(db) == ["Første historie.", "Halvskrevet."]


def test_backup_replaces_an_older_file_and_needs_its_folder(db_path, tmp_path):
    db = connect(db_path)
    target = tmp_path / "copy.db"
    target.write_text("an old file", encoding="utf-8")
    add(db, "En historie.")
    backup(db, target)
    check_backup(target)
    with pytest.raises(Exception, match="does not exist"):
        backup(db, tmp_path / "missing" / "copy.db")


def test_restore_brings_back_the_backed_up_state(db_path, tmp_path):
    db = connect(db_path)
    add(db, "Før backup.")
    backup(db, tmp_path / "copy.db")
    add(db, "Efter backup.")
    reader = connect(db_path)  # another open connection (the app) sees the restored data
    assert texts(reader) == ["Efter backup.", "Før backup."]
    restore(db, tmp_path / "copy.db")
    assert texts(db) == ["Før backup."]
    assert texts(reader) == ["Før backup."]
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert audit.read_log(db, action="restore")[0].target == "copy.db"
    add(db, "Efter restore.")  # the restored database works as before
    assert len(texts(db)) == 2


def _text_file(path):
    path.write_text("id,text\n1,not a database\n", encoding="utf-8")


def _truncated(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garbage_pages(path):
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(2 * page, len(data) - page, 3 * page):
        data[start + 8 : start + 600] = bytes(range(256)) * 2 + bytes(80)
    path.write_bytes(bytes(data))


def _no_stories(path):
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE other(x)")
    conn.close()


@pytest.mark.parametrize("spoil,message", [
    (_text_file, "file is not a database"),
    (_truncated, "integrity_check"),
    (_garbage_pages, "integrity_check"),
    (_no_stories, "not a changestories database"),
    (lambda path: path.unlink(), "is not a file"),
])
def test_restore_refuses_a_bad_file_and_changes_nothing(db_path, tmp_path, spoil, message):
    db = connect(db_path)
    for i in range(200):
        add(db, f"Historie nummer {i} om at lave mad i køkkenet sammen med andre unge.")
    bad = tmp_path / "bad.db"
    backup(db, bad)
    spoil(bad)
    add(db, "Den nyeste historie.")
    with pytest.raises(RestoreRefused) as refused:
        restore(db, bad)
    assert message in str(refused.value) or "malformed" in str(refused.value)
    assert len(texts(db)) == 201
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert audit.read_log(db, action="restore") == []


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_backup_and_restore(db_path, tmp_path):
    db = connect(db_path)
    add(db, "Før backup.")
    copy = tmp_path / "copy.db"
    made = run_cli("backup", str(copy), "--db", str(db_path))
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("backup: written to")
    add(db, "Efter backup.")
    restored = run_cli("restore", str(copy), "--db", str(db_path))
    assert restored.returncode == 0, restored.stderr
    assert texts(connect(db_path)) == ["Før backup."]
    (tmp_path / "junk.db").write_bytes(b"\x00" * 5000)
    refused = run_cli("restore", str(tmp_path / "junk.db"), "--db", str(db_path))
    assert refused.returncode == 1
    assert refused.stderr.startswith("changestories: error:") and "Traceback" not in refused.stderr
    assert texts(connect(db_path)) == ["Før backup."]
