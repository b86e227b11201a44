"""Coding stories and passages: who applied which code where, with memos, as a team.

A coding covers a whole story (start, end NULL) or a span of the story text (character
offsets, end exclusive). Each coder owns their codings; saving only ever touches the
saving coder's rows, so two coders saving the same story at once lose nothing.
`story_coders` records that a coder started or finished (saved) a story: with blind
coding on, a coder sees others' codings of a story only after saving their own.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

from sqlite_utils import Database

from coding.codebook.codes import CodeNotFound, get_code, new_guid
from coding.notes import notes_as_seen
from stories.db import write_transaction
from stories.errors import UserError
from stories.model import Story
from stories.privacy.pseudonymised import needs_pseudonymisation
from stories.trust.permissions import SYSTEM, Actor, can_code, require
from stories.clock import now_iso
from stories.storage import stored_story
from stories.visibility import StoryFilter, filter_sql

ORIGINS = ("manual", "suggestion", "import", "reconciled")
Span = tuple[int | None, int | None]
WHOLE: Span = (None, None)


class CodingError(UserError):
    """A coding that cannot be stored as asked."""


@dataclass
class Coding:
    id: int
    guid: str
    story_seq: int
    code_id: int
    coder: str
    start: int | None
    end: int | None
    memo: str
    created_at: str
    origin: str

    @property
    def span(self) -> Span:
        return (self.start, self.end)

    @property
    def whole_story(self) -> bool:
        return self.start is None


CODING_COLUMNS = "id, guid, story_seq, code_id, coder, start, end, memo, created_at, origin"


def _codings(db: Database, where: str, params: list) -> list[Coding]:
    rows = db.execute(f"SELECT {CODING_COLUMNS} FROM codings WHERE {where} ORDER BY story_seq,"
                      " start IS NOT NULL, start, end, code_id, coder, id", params).fetchall()
    return [Coding(*r) for r in rows]


def load_story(db: Database, story_ref: str | int, actor: Actor = SYSTEM) -> tuple[int, Story]:
    """(seq, story) for a story id (uuid) or seq the actor may read; the ORIGINAL story, whose
    text coding offsets refer to (for checks inside this package, never shown as it is)."""
    if isinstance(story_ref, int):
        row = db.execute("SELECT id FROM stories WHERE seq = ?", [story_ref]).fetchone()
        if not row:
            raise CodingError(f"no story {story_ref}")
        story_id = row[0]
    else:
        story_id = story_ref
    story = stored_story(db, story_id, actor=actor)
    seq = db.execute("SELECT seq FROM stories WHERE id = ?", [story_id]).fetchone()[0]
    return seq, story


def _as_seen(db: Database, codings: list[Coding], actor: Actor, purpose: str | None = None,
             lang: str | None = None) -> list[Coding]:
    """The codings with their memos as `actor` may see them (pseudonymised when the rule says so)."""
    if not needs_pseudonymisation(actor, purpose) or not any(c.memo for c in codings):
        return codings
    memos = notes_as_seen(db, [(c.story_seq, c.memo) for c in codings], actor=actor, purpose=purpose, lang=lang)
    return [replace(c, memo=memo) for c, memo in zip(codings, memos)]


def check_span(text: str, start: int | None, end: int | None) -> Span:
    """A valid span of `text` (code points, end exclusive) or the whole story."""
    if start is None and end is None:
        return WHOLE
    if start is None or end is None or not (0 <= start < end <= len(text)):
        raise CodingError(f"span {start}-{end} lies outside the story text (0-{len(text)})")
    return (int(start), int(end))


def _check_code(db: Database, code_id: int, *, allow_retired: bool = False) -> None:
    try:
        code = get_code(db, code_id)
    except CodeNotFound as exc:
        raise CodingError(str(exc)) from exc
    if code.is_group:
        raise CodingError(f"{code.name()!r} is a code group: choose one of its codes")
    if code.retired and not allow_retired:
        raise CodingError(f"{code.name()!r} is retired and not used for new coding")


def set_status(db: Database, seq: int, coder: str, done: bool | None = None) -> None:
    """Record that `coder` has started (done=None keeps a finished story finished) or finished a story."""
    stamp = now_iso()
    if done is None:
        db.conn.execute(
            "INSERT INTO story_coders(story_seq, coder, done, updated_at) VALUES (?, ?, 0, ?)"
            " ON CONFLICT(story_seq, coder) DO UPDATE SET updated_at = excluded.updated_at", [seq, coder, stamp])
    else:
        db.conn.execute(
            "INSERT INTO story_coders(story_seq, coder, done, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(story_seq, coder) DO UPDATE SET done = excluded.done, updated_at = excluded.updated_at",
            [seq, coder, int(done), stamp])


def insert_coding(db: Database, seq: int, code_id: int, coder: str, span: Span = WHOLE, memo: str = "",
                  origin: str = "manual", guid: str | None = None, created_at: str | None = None) -> int:
    """Insert one coding inside the caller's transaction; an identical coding is kept once."""
    if origin not in ORIGINS:
        raise ValueError(f"unknown origin {origin!r}")
    existing = db.execute(
        "SELECT id FROM codings WHERE story_seq = ? AND code_id = ? AND coder = ? AND start IS ? AND end IS ?"
        " AND (origin = 'reconciled') = ?", [seq, code_id, coder, span[0], span[1], origin == "reconciled"]
    ).fetchone()
    if existing:
        if memo:
            db.conn.execute("UPDATE codings SET memo = ? WHERE id = ?", [memo, existing[0]])
        return existing[0]
    cursor = db.conn.execute(
        "INSERT INTO codings(guid, story_seq, code_id, coder, start, end, memo, created_at, origin)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [guid or new_guid(), seq, code_id, coder, span[0], span[1], memo or "", created_at or now_iso(), origin])
    return cursor.lastrowid


def get_coding(db: Database, coding_id: int) -> Coding:
    found = _codings(db, "id = ?", [coding_id])
    if not found:
        raise CodingError(f"no coding {coding_id}")
    return found[0]


def add_coding(db: Database, story_id: str | int, code_id: int, *, start: int | None = None,
               end: int | None = None, memo: str = "", origin: str = "manual", coder: str | None = None,
               actor: Actor = SYSTEM) -> Coding:
    """Apply a code to a whole story or to a span of it, as `coder` (default: the actor)."""
    require(can_code(actor), "code")
    coder = coder or actor.name
    with write_transaction(db):
        seq, story = load_story(db, story_id, actor)
        span = check_span(story.text, start, end)
        _check_code(db, code_id)
        coding_id = insert_coding(db, seq, code_id, coder, span, memo, origin)
        set_status(db, seq, coder)
    return get_coding(db, coding_id)


def _own(coding: Coding, actor: Actor) -> None:
    if coding.coder != actor.name and actor.role not in ("admin", "system"):
        raise CodingError("only the coder who made a coding may change it")


def remove_coding(db: Database, coding_id: int, *, actor: Actor = SYSTEM) -> None:
    require(can_code(actor), "code")
    with write_transaction(db):
        _own(get_coding(db, coding_id), actor)
        db.conn.execute("DELETE FROM codings WHERE id = ?", [coding_id])


def set_coding_memo(db: Database, coding_id: int, memo: str, *, actor: Actor = SYSTEM) -> Coding:
    require(can_code(actor), "code")
    with write_transaction(db):
        _own(get_coding(db, coding_id), actor)
        db.conn.execute("UPDATE codings SET memo = ? WHERE id = ?", [(memo or "").strip(), coding_id])
    return get_coding(db, coding_id)


def save_coding(db: Database, story_id: str | int, selections: Mapping[Span, Collection[int]], *,
                memos: Mapping[tuple[int | None, int | None, int], str] | None = None, done: bool = True,
                coder: str | None = None, actor: Actor = SYSTEM) -> list[Coding]:
    """Make the coder's codings of the given spans exactly `selections`, in one transaction.

    `selections` maps a span ((None, None): the whole story; else sentence offsets) to the
    code ids applied there. Spans not named are left as they are; codings that stay keep
    their guid, time and memo. `memos` sets memos by (start, end, code_id). `done` marks the
    story as saved by this coder (then, with blind coding, others' codings become visible).
    """
    require(can_code(actor), "code")
    coder = coder or actor.name
    memos = memos or {}
    with write_transaction(db):
        seq, story = load_story(db, story_id, actor)
        wanted = {check_span(story.text, *span): set(ids) for span, ids in selections.items()}
        current = {
            (c.span, c.code_id): c for c in _codings(db, "story_seq = ? AND coder = ? AND origin != 'reconciled'",
                                                     [seq, coder]) if c.span in wanted}
        for (span, code_id), coding in current.items():
            if code_id not in wanted[span]:
                db.conn.execute("DELETE FROM codings WHERE id = ?", [coding.id])
        for span, code_ids in wanted.items():
            for code_id in sorted(code_ids):
                memo = memos.get((span[0], span[1], code_id), "")
                if (span, code_id) in current:
                    if memo and memo != current[(span, code_id)].memo:
                        db.conn.execute("UPDATE codings SET memo = ? WHERE id = ?",
                                        [memo, current[(span, code_id)].id])
                    continue
                _check_code(db, code_id)
                insert_coding(db, seq, code_id, coder, span, memo, "manual")
        set_status(db, seq, coder, done if done else None)
    return _codings(db, "story_seq = ? AND coder = ? AND origin != 'reconciled'", [seq, coder])


def mark_done(db: Database, story_id: str | int, done: bool = True, *, coder: str | None = None,
              actor: Actor = SYSTEM) -> None:
    require(can_code(actor), "code")
    with write_transaction(db):
        seq, _ = load_story(db, story_id, actor)
        set_status(db, seq, coder or actor.name, done)


def coder_status(db: Database, seq: int, coder: str) -> str:
    """'none', 'started' or 'done' for a coder on a story."""
    row = db.execute("SELECT done FROM story_coders WHERE story_seq = ? AND coder = ?", [seq, coder]).fetchone()
    return "none" if row is None else ("done" if row[0] else "started")


def blind_coding(db: Database) -> bool:
    row = db.execute("SELECT value FROM coding_settings WHERE key = 'blind_coding'").fetchone()
    return row is None or row[0] == "1"


def set_blind_coding(db: Database, on: bool, *, actor: Actor = SYSTEM) -> None:
    from stories.trust.permissions import can_manage_codebook

    require(can_manage_codebook(actor), "manage_codebook")
    with write_transaction(db):
        db.conn.execute("INSERT INTO coding_settings(key, value) VALUES ('blind_coding', ?)"
                        " ON CONFLICT(key) DO UPDATE SET value = excluded.value", ["1" if on else "0"])


def is_coder(db: Database, name: str) -> bool:
    """Whether `name` has started coding any story."""
    return db.execute("SELECT 1 FROM story_coders WHERE coder = ? LIMIT 1", [name]).fetchone() is not None


def may_see_others(db: Database, seq: int, coder: str, *, strict: bool = True) -> bool:
    """Whether `coder` may see other coders' codings of a story (blind coding).

    With blind coding on, a coder sees them once their own coding of the story is saved.
    Not strict (the agreement page): someone who codes nothing, such as a project lead
    reconciling, sees them too.
    """
    if not blind_coding(db) or coder_status(db, seq, coder) == "done":
        return True
    return not strict and not is_coder(db, coder)


def others_visible(db: Database, seqs: Collection[int], coder: str, *, strict: bool = True) -> set[int]:
    """The stories among `seqs` whose other coders' codings `coder` may see: `may_see_others`
    for many stories at once, in two small queries instead of two per story."""
    seqs = set(seqs)
    if not blind_coding(db) or (not strict and not is_coder(db, coder)):
        return seqs
    done = {r[0] for r in db.execute("SELECT story_seq FROM story_coders WHERE coder = ? AND done = 1", [coder])}
    return seqs & done


def story_codings(db: Database, story_id: str | int, *, actor: Actor = SYSTEM,
                  include_others: bool = True, lang: str | None = None) -> list[Coding]:
    """The codings of a story the actor may see: their own, and others' once blindness allows
    (memos pseudonymised for evaluators)."""
    seq, _ = load_story(db, story_id, actor)
    if include_others and may_see_others(db, seq, actor.name):
        return _as_seen(db, _codings(db, "story_seq = ?", [seq]), actor, lang=lang)
    return _as_seen(db, _codings(db, "story_seq = ? AND coder = ? AND origin != 'reconciled'", [seq, actor.name]),
                    actor, lang=lang)


def codings_of(db: Database, seq: int, coder: str, *, actor: Actor = SYSTEM, lang: str | None = None) -> list[Coding]:
    """A coder's own codings of a story (memos as `actor` may see them)."""
    return _as_seen(db, _codings(db, "story_seq = ? AND coder = ? AND origin != 'reconciled'", [seq, coder]),
                    actor, lang=lang)


def all_codings(db: Database, story_filter: StoryFilter | None = None, *, actor: Actor = SYSTEM,
                lang: str | None = None) -> list[Coding]:
    """Every coding of the stories the filter and the actor's scope allow (memos pseudonymised
    when `needs_pseudonymisation(actor, story_filter.purpose)`)."""
    story_filter = story_filter or StoryFilter()
    where, params = filter_sql(story_filter, actor)
    codings = _codings(db, f"story_seq IN (SELECT s.seq FROM stories AS s WHERE {where})", params)
    return _as_seen(db, codings, actor, story_filter.purpose, lang)


def record_suggestion(db: Database, story_id: str | int, code_id: int, coder: str, accepted: bool,
                      score: float | None = None, *, actor: Actor = SYSTEM) -> Coding | None:
    """Record a coder's answer to a code suggestion; accepting also codes the whole story.

    Returns the coding made (origin 'suggestion') when accepted, else None.
    """
    require(can_code(actor), "code")
    with write_transaction(db):
        seq, _ = load_story(db, story_id, actor)
        _check_code(db, code_id)
        db.conn.execute(
            "INSERT INTO suggestion_events(story_seq, code_id, coder, accepted, score, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", [seq, code_id, coder, int(bool(accepted)), score, now_iso()])
        coding_id = None
        if accepted:
            coding_id = insert_coding(db, seq, code_id, coder, WHOLE, "", "suggestion")
            set_status(db, seq, coder)
    return get_coding(db, coding_id) if coding_id else None


def suggestion_acceptance(db: Database) -> dict[int, tuple[int, int]]:
    """code_id -> (accepted, shown) over all recorded suggestion events."""
    rows = db.execute("SELECT code_id, sum(accepted), count(*) FROM suggestion_events GROUP BY code_id").fetchall()
    return {code_id: (int(acc), int(n)) for code_id, acc, n in rows}


def codings_version(db: Database) -> int:
    """A number that changes with every change to `codings` or `story_coders` (a key for caches)."""
    row = db.execute("SELECT value FROM coding_state WHERE key = 'version'").fetchone()
    return int(row[0]) if row else 0
