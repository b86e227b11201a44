"""Staff's corrections of the personal data found in a story: checked, then stored with it.

`add` marks text the detector missed, `remove` a false finding; `stories.privacy.pseudonymised`
applies them wherever the story is shown pseudonymised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from sqlite_utils import Database

from stories.privacy.pseudonymised import ACTIONS, TEXT_FIELDS, Correction, CorrectionInvalid
from stories.clock import now_iso
from stories.storage import get_story, story_seq
from stories.trust.permissions import SYSTEM, Actor, can_edit_story, require
from stories.validation import CONTROL_RE, MAX_SHORT


def check_correction(correction: Correction) -> Correction:
    from stories.privacy.detection import KINDS

    text = (correction.text or "").strip()
    if correction.action not in ACTIONS or correction.kind not in KINDS:
        raise CorrectionInvalid(f"unknown correction {correction.action!r}/{correction.kind!r}")
    if correction.field not in TEXT_FIELDS:
        raise CorrectionInvalid(f"corrections apply to {', '.join(TEXT_FIELDS)}, not {correction.field!r}")
    if not text or len(text) > MAX_SHORT or CONTROL_RE.search(text):
        raise CorrectionInvalid(f"a corrected finding must be 1 to {MAX_SHORT} characters of plain text")
    return replace(correction, text=text)


def save_corrections(db: Database, story_id: str, corrections: Iterable[Correction], *,
                     actor: Actor = SYSTEM) -> None:
    """Store staff's corrections with the story, replacing any earlier ones."""
    from stories.db import write_transaction

    story = get_story(db, story_id)
    require(can_edit_story(actor, story), "edit_story")
    checked = [check_correction(c) for c in corrections]
    stamp = now_iso()
    with write_transaction(db):
        seq = story_seq(db, story_id)
        db.conn.execute("DELETE FROM pii_corrections WHERE story_seq = ?", [seq])
        db.conn.executemany(
            "INSERT INTO pii_corrections(story_seq, field, action, kind, text, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(seq, c.field, c.action, c.kind, c.text, actor.name, stamp) for c in checked],
        )
