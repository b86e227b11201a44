"""The coding queue: which stories a coder codes next, a page at a time, with who coded what.

Order: stories nobody has coded, then those coded by others only, then mine to finish, then
(on request) those I finished. One query joins `story_coders` once for the whole page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from sqlite_utils import Database

from stories.privacy.pseudonymised import needs_pseudonymisation, pseudonymise_titles
from stories.visibility import StoryFilter, filter_sql
from stories.trust.permissions import SYSTEM, Actor


@dataclass
class QueueItem:
    story_id: str
    seq: int
    title: str
    status: str  # none | started | done (for this coder)
    coders_done: int
    happened_on: str = ""  # the story's date (else the day it was stored)
    site: str = ""
    teller_role: str = ""
    coders: tuple[tuple[str, bool], ...] = ()  # (coder, finished) of everyone who has coded it


@dataclass
class QueuePage:
    items: list[QueueItem]
    total: int  # items in the whole queue, over all pages


QUEUE_RANK = """CASE WHEN c.mine IS NULL THEN (coalesce(c.others, 0) > 0) WHEN c.mine = 0 THEN 2 ELSE 3 END"""


def queue_page(db: Database, *, actor: Actor = SYSTEM, coder: str | None = None,
               story_filter: StoryFilter | None = None, include_done: bool = False, needs_second: bool = False,
               search: str = "", keep: str | None = None, limit: int | None = None, offset: int = 0,
               only: str | None = None) -> QueuePage:
    """One page of the coding queue (all of it without `limit`), and the size of the whole queue.

    Order: stories nobody has coded, then those coded by others only, then mine to finish,
    then (with `include_done`) those I finished. `needs_second`: only stories exactly one
    coder has finished, someone other than me (I could be their second coder). `keep`: a
    story id listed even when the other conditions would leave it out (the story on screen,
    just saved). `only`: that one story of the queue. `search`: a story number ("#38" or
    "38"), or words of the story (full-text, as the browse page searches) for those who may
    read the original text; evaluators, who see names replaced, search by number only. One
    query: who coded what is joined once, not looked up story by story. Titles are
    pseudonymised for evaluators, and for everyone when `story_filter` has a purpose that
    asks for it.
    """
    coder = coder or actor.name
    # The coding page's own queue (no filter given): the stories consented for evaluation, their
    # titles as the coder sees the story itself on that page (coding.coding_view), so a coder who
    # reads the original does not wait for the name model to pseudonymise titles; a filter given
    # with a purpose pseudonymises for that purpose.
    title_purpose = story_filter.purpose if story_filter else None
    story_filter = story_filter or StoryFilter(purpose="evaluation")
    if only is not None:
        story_filter = replace(story_filter, story_ids=[only])
    number = re.fullmatch(r"\s*#?\s*(\d+)\s*", search or "")
    if search.strip() and not number and not needs_pseudonymisation(actor):
        story_filter = replace(story_filter, search=search)
    where, params = filter_sql(story_filter, actor)
    if number:
        where += " AND s.seq = ?"
        params = [*params, int(number.group(1))]
    elif search.strip() and needs_pseudonymisation(actor):
        where += " AND 0"
    status = []
    if not include_done:
        status.append("(c.mine IS NULL OR c.mine = 0)")
    if needs_second:
        status.append("(coalesce(c.others, 0) = 1 AND (c.mine IS NULL OR c.mine = 0))")
    condition = " AND ".join(status) or "1"
    sql = f"""SELECT s.id, s.seq, s.title, COALESCE(s.happened_on, substr(s.created_at, 1, 10)), s.site,
                     s.teller_role, c.mine, coalesce(c.others, 0), c.names, count(*) OVER ()
              FROM stories AS s
              LEFT JOIN (SELECT story_seq, max(CASE WHEN coder = ? THEN done END) AS mine,
                                sum(coder != ? AND done = 1) AS others,
                                json_group_array(json_array(coder, done)) AS names
                         FROM story_coders GROUP BY story_seq) AS c ON c.story_seq = s.seq
              WHERE {where} AND ({condition} OR s.id IS ?)
              ORDER BY {QUEUE_RANK}, s.seq"""
    args = [coder, coder, *params, keep]
    rows = db.execute(sql + ("" if limit is None else " LIMIT ? OFFSET ?"),
                      args + ([] if limit is None else [int(limit), int(offset)])).fetchall()
    if needs_pseudonymisation(actor, title_purpose):
        titles = pseudonymise_titles(db, [(r[0], r[2]) for r in rows])
        rows = [(r[0], r[1], title, *r[3:]) for r, title in zip(rows, titles)]
    items = []
    for story_id, seq, title, day, site, role, mine, others, names, _ in rows:
        state = "none" if mine is None else ("done" if mine else "started")
        coders = tuple(sorted((name, bool(done)) for name, done in json.loads(names))) if names else ()
        items.append(QueueItem(story_id, seq, title, state, others + (state == "done"), day or "", site, role, coders))
    if rows:
        total = rows[0][-1]
    else:  # past the last page, or an empty queue
        total = db.execute(f"SELECT count(*) FROM ({sql})", args).fetchone()[0] if offset else 0
    return QueuePage(items, total)


def queue_item(db: Database, story_id: str, *, actor: Actor = SYSTEM, coder: str | None = None) -> QueueItem | None:
    """One story as the queue lists it (None when it is not in the actor's queue at all)."""
    found = queue_page(db, actor=actor, coder=coder, include_done=True,
                       only=story_id).items
    return found[0] if found else None


def coding_queue(db: Database, *, actor: Actor = SYSTEM, coder: str | None = None,
                 story_filter: StoryFilter | None = None, include_done: bool = False) -> list[QueueItem]:
    """Stories to code: not yet coded by anyone, then coded by others only, then mine to finish."""
    return queue_page(db, actor=actor, coder=coder, story_filter=story_filter, include_done=include_done).items
