"""A big import is written in short transactions yet appears all at once, or not at all."""

import datetime as dt
import sqlite3

import pytest

import stories.staging
import stories.bulk_create
from changestories.database import connect
from stories.model import Consent, Story
from stories.staging import discard_abandoned
from stories.bulk_create import create_stories
from stories.storage import create_story, story_seq
from stories.search import count_stories, query_stories


def make(text: str, **kw) -> Story:
    return Story(text=text, significance="Det betød noget.", consent=Consent(internal=True), **kw)


def rows(n: int, tag: str = "r") -> list[tuple[Story, str]]:
    return [(make(f"Række {tag}{i}: vi lavede mad i køkkenet med vennerne."), f"{tag}:{i}") for i in range(n)]


def counts(path) -> dict[str, int]:
    """What another connection sees: listings, and the raw tables."""
    other = connect(path)
    try:
        return {"listed": count_stories(other), "rows": other.execute("SELECT count(*) FROM stories").fetchone()[0],
                "staged": other.execute("SELECT count(*) FROM staged_imports").fetchone()[0]}
    finally:
        other.conn.close()


def test_readers_see_the_import_all_at_once(db_path):
    db = connect(db_path)
    create_story(db, make("Fra før importen."))
    seen = []
    added = create_stories(db, rows(10), chunk=3, progress=lambda done, total: seen.append((done, total, counts(db_path))))
    assert len(added) == 10
    assert [(d, t) for d, t, _ in seen] == [(3, 10), (6, 10), (9, 10), (10, 10)]
    for done, _, c in seen[:-1]:  # written, committed, and still left out of every listing
        assert c == {"listed": 1, "rows": 1 + done, "staged": 1}
    assert seen[-1][2] == {"listed": 11, "rows": 11, "staged": 0}
    assert db.execute("SELECT count(DISTINCT story_seq) FROM story_nlp").fetchone()[0] == 11


def test_a_story_submitted_during_an_import_is_stored_and_shown_at_once(db_path):
    db = connect(db_path)
    submitted = {}

    def submit_meanwhile(done, total):
        if not submitted:  # another session sends a story from /tell between two chunks
            other = connect(db_path)
            story = create_story(other, make("Sendt midt i importen."))
            submitted["seq"] = story_seq(other, story.id)
            submitted["listed"] = [s.text for s in query_stories(other)]
            other.conn.close()

    added = create_stories(db, rows(9), chunk=3, progress=submit_meanwhile)
    assert submitted["listed"] == ["Sendt midt i importen."]
    import_seqs = [story_seq(db, s.id) for s in added]
    assert submitted["seq"] > max(import_seqs)  # above the import's reserved range
    assert import_seqs == list(range(import_seqs[0], import_seqs[0] + 9))
    assert count_stories(db) == 10


def test_a_failing_import_leaves_nothing_behind(db_path, monkeypatch):
    db = connect(db_path)
    create_story(db, make("Fra før importen."))
    lemmas_before = db.execute("SELECT count(*) FROM lemmas").fetchone()[0]
    real = stories.bulk_create._write_chunk
    calls = []

    def fail_on_third(*args):
        calls.append(1)
        if len(calls) == 3:
            raise sqlite3.OperationalError("disk I/O error")
        return real(*args)

    monkeypatch.setattr(stories.bulk_create, "_write_chunk", fail_on_third)
    texts = [(make(f"Zyxkvist{i} og qwopmand{i} gik."), f"x:{i}") for i in range(8)]  # new words
    with pytest.raises(sqlite3.OperationalError):
        create_stories(db, texts, chunk=3)
    assert counts(db_path) == {"listed": 1, "rows": 1, "staged": 0}
    assert db.execute("SELECT count(*) FROM sentences").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM story_nlp").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM lemmas").fetchone()[0] == lemmas_before  # its words went too
    monkeypatch.setattr(stories.bulk_create, "_write_chunk", real)
    assert len(create_stories(db, texts, chunk=3)) == 8  # and the same rows import cleanly afterwards


def test_an_abandoned_import_is_removed_when_the_database_is_opened(db_path):
    db = connect(db_path)
    create_story(db, make("Fra før importen."))
    create_stories(db, rows(3, "a"), chunk=3)
    # A run another machine left behind: its process cannot be asked, so its heartbeat decides.
    with db.conn:
        db.conn.execute("INSERT INTO staged_imports VALUES ('r1', 100, 120, '2026-01-01T00:00:00+00:00',"
                        " '2026-01-01T00:00:00+00:00', 'elsewhere 1 1')")
        db.conn.execute("INSERT INTO stories(seq, id, text, created_at, updated_at) VALUES (105, 'x', 'Halv.', 'x', 'x')")
    assert counts(db_path)["rows"] == 4  # opening the database removed the old run
    assert count_stories(db) == 4
    # A fresh run of a live process on another machine stays (it is still writing).
    fresh = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with db.conn:
        db.conn.execute("INSERT INTO staged_imports VALUES ('r2', 200, 220, ?, ?, 'elsewhere 1 1')", [fresh, fresh])
        db.conn.execute("INSERT INTO stories(seq, id, text, created_at, updated_at) VALUES (205, 'y', 'Halv.', 'x', 'x')")
    assert counts(db_path) == {"listed": 4, "rows": 5, "staged": 1}
    assert discard_abandoned(db, now=dt.datetime.now(dt.UTC) + stories.staging.ABANDONED_AFTER * 2) == 1
    assert counts(db_path) == {"listed": 4, "rows": 4, "staged": 0}


def test_a_second_import_of_the_same_rows_adds_nothing(db):
    assert len(create_stories(db, rows(7), chunk=3)) == 7
    assert create_stories(db, rows(7) + rows(2, "new"), chunk=3) != []
    assert count_stories(db) == 9
    assert db.execute("SELECT count(*) FROM staged_imports").fetchone()[0] == 0
