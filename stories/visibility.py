"""Which stories a view may show: the one filter every listing, theme view and export applies.

`filter_sql` turns a `StoryFilter` (what the view asks for) and the actor (who asks) into one
WHERE clause: never deleted or withdrawn stories, nor imports still being written; the actor's
sites; the consent the view's purpose needs (and a guardian's under 15); and, for evaluation and
publication, only stories a person has reviewed when they arrived without staff. Whether a new
story waits for that review is decided here too (`review_columns`), so that storing and showing
read the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from stories.model import Story
from stories.staging import visible
from stories.trust.permissions import SYSTEM, Actor


@dataclass
class StoryFilter:
    """What a listing, a theme view or an export is restricted to. Empty means no restriction."""

    sites: Sequence[str] = ()
    teller_roles: Sequence[str] = ()
    polarities: Sequence[str] = ()
    mechanisms: Sequence[str] = ()
    sources: Sequence[str] = ()
    languages: Sequence[str] = ()
    date_from: str | None = None
    date_to: str | None = None
    search: str = ""
    teller_pseudonym: str = ""
    purpose: str | None = None  # the consent purpose the view serves
    include_demo: bool = True
    extra: dict[str, str] = field(default_factory=dict)
    story_ids: Sequence[str] | None = None


def fts_query(text: str) -> str:
    """A safe FTS5 query: every word quoted, prefix-matched, all required."""
    words = re.findall(r"\w+", text or "")
    return " ".join(f'"{w}"*' for w in words)


# Stories wait for a person's review when they arrive without staff (from /tell, a camp,
# an import); evaluators and exports for evaluation or publication see them only after
# review, unless an admin turned the requirement off for this install (`settings`).
REVIEW_OFF_SQL = "EXISTS (SELECT 1 FROM settings WHERE key = 'review_required' AND value = '0')"
REVIEWED_PURPOSES = ("evaluation", "publication")


def arrives_awaiting_review(story: Story, actor: Actor) -> bool:
    """Only a story staff typed into the form (seeing its personal-data findings) arrives reviewed."""
    return story.source != "form" or actor.role == "public"


REVIEW_COLUMNS = ("awaiting_review", "reviewed_by", "reviewed_at")


def review_columns(story: Story, actor: Actor, stamp: str) -> dict:
    """The review columns of a story `actor` stores at `stamp`: awaiting review, or reviewed by them."""
    if arrives_awaiting_review(story, actor):
        return {"awaiting_review": 1, "reviewed_by": None, "reviewed_at": None}
    return {"awaiting_review": 0, "reviewed_by": actor.name, "reviewed_at": stamp}


def filter_sql(f: StoryFilter, actor: Actor = SYSTEM, alias: str = "s") -> tuple[str, list]:
    """A WHERE clause (over `stories AS alias`) for the filter, the actor's scope, consent and review."""
    a = alias
    where = [f"{a}.deleted_at IS NULL", f"{a}.consent_withdrawn_at IS NULL", visible(a)]
    params: list = []

    def any_of(column: str, values: Sequence[str]) -> None:
        if values:
            where.append(f"{a}.{column} IN ({','.join('?' * len(values))})")
            params.extend(values)

    purpose = f.purpose
    if actor.role == "evaluator":
        purpose = "evaluation"
    elif actor.role in ("staff", "facilitator") and actor.sites:
        any_of("site", sorted(actor.sites))
    elif actor.role == "public":
        where.append("0")
    if purpose:
        if purpose not in ("internal", "evaluation", "publication"):
            raise ValueError(f"unknown consent purpose {purpose!r}")
        where.append(f"{a}.consent_{purpose} = 1 AND ({a}.teller_under_15 = 0 OR {a}.guardian_consent = 1)")
        if purpose in REVIEWED_PURPOSES:
            where.append(f"({a}.awaiting_review = 0 OR {REVIEW_OFF_SQL})")
    any_of("site", f.sites)
    any_of("teller_role", f.teller_roles)
    any_of("polarity", f.polarities)
    any_of("teller_mechanism", f.mechanisms)
    any_of("source", f.sources)
    any_of("language", f.languages)
    if f.story_ids is not None:
        any_of("id", list(f.story_ids)) if f.story_ids else where.append("0")
    day = f"COALESCE({a}.happened_on, substr({a}.created_at, 1, 10))"
    if f.date_from:
        where.append(f"{day} >= ?")
        params.append(f.date_from)
    if f.date_to:
        where.append(f"{day} <= ?")
        params.append(f.date_to)
    if f.teller_pseudonym:
        where.append(f"({a}.teller_pseudonym = ? OR json_extract({a}.extra, '$.about') = ?)")
        params.extend([f.teller_pseudonym, f.teller_pseudonym])
    if not f.include_demo:
        where.append(f"{a}.is_demo = 0")
    for key, value in f.extra.items():
        where.append(f"json_extract({a}.extra, ?) = ?")
        params.extend([f'$."{key}"', value])
    query = fts_query(f.search)
    if query:
        where.append(f"{a}.seq IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?)")
        params.append(query)
    elif f.search.strip():
        where.append("0")  # only punctuation: nothing can match
    return " AND ".join(where), params
