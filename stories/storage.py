"""Storing, reading, editing and deleting stories.

Every action runs in the same order: check permission, validate, write (one transaction,
NLP index included), reply. Which stories a listing, theme view or export may show is
`stories.visibility`; the listings themselves (search, ranking, paging, counts) are `stories.search`.
"""

from __future__ import annotations

from stories.errors import UserError

import datetime as dt
import json
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace

from sqlite_utils import Database

from stories.bulk_insert import insert_story_rows
from stories.clock import now_iso
from stories.heap import collect_young, paused_collector
from stories.model import EDITABLE_FIELDS, Story
from stories.staging import next_seq, visible
from stories.textindex.pipeline import LemmaIds, PreparedIndex, drop_unused_lemmas, index_stories, prepare_index, write_index
from stories.trust.permissions import SYSTEM, Actor, can_edit_story, can_read_story, can_submit_story, require
from stories.validation import FieldError, StoryInvalid, validate
from stories.visibility import REVIEW_COLUMNS, StoryFilter, filter_sql, review_columns

RESTORE_DAYS = 30
IMPORT_CHUNK = 500  # stories per write transaction of a big import (about 60 ms of lock each on an idle core)


class StoryNotFound(UserError, LookupError):
    """No story with that id (or not one the actor may see)."""


def new_id() -> str:
    return str(uuid.uuid4())


def _row_to_story(row) -> Story:
    return Story.from_row(dict(row))


def _select(db: Database, where: str, params: list, order: str = "", limit: int | None = None, offset: int = 0):
    sql = f"SELECT s.* FROM stories AS s WHERE {where}"
    if order:
        sql += f" ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def stories_by_seq(db: Database, seqs: Sequence[int]) -> list[Story]:
    """The stories with these seqs, in the order given (unknown seqs are left out).

    Withdrawn and deleted stories are left out too: a kept list of seqs may be older than
    a withdrawal.
    """
    if not seqs:
        return []
    import json

    rows = _select(db, "s.seq IN (SELECT value FROM json_each(?)) AND s.deleted_at IS NULL"
                   " AND s.consent_withdrawn_at IS NULL", [json.dumps(list(seqs))])
    by_seq = {r["seq"]: r for r in rows}
    return [Story.from_row(by_seq[q]) for q in seqs if q in by_seq]


def stories_version(db: Database) -> tuple[str, int]:
    """(database token, version): changes with every change to a story row (a key for caches)."""
    state = dict(db.execute("SELECT key, value FROM stories_state").fetchall())
    return state.get("token", ""), int(state.get("version", 0))


_DISTINCT: dict[tuple, list[str]] = {}
_DISTINCT_LOCK = threading.Lock()
DISTINCT_ENTRIES = 64


def distinct_values(db: Database, column: str) -> list[str]:
    """Values in use for a plain column (site, programme, ...), for filter choices.

    Finding them scans the whole stories table (0.1-0.2 s at 50,000 stories, on every rerun of
    the pages with a site filter), so they are kept per process under the story version and the
    imports being written (the only things they depend on)."""
    if column not in ("site", "programme", "session_type", "teller_role", "source", "language", "polarity"):
        raise ValueError(column)
    staged = tuple(db.execute("SELECT count(*), total(first_seq), total(last_seq) FROM staged_imports").fetchone())
    key = (stories_version(db), staged, column)
    with _DISTINCT_LOCK:
        kept = _DISTINCT.get(key)
    if kept is not None:
        return list(kept)
    sql = (f"SELECT DISTINCT {column} FROM stories AS s WHERE deleted_at IS NULL AND {column} != ''"
           f" AND {column} IS NOT NULL AND {visible('s')} ORDER BY 1")
    values = [r[0] for r in db.execute(sql).fetchall()]
    with _DISTINCT_LOCK:
        while len(_DISTINCT) >= DISTINCT_ENTRIES:
            _DISTINCT.pop(next(iter(_DISTINCT)))
        _DISTINCT[key] = values
    return list(values)


def _load(db: Database, story_id: str, *, include_deleted: bool = False) -> tuple[int, Story]:
    rows = _select(db, "s.id = ?", [story_id])
    if not rows or (rows[0]["deleted_at"] and not include_deleted):
        raise StoryNotFound(story_id)
    return rows[0]["seq"], Story.from_row(rows[0])


def get_story(db: Database, story_id: str, *, actor: Actor = SYSTEM, lang: str | None = None) -> Story:
    """One story the actor may read (withdrawn consent hides it like deletion); pseudonymised
    for evaluators, whose reads are audited."""
    from stories.privacy.pseudonymised import shown_stories

    return shown_stories(db, [stored_story(db, story_id, actor=actor)], actor, None, lang)[0]


def stored_story(db: Database, story_id: str, *, actor: Actor = SYSTEM) -> Story:
    """The story `get_story` gives, with the ORIGINAL text, after the same checks (and audit):
    for domain code that needs the original offsets (coding a span, slicing a sentence with
    `StoryPseudonyms`). Pages never call it (a test checks)."""
    _, story = _load(db, story_id)
    if story.consent.withdrawn_at or not can_read_story(actor, story):
        raise StoryNotFound(story_id)
    if actor.role == "evaluator":  # not yet reviewed (or consent not given): the one filter decides
        where, params = filter_sql(StoryFilter(story_ids=[story_id]), actor)
        if not db.execute(f"SELECT 1 FROM stories AS s WHERE {where}", params).fetchone():
            raise StoryNotFound(story_id)
    if actor.role == "evaluator":  # trust: evaluators' reads are audited
        from stories.trust import audit

        audit.log(db, actor, "read_story", story_id)
    return story


def ids_and_titles(db: Database, seqs: Sequence[int], *, actor: Actor = SYSTEM) -> dict[int, tuple[str, str]]:
    """The id and title of each story among `seqs` (for labels of stories already chosen); the
    titles pseudonymised when `needs_pseudonymisation(actor)`."""
    if not seqs:
        return {}
    import json

    from stories.privacy.pseudonymised import needs_pseudonymisation, pseudonymise_titles

    rows = db.execute("SELECT seq, id, title FROM stories WHERE seq IN (SELECT value FROM json_each(?))",
                      [json.dumps(list(seqs))]).fetchall()
    titles = [title for _, _, title in rows]
    if needs_pseudonymisation(actor):
        titles = pseudonymise_titles(db, [(story_id, title) for _, story_id, title in rows])
    return {seq: (story_id, title) for (seq, story_id, _), title in zip(rows, titles)}


def story_seq(db: Database, story_id: str) -> int:
    """The integer key other tables use for a story."""
    return _load(db, story_id, include_deleted=True)[0]


def check_domains(db: Database, stories: Sequence[Story]) -> None:
    """Every story's domain must be one of the install's domains of change (StoryInvalid if not)."""
    wanted = {s.domain for s in stories if s.domain}
    if not wanted:
        return
    known = {r[0] for r in db.execute("SELECT key FROM msc_domains").fetchall()}
    unknown = sorted(wanted - known)
    if unknown:
        raise StoryInvalid([FieldError("domain", "error.choice", {"value": unknown[0]})])


def _insert(db: Database, story: Story, **keys) -> int:
    seq = next_seq(db)  # above every import still being written (stories.staging)
    row = story.to_row() | keys | {"seq": seq}
    columns = ",".join(row)
    db.conn.execute(f"INSERT INTO stories ({columns}) VALUES ({','.join('?' * len(row))})", list(row.values()))
    return seq


def _prepared_for(story: Story, index: PreparedIndex | None) -> PreparedIndex:
    if index is not None and index.matches([story.text], [story.language]):
        return index
    return prepare_index([story.text], [story.language])


def create_story(
    db: Database,
    story: Story,
    *,
    actor: Actor = SYSTEM,
    require_significance: bool = True,
    require_consent: bool = False,
    submission_key: str | None = None,
    index: PreparedIndex | None = None,
) -> Story:
    """Validate and store a new story with its NLP index, in one transaction.

    The NLP index is worked out before the write lock is taken; a caller that holds the
    lock already passes `index` (`prepare_index` of the validated text) to keep it short.
    A repeated `submission_key` (a double tap on submit) returns the story stored the
    first time instead of storing it twice.
    """
    from stories.db import write_transaction

    require(can_submit_story(actor), "submit_story")
    story = validate(story, require_significance=require_significance, require_consent=require_consent)
    check_domains(db, [story])
    stamp = now_iso()
    story = replace(story, id=new_id(), created_at=stamp, updated_at=stamp, deleted_at=None)
    prepared = _prepared_for(story, index)
    with write_transaction(db):
        if submission_key:
            existing = db.execute("SELECT id FROM stories WHERE submission_key = ?", [submission_key]).fetchone()
            if existing:
                return _load(db, existing[0], include_deleted=True)[1]
        seq = _insert(db, story, submission_key=submission_key, **review_columns(story, actor, stamp))
        write_index(db, prepared, [seq], replace=False)
    return story


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
    added: list[Story] = []
    staged = None
    new_lemmas: list[str] = []
    lemma_ids = LemmaIds()
    try:
        for start in range(0, len(todo), chunk):
            part = todo[start : start + chunk]
            # The NLP index, the lemma ids and the rows first: the write is inserts only. (Not in a
            # thread beside the write: it would take the GIL from the writer between its rows.)
            index = prepare_index([s.text or "" for s, _ in part], [s.language for s, _ in part], db, lemma_ids)
            new_lemmas += index.added_lemmas
            rows = _story_rows(part, actor)
            last = start + chunk >= len(todo)
            with write_transaction(db, wait_s=BULK_WAIT_S):
                if last and start == 0:  # one write holds it all: nothing to stage
                    first = next_seq(db)
                else:
                    if staged is None:
                        staged = reserve(db, len(todo))
                    else:
                        heartbeat(db, staged)
                    first = staged.first_seq + start
                added += _write_chunk(db, part, range(first, first + len(part)), index, rows)
                if staged is not None and last:
                    publish(db, staged)
            if not db.memory:  # the import checkpoints the log it wrote itself, so no submission
                db.execute("PRAGMA wal_checkpoint(PASSIVE)")  # that commits next has to copy it
            collect_young()
            if progress is not None:
                progress(min(start + chunk, len(todo)), len(todo))
    except BaseException:
        try:
            if staged is not None:
                discard(db, staged)
            drop_unused_lemmas(db, new_lemmas)
        except Exception:  # noqa: BLE001 - discard_abandoned removes it later; the first error counts
            pass
        raise
    return added


def update_story(db: Database, story_id: str, changes: dict, *, actor: Actor = SYSTEM) -> Story:
    """Edit the given fields of a story; its NLP index follows the text."""
    from stories.db import write_transaction

    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    index = None
    if {"text", "language"} & set(changes) and not db.conn.in_transaction:
        try:  # the new text's index, worked out before the lock (checked and done again under it)
            draft = validate(replace(_load(db, story_id)[1], **changes), require_significance=False)
            index = prepare_index([draft.text], [draft.language])
        except (StoryNotFound, StoryInvalid):
            pass
    with write_transaction(db):
        seq, story = _load(db, story_id)
        require(can_edit_story(actor, story), "edit_story")
        edited = validate(replace(story, **changes), require_significance=False)
        check_domains(db, [edited])
        edited = replace(edited, updated_at=now_iso())
        row = edited.to_row()
        del row["id"], row["created_at"]
        db.conn.execute(
            f"UPDATE stories SET {', '.join(f'{k} = ?' for k in row)} WHERE seq = ?", [*row.values(), seq]
        )
        if edited.text != story.text or edited.language != story.language:
            write_index(db, _prepared_for(edited, index), [seq])
    return edited


def delete_story(db: Database, story_id: str, *, actor: Actor = SYSTEM) -> None:
    """Move a story to the bin: hidden everywhere, restorable for RESTORE_DAYS days."""
    from stories.db import write_transaction

    with write_transaction(db):
        _, story = _load(db, story_id)
        require(can_edit_story(actor, story), "delete_story")
        db.conn.execute("UPDATE stories SET deleted_at = ? WHERE id = ?", [now_iso(), story_id])


def restore_story(db: Database, story_id: str, *, actor: Actor = SYSTEM) -> Story:
    from stories.db import write_transaction

    with write_transaction(db):
        _, story = _load(db, story_id, include_deleted=True)
        require(can_edit_story(actor, story), "restore_story")
        if not story.deleted_at:
            return story
        db.conn.execute("UPDATE stories SET deleted_at = NULL WHERE id = ?", [story_id])
    return replace(story, deleted_at=None)


def deleted_stories(db: Database, *, actor: Actor = SYSTEM) -> list[Story]:
    """The bin: deleted stories the actor may restore, most recently deleted first."""
    rows = _select(db, "s.deleted_at IS NOT NULL", [], "s.deleted_at DESC")
    return [s for s in map(Story.from_row, rows) if can_edit_story(actor, s)]


def purge_deleted(db: Database, *, now: dt.datetime | None = None) -> int:
    """Erase stories deleted more than RESTORE_DAYS ago, with everything hanging on them, leaving no
    trace in the file (`stories.trust.erasure.purge_bin`)."""
    from stories.trust.erasure import purge_bin

    return purge_bin(db, now=now, days=RESTORE_DAYS)


def withdraw_consent(db: Database, story_id: str, *, actor: Actor = SYSTEM) -> None:
    """The teller withdrew consent: the story disappears from every view and export at once."""
    from stories.db import write_transaction

    with write_transaction(db):
        _, story = _load(db, story_id)
        require(can_edit_story(actor, story), "withdraw_consent")
        db.conn.execute("UPDATE stories SET consent_withdrawn_at = ? WHERE id = ?", [now_iso(), story_id])
