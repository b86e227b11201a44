"""No story lost, none stored twice: concurrent writers, and an import killed half-way."""

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from changestories.database import connect, memory_db
from stories.db import DatabaseBusy
from stories.model import Consent, Story
from stories.storage import create_story
from tests.conftest import ROOT

PROCESSES = 20
PER_PROCESS = 200
IMPORT_ROWS = 10_000


def submit_many(path: str, worker: int, barrier) -> None:
    """One process: 200 stories, every tenth tapped twice, and a few of the next process's too."""
    db = connect(path)
    barrier.wait()

    def submit(owner: int, j: int) -> None:
        story = Story(text=f"Proces {owner} fortæller historie {j} om huset.", significance="Den betød noget.",
                      consent=Consent(internal=True))
        for attempt in range(3):  # a busy database: the user taps again, with the same key
            try:
                create_story(db, story, submission_key=f"{owner}-{j}")
                return
            except DatabaseBusy:
                if attempt == 2:
                    raise

    for j in range(PER_PROCESS):
        submit(worker, j)
        if j % 10 == 0:
            submit(worker, j)  # a double tap
        if j % 50 == 0:
            submit((worker + 1) % PROCESSES, j)  # the same submission arriving from elsewhere
    db.conn.close()


def test_twenty_processes_submitting_at_once_lose_nothing_and_store_nothing_twice(db_path):
    create_story(memory_db(), Story(text="Opvarmning.", significance="x"))  # load spaCy before forking
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(PROCESSES)
    workers = [context.Process(target=submit_many, args=(str(db_path), i, barrier)) for i in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert [w.exitcode for w in workers] == [0] * PROCESSES
    db = connect(db_path)
    total = PROCESSES * PER_PROCESS
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == total
    assert db.execute("SELECT count(DISTINCT submission_key) FROM stories").fetchone()[0] == total
    assert db.execute("SELECT count(DISTINCT text) FROM stories").fetchone()[0] == total
    expected = {f"{i}-{j}" for i in range(PROCESSES) for j in range(PER_PROCESS)}
    assert {r[0] for r in db.execute("SELECT submission_key FROM stories")} == expected
    assert db.execute("SELECT count(DISTINCT story_seq) FROM sentences").fetchone()[0] == total  # indexed too
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


CHILD = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    import stories.textindex.language
    stories.textindex.language.load_lemma_table = lambda lang: {{}}  # the tiny table is enough here
    from changestories.database import connect
    from stories.importer import import_file

    db = connect(sys.argv[1])
    stop_after = int(sys.argv[3])
    inserted = 0

    def tick():
        global inserted
        inserted += 1
        if inserted == stop_after:
            print("STOPPED", inserted, flush=True)
            time.sleep(600)  # hold the open transaction until killed
        return 0

    db.conn.create_function("tick", 0, tick)
    db.conn.execute("CREATE TEMP TRIGGER count_rows AFTER INSERT ON stories BEGIN SELECT tick(); END")
    report = import_file(db, sys.argv[2])
    print("STOPPED", report.added, flush=True)
    time.sleep(600)  # committed: killed now, the import must stay
""")


def import_and_kill(db_path, csv_path, stop_after: int) -> str:
    """Run the import in a child process and SIGKILL it once it says STOPPED."""
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(root=str(ROOT)), str(db_path), str(csv_path),
                              str(stop_after)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.startswith("STOPPED"), child.stderr.read()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    return line


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("import") / "big.csv"
    rows = "".join(f"Række {i}: vi lavede mad i køkkenet og talte om venner,Nord\n" for i in range(IMPORT_ROWS))
    path.write_text("text,site\n" + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize("stop_after,expected", [(IMPORT_ROWS // 2, 0), (IMPORT_ROWS + 1, IMPORT_ROWS)])
def test_an_import_killed_with_sigkill_leaves_none_or_all(db_path, big_csv, stop_after, expected):
    create_story(connect(db_path), Story(text="Fra før importen.", significance="x"))
    line = import_and_kill(db_path, big_csv, stop_after)
    assert line.split()[1] == str(min(stop_after, IMPORT_ROWS))
    db = connect(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM stories WHERE source = 'import'").fetchone()[0] == expected
    assert db.execute("SELECT count(*) FROM stories WHERE source = 'form'").fetchone()[0] == 1
    indexed = db.execute("SELECT count(DISTINCT story_seq) FROM sentences").fetchone()[0]
    assert indexed == expected + 1
