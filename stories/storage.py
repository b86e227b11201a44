"""Storing, reading, editing and deleting stories.

Every action runs in the same order: check permission, validate, write (one transaction,
NLP index included), reply. Storing many stories at once (imports) is `stories.bulk_create`.
Which stories a listing, theme view or export may show is `stories.visibility`; the listings
themselves (search, ranking, paging, counts) are `stories.search`.
"""

from __future__ import annotations

from stories.errors import UserError

import datetime as dt
import threading
import uuid
from collections.abc import Sequence
from dataclasses import replace

from sqlite_utils import Database

from stories.clock import now_iso
from stories.model import EDITABLE_FIELDS, Story
from stories.staging import next_seq, visible
from stories.textindex.pipeline import PreparedIndex, prepare_index, write_index
from stories.trust.permissions import SYSTEM, Actor, can_edit_story, can_read_story, can_submit_story, require
from stories.validation import FieldError, StoryInvalid, validate
from stories.visibility import StoryFilter, filter_sql, review_columns

RESTORE_DAYS = 30


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


INDEXED_COLUMNS = ("site",)  # text columns with an index of their own (`idx_stories_site`)


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
    if column in INDEXED_COLUMNS:  # hop from value to value along the index: a lookup per site, no scan
        sql = (f"WITH RECURSIVE v(x) AS (SELECT (SELECT min({column}) FROM stories WHERE {column} > '') UNION ALL"
               f" SELECT (SELECT min({column}) FROM stories WHERE {column} > v.x) FROM v WHERE v.x IS NOT NULL)"
               f" SELECT x FROM v WHERE x IS NOT NULL AND EXISTS (SELECT 1 FROM stories AS s WHERE s.{column} = v.x"
               f" AND s.deleted_at IS NULL AND {visible('s')}) ORDER BY 1")
    else:
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
