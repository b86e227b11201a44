"""The admin's start page in numbers: stories this month, open camps, stories awaiting review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

from stories.trust.permissions import SYSTEM, Actor


@dataclass(frozen=True)
class Overview:
    stories_total: int
    stories_this_month: int  # stored since the first of this month
    open_camps: int
    awaiting_review: int  # stories from /tell, camps and imports not yet reviewed by staff


def overview(db: Database, *, actor: Actor = SYSTEM, today: dt.date | None = None) -> Overview:
    """What the actor may see, counted: their stories (scope and consent as in every listing) and camps."""
    from stories.camps.camps import list_camps
    from stories.privacy.review import count_awaiting_review
    from stories.visibility import StoryFilter, filter_sql

    today = today or dt.date.today()
    where, params = filter_sql(StoryFilter(), actor)
    total, this_month = db.execute(
        f"SELECT count(*), coalesce(sum(s.created_at >= ?), 0) FROM stories s WHERE {where}",
        [today.replace(day=1).isoformat(), *params],
    ).fetchone()
    camps = sum(1 for camp in list_camps(db, actor=actor) if camp.is_open())
    return Overview(total, this_month, camps, count_awaiting_review(db, actor))
