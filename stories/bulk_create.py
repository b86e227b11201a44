"""Storing many stories at once (an import, a QDA project, the demo): `create_stories`.

The stories are worked in chunks of `IMPORT_CHUNK`: for each, everything slow happens before
the write lock is taken (the NLP index, its lemma ids, the story rows), and its write is one
short transaction of nothing but inserts (`stories.bulk_insert`, `write_index`). An import
of more than one chunk is staged (`stories.staging`): it appears all at once when its last
chunk commits, and a failure (or a killed process) removes what it wrote.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterator, Sequence

from sqlite_utils import Database

from stories.bulk_insert import insert_story_rows
from stories.clock import now_iso
from stories.heap import collect_young, paused_collector
from stories.model import Story
from stories.staging import next_seq
from stories.storage import check_domains, new_id
from stories.textindex.batch import forms_for
from stories.textindex.language import lang_key
from stories.textindex.pipeline import (
    LemmaIds, PreparedIndex, drop_unused_lemmas, index_stories, prepare_index, resolve_index, write_index,
)
from stories.textindex.worker import AHEAD as WORKER_AHEAD, WorkerFailed, available as worker_available, idle_core
from stories.textindex.worker import borrow as borrow_worker, give_back as give_back_worker
from stories.trust.permissions import SYSTEM, Actor, can_submit_story, require
from stories.visibility import REVIEW_COLUMNS, review_columns

log = logging.getLogger(__name__)
IMPORT_CHUNK = 500  # stories per write transaction of a big import (about 60 ms of lock each on an idle core)
NLP_WORKER = True  # prepare the NLP of big imports in a forked second process where possible
WORKER_MIN = 2 * IMPORT_CHUNK  # stories: below this, forking costs more than the overlap saves


def _stored_keys(db: Database, keys: Sequence[str]) -> set[str]:
    if not keys:
        return set()
    return {r[0] for r in db.execute("SELECT import_key FROM stories WHERE import_key IN (SELECT value FROM json_each(?))",
                                     [json.dumps(list(keys), ensure_ascii=False)])}


def _story_rows(chunk: Sequence[tuple[Story, str | None]], actor: Actor) -> tuple[list[str], list[list]]:
    """The `stories` columns and rows of stamped stories, seq first (filled in by the write)."""
    if not chunk:
        return [], []
    columns = ["seq", *chunk[0][0].to_row(), "import_key", *REVIEW_COLUMNS]
    rows = []
    for story, key in chunk:  # `to_row` gives every story's columns in the same order
        rows.append([None, *story.to_row().values(), key,
                     *review_columns(story, actor, story.created_at).values()])
    return columns, rows


def _write_chunk(db: Database, chunk: Sequence[tuple[Story, str | None]], seqs: Sequence[int],
                 prepared: PreparedIndex | None, rows: tuple[list[str], list[list]]) -> list[Story]:
    """Insert stories (validated, stamped; `rows` from `_story_rows`) at the given seqs with
    their index; inside a write transaction, which is then nothing but inserts. A key stored
    meanwhile (a concurrent import of the same rows) is skipped."""
    taken = _stored_keys(db, [k for _, k in chunk if k])
    keep = [i for i, (_, key) in enumerate(chunk) if not (key and key in taken)]
    if not keep:
        return []
    columns, values = rows
    for i in keep:
        values[i][0] = seqs[i]
    insert_story_rows(db, columns, [values[i] for i in keep])
    if prepared is not None and len(keep) == len(chunk):
        write_index(db, prepared, list(seqs), replace=False)
    else:
        index_stories(db, [(seqs[i], chunk[i][0].text, chunk[i][0].language) for i in keep])
    return [chunk[i][0] for i in keep]


def create_stories(db: Database, items: Sequence[tuple[Story, str | None]], *, actor: Actor = SYSTEM,
                   progress: Callable[[int, int], None] | None = None, chunk: int | None = None) -> list[Story]:
    """Store already validated stories with their import keys, all or nothing.

    Stories whose import key is already stored (or repeated) are skipped; returns the stories
    added. Everything but the inserts happens before each write: the NLP index, lemma ids,
    the rows. Up to `chunk` (IMPORT_CHUNK) new stories go in one short transaction; more are
    staged (`stories.staging`): written `chunk` at a time, each in a transaction of its own,
    and shown all at once when the last one commits; a failure removes them again. An import
    waits its turn for the lock for up to BULK_WAIT_S. Inside a caller's transaction
    everything happens in that one. `progress(done, total)` is called after each write.
    """
    chunk = chunk or IMPORT_CHUNK
    with paused_collector(len(items) > chunk):  # young generations are collected after each write
        return _create_stories(db, items, actor, progress, chunk)


def _create_stories(db: Database, items: Sequence[tuple[Story, str | None]], actor: Actor,
                    progress: Callable[[int, int], None] | None, chunk: int) -> list[Story]:
    from stories.db import BULK_WAIT_S, write_transaction
    from stories.staging import discard, discard_abandoned, heartbeat, publish, reserve

    require(can_submit_story(actor), "submit_story")
    check_domains(db, [story for story, _ in items])
    stamp = now_iso()
    first_of_key: dict[str, int] = {}
    todo: list[tuple[Story, str | None]] = []
    for story, key in items:
        if key:
            if key in first_of_key:
                continue
            first_of_key[key] = len(todo)
        todo.append((story.stamped(story.id or new_id(), stamp), key))
    stored = _stored_keys(db, list(first_of_key))  # a read; each write checks its own rows again
    todo = [(story, key) for story, key in todo if not (key and key in stored)]
    if db.conn.in_transaction:
        with write_transaction(db):  # a savepoint in the caller's transaction
            first = next_seq(db)
            added = _write_chunk(db, todo, range(first, first + len(todo)), None, _story_rows(todo, actor))
        if progress is not None:
            progress(len(todo), len(todo))
        return added
    if not todo:
        if progress is not None:
            progress(0, 0)
        return []
    if len(todo) > chunk:
        discard_abandoned(db)
    starts = list(range(0, len(todo), chunk))
    added: dict[int, list[Story]] = {}
    staged = None
    new_lemmas: list[str] = []
    written = 0
    try:
        with contextlib.closing(_prepared_chunks(db, todo, starts, chunk)) as prepared:  # the worker stops on any exit
            for start, index in prepared:
                part = todo[start : start + chunk]
                new_lemmas += index.added_lemmas
                rows = _story_rows(part, actor)
                last = len(added) + 1 == len(starts)
                with write_transaction(db, wait_s=BULK_WAIT_S):
                    if len(starts) == 1:  # one write holds it all: nothing to stage
                        first = next_seq(db)
                    else:
                        if staged is None:
                            staged = reserve(db, len(todo))
                        else:
                            heartbeat(db, staged)
                        first = staged.first_seq + start
                    added[start] = _write_chunk(db, part, range(first, first + len(part)), index, rows)
                    if staged is not None and last:
                        publish(db, staged)
                if not db.memory:  # the import checkpoints the log it wrote itself, so no submission
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)")  # that commits next has to copy it
                collect_young()
                written += len(part)
                if progress is not None:
                    progress(written, len(todo))
    except BaseException:
        try:
            if staged is not None:
                discard(db, staged)
            drop_unused_lemmas(db, new_lemmas)
        except Exception:  # noqa: BLE001 - discard_abandoned removes it later; the first error counts
            pass
        raise
    return [story for start in starts for story in added[start]]


def _prepared_chunks(db: Database, todo: Sequence[tuple[Story, str | None]], starts: Sequence[int],
                     chunk: int) -> Iterator[tuple[int, PreparedIndex]]:
    """(start, prepared index with its lemma ids) of every chunk, each once, in the order they
    are ready: everything the chunk's write needs but the write.

    With `NLP_WORKER`, at least `WORKER_MIN` stories and CPU time to be had (`worker.idle_core`), a
    forked worker (`stories.textindex.worker`) prepares the next chunks while this process writes; when
    the worker has none ready, this process prepares the next chunk itself, so both cores
    work and neither waits for the other. Without the worker (or once it failed) the chunks
    are prepared here, in order.
    """
    def texts(start: int) -> tuple[list[str], list[str]]:
        part = todo[start : start + chunk]
        return [s.text or "" for s, _ in part], [s.language for s, _ in part]

    lemma_ids = LemmaIds()  # the ids looked up so far, by each numbering of lemmas
    waiting = list(starts)  # not handed to anyone yet, in order
    worker = None
    if NLP_WORKER and len(starts) > 1 and len(todo) >= WORKER_MIN and worker_available() and idle_core():
        # Loaded here, before a fork, so both processes share them.
        forms = [forms_for(lang) for lang in sorted({lang_key(s.language) for s, _ in todo})]
        worker = borrow_worker(frozenset((f.lang, id(f.table)) for f in forms))
    try:
        while waiting or (worker is not None and worker.pending):
            if worker is not None:
                # Up to AHEAD chunks ahead, but never more than are left for this process: at the
                # end the worker's queue is short and both processes finish together.
                while waiting and worker.pending < min(WORKER_AHEAD, len(waiting)):
                    start = waiting.pop(0)
                    worker.submit(start, *texts(start))
                if worker.ready() or not waiting:
                    try:
                        start, index = worker.take()
                    except WorkerFailed as exc:
                        log.warning("the import's NLP worker failed (%s); this process prepares the rest", exc)
                        waiting = sorted(waiting + worker.unfinished())  # done here instead
                        worker.close()
                        worker = None
                        continue
                    yield start, resolve_index(db, index, lemma_ids)
                    continue
            start = waiting.pop(0)
            yield start, prepare_index(*texts(start), db, lemma_ids)
    finally:
        if worker is not None:
            give_back_worker(worker)  # kept for the next import when idle and well
