"""What a selection process chose: per round (domain and level), every panel's votes or scores
and its chosen story with the reasons."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from stories.msc.process import Panel, Process, get_process, panels, require_runner
from stories.msc.rounds import Choice, Round, candidates, choices, rounds
from stories.msc.told import Told
from stories.trust.permissions import SYSTEM, Actor


@dataclass
class PanelResult:
    panel: Panel
    tally: list[tuple[Told, int, int]] = field(default_factory=list)  # story, total (votes) or sum of scores, voters
    choice: Choice | None = None


@dataclass
class RoundResult:
    round: Round
    panels: list[PanelResult] = field(default_factory=list)


def results(db: Database, process_id: int, *, actor: Actor = SYSTEM) -> list[RoundResult]:
    """Per round (domain and level): every panel's votes or scores and its chosen story with the reasons."""
    process = get_process(db, process_id)
    require_runner(db, process, actor)
    return round_results(db, process)


def round_results(db: Database, process: Process) -> list[RoundResult]:
    """`results` without the permission check, for callers that checked it (feedback, reports).

    One query per round for all its panels' votes (not two per panel), and each level's panels read once."""
    out = []
    panels_of: dict[int, list] = {}
    for rnd in rounds(db, process.id):
        chosen = {c.panel.id: c for c in choices(db, rnd.id)}
        stories = {c.story.seq: c.story for c in candidates(db, rnd.id)}
        tallies: dict[int, dict[int, tuple[int, int]]] = {}
        for panel_id, seq, total, count in db.execute(
                "SELECT panel_id, story_seq, sum(value), count(*) FROM msc_votes WHERE round_id = ?"
                " GROUP BY panel_id, story_seq", [rnd.id]).fetchall():
            tallies.setdefault(panel_id, {})[seq] = (total, count)
        result = RoundResult(rnd)
        if rnd.level not in panels_of:
            panels_of[rnd.level] = panels(db, process.id, rnd.level)
        for panel in panels_of[rnd.level]:
            tally = sorted(((stories[s], n, count) for s, (n, count) in tallies.get(panel.id, {}).items()
                            if s in stories), key=lambda row: (-row[1], row[0].seq))
            result.panels.append(PanelResult(panel, tally, chosen.get(panel.id)))
        out.append(result)
    return out
