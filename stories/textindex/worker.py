"""A second process for the NLP of a big import: it prepares the index of the next chunks
while this process writes the ones before.

spaCy's tokenizer holds Python's GIL, so in one process the NLP and the writes take turns
(a thread beside the writer takes the GIL from it between its rows, and its write lock is
held longer). A forked child shares what its parent loaded (the spaCy pipelines with their
filled vocabularies, the lemma tables, the word-form tables of `batch.Forms`), warm and at no
cost of loading: it receives chunks of texts, runs `prepare_index` (no database) and sends
the prepared parts back; the parent looks up their lemma ids and writes. Tasks and results
travel through `multiprocessing` queues (their feeder threads send in the background, so
neither side waits for the other to read), at most `AHEAD` chunks at a time, so memory stays
bounded. An idle worker is kept for the next import for `IDLE_S` (`borrow`, `give_back`); it
stops when told, when its parent is gone, or when terminated.

Forking is used only where it is cheap and the default of decades (Linux) and with at least
two usable cores; elsewhere `available()` is False and the import runs in one process. The
word-form tables' locks are held while forking, so the child never inherits a table that
another thread of the parent was changing.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence

from stories.textindex import batch
from stories.textindex.pipeline import PreparedIndex, prepare_index

AHEAD = 4  # chunks handed to the worker and not yet taken back (it never runs dry while this process works)
PARENT_CHECK_S = 1.0  # how often an idle worker checks that its parent still runs
RESULT_WAIT_S = 0.5  # how often a parent waiting for a result checks that its worker still runs
NICENESS = 5  # added to the worker's niceness
STALL_S = 60.0  # a worker alive but silent this long is given up (its chunks are prepared here)


class WorkerFailed(RuntimeError):
    """The worker died or could not prepare a chunk (the caller prepares it itself)."""


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def available() -> bool:
    """Whether a forked NLP worker can run beside this process (Linux, two cores or more)."""
    return (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            and _cores() >= 2)


def idle_core() -> bool:
    """Whether the worker can find CPU time now: the 1-minute load average (this process's own
    work included) is below the number of cores. On a machine whose every core is busy with
    other work the two processes share what this process alone would get, and the split costs
    CPU (about a tenth more: the results cross between processes, and two busy cores each run
    slower). Measured on two cores: at load 0.5 the worker made the import a third faster, at
    1.7-2.4 a tenth to a third, at 2.5 it was as often slower as faster, at 3 a quarter slower
    (with write locks held up to five times longer: the writer waited for a core)."""
    try:
        return os.getloadavg()[0] < _cores()
    except OSError:
        return True


@contextlib.contextmanager
def _forms_locked() -> Iterator[None]:
    """Hold the locks of every word-form table (and of the table registry) while forking."""
    with batch._LOCK:
        tables = list(batch._FORMS.values())
    with contextlib.ExitStack() as stack:
        stack.enter_context(batch._LOCK)
        for forms in tables:
            stack.enter_context(forms._lock)
        yield


def _fresh_locks() -> None:
    """In the child: the inherited locks were held by the forking thread; new ones replace them."""
    batch._LOCK = threading.Lock()
    for forms in batch._FORMS.values():
        forms._lock = threading.RLock()


def _sendable(prepared: PreparedIndex, space: tuple) -> PreparedIndex:
    """The prepared index without its texts (the parent has them) and without the word-form
    tables (`part.forms` becomes the key of this worker's lemma numbering, `space`)."""
    for part in prepared.parts:
        part.forms = (*space, part.lang)
    prepared.texts, prepared.langs = [], []
    return prepared


def _queue_fds(*queues) -> set[int]:
    """The pipe ends of multiprocessing queues (both ends: the queue objects own them)."""
    fds = set()
    for q in queues:
        for end in (q._reader, q._writer):
            with contextlib.suppress(OSError, ValueError):
                fds.add(end.fileno())
    return fds


def _close_inherited(keep: set[int]) -> None:
    """In the child: close every file descriptor it inherited but `keep` (and 0-2).

    A fork copies all of them: the server's listening and client sockets, its event loop's epoll
    and wake-up pipes, the database files. A socket the server closes would stay open for its peer
    (no end of file, a browser left waiting) and stay registered in the server's epoll for as long
    as a copy is open here, that is until this worker ends. The child never uses any of them.
    """
    keep = keep | {0, 1, 2}
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in keep:
            with contextlib.suppress(OSError):  # the listing's own descriptor is gone already
                os.close(fd)


def _serve(tasks, results) -> None:
    """The child's loop: (key, texts, langs) in, (key, prepared index or None, error, the
    child's CPU seconds so far) out."""
    parent = multiprocessing.parent_process()
    _close_inherited(_queue_fds(tasks, results) | ({parent.sentinel} if parent is not None else set()))
    _fresh_locks()
    # No collection walks the inherited heap: the child never frees what it did not make (an
    # inherited SQLite connection finalised here would touch the parent's database state).
    gc.disable()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the server's handlers: terminate() ends it
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops it
    with contextlib.suppress(OSError):
        os.nice(NICENESS)  # bulk work: a page or a submission on the same cores goes first
    space = ("worker", os.getpid())
    while True:
        try:
            task = tasks.get(timeout=PARENT_CHECK_S)
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                return
            continue
        if task is None:
            return
        key, texts, langs = task
        try:
            prepared, error = _sendable(prepare_index(texts, langs), space), None
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which prepares the chunk itself
            prepared, error = None, f"{type(exc).__name__}: {exc}"
        results.put((key, prepared, error, time.process_time()))


class NlpWorker:
    """One forked child preparing the index of chunks in the order given (`submit`, `take`)."""

    def __init__(self) -> None:
        self.tables = _tables()  # the word-form tables it shares with this process
        self.cpu_s = 0.0  # its CPU seconds, as it last reported them
        context = multiprocessing.get_context("fork")
        self._tasks = context.Queue()
        self._results = context.Queue()
        self._process = context.Process(target=_serve, args=(self._tasks, self._results), daemon=True,
                                        name="changestories-nlp")
        self._texts: dict[object, tuple[list[str], list[str]]] = {}  # submitted, not yet taken
        with _forms_locked():
            self._process.start()

    @property
    def pending(self) -> int:
        return len(self._texts)

    def submit(self, key, texts: Sequence[str], langs: Sequence[str]) -> None:
        self._texts[key] = (list(texts), list(langs))
        self._tasks.put((key, self._texts[key][0], self._texts[key][1]))

    def ready(self) -> bool:
        """A result can be taken without waiting (a hint)."""
        return not self._results.empty()

    def take(self) -> tuple[object, PreparedIndex]:
        """The next result (waiting for it): (key, prepared index). Raises WorkerFailed when
        the worker died or failed on it; the key's texts are then in `unfinished()`."""
        waited = 0.0
        while True:
            try:
                key, prepared, error, cpu_s = self._results.get(timeout=RESULT_WAIT_S)
                break
            except queue.Empty:
                if not self._process.is_alive():
                    raise WorkerFailed(f"the NLP worker ended (exit code {self._process.exitcode})") from None
                waited += RESULT_WAIT_S
                if waited >= STALL_S:
                    raise WorkerFailed(f"the NLP worker sent nothing for {STALL_S:.0f} s") from None
        with _KEPT_LOCK:
            _CPU["reported"] += cpu_s - self.cpu_s
        self.cpu_s = cpu_s
        if error is not None:
            raise WorkerFailed(error)
        texts, langs = self._texts.pop(key)
        prepared.texts, prepared.langs = texts, langs
        return key, prepared

    def unfinished(self) -> list[object]:
        """The keys submitted and not taken back (after a failure: for the caller to do)."""
        return list(self._texts)

    def close(self) -> None:
        """Stop the worker: at once if it still has work (an import that failed), else after it
        read the stop message."""
        if self._texts or not self._process.is_alive():
            self._process.terminate()
        else:
            self._tasks.put(None)
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        for q in (self._tasks, self._results):
            q.cancel_join_thread()  # nothing left to flush to a child that is gone
            q.close()
        self._texts.clear()

    def alive(self) -> bool:
        return self._process.is_alive()

    def __enter__(self) -> NlpWorker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# The worker of the last import, kept for the next one for IDLE_S: forking once keeps what the
# child learnt (the words new to spaCy's vocabulary and to the word-form tables) and spares this
# process the copy-on-write of its pages that every fork starts again.
IDLE_S = 30.0
_KEPT: dict = {"worker": None, "timer": None}
_KEPT_LOCK = threading.Lock()
_CPU = {"reported": 0.0}


def _tables() -> frozenset:
    with batch._LOCK:
        return frozenset(batch._FORMS)


def worker_cpu_seconds() -> float:
    """The CPU seconds every worker of this process reported using, in all (for the benchmarks)."""
    with _KEPT_LOCK:
        return _CPU["reported"]


def borrow(tables: frozenset) -> NlpWorker:
    """A worker for one import that needs the word-form tables `tables` (keys of `batch._FORMS`):
    the kept one when it is alive and shares them, else a new one. Give it back with `give_back`."""
    with _KEPT_LOCK:
        worker, _KEPT["worker"] = _KEPT["worker"], None
        if _KEPT["timer"] is not None:
            _KEPT["timer"].cancel()
            _KEPT["timer"] = None
    if worker is not None and (not worker.alive() or not tables <= worker.tables):
        worker.close()
        worker = None
    return worker if worker is not None else NlpWorker()


def give_back(worker: NlpWorker) -> None:
    """Keep an idle, healthy worker for the next import (closed after IDLE_S); close any other."""
    if worker.pending or not worker.alive():
        worker.close()
        return
    timer = threading.Timer(IDLE_S, close_kept)
    timer.daemon = True
    with _KEPT_LOCK:
        old, _KEPT["worker"], _KEPT["timer"] = _KEPT["worker"], worker, timer
    if old is not None:  # two imports at once: one worker is kept
        old.close()
    timer.start()


def close_kept() -> None:
    """Close the kept worker, if any."""
    with _KEPT_LOCK:
        worker, _KEPT["worker"] = _KEPT["worker"], None
        timer, _KEPT["timer"] = _KEPT["timer"], None
    if timer is not None:
        timer.cancel()
    if worker is not None:
        worker.close()
