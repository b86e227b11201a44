"""Most Significant Change selection at a camp: groups, rounds, dots and chosen stories with reasons.

A camp is one kind of selection process (`stories.msc`): its groups are the process's panels,
its rounds the engine's rounds, the dots a group puts on stories the panel's tally. This module
speaks the camp's words (groups, dots, the camp's stories under display names) over that engine.
A round is one domain at one level. At level 1 each group reads the camp's stories of the
domain (all of them, or the ones distributed to it); at every later level the groups read the
stories chosen at the level below, with every earlier reason attached, and choose again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from sqlite_utils import Database

from stories.camps.camps import CampStory, camp_stories, camp_story_as_seen, get_camp
from stories.msc import process as engine_process
from stories.msc import rounds as engine
from stories.msc.errors import MscInvalid
from stories.trust.permissions import SYSTEM, Actor

MAX_REASONS = engine.MAX_REASONS
MAX_DOTS = engine.MAX_DOTS
# engine message -> the camp's own message for it
_CAMP_KEYS = {
    "level": "level", "domain": "domain", "no_panels": "no_groups", "close_below": "close_below",
    "nothing_chosen": "nothing_chosen", "above_started": "above_started", "no_round": "no_round",
    "no_panel": "no_group", "panel_level": "group_level", "round_closed": "round_closed",
    "not_candidate": "not_candidate", "dots": "dots", "reasons_required": "reasons_required",
    "reasons_invalid": "reasons_invalid", "panel_exists": "group_exists", "panel_name": "group_name",
    "panel_has_choice": "group_has_selection",
}


class SelectionInvalid(MscInvalid):
    """A group, round, vote or selection cannot be recorded; `key` is the catalog message."""

    def __init__(self, key: str, **params):
        super().__init__(key, **params)
        self.args = (f"{key} {params}" if params else key,)  # the message names the key, as it always did


def _camp_error(exc: MscInvalid) -> MscInvalid:
    suffix = exc.key.removeprefix("msc.error.")
    return SelectionInvalid(f"camps.error.{_CAMP_KEYS[suffix]}", **exc.params) if suffix in _CAMP_KEYS else exc


def _speaking_camp(function):
    """Engine refusals in the camp's words."""
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except SelectionInvalid:
            raise
        except MscInvalid as exc:
            raise _camp_error(exc) from None
    wrapper.__doc__, wrapper.__name__ = function.__doc__, function.__name__
    return wrapper


@dataclass(frozen=True)
class Group:
    id: int
    camp_id: int
    level: int
    name: str


@dataclass(frozen=True)
class Round:
    id: int
    camp_id: int
    level: int
    domain: str
    opened_at: str
    closed_at: str | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class Reason:
    """Why a group chose a story at a level, in the group's own words."""

    level: int
    group: str
    reasons: str


@dataclass(frozen=True)
class Candidate:
    story: CampStory
    earlier: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Selection:
    group: Group
    story: CampStory
    reasons: str
    recorded_at: str
    earlier: tuple[Reason, ...] = ()


@dataclass
class GroupResult:
    group: Group
    votes: list[tuple[CampStory, int]] = field(default_factory=list)
    selection: Selection | None = None


@dataclass
class RoundResult:
    round: Round
    groups: list[GroupResult] = field(default_factory=list)


def _process(db: Database, camp_id: int, *, create: bool = True) -> engine_process.Process | None:
    return engine_process.camp_process(db, camp_id, create=create)


def _group(panel: engine_process.Panel, camp_id: int) -> Group:
    return Group(panel.id, camp_id, panel.level, panel.name)


def _round(db: Database, rnd: engine.Round) -> Round:
    camp_id = engine_process.get_process(db, rnd.process_id).camp_id
    return Round(rnd.id, camp_id, rnd.level, rnd.domain, rnd.opened_at, rnd.closed_at)


def _reasons(reasons) -> tuple[Reason, ...]:
    return tuple(Reason(r.level, r.panel, r.reasons) for r in reasons)


def _stories(db: Database, camp_id: int, seqs) -> dict[int, CampStory]:
    return {s.seq: s for s in camp_stories(db, camp_id, seqs=list(seqs))}


def groups(db: Database, camp_id: int, level: int | None = None) -> list[Group]:
    process = _process(db, camp_id, create=False)
    return [_group(p, camp_id) for p in engine_process.panels(db, process.id, level)] if process else []


@_speaking_camp
def add_group(db: Database, camp_id: int, level: int, name: str, *, actor: Actor = SYSTEM) -> Group:
    """A group that selects at `level` (1 = the first level); a single group is a plenary."""
    camp = get_camp(db, camp_id, actor=actor)
    process = _process(db, camp.id)
    return _group(engine_process.add_panel(db, process.id, level, name, actor=actor), camp.id)


@_speaking_camp
def remove_group(db: Database, group_id: int, *, actor: Actor = SYSTEM) -> None:
    """Remove a group that has not chosen a story yet."""
    engine_process.remove_panel(db, group_id, actor=actor)


@_speaking_camp
def distribute_stories(db: Database, camp_id: int, *, actor: Actor = SYSTEM) -> int:
    """Share each domain's stories out among the level-1 groups in turn; returns how many were given out."""
    from stories.db import write_transaction

    camp = get_camp(db, camp_id, actor=actor)
    first = groups(db, camp.id, 1)
    if not first:
        raise SelectionInvalid("camps.error.no_groups")
    with write_transaction(db):
        rows = db.execute("SELECT story_seq, domain FROM camp_stories WHERE camp_id = ? ORDER BY domain, story_seq",
                          [camp.id]).fetchall()
        db.conn.execute("DELETE FROM msc_assignments WHERE story_seq IN (SELECT story_seq FROM camp_stories"
                        " WHERE camp_id = ?)", [camp.id])
        turn: dict[str, int] = {}
        for seq, domain in rows:
            i = turn.get(domain, 0)
            turn[domain] = i + 1
            db.conn.execute("INSERT INTO msc_assignments (story_seq, panel_id) VALUES (?, ?)",
                            [seq, first[i % len(first)].id])
    return len(rows)


def rounds(db: Database, camp_id: int) -> list[Round]:
    process = _process(db, camp_id, create=False)
    return [_round(db, r) for r in engine.rounds(db, process.id)] if process else []


@_speaking_camp
def get_round(db: Database, round_id: int) -> Round:
    return _round(db, engine.get_round(db, round_id))


@_speaking_camp
def open_round(db: Database, camp_id: int, level: int, domain: str, *, actor: Actor = SYSTEM) -> Round:
    """Start selecting in a domain at a level (the same round again if it exists).

    A later level needs groups at that level and a closed round below with a chosen story.
    """
    camp = get_camp(db, camp_id, actor=actor)
    if not 1 <= level <= len(camp.levels):
        raise SelectionInvalid("camps.error.level", max=len(camp.levels))
    process = _process(db, camp.id)
    return _round(db, engine.open_round(db, process.id, level, domain, actor=actor))


@_speaking_camp
def close_round(db: Database, round_id: int, *, actor: Actor = SYSTEM) -> Round:
    """End a round; closing a closed round again is refused."""
    return _round(db, engine.close_round(db, round_id, actor=actor))


@_speaking_camp
def reopen_round(db: Database, round_id: int, *, actor: Actor = SYSTEM) -> Round:
    """Open a closed round again, unless the level above has already started from it."""
    return _round(db, engine.reopen_round(db, round_id, actor=actor))


def earlier_reasons(db: Database, camp_id: int, story_seq: int, below_level: int) -> tuple[Reason, ...]:
    """Every reason a group gave for choosing this story at a level below `below_level`."""
    process = _process(db, camp_id, create=False)
    return _reasons(engine.earlier_reasons(db, process.id, story_seq, below_level)) if process else ()


@_speaking_camp
def candidates(db: Database, round_id: int, group_id: int | None = None) -> list[Candidate]:
    """The stories a group reads in a round, each with the reasons given at earlier levels."""
    rnd = get_round(db, round_id)
    found = engine.candidates(db, round_id, group_id)
    stories = _stories(db, rnd.camp_id, [c.story.seq for c in found])
    return [Candidate(stories[c.story.seq], _reasons(c.earlier)) for c in found if c.story.seq in stories]


@_speaking_camp
def record_votes(db: Database, round_id: int, group_id: int, dots: Mapping[int, int], *,
                 actor: Actor = SYSTEM) -> None:
    """Replace a group's dots in a round: {story seq: number of dots}."""
    engine.record_votes(db, round_id, group_id, dots, actor=actor)


@_speaking_camp
def record_selection(db: Database, round_id: int, group_id: int, story_seq: int, reasons: str, *,
                     actor: Actor = SYSTEM) -> Selection:
    """A group's choice of the most significant story in a round, and why (replaces an earlier choice)."""
    rnd = get_round(db, round_id)
    choice = engine.record_choice(db, round_id, group_id, story_seq, reasons, actor=actor)
    story = _stories(db, rnd.camp_id, [story_seq])[story_seq]
    return Selection(_group(choice.panel, rnd.camp_id), story, choice.reasons, choice.recorded_at,
                     _reasons(choice.earlier))


def votes(db: Database, round_id: int, group_id: int) -> dict[int, int]:
    return engine.votes(db, round_id, group_id)


@_speaking_camp
def selections(db: Database, round_id: int) -> list[Selection]:
    rnd = get_round(db, round_id)
    chosen = engine.choices(db, round_id)
    stories = _stories(db, rnd.camp_id, [c.story.seq for c in chosen])
    return [Selection(_group(c.panel, rnd.camp_id), stories[c.story.seq], c.reasons, c.recorded_at,
                      _reasons(c.earlier)) for c in chosen if c.story.seq in stories]


def _reasons_as_seen(db: Database, story: CampStory, reasons: Sequence[str], actor: Actor, purpose: str | None,
                     lang: str | None) -> tuple[CampStory, list[str]]:
    return camp_story_as_seen(db, story, reasons, actor=actor, purpose=purpose, lang=lang)


def results(db: Database, camp_id: int, *, actor: Actor = SYSTEM, purpose: str | None = None,
            lang: str | None = None) -> list[RoundResult]:
    """Per round (domain and level): every group's dots and its chosen story with the reasons;
    names replaced when `needs_pseudonymisation(actor, purpose)` (the camp report)."""
    get_camp(db, camp_id, actor=actor)
    out = []
    for rnd in rounds(db, camp_id):
        chosen = {s.group.id: s for s in selections(db, rnd.id)}
        stories = {c.story.seq: c.story for c in candidates(db, rnd.id)}
        result = RoundResult(rnd)
        for group in groups(db, camp_id, rnd.level):
            dots = sorted(((stories[s], n) for s, n in votes(db, rnd.id, group.id).items() if s in stories),
                          key=lambda pair: (-pair[1], pair[0].seq))
            dots = [(_reasons_as_seen(db, story, (), actor, purpose, lang)[0], n) for story, n in dots]
            selection = chosen.get(group.id)
            if selection is not None:
                texts = [selection.reasons, *(r.reasons for r in selection.earlier)]
                story, seen = _reasons_as_seen(db, selection.story, texts, actor, purpose, lang)
                selection = replace(selection, story=story, reasons=seen[0], earlier=tuple(
                    replace(r, reasons=text) for r, text in zip(selection.earlier, seen[1:])))
            result.groups.append(GroupResult(group, dots, selection))
        out.append(result)
    return out


@dataclass(frozen=True)
class FeedbackItem:
    """A chosen story: how far it went, and every reason given on the way."""

    domain: str
    story: CampStory
    highest_level: int
    reasons: tuple[Reason, ...]


def feedback(db: Database, camp_id: int, *, actor: Actor = SYSTEM, purpose: str | None = "publication",
             lang: str | None = None) -> list[FeedbackItem]:
    """Every chosen story of the camp, by domain, the furthest-travelled first. For the tellers
    and the public link: names are replaced (purpose "publication") unless a caller asks otherwise."""
    process = _process(db, camp_id, create=False)
    if process is None:
        return []
    rows = db.execute("SELECT x.story_seq, r.domain, max(r.level) FROM msc_choices AS x JOIN msc_rounds AS r"
                      " ON r.id = x.round_id WHERE r.process_id = ? GROUP BY 1, 2", [process.id]).fetchall()
    stories = _stories(db, camp_id, [r[0] for r in rows])
    items = []
    for seq, domain, top in rows:
        if seq not in stories:
            continue
        reasons = earlier_reasons(db, camp_id, seq, top + 1)
        story, seen = _reasons_as_seen(db, stories[seq], [r.reasons for r in reasons], actor, purpose, lang)
        items.append(FeedbackItem(domain, story, top, tuple(replace(r, reasons=t) for r, t in zip(reasons, seen))))
    return sorted(items, key=lambda i: (i.domain, -i.highest_level, i.story.seq))
