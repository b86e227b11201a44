"""Erasure leaves no trace: not in the database file, not in its write-ahead log, not after a
restore of an older backup; camp stories are reachable by teller; any story by id."""

import datetime as dt
import sqlite3
import subprocess
import sys
import threading

import pytest
from sqlite_utils import Database

from changestories.backup import backup, list_backups, restore
from stories.camps.camps import CampDraft, create_camp
from stories.camps.submissions import CampSubmission, submit_camp_story
from changestories.database import connect
from stories.db import configure
from stories.trust.erasure import erase_story, erase_teller, erasure_log_rows
from stories.model import Consent, Story
from stories.trust.permissions import Actor
from changestories.schema import all_migration_sets
from stories.storage import create_story, delete_story, purge_deleted, story_seq
from tests.conftest import ROOT
from tests.apptest import tables

ADMIN = Actor("chef", "admin")
MARKER = "Zyxqvarnbek"  # a fictional word that appears nowhere else


def tell(db, text, pseudonym="UNG-0042", **kwargs):
    return create_story(db, Story(text=text, significance=f"Det betød noget for {MARKER}." if MARKER in text else
                                  "Det betød noget.", teller_pseudonym=pseudonym,
                                  consent=Consent(internal=True, evaluation=True), **kwargs))


def raw_bytes(db_path):
    """The database file and its -wal file, byte for byte."""
    data = db_path.read_bytes()
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        data += wal.read_bytes()
    return data


def assert_no_trace(db_path, marker=MARKER):
    data = raw_bytes(db_path)
    for form in (marker, marker.lower(), marker.upper()):
        assert form.encode() not in data, f"{form} is still in the file"


@pytest.fixture
def corpus(db_path):
    db = connect(db_path)
    for i in range(30):
        tell(db, f"En anden ung lavede mad i køkkenet, dag {i}.", pseudonym=f"UNG-{1000 + i}")
    return db


def test_erase_story_by_id_leaves_no_byte_in_the_file_or_the_wal(corpus, db_path):
    story = tell(corpus, f"{MARKER} kom i huset og lavede mad.")
    assert MARKER.encode() in raw_bytes(db_path)
    assert erase_story(corpus, story.id[:8], actor=ADMIN) == 1
    assert corpus.execute("SELECT count(*) FROM stories").fetchone()[0] == 30
    assert_no_trace(db_path)
    assert [(r[0], r[2]) for r in erasure_log_rows(corpus)] == [(story.id, "story")]


def test_the_30_day_purge_of_the_bin_leaves_no_trace(corpus, db_path):
    story = tell(corpus, f"{MARKER} gik hjem tidligt.")
    delete_story(corpus, story.id)
    assert purge_deleted(corpus) == 0  # still in the bin
    assert purge_deleted(corpus, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=31)) == 1
    assert corpus.execute("SELECT count(*) FROM lemmas WHERE lemma = ?", [MARKER.lower()]).fetchone()[0] == 0
    assert_no_trace(db_path)
    assert [r[2] for r in erasure_log_rows(corpus)] == ["purge"]


def test_an_erasure_while_another_connection_reads_is_final_once_the_read_ends(corpus, db_path):
    story = tell(corpus, f"{MARKER} fik venner.")
    corpus.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the story is in the main file, not only in the WAL
    reader = sqlite3.connect(db_path, check_same_thread=False)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM stories").fetchone()[0] == 31  # holds an old snapshot
    watcher = sqlite3.connect(db_path, check_same_thread=False)

    def end_the_read_after_the_erasure_committed():
        while not watcher.execute("SELECT count(*) FROM erasure_log").fetchall()[0][0]:
            threading.Event().wait(0.01)
        reader.execute("COMMIT")

    thread = threading.Thread(target=end_the_read_after_the_erasure_committed)
    thread.start()
    assert erase_story(corpus, story.id, actor=ADMIN) == 1
    thread.join()
    assert_no_trace(db_path)
    reader.close()
    watcher.close()


def test_camp_stories_get_a_teller_pseudonym_and_erase_teller_reaches_them(db_path):
    db = connect(db_path)
    camp = create_camp(db, CampDraft(name="Sommerlejr", site="Valby", domains=()), actor=ADMIN)
    told = [submit_camp_story(db, camp.id, CampSubmission(
        text=f"{MARKER} lærte at lave mad {n}.", significance="Det var stort.", display_name="Kokken",
        consent_internal=True, teller_pseudonym=teller), submission_key=f"k{n}")
        for n, teller in enumerate(["CAMP-00001111", "CAMP-00001111", ""])]
    assert told[0].teller_pseudonym == told[1].teller_pseudonym == "CAMP-00001111"
    assert told[2].teller_pseudonym.startswith("CAMP-") and told[2].teller_pseudonym != "CAMP-00001111"
    assert erase_teller(db, "CAMP-00001111", actor=ADMIN) == 2
    assert erase_teller(db, told[2].teller_pseudonym, actor=ADMIN) == 1
    assert db.execute("SELECT count(*) FROM camp_stories").fetchone()[0] == 0
    assert_no_trace(db_path)


def test_camp_stories_told_before_the_upgrade_get_pseudonyms(tmp_path):
    path = tmp_path / "old.db"
    old = configure(Database(path))
    for migration_set in all_migration_sets():  # the schema the previous version left
        migration_set.apply(old, stop_before={"m002_camp_teller_pseudonyms", "m002_erasure_log"})
    old.execute("INSERT INTO camps(id, code, name, created_at) VALUES (7, 'ABC234', 'Lejr', 'x')")
    for seq, name in [(1, "Kokken"), (2, "kokken "), (3, "Maleren")]:
        old.execute("INSERT INTO stories(seq, id, text, created_at, updated_at, source) VALUES (?, ?, ?, 'x', 'x',"
                    " 'camp')", [seq, f"id-{seq}", f"{MARKER} historie {seq}"])
        old.execute("INSERT INTO camp_stories(story_seq, camp_id, display_name) VALUES (?, 7, ?)", [seq, name])
    old.execute("INSERT INTO stories(seq, id, text, created_at, updated_at, teller_pseudonym) VALUES"
                " (4, 'id-4', 'En anden.', 'x', 'x', 'UNG-0001')")
    old.conn.commit()
    old.conn.close()
    db = connect(path)
    tellers = dict(db.execute("SELECT id, teller_pseudonym FROM stories").fetchall())
    assert tellers == {"id-1": "CAMP-00070001", "id-2": "CAMP-00070001", "id-3": "CAMP-00070002",
                       "id-4": "UNG-0001"}
    assert erase_teller(db, "CAMP-00070001", actor=ADMIN) == 2


def test_a_restore_of_an_older_backup_does_not_bring_an_erased_story_back(corpus, db_path, tmp_path):
    story = tell(corpus, f"{MARKER} blev glad.")
    (db_path.parent / "backups").mkdir()
    nightly = backup(corpus, db_path.parent / "backups" / "nightly.db")
    assert [b.predates_erasure for b in list_backups(corpus, actor=ADMIN)] == [False]
    erase_story(corpus, story.id, actor=ADMIN)
    [listed] = list_backups(corpus, actor=ADMIN)
    assert listed.path == nightly.resolve() and listed.predates_erasure and listed.erased_inside == 1
    summary = restore(corpus, nightly, actor=ADMIN)
    assert summary.erased_again == 1 and summary.stories == 30
    assert corpus.execute("SELECT count(*) FROM stories WHERE id = ?", [story.id]).fetchone()[0] == 0
    assert corpus.execute("SELECT count(*) FROM stories").fetchone()[0] == 30
    assert story.id in {r[0] for r in erasure_log_rows(corpus)}
    assert_no_trace(db_path)
    log_text = repr(corpus.execute("SELECT * FROM erasure_log").fetchall())
    assert MARKER not in log_text and "blev glad" not in log_text  # ids and times, never text


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, cwd=ROOT,
                          stdin=subprocess.DEVNULL)


def test_cli_erase_story(corpus, db_path):
    story = tell(corpus, f"{MARKER} tegnede.")
    corpus.conn.close()
    result = run_cli("erase", "--story", story.id, "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "erase: 1 stories erased" in result.stdout
    assert_no_trace(db_path)
    missing = run_cli("erase", "--story", "00000000", "--db", str(db_path))
    assert missing.returncode == 1 and missing.stderr.startswith("changestories: error: no story has the id")
    both = run_cli("erase", "--story", story.id, "--teller", "UNG-0001", "--db", str(db_path))
    assert both.returncode == 2  # argparse: one or the other


def test_admin_page_lists_backups_and_which_predate_an_erasure(corpus, db_path):
    from streamlit.testing.v1 import AppTest

    story = tell(corpus, f"{MARKER} sang.")
    (db_path.parent / "backups").mkdir()
    old = backup(corpus, db_path.parent / "backups" / "before.db")
    erase_story(corpus, story.id, actor=ADMIN)
    backup(corpus, db_path.parent / "backups" / "after.db")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception
    table = next(df for df in tables(at) if "Fil" in df.columns)
    erased_column = dict(zip(table["Fil"], table["Slettede fortællinger i kopien"]))
    assert erased_column["before.db"] == "1" and erased_column["after.db"] == ""
    assert any("taget før en sletning" in w.value for w in at.warning)
    assert old.exists()
