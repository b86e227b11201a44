"""Selection rounds: one domain at one level of a process, where each panel reads, votes or scores,
chooses the most significant story and writes why.

At level 1 a panel reads the stories of its scope: a period's stories of the domain (of its
sites), or the camp's stories of the domain (the ones given to it, if they were shared out).
At every later level it reads the stories chosen at the level below, with every earlier
reason attached. A story reaches a level only with consent for that level's purpose (and,
under 15, a guardian's consent): `stories.visibility.filter_sql` decides.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from stories.msc.errors import MscInvalid
from stories.msc.told import TOLD_COLUMNS, Told
from stories.msc.process import (
    Panel, Process, get_level, get_panel, get_process, levels, may_act_for, on_panel, panels, require_runner,
)
from stories.visibility import StoryFilter, filter_sql
from stories.trust import audit
from stories.trust.permissions import SYSTEM, Actor
from stories.validation import CONTROL_RE

MAX_REASONS = 5_000
MAX_DOTS = 999
MAX_SCORE = 5


@dataclass(frozen=True)
class Round:
    id: int
    process_id: int
    level: int
    domain: str
    opened_at: str
    closed_at: str | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class Reason:
    """Why a panel chose a story at a level, in the panel's own words."""

    level: int
    panel: str
    reasons: str
    discussion: str = ""


@dataclass(frozen=True)
class Candidate:
    story: Told
    earlier: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Choice:
    panel: Panel
    story: Told
    reasons: str
    discussion: str
    recorded_at: str
    recorded_by: str
    earlier: tuple[Reason, ...] = ()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


_ROUND_COLUMNS = "id, process_id, level, domain, opened_at, closed_at"


def rounds(db: Database, process_id: int) -> list[Round]:
    rows = db.execute(f"SELECT {_ROUND_COLUMNS} FROM msc_rounds WHERE process_id = ? ORDER BY level, domain",
                      [process_id]).fetchall()
    return [Round(*r) for r in rows]


def get_round(db: Database, round_id: int) -> Round:
    row = db.execute(f"SELECT {_ROUND_COLUMNS} FROM msc_rounds WHERE id = ?", [round_id]).fetchone()
    if row is None:
        raise MscInvalid("msc.error.no_round")
    return Round(*row)


def find_round(db: Database, process_id: int, level: int, domain: str) -> Round | None:
    row = db.execute("SELECT id FROM msc_rounds WHERE process_id = ? AND level = ? AND domain = ?",
                     [process_id, level, domain]).fetchone()
    return get_round(db, row[0]) if row else None


def process_domains(db: Database, process: Process) -> list[str]:
    """The domains a process selects in: the camp's, else the install's domains of change."""
    if process.kind == "camp":
        row = db.execute("SELECT domains FROM camps WHERE id = ?", [process.camp_id]).fetchone()
        return list(json.loads(row[0])) if row and json.loads(row[0]) else [""]
    from stories.msc.domains import domain_keys

    return domain_keys(db)


_TOLD = f"SELECT {TOLD_COLUMNS} FROM stories AS s LEFT JOIN camp_stories AS c ON c.story_seq = s.seq"


def _told(db: Database, process: Process, where: str, params: list) -> list[Told]:
    domain = "c.domain" if process.kind == "camp" else "COALESCE(s.domain, '')"
    sql = _TOLD.format(domain=domain) + f" WHERE {where} ORDER BY s.seq"
    return [Told(*r) for r in db.execute(sql, params).fetchall()]


def _scope(db: Database, process: Process, level: int, panel: Panel | None) -> tuple[str, list]:
    """WHERE over `stories AS s` for the stories that may reach `level` (for `panel`'s sites)."""
    lv = get_level(db, process, level)
    story_filter = StoryFilter(purpose=lv.purpose, sites=panel.sites if panel else ())
    if process.kind == "period" and level == 1:
        from stories.msc.periods import get_period

        period = get_period(db, process.period_id)
        story_filter.date_from, story_filter.date_to = period.starts_on, period.ends_on
    return filter_sql(story_filter, SYSTEM)


def candidates(db: Database, round_id: int, panel_id: int | None = None) -> list[Candidate]:
    """The stories a panel reads in a round (every panel's, without one), each with the earlier reasons."""
    rnd = get_round(db, round_id)
    return [Candidate(s, earlier_reasons(db, rnd.process_id, s.seq, rnd.level))
            for s in read_in_round(db, round_id, panel_id)]


def read_in_round(db: Database, round_id: int, panel_id: int | None = None, *,
                  among: Sequence[int] | None = None) -> list[Told]:
    """The stories a panel reads in a round, without the earlier reasons (only those `among`, if given)."""
    process, where, params = _reading_where(db, round_id, panel_id, among)
    return _told(db, process, where, params)


def seqs_read_in_round(db: Database, round_id: int, panel_id: int | None = None, *,
                       among: Sequence[int] | None = None) -> list[int]:
    """The same as `read_in_round`, the stories' keys only (for counts and exports)."""
    _, where, params = _reading_where(db, round_id, panel_id, among)
    sql = f"SELECT s.seq FROM stories AS s LEFT JOIN camp_stories AS c ON c.story_seq = s.seq WHERE {where}"
    return [r[0] for r in db.execute(sql + " ORDER BY s.seq", params).fetchall()]


def _reading_where(db: Database, round_id: int, panel_id: int | None, among: Sequence[int] | None
                   ) -> tuple[Process, str, list]:
    rnd = get_round(db, round_id)
    process = get_process(db, rnd.process_id)
    panel = get_panel(db, panel_id) if panel_id is not None else None
    where, params = _scope(db, process, rnd.level, panel)
    if rnd.level == 1 and process.kind == "camp":
        where += " AND c.camp_id = ? AND c.domain = ?"
        params += [process.camp_id, rnd.domain]
        if panel is not None:
            where += (" AND (NOT EXISTS (SELECT 1 FROM msc_assignments AS a WHERE a.story_seq = s.seq)"
                      " OR EXISTS (SELECT 1 FROM msc_assignments AS a WHERE a.story_seq = s.seq AND a.panel_id = ?))")
            params.append(panel.id)
    elif rnd.level == 1:
        where += " AND s.domain = ?"
        params.append(rnd.domain)
    else:
        where += (" AND s.seq IN (SELECT x.story_seq FROM msc_choices AS x JOIN msc_rounds AS r ON r.id = x.round_id"
                  " WHERE r.process_id = ? AND r.level = ? AND r.domain = ?)")
        params += [process.id, rnd.level - 1, rnd.domain]
    if among is not None:
        where += " AND s.seq IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(among)))
    return process, where, params


def earlier_reasons(db: Database, process_id: int, story_seq: int, below_level: int) -> tuple[Reason, ...]:
    """Every reason a panel gave for choosing this story at a level below `below_level`."""
    rows = db.execute(
        "SELECT r.level, p.name, x.reasons, x.discussion FROM msc_choices AS x JOIN msc_rounds AS r"
        " ON r.id = x.round_id JOIN msc_panels AS p ON p.id = x.panel_id WHERE r.process_id = ? AND x.story_seq = ?"
        " AND r.level < ? ORDER BY r.level, p.id", [process_id, story_seq, below_level]).fetchall()
    return tuple(Reason(*r) for r in rows)


def open_round(db: Database, process_id: int, level: int, domain: str, *, actor: Actor = SYSTEM) -> Round:
    """Start selecting in a domain at a level (the same round again if it exists).

    A later level needs panels at that level and a closed round below with a chosen story.
    """
    from stories.db import write_transaction

    process = get_process(db, process_id)
    require_runner(db, process, actor)
    get_level(db, process, level)
    if domain not in process_domains(db, process):
        raise MscInvalid("msc.error.domain")
    with write_transaction(db):
        return _open(db, process, level, domain, actor)


def _open(db: Database, process: Process, level: int, domain: str, actor: Actor) -> Round:
    existing = find_round(db, process.id, level, domain)
    if existing:
        return existing
    if not panels(db, process.id, level):
        raise MscInvalid("msc.error.no_panels")
    if level > 1:
        below = find_round(db, process.id, level - 1, domain)
        if below is None or below.is_open:
            raise MscInvalid("msc.error.close_below")
        if not db.execute("SELECT 1 FROM msc_choices WHERE round_id = ?", [below.id]).fetchone():
            raise MscInvalid("msc.error.nothing_chosen")
    cursor = db.conn.execute("INSERT INTO msc_rounds (process_id, level, domain, opened_at) VALUES (?, ?, ?, ?)",
                             [process.id, level, domain, _now()])
    audit.log(db, actor, "msc_round", str(cursor.lastrowid), change="open", level=level, domain=domain)
    return get_round(db, cursor.lastrowid)


def start_process(db: Database, process_id: int, *, actor: Actor = SYSTEM) -> list[Round]:
    """Open the first level's round in every domain (for a period's process), all in one transaction."""
    from stories.db import write_transaction

    process = get_process(db, process_id)
    require_runner(db, process, actor)
    if not panels(db, process.id, 1):
        raise MscInvalid("msc.error.no_panels")
    with write_transaction(db):
        return [_open(db, process, 1, domain, actor) for domain in process_domains(db, process)]


def close_round(db: Database, round_id: int, *, actor: Actor = SYSTEM) -> Round:
    """End a round (refused if it is closed already). Whoever runs the process may close it; a member of a
    panel at its level only once every panel there has chosen. In a period's process the next level's
    round opens by itself when there is something to read."""
    from stories.db import write_transaction

    rnd = get_round(db, round_id)
    process = get_process(db, rnd.process_id)
    _require_closer(db, process, rnd, actor)
    with write_transaction(db):
        if get_round(db, round_id).closed_at:
            raise MscInvalid("msc.error.round_already_closed")
        db.conn.execute("UPDATE msc_rounds SET closed_at = ?, closed_by = ? WHERE id = ?",
                        [_now(), actor.name, round_id])
        audit.log(db, actor, "msc_round", str(round_id), change="close")
        above = rnd.level + 1
        if (process.kind == "period" and above <= len(levels(db, process)) and panels(db, process.id, above)
                and db.execute("SELECT 1 FROM msc_choices WHERE round_id = ?", [round_id]).fetchone()):
            _open(db, process, above, rnd.domain, actor)
    return get_round(db, round_id)


def _require_closer(db: Database, process: Process, rnd: Round, actor: Actor) -> None:
    from stories.camps.camps import CampNotFound
    from stories.trust.permissions import PermissionDenied

    try:
        require_runner(db, process, actor)
        return
    except (PermissionDenied, CampNotFound) as exc:  # not the runner: maybe a member of a panel at this level
        refusal = exc
    level_panels = panels(db, process.id, rnd.level)
    if process.kind != "period" or not any(on_panel(actor, p) for p in level_panels):
        raise refusal
    chosen = {r[0] for r in db.execute("SELECT panel_id FROM msc_choices WHERE round_id = ?", [rnd.id])}
    if any(p.id not in chosen and candidates(db, rnd.id, p.id) for p in level_panels):
        raise MscInvalid("msc.error.panels_not_done")


def reopen_round(db: Database, round_id: int, *, actor: Actor = SYSTEM) -> Round:
    """Open a closed round again, unless a panel above has already voted or chosen from it."""
    from stories.db import write_transaction

    rnd = get_round(db, round_id)
    process = get_process(db, rnd.process_id)
    require_runner(db, process, actor)
    with write_transaction(db):
        above = find_round(db, process.id, rnd.level + 1, rnd.domain)
        if above is not None:
            used = db.execute("SELECT 1 FROM msc_choices WHERE round_id = ? UNION SELECT 1 FROM msc_votes"
                              " WHERE round_id = ?", [above.id, above.id]).fetchone()
            if used or process.kind == "camp":
                raise MscInvalid("msc.error.above_started")
            db.conn.execute("DELETE FROM msc_rounds WHERE id = ?", [above.id])  # opened by itself, never used
        db.conn.execute("UPDATE msc_rounds SET closed_at = NULL, closed_by = '' WHERE id = ?", [round_id])
        audit.log(db, actor, "msc_round", str(round_id), change="reopen")
    return get_round(db, round_id)


def _check_panel_in_round(db: Database, round_id: int, panel_id: int, actor: Actor) -> tuple[Round, Panel, Process]:
    rnd, panel = get_round(db, round_id), get_panel(db, panel_id)
    process = get_process(db, rnd.process_id)
    if panel.process_id != rnd.process_id or panel.level != rnd.level:
        raise MscInvalid("msc.error.panel_level")
    if not may_act_for(db, actor, panel):
        raise MscInvalid("msc.error.not_on_panel", panel=panel.name)
    if not rnd.is_open:
        raise MscInvalid("msc.error.round_closed")
    return rnd, panel, process


def voter_for(actor: Actor, panel: Panel) -> str:
    """Whose votes these are: the member's own, or '' for a meeting's tally recorded by a facilitator."""
    return actor.name if on_panel(actor, panel) else ""


def record_votes(db: Database, round_id: int, panel_id: int, values: Mapping[int, int], *,
                 actor: Actor = SYSTEM) -> None:
    """Replace the actor's votes (dots) or scores (1–5) in a round: {story seq: value}; 0 takes one back."""
    from stories.db import write_transaction

    _, panel, process = _check_panel_in_round(db, round_id, panel_id, actor)
    allowed = {c.story.seq for c in candidates(db, round_id, panel_id)}
    top = MAX_SCORE if process.method == "scores" else MAX_DOTS
    for seq, n in values.items():
        if seq not in allowed:
            raise MscInvalid("msc.error.not_candidate")
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= top:
            raise MscInvalid("msc.error.scores" if process.method == "scores" else "msc.error.dots", max=top)
    voter, stamp = voter_for(actor, panel), _now()
    with write_transaction(db):
        if not get_round(db, round_id).is_open:  # closed meanwhile
            raise MscInvalid("msc.error.round_closed")
        db.conn.execute("DELETE FROM msc_votes WHERE round_id = ? AND panel_id = ? AND voter = ?",
                        [round_id, panel_id, voter])
        db.conn.executemany("INSERT INTO msc_votes (round_id, panel_id, voter, story_seq, value, recorded_at,"
                            " recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(round_id, panel_id, voter, seq, n, stamp, actor.name) for seq, n in values.items() if n])


def _text(value: str | None, required_key: str | None) -> str:
    text = str(value or "").replace("\r\n", "\n").strip()
    if required_key and not text:
        raise MscInvalid(required_key)
    if len(text) > MAX_REASONS or CONTROL_RE.search(text):
        raise MscInvalid("msc.error.reasons_invalid", max=MAX_REASONS)
    return text


def record_choice(db: Database, round_id: int, panel_id: int, story_seq: int, reasons: str, discussion: str = "", *,
                  actor: Actor = SYSTEM) -> Choice:
    """A panel's choice of the most significant story in a round, why (in its own words), and how the
    discussion went; replaces the panel's earlier choice in the round."""
    from stories.db import write_transaction

    rnd, panel, _ = _check_panel_in_round(db, round_id, panel_id, actor)
    reasons = _text(reasons, "msc.error.reasons_required")
    discussion = _text(discussion, None)
    chosen = [c for c in candidates(db, round_id, panel_id) if c.story.seq == story_seq]
    if not chosen:
        raise MscInvalid("msc.error.not_candidate")
    stamp = _now()
    with write_transaction(db):
        if not get_round(db, round_id).is_open:
            raise MscInvalid("msc.error.round_closed")
        db.conn.execute("INSERT OR REPLACE INTO msc_choices (round_id, panel_id, story_seq, reasons, discussion,"
                        " recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [round_id, panel_id, story_seq, reasons, discussion, stamp, actor.name])
        audit.log(db, actor, "msc_choice", str(round_id), panel=panel_id, level=rnd.level)
    return Choice(panel, chosen[0].story, reasons, discussion, stamp, actor.name, chosen[0].earlier)


def votes(db: Database, round_id: int, panel_id: int, voter: str | None = None) -> dict[int, int]:
    """{story seq: value} of one voter (None: summed over the panel's voters)."""
    if voter is None:
        return dict(db.execute("SELECT story_seq, sum(value) FROM msc_votes WHERE round_id = ? AND panel_id = ?"
                               " GROUP BY story_seq", [round_id, panel_id]).fetchall())
    return dict(db.execute("SELECT story_seq, value FROM msc_votes WHERE round_id = ? AND panel_id = ? AND voter = ?",
                           [round_id, panel_id, voter]).fetchall())


def voters(db: Database, round_id: int, panel_id: int) -> dict[int, int]:
    """{story seq: how many voters gave it something}."""
    return dict(db.execute("SELECT story_seq, count(*) FROM msc_votes WHERE round_id = ? AND panel_id = ?"
                           " GROUP BY story_seq", [round_id, panel_id]).fetchall())


def choices(db: Database, round_id: int) -> list[Choice]:
    rnd = get_round(db, round_id)
    process = get_process(db, rnd.process_id)
    rows = db.execute("SELECT panel_id, story_seq, reasons, discussion, recorded_at, recorded_by FROM msc_choices"
                      " WHERE round_id = ? ORDER BY panel_id", [round_id]).fetchall()
    where, params = _scope(db, process, rnd.level, None)
    seqs = [r[1] for r in rows]
    where += f" AND s.seq IN ({','.join('?' * len(seqs)) or 'NULL'})"
    stories = {s.seq: s for s in _told(db, process, where, params + seqs)}
    return [Choice(get_panel(db, p), stories[seq], reasons, talk, at, by,
                   earlier_reasons(db, process.id, seq, rnd.level))
            for p, seq, reasons, talk, at, by in rows if seq in stories]
