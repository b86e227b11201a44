"""One young person's stories and codes in order: the small steps over time.

A young person appears by pseudonym, in the stories they tell and in the stories staff
tell about them (`extra["about"]`); `StoryFilter.teller_pseudonym` matches both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlite_utils import Database

from coding.themes.groups import Selection
from coding.themes.kept import data_version, kept
from coding.themes.sentiment import MIN_WORDS
from stories.trust.permissions import SYSTEM, Actor
from stories.privacy.pseudonymised import needs_pseudonymisation
from stories.visibility import StoryFilter, filter_sql


@dataclass(frozen=True)
class TimelineEntry:
    story_id: str
    day: str
    title: str
    teller_role: str
    teller_pseudonym: str  # who told it (the young person, or staff about them)
    polarity: str
    mechanism: str
    code_ids: list[int]
    sentiment: float | None  # AFINN per 100 words, None when too few words


def pseudonyms(db: Database, f: StoryFilter | None = None, *, actor: Actor = SYSTEM) -> list[tuple[str, int]]:
    """Young people's pseudonyms with how many stories each has (told by or about them), most first
    (kept per process under the data's version: pseudonyms are no personal data)."""
    f = f or StoryFilter()
    return list(kept(("pseudonyms", data_version(db), Selection(f, actor=actor).key()),
                     lambda: _pseudonyms(db, f, actor)))


def _pseudonyms(db: Database, f: StoryFilter, actor: Actor) -> list[tuple[str, int]]:
    where, params = filter_sql(f, actor)
    rows = db.execute(
        "SELECT p, count(DISTINCT seq) FROM ("
        f" SELECT s.seq, s.teller_pseudonym AS p FROM stories AS s WHERE {where} AND s.teller_role = 'young_person'"
        f" UNION ALL SELECT s.seq, json_extract(s.extra, '$.about') FROM stories AS s WHERE {where}"
        ") WHERE p IS NOT NULL AND p != '' GROUP BY p ORDER BY 2 DESC, 1", params + params).fetchall()
    return [(p, n) for p, n in rows]


def timeline(db: Database, pseudonym: str, f: StoryFilter | None = None, *, actor: Actor = SYSTEM) -> list[TimelineEntry]:
    """The pseudonym's stories, oldest first, with the codes each carries and its sentiment (kept per
    process under the data's version, unless their titles are pseudonymised: those follow staff's
    corrections of personal data, which the version does not count)."""
    if not pseudonym:
        return []
    f = f or StoryFilter()
    if needs_pseudonymisation(actor, f.purpose):
        return _timeline(db, pseudonym, f, actor)
    return list(kept(("timeline", data_version(db), Selection(f, actor=actor).key(), pseudonym),
                     lambda: _timeline(db, pseudonym, f, actor)))


def _timeline(db: Database, pseudonym: str, f: StoryFilter, actor: Actor) -> list[TimelineEntry]:
    where, params = filter_sql(replace(f or StoryFilter(), teller_pseudonym=pseudonym), actor)
    rows = db.execute(
        "SELECT s.seq, s.id, COALESCE(s.happened_on, substr(s.created_at, 1, 10)), s.title, s.teller_role,"
        " s.teller_pseudonym, COALESCE(s.polarity, ''), s.teller_mechanism, n.words, n.sentiment"
        f" FROM stories AS s LEFT JOIN story_nlp AS n ON n.story_seq = s.seq WHERE {where} ORDER BY 3, s.seq",
        params).fetchall()
    seqs = [r[0] for r in rows]
    codes: dict[int, list[int]] = {}
    if seqs:
        marks = ",".join("?" * len(seqs))
        for seq, code_id in db.execute(
                f"SELECT DISTINCT story_seq, code_id FROM story_codes WHERE story_seq IN ({marks}) ORDER BY 1, 2", seqs):
            codes.setdefault(seq, []).append(code_id)
    titles = {r[1]: r[3] for r in rows}
    if rows and needs_pseudonymisation(actor, (f or StoryFilter()).purpose):
        from stories.privacy.pseudonymised import pseudonymise_stories
        from stories.storage import get_story

        stories = pseudonymise_stories(db, [get_story(db, r[1]) for r in rows])
        titles = {s.id: s.title for s in stories}
    return [
        TimelineEntry(r[1], r[2], titles[r[1]], r[4], r[5], r[6], r[7], codes.get(r[0], []),
                      100.0 * r[9] / r[8] if r[8] and r[8] >= MIN_WORDS else None)
        for r in rows
    ]
