"""Writers in processes of their own at once: submissions during a big import, imports side by side.

The same scenarios at full size (20 x 200 submissions, a 40,000-row import) are `make faults`;
here they run small, and what is checked is that everything is stored and nothing fails.
"""

import csv
import multiprocessing

from changestories.database import connect, memory_db
from stories.model import Consent, Story
from stories.storage import create_story
from stories.search import count_stories

SUBMITTERS = 3
IMPORT_ROWS = 2_500  # five staged chunks


def story(tag: str) -> Story:
    return Story(text=f"Fortælling {tag}: vi lavede mad i køkkenet, og vennerne kom.", significance="Hun kom igen.",
                 consent=Consent(internal=True))


def write_csv(path, n: int, tag: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "site"])
        for i in range(n):
            writer.writerow([f"Række {tag}{i}: huset var fuldt, og de unge lavede mad sammen.", "Nordvest"])


def submitter(path: str, n: int, barrier, importing, results) -> None:
    from stories.submission import submit_story

    db = connect(path)
    barrier.wait()
    sent = during = 0
    while sent < 5 or importing.is_set():  # at least five, and on until the import is done
        was_importing = importing.is_set()
        submit_story(db, story(f"p{n}-{sent}"), submission_key=f"p{n}-{sent}")  # no retry: it must not fail
        sent += 1
        during += was_importing and importing.is_set()
    results.put((n, sent, during))


def importer(path: str, csv_path: str, barrier, importing, results) -> None:
    from stories.importer import import_file

    db = connect(path)
    barrier.wait()
    try:
        report = import_file(db, csv_path)
    finally:
        importing.clear()
    results.put(("import", report.added, 0))


def run_all(targets) -> list:
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(targets))
    importing = context.Event()
    importing.set()
    results = context.Queue()
    workers = [context.Process(target=t, args=(*args, barrier, importing, results)) for t, args in targets]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [w.exitcode for w in workers] == [0] * len(workers)
    return [results.get(timeout=5) for _ in workers]


def test_stories_submitted_while_a_big_import_runs_are_all_stored(db_path, tmp_path):
    create_story(memory_db(), story("opvarmning"))  # load spaCy before forking
    csv_path = tmp_path / "big.csv"
    write_csv(csv_path, IMPORT_ROWS, "a")
    done = run_all([(importer, (str(db_path), str(csv_path)))]
                   + [(submitter, (str(db_path), n)) for n in range(SUBMITTERS)])
    imported = [r for r in done if r[0] == "import"]
    submitted = [r for r in done if r[0] != "import"]
    assert imported == [("import", IMPORT_ROWS, 0)]
    assert sum(during for _, _, during in submitted) > 0  # some were sent while the import ran
    db = connect(db_path)
    sent = sum(n for _, n, _ in submitted)
    assert db.execute("SELECT count(*) FROM stories WHERE source = 'form'").fetchone()[0] == sent
    assert count_stories(db) == IMPORT_ROWS + sent
    assert db.execute("SELECT count(*) FROM story_nlp").fetchone()[0] == IMPORT_ROWS + sent  # all indexed
    assert db.execute("SELECT count(*) FROM staged_imports").fetchone()[0] == 0
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_imports_side_by_side_all_succeed(db_path, tmp_path):
    create_story(memory_db(), story("opvarmning"))
    targets = []
    for n in range(4):
        path = tmp_path / f"in{n}.csv"
        write_csv(path, 200 if n % 2 else 1_200, f"f{n}-")  # small ones in one write, big ones staged
        targets.append((importer, (str(db_path), str(path))))
    done = run_all(targets)
    assert sorted(r[1] for r in done) == [200, 200, 1_200, 1_200]
    db = connect(db_path)
    assert count_stories(db) == 2_800
    assert db.execute("SELECT count(DISTINCT seq) FROM stories").fetchone()[0] == 2_800
