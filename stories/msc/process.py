"""Selection processes: who selects, at which levels, from which stories.

A process is one run of Most Significant Change selection. Of kind 'period' it selects from
the stories already told in a reporting period; of kind 'camp' from the stories a camp
collects live (the camp's own levels). Each level has panels (a team per site, the
leadership, the board or funder), each reading the stories of its scope: its sites, or all.
Panel members are signed-in users; a facilitator may also record a panel's meeting.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from stories.msc.errors import MscInvalid
from stories.trust import audit
from stories.trust.permissions import SYSTEM, Actor, can_act_for_panel, can_run_selection, require
from stories.validation import CONTROL_RE

PURPOSES = ("internal", "evaluation", "publication")
METHODS = ("votes", "scores")
MAX_LEVELS, MAX_NAME = 5, 80
DEFAULT_LEVELS = (("Team", "internal"), ("Ledelse", "internal"), ("Bestyrelse og fond", "evaluation"))


@dataclass(frozen=True)
class Level:
    level: int
    name: str
    purpose: str = "internal"  # the consent a story needs to reach this level


@dataclass(frozen=True)
class Process:
    id: int
    kind: str  # period or camp
    name: str
    period_id: int | None
    camp_id: int | None
    method: str  # votes (dots) or scores (1–5)
    created_at: str


@dataclass(frozen=True)
class Panel:
    id: int
    process_id: int
    level: int
    name: str
    sites: tuple[str, ...] = ()  # empty: every site
    members: tuple[str, ...] = ()


def _now() -> str:
    from stories.clock import now_iso

    return now_iso()


def _clean(value: str | None) -> str:
    return " ".join(str(value or "").split())


def _name(value: str, key: str) -> str:
    name = _clean(value)
    if not name or len(name) > MAX_NAME or CONTROL_RE.search(name):
        raise MscInvalid(key, max=MAX_NAME)
    return name


_PROCESS_COLUMNS = "id, kind, name, period_id, camp_id, method, created_at"


def get_process(db: Database, process_id: int) -> Process:
    row = db.execute(f"SELECT {_PROCESS_COLUMNS} FROM msc_processes WHERE id = ?", [process_id]).fetchone()
    if row is None:
        raise MscInvalid("msc.error.no_process")
    return Process(*row)


def list_processes(db: Database, *, period_id: int | None = None, kind: str | None = None) -> list[Process]:
    """Processes, newest first (of one period or kind if given)."""
    sql, params = f"SELECT {_PROCESS_COLUMNS} FROM msc_processes WHERE 1", []
    if period_id is not None:
        sql, params = sql + " AND period_id = ?", params + [period_id]
    if kind is not None:
        sql, params = sql + " AND kind = ?", params + [kind]
    return [Process(*r) for r in db.execute(sql + " ORDER BY id DESC", params).fetchall()]


def camp_process(db: Database, camp_id: int, *, create: bool = False) -> Process | None:
    """The selection process of a camp (made on first use when `create`)."""
    row = db.execute("SELECT id FROM msc_processes WHERE camp_id = ?", [camp_id]).fetchone()
    if row:
        return get_process(db, row[0])
    if not create:
        return None
    from stories.db import write_transaction

    with write_transaction(db):
        db.conn.execute("INSERT OR IGNORE INTO msc_processes (kind, name, camp_id, created_at, created_by)"
                        " SELECT 'camp', name, id, ?, created_by FROM camps WHERE id = ?", [_now(), camp_id])
    return camp_process(db, camp_id)


def levels(db: Database, process: Process) -> list[Level]:
    """The levels a process selects at, first level first (a camp's come from the camp)."""
    if process.kind == "camp":
        row = db.execute("SELECT levels FROM camps WHERE id = ?", [process.camp_id]).fetchone()
        return [Level(i, name) for i, name in enumerate(json.loads(row[0]) if row else [], start=1)]
    rows = db.execute("SELECT level, name, purpose FROM msc_levels WHERE process_id = ? ORDER BY level",
                      [process.id]).fetchall()
    return [Level(*r) for r in rows]


def get_level(db: Database, process: Process, level: int) -> Level:
    found = [lv for lv in levels(db, process) if lv.level == level]
    if not found:
        raise MscInvalid("msc.error.level", max=len(levels(db, process)))
    return found[0]


def require_runner(db: Database, process: Process, actor: Actor) -> None:
    """Set-up and round changes: a camp's facilitator for a camp, else whoever may run selection."""
    if process.kind == "camp":
        from stories.camps.camps import get_camp

        get_camp(db, process.camp_id, actor=actor)
    else:
        require(can_run_selection(actor), "run_selection")


def may_run(db: Database, process: Process, actor: Actor) -> bool:
    """Whether the actor runs this process (sets it up, opens and closes rounds, records feedback)."""
    from stories.camps.camps import CampNotFound
    from stories.trust.permissions import PermissionDenied

    try:
        require_runner(db, process, actor)
    except (PermissionDenied, CampNotFound):
        return False
    return True


def create_period_process(db: Database, period_id: int, name: str,
                          level_specs: Sequence[tuple[str, str]] = DEFAULT_LEVELS, method: str = "votes", *,
                          actor: Actor = SYSTEM) -> Process:
    """A selection over a reporting period's stories, with its levels as (name, consent purpose)."""
    from stories.db import write_transaction
    from stories.msc.periods import get_period

    require(can_run_selection(actor), "run_selection")
    get_period(db, period_id)
    name = _name(name, "msc.error.process_name")
    specs = [(_name(n, "msc.error.level_name"), p) for n, p in level_specs if _clean(n)]
    if not 1 <= len(specs) <= MAX_LEVELS:
        raise MscInvalid("msc.error.levels", max=MAX_LEVELS)
    if any(p not in PURPOSES for _, p in specs):
        raise MscInvalid("msc.error.purpose")
    if method not in METHODS:
        raise MscInvalid("msc.error.method")
    with write_transaction(db):
        cursor = db.conn.execute("INSERT INTO msc_processes (kind, name, period_id, method, created_at, created_by)"
                                 " VALUES ('period', ?, ?, ?, ?, ?)", [name, period_id, method, _now(), actor.name])
        process_id = cursor.lastrowid
        db.conn.executemany("INSERT INTO msc_levels (process_id, level, name, purpose) VALUES (?, ?, ?, ?)",
                            [(process_id, i, n, p) for i, (n, p) in enumerate(specs, start=1)])
        audit.log(db, actor, "msc_process", str(process_id), change="create")
    return get_process(db, process_id)


def _panel_row(db: Database, row) -> Panel:
    members = tuple(r[0] for r in db.execute("SELECT member FROM msc_panel_members WHERE panel_id = ?"
                                             " ORDER BY member", [row[0]]).fetchall())
    return Panel(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])), members)


def panels(db: Database, process_id: int, level: int | None = None) -> list[Panel]:
    sql, params = "SELECT id, process_id, level, name, sites FROM msc_panels WHERE process_id = ?", [process_id]
    if level is not None:
        sql, params = sql + " AND level = ?", params + [level]
    return [_panel_row(db, r) for r in db.execute(sql + " ORDER BY level, id", params).fetchall()]


def get_panel(db: Database, panel_id: int) -> Panel:
    row = db.execute("SELECT id, process_id, level, name, sites FROM msc_panels WHERE id = ?",
                     [panel_id]).fetchone()
    if row is None:
        raise MscInvalid("msc.error.no_panel")
    return _panel_row(db, row)


def _members(names: Sequence[str]) -> list[str]:
    out: dict[str, str] = {}
    for name in names:
        name = _clean(name)
        if not name or len(name) > MAX_NAME or CONTROL_RE.search(name):
            raise MscInvalid("msc.error.member_name", max=MAX_NAME)
        out.setdefault(name.casefold(), name)
    return list(out.values())


def add_panel(db: Database, process_id: int, level: int, name: str, *, sites: Sequence[str] = (),
              members: Sequence[str] = (), actor: Actor = SYSTEM) -> Panel:
    """A panel that reads and chooses at `level`; `sites` limits it to those sites' stories."""
    from stories.db import write_transaction

    process = get_process(db, process_id)
    require_runner(db, process, actor)
    get_level(db, process, level)
    name = _name(name, "msc.error.panel_name")
    site_list = sorted({_clean(s) for s in sites if _clean(s)})
    names = _members(members)
    with write_transaction(db):
        if db.execute("SELECT 1 FROM msc_panels WHERE process_id = ? AND level = ? AND name = ?",
                      [process.id, level, name]).fetchone():
            raise MscInvalid("msc.error.panel_exists", name=name)
        cursor = db.conn.execute("INSERT INTO msc_panels (process_id, level, name, sites) VALUES (?, ?, ?, ?)",
                                 [process.id, level, name, json.dumps(site_list, ensure_ascii=False)])
        db.conn.executemany("INSERT INTO msc_panel_members (panel_id, member) VALUES (?, ?)",
                            [(cursor.lastrowid, m) for m in names])
        audit.log(db, actor, "msc_process", str(process.id), change="add_panel", level=level)
    return get_panel(db, cursor.lastrowid)


def set_members(db: Database, panel_id: int, members: Sequence[str], *, actor: Actor = SYSTEM) -> Panel:
    """Replace a panel's members (user names)."""
    from stories.db import write_transaction

    panel = get_panel(db, panel_id)
    require_runner(db, get_process(db, panel.process_id), actor)
    names = _members(members)
    with write_transaction(db):
        db.conn.execute("DELETE FROM msc_panel_members WHERE panel_id = ?", [panel_id])
        db.conn.executemany("INSERT INTO msc_panel_members (panel_id, member) VALUES (?, ?)",
                            [(panel_id, m) for m in names])
        audit.log(db, actor, "msc_process", str(panel.process_id), change="members", panel=panel_id)
    return get_panel(db, panel_id)


def remove_panel(db: Database, panel_id: int, *, actor: Actor = SYSTEM) -> None:
    """Remove a panel that has not chosen a story yet."""
    from stories.db import write_transaction

    panel = get_panel(db, panel_id)
    require_runner(db, get_process(db, panel.process_id), actor)
    with write_transaction(db):
        if db.execute("SELECT 1 FROM msc_choices WHERE panel_id = ?", [panel_id]).fetchone():
            raise MscInvalid("msc.error.panel_has_choice")
        db.conn.execute("DELETE FROM msc_panels WHERE id = ?", [panel_id])


def on_panel(actor: Actor, panel: Panel) -> bool:
    """The actor is one of the panel's members."""
    return actor.name.casefold() in {m.casefold() for m in panel.members}


def may_act_for(db: Database, actor: Actor, panel: Panel) -> bool:
    """A member, or someone who runs the process recording the panel's meeting."""
    process = get_process(db, panel.process_id)
    if process.kind == "camp":
        from stories.camps.camps import CampNotFound, get_camp
        from stories.trust.permissions import PermissionDenied

        try:
            get_camp(db, process.camp_id, actor=actor)
            return True
        except (CampNotFound, PermissionDenied):
            return on_panel(actor, panel)
    return can_act_for_panel(actor, on_panel(actor, panel), panel.sites)


def panels_of(db: Database, actor: Actor) -> list[Panel]:
    """Every panel the actor may work in: theirs as a member, or all of a process they run."""
    rows = db.execute("SELECT id, process_id, level, name, sites FROM msc_panels ORDER BY process_id DESC,"
                      " level, id").fetchall()
    return [p for p in (_panel_row(db, r) for r in rows) if may_act_for(db, actor, p)]


def member_names(db: Database) -> list[str]:
    """The active accounts' names, to choose panel members from."""
    return [r[0] for r in db.execute("SELECT name FROM users WHERE disabled = 0 ORDER BY name COLLATE NOCASE")]
