"""Memos on stories and on codes (a coding's own memo lives on the coding)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlite_utils import Database

from coding.codebook.codes import get_code, new_guid
from coding.codings import CodingError, load_story
from coding.notes import notes_as_seen
from stories.db import write_transaction
from stories.trust.permissions import SYSTEM, Actor, can_code, require
from stories.clock import now_iso


@dataclass
class Memo:
    id: int
    guid: str
    story_seq: int | None
    code_id: int | None
    author: str
    text: str
    created_at: str


COLUMNS = "id, guid, story_seq, code_id, author, text, created_at"


def insert_memo(db: Database, text: str, author: str, *, story_seq: int | None = None, code_id: int | None = None,
                guid: str | None = None, created_at: str | None = None) -> int:
    """Insert inside the caller's transaction."""
    cursor = db.conn.execute(
        "INSERT INTO memos(guid, story_seq, code_id, author, text, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [guid or new_guid(), story_seq, code_id, author, text, created_at or now_iso()])
    return cursor.lastrowid


def add_memo(db: Database, text: str, *, story_id: str | int | None = None, code_id: int | None = None,
             actor: Actor = SYSTEM) -> Memo:
    """A memo on a story or on a code, by the actor."""
    require(can_code(actor), "write_memo")
    text = (text or "").strip()
    if not text:
        raise CodingError("a memo needs some text")
    if (story_id is None) == (code_id is None):
        raise ValueError("a memo is on a story or on a code")
    with write_transaction(db):
        seq = None
        if story_id is not None:
            seq, _ = load_story(db, story_id, actor)
        else:
            get_code(db, code_id)
        memo_id = insert_memo(db, text, actor.name, story_seq=seq, code_id=code_id)
    return list_memos(db, memo_id=memo_id, actor=actor)[0]


def list_memos(db: Database, *, story_seq: int | None = None, code_id: int | None = None,
               memo_id: int | None = None, actor: Actor = SYSTEM, purpose: str | None = None,
               lang: str | None = None) -> list[Memo]:
    """Memos of one story, one code or one id; with no argument, every memo. Their text as
    `actor` may see it for `purpose`: pseudonymised when `needs_pseudonymisation` says so."""
    where, params = "1", []
    if story_seq is not None:
        where, params = "story_seq = ?", [story_seq]
    elif code_id is not None:
        where, params = "code_id = ?", [code_id]
    elif memo_id is not None:
        where, params = "id = ?", [memo_id]
    rows = db.execute(f"SELECT {COLUMNS} FROM memos WHERE {where} ORDER BY created_at, id", params).fetchall()
    memos = [Memo(*r) for r in rows]
    texts = notes_as_seen(db, [(m.story_seq, m.text) for m in memos], actor=actor, purpose=purpose, lang=lang)
    return [replace(m, text=text) for m, text in zip(memos, texts)]


def delete_memo(db: Database, memo_id: int, *, actor: Actor = SYSTEM) -> None:
    require(can_code(actor), "write_memo")
    with write_transaction(db):
        found = list_memos(db, memo_id=memo_id)
        if not found:
            raise CodingError(f"no memo {memo_id}")
        if found[0].author != actor.name and actor.role not in ("admin", "system"):
            raise CodingError("only the author may delete a memo")
        db.conn.execute("DELETE FROM memos WHERE id = ?", [memo_id])
