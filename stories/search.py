"""Listing stories: search, ranking, paging and counts over `stories.visibility.filter_sql`.

A listing is the seqs of the matching stories in order (best full-text match first when
searching, else newest first); a page of it is a slice of those seqs read with
`stories.storage.stories_by_seq`. Withdrawn and deleted stories never leave through a listing:
`filter_sql` leaves them out.
"""

from __future__ import annotations

from dataclasses import replace

from sqlite_utils import Database

from stories.model import Story
from stories.storage import stories_by_seq
from stories.visibility import StoryFilter, filter_sql, fts_query
from stories.trust.permissions import SYSTEM, Actor

ORDER_NEWEST = "COALESCE(s.happened_on, substr(s.created_at, 1, 10)) DESC, s.seq DESC"


def _ranked_sql(f: StoryFilter, actor: Actor) -> tuple[str, list]:
    """SELECT s.seq of the matching stories, best match first when searching, else newest first.

    A search joins the full-text match once and orders by its `rank` (bm25), so bm25 is
    computed once per matching story and query, not once per pair of them.
    """
    query = fts_query(f.search)
    where, params = filter_sql(replace(f, search="") if query else f, actor)
    if not query:
        return f"SELECT s.seq FROM stories AS s WHERE {where} ORDER BY {ORDER_NEWEST}", params
    return (f"SELECT s.seq FROM (SELECT rowid, rank FROM stories_fts WHERE stories_fts MATCH ?) AS m"
            f" JOIN stories AS s ON s.seq = m.rowid WHERE {where} ORDER BY m.rank, {ORDER_NEWEST}",
            [query, *params])


def ranked_seqs(db: Database, f: StoryFilter | None = None, *, actor: Actor = SYSTEM,
                limit: int | None = None, offset: int = 0) -> list[int]:
    """The seqs of the stories `query_stories` lists, in its order: plain integers a page may
    keep to show further pages without running the search again."""
    sql, params = _ranked_sql(f or StoryFilter(), actor)
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    elif offset:
        sql += f" LIMIT -1 OFFSET {int(offset)}"
    return [r[0] for r in db.execute(sql, params)]


def stored_stories(
    db: Database, f: StoryFilter | None = None, *, actor: Actor = SYSTEM, limit: int | None = None, offset: int = 0
) -> list[Story]:
    """The listing `query_stories` gives, with the ORIGINAL text: for domain code that maps
    character offsets or pseudonymises with its own numbering (coding, the exports), and
    decides with `needs_pseudonymisation` what it hands on. Pages never call it (a test checks)."""
    return stories_by_seq(db, ranked_seqs(db, f, actor=actor, limit=limit, offset=offset))


def query_stories(
    db: Database, f: StoryFilter | None = None, *, actor: Actor = SYSTEM, limit: int | None = None, offset: int = 0,
    lang: str | None = None,
) -> list[Story]:
    """Stories matching the filter that the actor may see, newest first (best match first when
    searching); pseudonymised when `needs_pseudonymisation(actor, f.purpose)`, and an evaluator's
    read is audited."""
    from stories.privacy.pseudonymised import needs_pseudonymisation, shown_stories

    f = f or StoryFilter()
    stories = stored_stories(db, f, actor=actor, limit=limit, offset=offset)
    if not needs_pseudonymisation(actor, f.purpose):
        return stories
    if actor.role == "evaluator" and stories:
        from stories.trust import audit

        audit.log(db, actor, "read_stories", n=len(stories), ids=[s.id for s in stories])
    return shown_stories(db, stories, actor, f.purpose, lang)


def count_stories(db: Database, f: StoryFilter | None = None, *, actor: Actor = SYSTEM) -> int:
    where, params = filter_sql(f or StoryFilter(), actor)
    return db.execute(f"SELECT count(*) FROM stories AS s WHERE {where}", params).fetchone()[0]
