"""Meta-monitoring of the whole cycle: who tells, in which domains, what is selected, what is fed back.

Counts only, never story text: stories per period × site × domain × teller role, the share told
by young people themselves, the share of negative changes, the selection rate per level,
feedback sent or not, and the stories still awaiting selection.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field

from sqlite_utils import Database

from stories.msc.domains import NEGATIVE
from stories.msc.periods import list_periods, story_day
from stories.msc.process import levels, list_processes, panels
from stories.msc.rounds import rounds, seqs_read_in_round
from stories.visibility import StoryFilter, filter_sql
from stories.trust.permissions import SYSTEM, Actor, can_monitor, require

CSV_COLUMNS = ("period", "site", "domain", "teller_role", "stories")


@dataclass
class LevelFigures:
    process: str
    period: str
    level: int
    level_name: str
    read: int  # distinct stories read at the level
    chosen: int  # distinct stories chosen at the level
    rate: float | None  # chosen / read
    feedback_sent: int  # how many times this level's feedback was recorded as sent


@dataclass
class PeriodFigures:
    period: str
    stories: int
    without_domain: int
    awaiting_selection: int  # stories of the period no closed first-level round has read yet


@dataclass
class Figures:
    stories: int
    told_by_young_people: int
    share_told_by_young_people: float | None
    negative: int
    share_negative: float | None
    without_domain: int
    cells: list[dict] = field(default_factory=list)  # period, site, domain, teller_role, stories
    periods: list[PeriodFigures] = field(default_factory=list)
    levels: list[LevelFigures] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def monitor(db: Database, *, actor: Actor = SYSTEM) -> Figures:
    """Every figure of the cycle, over the stories the actor may see."""
    require(can_monitor(actor), "monitor")
    where, params = filter_sql(StoryFilter(), actor)
    period_of = (f"COALESCE((SELECT p.name FROM msc_periods AS p WHERE {story_day('s')} BETWEEN p.starts_on"
                 f" AND p.ends_on LIMIT 1), '')")
    cells = [dict(zip(CSV_COLUMNS, r)) for r in db.execute(
        f"SELECT {period_of}, s.site, COALESCE(s.domain, ''), s.teller_role, count(*) FROM stories AS s"
        f" WHERE {where} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4", params).fetchall()]
    total, young, negative, no_domain = db.execute(
        f"SELECT count(*), coalesce(sum(s.teller_role = 'young_person'), 0),"
        f" coalesce(sum(s.polarity = 'negative' OR s.domain = ?), 0), coalesce(sum(s.domain IS NULL), 0)"
        f" FROM stories AS s WHERE {where}", [NEGATIVE, *params]).fetchone()

    def visible(seqs: set[int]) -> set[int]:
        """Those of `seqs` the actor may see (asked for the few stories panels read, not every seq)."""
        if not seqs:
            return set()
        return {r[0] for r in db.execute(f"SELECT s.seq FROM stories AS s WHERE {where}"
                                         " AND s.seq IN (SELECT value FROM json_each(?))",
                                         [*params, json.dumps(sorted(seqs))])}

    figures = Figures(total, young, _share(young, total), negative, _share(negative, total), no_domain, cells)
    read_first: dict[int, set[int]] = {}
    for process in sorted(list_processes(db), key=lambda p: p.id):
        period = next((p.name for p in list_periods(db) if p.id == process.period_id), "")
        sent = dict(db.execute("SELECT level, count(*) FROM msc_feedback WHERE process_id = ? GROUP BY level",
                               [process.id]).fetchall())
        for lv in levels(db, process):
            read: set[int] = set()
            chosen: set[int] = set()
            for rnd in (r for r in rounds(db, process.id) if r.level == lv.level):
                seen = {s for p in panels(db, process.id, lv.level) for s in seqs_read_in_round(db, rnd.id, p.id)}
                read |= seen
                chosen |= {r[0] for r in db.execute("SELECT story_seq FROM msc_choices WHERE round_id = ?", [rnd.id])}
                if lv.level == 1 and rnd.closed_at and process.period_id is not None:
                    read_first.setdefault(process.period_id, set()).update(seen)
            read, chosen = visible(read), visible(chosen)
            figures.levels.append(LevelFigures(process.name, period, lv.level, lv.name, len(read), len(chosen),
                                               _share(len(chosen), len(read)), sent.get(lv.level, 0)))
    for period in sorted(list_periods(db), key=lambda p: p.starts_on):
        done = read_first.get(period.id, set())
        n, no_domain_n, not_read = db.execute(  # counted in SQL: no row per story comes to Python
            "SELECT count(*), coalesce(sum(s.domain IS NULL), 0),"
            " coalesce(sum(s.seq NOT IN (SELECT value FROM json_each(?))), 0)"
            f" FROM stories AS s WHERE {where} AND {story_day('s')} BETWEEN ? AND ?",
            [json.dumps(sorted(done)), *params, period.starts_on, period.ends_on]).fetchone()
        figures.periods.append(PeriodFigures(period.name, n, no_domain_n, not_read))
    return figures


def _safe(value):
    """A cell a spreadsheet will not run as a formula (a site named "=SUM(...)" stays text)."""
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def cells_csv(figures: Figures) -> bytes:
    """Stories per period × site × domain × teller role, as CSV (UTF-8 with BOM, for Excel)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows({k: _safe(v) for k, v in row.items()} for row in figures.cells)
    return out.getvalue().encode("utf-8-sig")
