"""A big import prepares its NLP in a forked worker beside the writes (`stories.textindex.worker`),
and stores exactly what the import in one process stores, whether the worker helps, fails or dies."""

import multiprocessing
import os
import subprocess
import sys
import textwrap
import time

import pytest

import stories.bulk_create
import stories.textindex.language
import stories.textindex.worker
from changestories.database import connect
from stories.bulk_create import create_stories
from stories.textindex.worker import NlpWorker, WorkerFailed
from tests.test_bulk_import import corpus, snapshot

pytestmark = pytest.mark.skipif(not stories.textindex.worker.available(), reason="needs Linux and two cores")


@pytest.fixture(autouse=True)
def no_kept_worker():
    """Every test forks its own worker (one kept from an earlier test would not see its patches)."""
    stories.textindex.worker.close_kept()
    yield
    stories.textindex.worker.close_kept()


def only_the_kept_worker() -> bool:
    """No worker process runs but the one kept for the next import (idle)."""
    kept = stories.textindex.worker._KEPT["worker"]
    return [p.pid for p in multiprocessing.active_children()] == ([kept._process.pid] if kept else [])


@pytest.fixture
def worker_for_small_imports(monkeypatch):
    """The worker for imports of any size (it is only used from WORKER_MIN stories on), and a
    count of the chunks it prepared."""
    monkeypatch.setattr(stories.bulk_create, "WORKER_MIN", 0)
    monkeypatch.setattr(stories.bulk_create, "idle_core", lambda: True)  # whatever else the machine runs
    taken = []
    real = NlpWorker.take

    def take(self):
        result = real(self)
        taken.append(result[0])
        return result

    monkeypatch.setattr(NlpWorker, "take", take)
    return taken


def in_one_process(tmp_path, monkeypatch):
    monkeypatch.setattr(stories.bulk_create, "NLP_WORKER", False)
    db = connect(tmp_path / "one.db")
    create_stories(db, [(s, f"k{i}") for i, s in enumerate(corpus(4))], chunk=3)
    monkeypatch.setattr(stories.bulk_create, "NLP_WORKER", True)
    return snapshot(db)


def test_the_worker_prepares_chunks_and_the_import_stores_the_same(tmp_path, monkeypatch, worker_for_small_imports):
    want = in_one_process(tmp_path, monkeypatch)
    db = connect(tmp_path / "worker.db")
    added = create_stories(db, [(s, f"k{i}") for i, s in enumerate(corpus(4))], chunk=3)
    assert worker_for_small_imports  # some chunks came from the worker
    assert len(added) == len(corpus(4))
    assert [s.text for s in added] == [s.text for s in corpus(4)]  # in the order given, whoever prepared them
    seqs = [r[0] for r in db.execute("SELECT seq FROM stories ORDER BY seq")]
    assert seqs == list(range(seqs[0], seqs[0] + len(added)))
    assert snapshot(db) == want
    assert only_the_kept_worker() and stories.textindex.worker._KEPT["worker"] is not None


def _dies(tasks, results):
    os._exit(3)


def _fails(tasks, results):
    key, _, _ = tasks.get()
    results.put((key, None, "RuntimeError: no NLP here", 0.0))


@pytest.mark.parametrize("serve", [_dies, _fails], ids=["worker dies", "worker fails"])
def test_when_the_worker_dies_or_fails_this_process_prepares_its_chunks(tmp_path, monkeypatch, worker_for_small_imports,
                                                                       serve, caplog):
    want = in_one_process(tmp_path, monkeypatch)
    monkeypatch.setattr(stories.textindex.worker, "_serve", serve)
    db = connect(tmp_path / "worker.db")
    with caplog.at_level("WARNING", logger="stories.bulk_create"):
        added = create_stories(db, [(s, f"k{i}") for i, s in enumerate(corpus(4))], chunk=3)
    assert any("NLP worker failed" in r.getMessage() for r in caplog.records)  # the server's log says so
    assert worker_for_small_imports == []
    assert len(added) == len(corpus(4))
    assert snapshot(db) == want
    assert multiprocessing.active_children() == []  # a failed worker is not kept


def test_a_failing_write_stops_the_worker_and_leaves_nothing(tmp_path, monkeypatch, worker_for_small_imports):
    db = connect(tmp_path / "a.db")
    real = stories.bulk_create._write_chunk
    calls = []

    def fail_on_third(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args)

    monkeypatch.setattr(stories.bulk_create, "_write_chunk", fail_on_third)
    with pytest.raises(RuntimeError):
        create_stories(db, [(s, f"k{i}") for i, s in enumerate(corpus(4))], chunk=3)
    assert only_the_kept_worker()  # stopped, or idle and kept
    for table in ("stories", "sentences", "story_nlp", "staged_imports", "stories_bulk_write"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    monkeypatch.setattr(stories.bulk_create, "_write_chunk", real)
    assert len(create_stories(db, [(s, f"k{i}") for i, s in enumerate(corpus(4))], chunk=3)) == len(corpus(4))


def test_the_next_import_reuses_the_kept_worker_until_it_idles_out(tmp_path, monkeypatch, worker_for_small_imports):
    db = connect(tmp_path / "a.db")
    create_stories(db, [(s, f"a{i}") for i, s in enumerate(corpus(2))], chunk=3)
    first = stories.textindex.worker._KEPT["worker"]
    assert first is not None and first.cpu_s > 0
    create_stories(db, [(s, f"b{i}") for i, s in enumerate(corpus(2))], chunk=3)
    assert stories.textindex.worker._KEPT["worker"] is first  # no second fork
    import tests.conftest

    other = {"da": dict(tests.conftest.TINY_LEMMAS["da"]), "en": dict(tests.conftest.TINY_LEMMAS["en"])}
    monkeypatch.setattr(stories.textindex.language, "load_lemma_table", lambda lang: other.get(lang, {}))
    create_stories(db, [(s, f"c{i}") for i, s in enumerate(corpus(2))], chunk=3)
    second = stories.textindex.worker._KEPT["worker"]
    assert second is not first and not first.alive()  # other lemma tables: a worker that shares them
    monkeypatch.setattr(stories.textindex.worker, "IDLE_S", 0.05)
    create_stories(db, [(s, f"d{i}") for i, s in enumerate(corpus(2))], chunk=3)
    deadline = time.monotonic() + 30  # checks that it idles out, not how fast
    while time.monotonic() < deadline and multiprocessing.active_children():
        time.sleep(0.1)
    assert multiprocessing.active_children() == [] and stories.textindex.worker._KEPT["worker"] is None


def test_a_worker_reports_what_went_wrong():
    with NlpWorker() as worker:
        worker.submit("a", ["Vi gik hjem."], ["da"])
        key, prepared = worker.take()
        assert key == "a" and prepared.texts == ["Vi gik hjem."] and prepared.parts
        worker.submit("b", [None], ["da"])  # not a text: the worker's NLP raises
        with pytest.raises(WorkerFailed, match="TypeError"):
            worker.take()
        assert worker.unfinished() == ["b"]
    assert multiprocessing.active_children() == []


def test_a_worker_ends_when_its_parent_is_killed(tmp_path):
    script = textwrap.dedent("""
        import os, sys
        sys.path.insert(0, sys.argv[1])
        from stories.textindex.worker import NlpWorker
        worker = NlpWorker()
        print(worker._process.pid, flush=True)
        os._exit(9)  # as if killed: nothing is cleaned up
    """)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", script, root], capture_output=True, text=True, check=False)
    child = int(out.stdout.split()[0])
    deadline = time.monotonic() + 30  # a generous bound for a busy machine: this checks that it ends, not how fast
    while time.monotonic() < deadline and _running(child):
        time.sleep(0.2)
    assert not _running(child)


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_the_worker_keeps_no_copy_of_this_process_files():
    """A socket this process closes is closed for its peer while the worker runs: the forked
    worker closed what it inherited (a server's sockets stayed open, and a browser waited, until
    the kept worker ended)."""
    import socket

    server_end, client_end = socket.socketpair()
    with NlpWorker() as worker:
        worker.submit("k", ["Vi gik en tur i parken."], ["da"])
        assert worker.take()[0] == "k"  # the worker runs, past its start
        inherited = set(os.listdir(f"/proc/{worker._process.pid}/fd"))
        server_end.close()
        client_end.settimeout(20)  # a bound on the wait, not a timing: the copy would hold it forever
        assert client_end.recv(1) == b""  # end of file: no copy of server_end is open in the worker
        assert str(client_end.fileno()) not in inherited
    client_end.close()
