"""Most Significant Change selection at a camp: groups, rounds, dots and chosen stories with reasons.

A round is one domain at one level. At level 1 each group reads the camp's stories of the
domain (all of them, or the ones distributed to it); at every later level the groups read
the stories chosen at the level below, with every earlier reason attached, and choose again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlite_utils import Database

from stories.camps.camps import Camp, CampStory, camp_stories, clean_line, get_camp
from stories.errors import UserError
from stories.trust.permissions import SYSTEM, Actor
from stories.validation import CONTROL_RE

MAX_REASONS = 5_000
MAX_DOTS = 999


class SelectionInvalid(UserError, ValueError):
    """A group, round, vote or selection cannot be recorded; `key` is the catalog message."""

    def __init__(self, key: str, **params):
        self.key, self.params = key, params
        super().__init__(f"{key} {params}" if params else key)


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


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def groups(db: Database, camp_id: int, level: int | None = None) -> list[Group]:
    sql, params = "SELECT id, camp_id, level, name FROM camp_groups WHERE camp_id = ?", [camp_id]
    if level is not None:
        sql, params = sql + " AND level = ?", params + [level]
    return [Group(*r) for r in db.execute(sql + " ORDER BY level, id", params).fetchall()]


def _group(db: Database, group_id: int) -> Group:
    row = db.execute("SELECT id, camp_id, level, name FROM camp_groups WHERE id = ?", [group_id]).fetchone()
    if row is None:
        raise SelectionInvalid("camps.error.no_group")
    return Group(*row)


def add_group(db: Database, camp_id: int, level: int, name: str, *, actor: Actor = SYSTEM) -> Group:
    """A group that selects at `level` (1 = the first level); a single group is a plenary."""
    from stories.db import write_transaction

    camp = get_camp(db, camp_id, actor=actor)
    name = clean_line(name)
    if not 1 <= level <= len(camp.levels):
        raise SelectionInvalid("camps.error.level", max=len(camp.levels))
    if not name or len(name) > 80 or CONTROL_RE.search(name):
        raise SelectionInvalid("camps.error.group_name")
    with write_transaction(db):
        if db.execute("SELECT 1 FROM camp_groups WHERE camp_id = ? AND level = ? AND name = ?",
                      [camp.id, level, name]).fetchone():
            raise SelectionInvalid("camps.error.group_exists", name=name)
        cursor = db.conn.execute("INSERT INTO camp_groups (camp_id, level, name) VALUES (?, ?, ?)",
                                 [camp.id, level, name])
    return Group(cursor.lastrowid, camp.id, level, name)


def remove_group(db: Database, group_id: int, *, actor: Actor = SYSTEM) -> None:
    """Remove a group that has not chosen a story yet."""
    from stories.db import write_transaction

    group = _group(db, group_id)
    get_camp(db, group.camp_id, actor=actor)
    with write_transaction(db):
        if db.execute("SELECT 1 FROM camp_selections WHERE group_id = ?", [group_id]).fetchone():
            raise SelectionInvalid("camps.error.group_has_selection")
        db.conn.execute("DELETE FROM camp_groups WHERE id = ?", [group_id])


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
        turn: dict[str, int] = {}
        for seq, domain in rows:
            i = turn.get(domain, 0)
            turn[domain] = i + 1
            db.conn.execute("UPDATE camp_stories SET group_id = ? WHERE story_seq = ?", [first[i % len(first)].id, seq])
    return len(rows)


def rounds(db: Database, camp_id: int) -> list[Round]:
    rows = db.execute("SELECT id, camp_id, level, domain, opened_at, closed_at FROM camp_rounds WHERE camp_id = ?"
                      " ORDER BY level, domain", [camp_id]).fetchall()
    return [Round(*r) for r in rows]


def get_round(db: Database, round_id: int) -> Round:
    row = db.execute("SELECT id, camp_id, level, domain, opened_at, closed_at FROM camp_rounds WHERE id = ?",
                     [round_id]).fetchone()
    if row is None:
        raise SelectionInvalid("camps.error.no_round")
    return Round(*row)


def _find_round(db: Database, camp_id: int, level: int, domain: str) -> Round | None:
    row = db.execute("SELECT id FROM camp_rounds WHERE camp_id = ? AND level = ? AND domain = ?",
                     [camp_id, level, domain]).fetchone()
    return get_round(db, row[0]) if row else None


def open_round(db: Database, camp_id: int, level: int, domain: str, *, actor: Actor = SYSTEM) -> Round:
    """Start selecting in a domain at a level (the same round again if it exists).

    A later level needs groups at that level and a closed round below with a chosen story.
    """
    from stories.db import write_transaction

    camp = get_camp(db, camp_id, actor=actor)
    if not 1 <= level <= len(camp.levels):
        raise SelectionInvalid("camps.error.level", max=len(camp.levels))
    if domain not in (camp.domains or ("",)):
        raise SelectionInvalid("camps.error.domain")
    with write_transaction(db):
        existing = _find_round(db, camp.id, level, domain)
        if existing:
            return existing
        if not groups(db, camp.id, level):
            raise SelectionInvalid("camps.error.no_groups")
        if level > 1:
            below = _find_round(db, camp.id, level - 1, domain)
            if below is None or below.is_open:
                raise SelectionInvalid("camps.error.close_below")
            if not db.execute("SELECT 1 FROM camp_selections WHERE round_id = ?", [below.id]).fetchone():
                raise SelectionInvalid("camps.error.nothing_chosen")
        cursor = db.conn.execute("INSERT INTO camp_rounds (camp_id, level, domain, opened_at) VALUES (?, ?, ?, ?)",
                                 [camp.id, level, domain, _now()])
    return get_round(db, cursor.lastrowid)


def close_round(db: Database, round_id: int, *, actor: Actor = SYSTEM) -> Round:
    from stories.db import write_transaction

    rnd = get_round(db, round_id)
    get_camp(db, rnd.camp_id, actor=actor)
    with write_transaction(db):
        db.conn.execute("UPDATE camp_rounds SET closed_at = COALESCE(closed_at, ?) WHERE id = ?", [_now(), round_id])
    return get_round(db, round_id)


def reopen_round(db: Database, round_id: int, *, actor: Actor = SYSTEM) -> Round:
    """Open a closed round again, unless the level above has already started from it."""
    from stories.db import write_transaction

    rnd = get_round(db, round_id)
    get_camp(db, rnd.camp_id, actor=actor)
    with write_transaction(db):
        if _find_round(db, rnd.camp_id, rnd.level + 1, rnd.domain):
            raise SelectionInvalid("camps.error.above_started")
        db.conn.execute("UPDATE camp_rounds SET closed_at = NULL WHERE id = ?", [round_id])
    return get_round(db, round_id)


def earlier_reasons(db: Database, camp_id: int, story_seq: int, below_level: int) -> tuple[Reason, ...]:
    """Every reason a group gave for choosing this story at a level below `below_level`."""
    rows = db.execute(
        "SELECT r.level, g.name, x.reasons FROM camp_selections AS x JOIN camp_rounds AS r ON r.id = x.round_id"
        " JOIN camp_groups AS g ON g.id = x.group_id WHERE r.camp_id = ? AND x.story_seq = ? AND r.level < ?"
        " ORDER BY r.level, g.id", [camp_id, story_seq, below_level]).fetchall()
    return tuple(Reason(*r) for r in rows)


def candidates(db: Database, round_id: int, group_id: int | None = None) -> list[Candidate]:
    """The stories a group reads in a round, each with the reasons given at earlier levels."""
    rnd = get_round(db, round_id)
    if rnd.level == 1:
        stories = camp_stories(db, rnd.camp_id, domain=rnd.domain)
        if group_id is not None:
            mine = {r[0] for r in db.execute("SELECT story_seq FROM camp_stories WHERE camp_id = ? AND"
                                             " (group_id IS NULL OR group_id = ?)", [rnd.camp_id, group_id])}
            stories = [s for s in stories if s.seq in mine]
    else:
        below = _find_round(db, rnd.camp_id, rnd.level - 1, rnd.domain)
        seqs = [r[0] for r in db.execute("SELECT DISTINCT story_seq FROM camp_selections WHERE round_id = ?",
                                         [below.id if below else -1])]
        stories = camp_stories(db, rnd.camp_id, seqs=seqs)
    return [Candidate(s, earlier_reasons(db, rnd.camp_id, s.seq, rnd.level)) for s in stories]


def _check_group_in_round(db: Database, round_id: int, group_id: int, actor: Actor) -> tuple[Round, Group, Camp]:
    rnd, group = get_round(db, round_id), _group(db, group_id)
    camp = get_camp(db, rnd.camp_id, actor=actor)
    if group.camp_id != rnd.camp_id or group.level != rnd.level:
        raise SelectionInvalid("camps.error.group_level")
    if not rnd.is_open:
        raise SelectionInvalid("camps.error.round_closed")
    return rnd, group, camp


def record_votes(db: Database, round_id: int, group_id: int, dots: Mapping[int, int], *,
                 actor: Actor = SYSTEM) -> None:
    """Replace a group's dots in a round: {story seq: number of dots}."""
    from stories.db import write_transaction

    _check_group_in_round(db, round_id, group_id, actor)
    allowed = {c.story.seq for c in candidates(db, round_id, group_id)}
    for seq, n in dots.items():
        if seq not in allowed:
            raise SelectionInvalid("camps.error.not_candidate")
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= MAX_DOTS:
            raise SelectionInvalid("camps.error.dots", max=MAX_DOTS)
    with write_transaction(db):
        db.conn.execute("DELETE FROM camp_votes WHERE round_id = ? AND group_id = ?", [round_id, group_id])
        db.conn.executemany("INSERT INTO camp_votes (round_id, group_id, story_seq, dots) VALUES (?, ?, ?, ?)",
                            [(round_id, group_id, seq, n) for seq, n in dots.items() if n])


def record_selection(db: Database, round_id: int, group_id: int, story_seq: int, reasons: str, *,
                     actor: Actor = SYSTEM) -> Selection:
    """A group's choice of the most significant story in a round, and why (replaces an earlier choice)."""
    from stories.db import write_transaction

    rnd, group, _ = _check_group_in_round(db, round_id, group_id, actor)
    reasons = str(reasons or "").replace("\r\n", "\n").strip()
    if not reasons:
        raise SelectionInvalid("camps.error.reasons_required")
    if len(reasons) > MAX_REASONS or CONTROL_RE.search(reasons):
        raise SelectionInvalid("camps.error.reasons_invalid", max=MAX_REASONS)
    chosen = [c for c in candidates(db, round_id, group_id) if c.story.seq == story_seq]
    if not chosen:
        raise SelectionInvalid("camps.error.not_candidate")
    stamp = _now()
    with write_transaction(db):
        db.conn.execute("INSERT OR REPLACE INTO camp_selections (round_id, group_id, story_seq, reasons, recorded_at,"
                        " recorded_by) VALUES (?, ?, ?, ?, ?, ?)",
                        [round_id, group_id, story_seq, reasons, stamp, actor.name])
    return Selection(group, chosen[0].story, reasons, stamp, chosen[0].earlier)


def votes(db: Database, round_id: int, group_id: int) -> dict[int, int]:
    return dict(db.execute("SELECT story_seq, dots FROM camp_votes WHERE round_id = ? AND group_id = ?",
                           [round_id, group_id]).fetchall())


def selections(db: Database, round_id: int) -> list[Selection]:
    rnd = get_round(db, round_id)
    rows = db.execute("SELECT group_id, story_seq, reasons, recorded_at FROM camp_selections WHERE round_id = ?"
                      " ORDER BY group_id", [round_id]).fetchall()
    stories = {s.seq: s for s in camp_stories(db, rnd.camp_id, seqs=[r[1] for r in rows])}
    return [Selection(_group(db, g), stories[seq], reasons, at, earlier_reasons(db, rnd.camp_id, seq, rnd.level))
            for g, seq, reasons, at in rows if seq in stories]


def results(db: Database, camp_id: int, *, actor: Actor = SYSTEM) -> list[RoundResult]:
    """Per round (domain and level): every group's dots and its chosen story with the reasons."""
    get_camp(db, camp_id, actor=actor)
    out = []
    for rnd in rounds(db, camp_id):
        chosen = {s.group.id: s for s in selections(db, rnd.id)}
        stories = {c.story.seq: c.story for c in candidates(db, rnd.id)}
        result = RoundResult(rnd)
        for group in groups(db, camp_id, rnd.level):
            dots = sorted(((stories[s], n) for s, n in votes(db, rnd.id, group.id).items() if s in stories),
                          key=lambda pair: (-pair[1], pair[0].seq))
            result.groups.append(GroupResult(group, dots, chosen.get(group.id)))
        out.append(result)
    return out


@dataclass(frozen=True)
class FeedbackItem:
    """A chosen story: how far it went, and every reason given on the way."""

    domain: str
    story: CampStory
    highest_level: int
    reasons: tuple[Reason, ...]


def feedback(db: Database, camp_id: int) -> list[FeedbackItem]:
    """Every chosen story of the camp, by domain, the furthest-travelled first (for tellers: no actor)."""
    rows = db.execute("SELECT x.story_seq, r.domain, max(r.level) FROM camp_selections AS x JOIN camp_rounds AS r"
                      " ON r.id = x.round_id WHERE r.camp_id = ? GROUP BY 1, 2", [camp_id]).fetchall()
    stories = {s.seq: s for s in camp_stories(db, camp_id, seqs=[r[0] for r in rows])}
    items = [FeedbackItem(domain, stories[seq], top, earlier_reasons(db, camp_id, seq, top + 1))
             for seq, domain, top in rows if seq in stories]
    return sorted(items, key=lambda i: (i.domain, -i.highest_level, i.story.seq))
