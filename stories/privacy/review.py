"""The review step: a person checks the personal data found in a story that arrived
without staff (from /tell, a story camp or an import) before evaluators see it.

Such stories are stored with `awaiting_review = 1` (`visibility.review_columns`);
`visibility.filter_sql` keeps them out of every evaluator's view and every listing or
export for evaluation or publication until staff of their site (or an admin) confirm or
correct the findings here. An admin can turn the requirement off for the install
(setting `review_required`). Every review, and who made it, goes in the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from stories.trust import audit
from stories.model import Story
from stories.trust.permissions import SYSTEM, Actor, can_review_story, require
from stories.settings import get_setting, set_setting
from stories.clock import now_iso
from stories.storage import StoryNotFound, get_story, story_seq
from stories.visibility import StoryFilter, filter_sql

REVIEWER_ROLES = ("admin", "system", "staff", "facilitator")


class NotAwaitingReview(StoryNotFound):
    """The story is not waiting for review (already reviewed, or entered by staff)."""


def review_required(db: Database) -> bool:
    """Whether stories that arrived without staff wait for review (the default) on this install."""
    return get_setting(db, "review_required") == "1"


def set_review_required(db: Database, required: bool, *, actor: Actor = SYSTEM) -> None:
    """Turn the review requirement on or off for the install (admins only; audited)."""
    set_setting(db, "review_required", "1" if required else "0", actor=actor)


def _awaiting_where(actor: Actor) -> tuple[str, list]:
    where, params = filter_sql(StoryFilter(), actor)
    return f"{where} AND s.awaiting_review = 1", params


def count_awaiting_review(db: Database, actor: Actor = SYSTEM) -> int:
    """How many stories wait for the actor's review (their sites; 0 for roles that do not review)."""
    if actor.role not in REVIEWER_ROLES:
        return 0
    where, params = _awaiting_where(actor)
    return db.execute(f"SELECT count(*) FROM stories AS s WHERE {where}", params).fetchone()[0]


def stories_awaiting_review(db: Database, *, actor: Actor = SYSTEM, limit: int | None = None) -> list[Story]:
    """The review list: stories the actor may review, oldest first."""
    if actor.role not in REVIEWER_ROLES:
        return []
    where, params = _awaiting_where(actor)
    sql = f"SELECT s.* FROM stories AS s WHERE {where} ORDER BY s.created_at, s.seq"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [Story.from_row(dict(zip(names, row))) for row in cursor.fetchall()]


def is_awaiting_review(db: Database, story_id: str) -> bool:
    row = db.execute("SELECT awaiting_review FROM stories WHERE id = ?", [story_id]).fetchone()
    return bool(row and row[0])


def review_story(db: Database, story_id: str, corrections: Sequence = (), *, actor: Actor = SYSTEM) -> Story:
    """Staff confirm the findings (corrections: what to add or not hide) and release the story.

    The corrections replace any stored earlier; the story, its corrections and the audit
    entry are written in one transaction.
    """
    from stories.db import write_transaction
    from stories.privacy.corrections import check_correction, save_corrections

    story = get_story(db, story_id, actor=actor)
    require(can_review_story(actor, story), "review_story")
    checked = [check_correction(c) for c in corrections]
    with write_transaction(db):
        if not is_awaiting_review(db, story_id):
            raise NotAwaitingReview(story_id)
        save_corrections(db, story_id, checked, actor=actor)
        db.conn.execute(
            "UPDATE stories SET awaiting_review = 0, reviewed_by = ?, reviewed_at = ? WHERE seq = ?",
            [actor.name, now_iso(), story_seq(db, story_id)],
        )
        audit.log(db, actor, "review_story", story_id,
                  added=sum(c.action == "add" for c in checked), removed=sum(c.action == "remove" for c in checked))
    return story
