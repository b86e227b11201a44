"""Restore only a real changestories database, swap it in atomically, keep the old one; a killed
backup leaves nothing that looks like a backup. Hostile files are built here, on the fly."""

import hashlib
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from changestories.backup import RestoreRefused, backup, check_backup, list_backups, partial_path, restore
from changestories.database import connect
from stories.model import Consent, Story
from stories.storage import create_story
from tests.conftest import ROOT


def add(db, text):
    return create_story(db, Story(text=text, significance="Det betød noget.", consent=Consent(internal=True)))


def texts(db):
    return sorted(r[0] for r in db.execute("SELECT text FROM stories"))


def digest(db):
    """What the live database holds, table by table (independent of page layout)."""
    h = hashlib.sha256()
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'stories_fts%'"
                              " AND name NOT LIKE 'sqlite_%' ORDER BY name"):
        for row in sorted(repr(r) for r in db.execute(f"SELECT * FROM [{name}]")):
            h.update(row.encode())
    return h.hexdigest()


def leftovers(folder, live_name):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or "partial" in p.name)


@pytest.fixture
def live(db_path):
    db = connect(db_path)
    for i in range(60):
        add(db, f"Historie nummer {i} om at lave mad i køkkenet.")
    return db


def _issue_file(path):
    """The file from issue 9: a `stories` table and nothing else of ours."""
    with sqlite3.connect(path) as conn:
        conn.executescript("CREATE TABLE stories(a); INSERT INTO stories VALUES(1);")
    conn.close()


def _spoiled_copy(live_db, path, sql):
    backup(live_db, path)
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.commit()
    conn.close()


HOSTILE = {
    "issue_9_stories_table_only": (lambda db, p: _issue_file(p), "not a changestories database"),
    "migrations_of_another_program": (
        lambda db, p: _spoiled_copy(db, p, "INSERT INTO _sqlite_migrations(migration_set, name, applied_at)"
                                           " VALUES ('shop', 'm001_orders', 'x')"), "does not know"),
    "newer_version": (
        lambda db, p: _spoiled_copy(db, p, "INSERT INTO _sqlite_migrations(migration_set, name, applied_at)"
                                           " VALUES ('stories', 'm999_future', 'x')"), "newer version"),
    "table_missing": (lambda db, p: _spoiled_copy(db, p, "DROP TABLE memos"), "memos is missing"),
    "column_missing": (lambda db, p: _spoiled_copy(db, p, "ALTER TABLE stories DROP COLUMN programme"),
                       "lacks the column programme"),
    "append_only_trigger_dropped": (lambda db, p: _spoiled_copy(db, p, "DROP TRIGGER audit_log_no_delete"),
                                    "audit_log_no_delete is missing"),
    "dangling_reference": (
        lambda db, p: _spoiled_copy(db, p, "PRAGMA foreign_keys = OFF; INSERT INTO pii_corrections"
                                           "(story_seq, action, kind, text, created_at) VALUES (99999, 'add',"
                                           " 'person', 'x', 'x')"), "foreign_key_check"),
    "no_migrations_table": (lambda db, p: _spoiled_copy(db, p, "DROP TABLE _sqlite_migrations"),
                            "no record of our migrations"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_restore_refuses_a_file_that_is_not_ours_and_leaves_the_live_database(live, db_path, tmp_path, name):
    build, message = HOSTILE[name]
    hostile = tmp_path / "hostile.db"
    build(live, hostile)
    before, files_before = digest(live), sorted(p.name for p in db_path.parent.iterdir())
    with pytest.raises(RestoreRefused, match=message):
        check_backup(hostile)
    with pytest.raises(RestoreRefused, match=message):
        restore(live, hostile)
    assert digest(live) == before
    assert len(texts(live)) == 60
    assert sorted(p.name for p in db_path.parent.iterdir()) == files_before  # no copy, no temp file
    assert live.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_restore_of_the_issue_file_refuses_in_one_line(live, db_path, tmp_path):
    hostile = tmp_path / "f.db"
    _issue_file(hostile)
    live.conn.close()
    result = run_cli("restore", str(hostile), "--db", str(db_path))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "not a changestories database" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(texts(connect(db_path))) == 60


def test_restore_keeps_the_live_database_as_a_dated_copy(live, db_path, tmp_path):
    old = backup(live, tmp_path / "old.db")
    add(live, "Skrevet efter backup.")
    summary = restore(live, old)
    assert summary.stories == 60 and summary.kept_copy is not None
    assert summary.kept_copy.parent == db_path.parent / "backups"
    assert "pre-restore" in summary.kept_copy.name
    check_backup(summary.kept_copy)  # a sound, complete database
    with sqlite3.connect(summary.kept_copy) as conn:
        assert conn.execute("SELECT count(*) FROM stories WHERE text = 'Skrevet efter backup.'").fetchone()[0] == 1
    conn.close()
    assert "Skrevet efter backup." not in texts(live)
    assert leftovers(db_path.parent, db_path.name) == []
    assert summary.kept_copy in [b.path for b in list_backups(live)]


def test_a_failure_while_preparing_leaves_the_live_database(live, db_path, tmp_path, monkeypatch):
    from stories.trust import erasure

    good = backup(live, tmp_path / "good.db")
    add(live, "Den nyeste.")
    before = digest(live)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(erasure, "reapply_erasure_log", broken)
    with pytest.raises(OSError):
        restore(live, good)
    assert digest(live) == before
    assert leftovers(db_path.parent, db_path.name) == []


def test_a_backup_that_fails_half_way_leaves_the_older_backup(live, tmp_path, monkeypatch):
    from changestories import backup as backup_module

    target = backup(live, tmp_path / "nightly.db")
    old_bytes = target.read_bytes()
    add(live, "Ny historie.")

    def crash(conn):
        raise RuntimeError("power cut")

    monkeypatch.setattr(backup_module, "_integrity_problem", crash)
    with pytest.raises(RuntimeError):
        backup(live, target)
    assert target.read_bytes() == old_bytes
    assert not partial_path(target).exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_killed_backup_leaves_no_file_that_looks_like_a_backup(live, db_path, tmp_path):
    target = tmp_path / "backups" / "nightly.db"
    target.parent.mkdir()
    live.conn.close()
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from changestories import backup as b
        from changestories.database import connect
        def die(conn):  # the copy is written, not yet checked nor renamed
            os.kill(os.getpid(), signal.SIGKILL)
        b._integrity_problem = die
        b.backup(connect({str(db_path)!r}), {str(target)!r})
    """)
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL
    assert not target.exists()
    db = connect(db_path)
    assert [b.path.name for b in list_backups(db)] == []  # the partial file is not listed
    assert all(p.name.startswith(".") and p.name.endswith((".partial", ".partial-journal"))
               for p in target.parent.iterdir())
    made = backup(db, target)  # the next backup cleans up and succeeds
    check_backup(made)
    assert sorted(p.name for p in target.parent.iterdir()) == ["nightly.db"]
