"""Most Significant Change selection at a camp: groups, rounds, dots and chosen stories with reasons.

A camp is one kind of selection process (`stories.msc`): its groups are the process's panels,
its rounds the engine's rounds, the dots a group puts on stories the panel's tally. This module
is a thin layer in the camp's words (groups, dots, refusals under `camps.error.*`) over that
engine, and it returns the engine's own types: `Panel` (a group), `Round`, `Candidate`,
`Reason`, `Choice` (a group's chosen story) and `RoundResult`/`PanelResult`.
A round is one domain at one level. At level 1 each group reads the camp's stories of the
domain (all of them, or the ones distributed to it); at every later level the groups read the
stories chosen at the level below, with every earlier reason attached, and choose again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from sqlite_utils import Database

from stories.camps.camps import camp_story_as_seen, get_camp
from stories.msc import process as engine_process
from stories.msc import rounds as engine
from stories.msc.errors import MscInvalid
from stories.msc.process import Panel, Process
from stories.msc.results import RoundResult, round_results
from stories.msc.rounds import Candidate, Choice, Reason, Round
from stories.msc.told import Told
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


def _process(db: Database, camp_id: int, *, create: bool = True) -> Process | None:
    return engine_process.camp_process(db, camp_id, create=create)


def groups(db: Database, camp_id: int, level: int | None = None) -> list[Panel]:
    """The camp's groups (the process's panels), of one level if given."""
    process = _process(db, camp_id, create=False)
    return engine_process.panels(db, process.id, level) if process else []


@_speaking_camp
def add_group(db: Database, camp_id: int, level: int, name: str, *, actor: Actor = SYSTEM) -> Panel:
    """A group that selects at `level` (1 = the first level); a single group is a plenary."""
    camp = get_camp(db, camp_id, actor=actor)
    process = _process(db, camp.id)
    return engine_process.add_panel(db, process.id, level, name, actor=actor)


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
    return engine.rounds(db, process.id) if process else []


@_speaking_camp
def get_round(db: Database, round_id: int) -> Round:
    return engine.get_round(db, round_id)


@_speaking_camp
def open_round(db: Database, camp_id: int, level: int, domain: str, *, actor: Actor = SYSTEM) -> Round:
    """Start selecting in a domain at a level (the same round again if it exists).

    A later level needs groups at that level and a closed round below with a chosen story.
    """
    camp = get_camp(db, camp_id, actor=actor)
    if not 1 <= level <= len(camp.levels):
        raise SelectionInvalid("camps.error.level", max=len(camp.levels))
    process = _process(db, camp.id)
    return engine.open_round(db, process.id, level, domain, actor=actor)


@_speaking_camp
def close_round(db: Database, round_id: int, *, actor: Actor = SYSTEM) -> Round:
    """End a round; closing a closed round again is refused."""
    return engine.close_round(db, round_id, actor=actor)


@_speaking_camp
def reopen_round(db: Database, round_id: int, *, actor: Actor = SYSTEM) -> Round:
    """Open a closed round again, unless the level above has already started from it."""
    return engine.reopen_round(db, round_id, actor=actor)


def earlier_reasons(db: Database, camp_id: int, story_seq: int, below_level: int) -> tuple[Reason, ...]:
    """Every reason a group gave for choosing this story at a level below `below_level`."""
    process = _process(db, camp_id, create=False)
    return engine.earlier_reasons(db, process.id, story_seq, below_level) if process else ()


@_speaking_camp
def candidates(db: Database, round_id: int, group_id: int | None = None) -> list[Candidate]:
    """The stories a group reads in a round, each with the reasons given at earlier levels."""
    return engine.candidates(db, round_id, group_id)


@_speaking_camp
def record_votes(db: Database, round_id: int, group_id: int, dots: Mapping[int, int], *,
                 actor: Actor = SYSTEM) -> None:
    """Replace a group's dots in a round: {story seq: number of dots}."""
    engine.record_votes(db, round_id, group_id, dots, actor=actor)


@_speaking_camp
def record_selection(db: Database, round_id: int, group_id: int, story_seq: int, reasons: str, *,
                     actor: Actor = SYSTEM) -> Choice:
    """A group's choice of the most significant story in a round, and why (replaces an earlier choice)."""
    return engine.record_choice(db, round_id, group_id, story_seq, reasons, actor=actor)


def votes(db: Database, round_id: int, group_id: int) -> dict[int, int]:
    return engine.votes(db, round_id, group_id)


@_speaking_camp
def selections(db: Database, round_id: int) -> list[Choice]:
    return engine.choices(db, round_id)


def _as_seen(db: Database, story: Told, reasons: Sequence[Reason], texts: Sequence[str], actor: Actor,
             purpose: str | None, lang: str | None) -> tuple[Told, list[str], tuple[Reason, ...]]:
    """The story, `texts` about it and the earlier `reasons` as `actor` may see them for `purpose`."""
    notes = [*texts, *(n for r in reasons for n in (r.reasons, r.discussion))]
    shown, seen = camp_story_as_seen(db, story, notes, actor=actor, purpose=purpose, lang=lang)
    rest = seen[len(texts):]
    earlier = tuple(replace(r, reasons=rest[2 * i], discussion=rest[2 * i + 1]) for i, r in enumerate(reasons))
    return shown, seen[:len(texts)], earlier


def results(db: Database, camp_id: int, *, actor: Actor = SYSTEM, purpose: str | None = None,
            lang: str | None = None) -> list[RoundResult]:
    """Per round (domain and level): every group's dots and its chosen story with the reasons;
    names replaced when `needs_pseudonymisation(actor, purpose)` (the camp report)."""
    get_camp(db, camp_id, actor=actor)
    process = _process(db, camp_id, create=False)
    out = round_results(db, process) if process else []
    for result in out:
        for panel in result.panels:
            panel.tally = [(_as_seen(db, story, (), (), actor, purpose, lang)[0], total, voters)
                           for story, total, voters in panel.tally]
            if panel.choice is not None:
                c = panel.choice
                story, (reasons, discussion), earlier = _as_seen(db, c.story, c.earlier, (c.reasons, c.discussion),
                                                                 actor, purpose, lang)
                panel.choice = replace(c, story=story, reasons=reasons, discussion=discussion, earlier=earlier)
    return out


@dataclass(frozen=True)
class FeedbackItem:
    """A chosen story: how far it went, and every reason given on the way."""

    domain: str
    story: Told
    highest_level: int
    reasons: tuple[Reason, ...]


def feedback(db: Database, camp_id: int, *, actor: Actor = SYSTEM, purpose: str | None = "publication",
             lang: str | None = None) -> list[FeedbackItem]:
    """Every chosen story of the camp, by domain, the furthest-travelled first. For the tellers
    and the public link: names are replaced (purpose "publication") unless a caller asks otherwise."""
    process = _process(db, camp_id, create=False)
    if process is None:
        return []
    furthest: dict[tuple[str, int], tuple[int, Told]] = {}
    for rnd in engine.rounds(db, process.id):
        for choice in engine.choices(db, rnd.id):
            key = (rnd.domain, choice.story.seq)
            if key not in furthest or rnd.level > furthest[key][0]:
                furthest[key] = (rnd.level, choice.story)
    items = []
    for (domain, seq), (top, told) in furthest.items():
        reasons = engine.earlier_reasons(db, process.id, seq, top + 1)
        story, _, seen = _as_seen(db, told, reasons, (), actor, purpose, lang)
        items.append(FeedbackItem(domain, story, top, seen))
    return sorted(items, key=lambda i: (i.domain, -i.highest_level, i.story.seq))
