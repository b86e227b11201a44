"""Verification of a chosen story: who checked the facts with the teller or a witness, when, how, a note.

Only a story some panel chose can be verified; every report marks a chosen story that is not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from stories.msc.errors import MscInvalid
from stories.trust import audit
from stories.trust.permissions import SYSTEM, Actor, can_verify_story, require
from stories.validation import CONTROL_RE

METHODS = ("teller", "witness", "other")
MAX_NAME, MAX_NOTE = 80, 2_000
VERIFIED, UNVERIFIED = "verified", "unverified"


@dataclass(frozen=True)
class Verification:
    story_seq: int
    checked_by: str
    checked_on: str
    method: str  # teller, witness or other
    note: str
    recorded_at: str
    recorded_by: str


def _chosen(db: Database, story_seq: int) -> bool:
    return db.execute("SELECT 1 FROM msc_choices WHERE story_seq = ?", [story_seq]).fetchone() is not None


def verify_story(db: Database, story_id: str, checked_by: str, checked_on, method: str, note: str = "", *,
                 actor: Actor = SYSTEM, today: dt.date | None = None) -> Verification:
    """Record (or correct) who checked a chosen story's facts, when and how."""
    from stories.clock import now_iso
    from stories.db import write_transaction
    from stories.storage import StoryNotFound, get_story, story_seq

    try:
        story = get_story(db, story_id, actor=SYSTEM)
    except StoryNotFound:
        raise MscInvalid("msc.error.no_story") from None
    require(can_verify_story(actor, story.site), "verify_story")
    seq = story_seq(db, story_id)
    checked_by = " ".join(str(checked_by or "").split())
    note = str(note or "").replace("\r\n", "\n").strip()
    if not checked_by or len(checked_by) > MAX_NAME or CONTROL_RE.search(checked_by):
        raise MscInvalid("msc.error.checked_by", max=MAX_NAME)
    try:
        day = checked_on if isinstance(checked_on, dt.date) else dt.date.fromisoformat(str(checked_on or ""))
    except ValueError:
        raise MscInvalid("msc.error.checked_on", value=str(checked_on or "")[:40]) from None
    if day > (today or dt.date.today()):
        raise MscInvalid("msc.error.checked_on_future", value=day.isoformat())
    if method not in METHODS:
        raise MscInvalid("msc.error.verify_method")
    if len(note) > MAX_NOTE or CONTROL_RE.search(note):
        raise MscInvalid("msc.error.reasons_invalid", max=MAX_NOTE)
    stamp = now_iso()
    with write_transaction(db):
        if not _chosen(db, seq):
            raise MscInvalid("msc.error.not_chosen")
        db.conn.execute("INSERT OR REPLACE INTO msc_verifications (story_seq, checked_by, checked_on, method, note,"
                        " recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [seq, checked_by, day.isoformat(), method, note, stamp, actor.name])
        audit.log(db, actor, "msc_verify", story_id, method=method)
    return Verification(seq, checked_by, day.isoformat(), method, note, stamp, actor.name)


def verifications(db: Database, story_seqs: Sequence[int] | None = None) -> dict[int, Verification]:
    """story seq -> its verification (every verified story without `story_seqs`)."""
    rows = db.execute("SELECT story_seq, checked_by, checked_on, method, note, recorded_at, recorded_by"
                      " FROM msc_verifications").fetchall()
    wanted = set(story_seqs) if story_seqs is not None else None
    return {r[0]: Verification(*r) for r in rows if wanted is None or r[0] in wanted}


def status(chosen: bool, verification: Verification | None) -> str | None:
    """'verified', 'unverified' (chosen, not checked) or None (never chosen: nothing to verify)."""
    if verification is not None:
        return VERIFIED
    return UNVERIFIED if chosen else None
