"""How far each story went: one entry for every round it was read in, with the votes or scores it got,
whether the panel chose it, and the panel's reasons."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from stories.msc.process import levels, list_processes, panels
from stories.msc.rounds import rounds, seqs_read_in_round


@dataclass(frozen=True)
class Reading:
    """A story read by one panel in one round."""

    process: str
    kind: str  # period or camp
    level: int
    level_name: str
    panel: str
    domain: str
    method: str  # votes or scores
    votes: int  # the sum of the votes or scores it got
    voters: int
    chosen: bool
    reasons: str  # the panel's reasons, when it chose the story
    discussion: str

    def as_dict(self) -> dict:
        return {"process": self.process, "kind": self.kind, "level": self.level, "level_name": self.level_name,
                "panel": self.panel, "domain": self.domain, "method": self.method, "votes": self.votes,
                "voters": self.voters, "chosen": self.chosen, "reasons": self.reasons or None,
                "discussion": self.discussion or None}


def readings(db: Database, story_seqs: Sequence[int] | None = None) -> dict[int, list[Reading]]:
    """story seq -> every reading of it, in process, level and panel order (all stories without `story_seqs`)."""
    out: dict[int, list[Reading]] = defaultdict(list)
    for process in sorted(list_processes(db), key=lambda p: p.id):
        names = {lv.level: lv.name for lv in levels(db, process)}
        for rnd in rounds(db, process.id):
            tallies = defaultdict(dict)
            for panel_id, seq, total, n in db.execute(
                    "SELECT panel_id, story_seq, sum(value), count(*) FROM msc_votes WHERE round_id = ?"
                    " GROUP BY 1, 2", [rnd.id]):
                tallies[panel_id][seq] = (total, n)
            chosen = {panel_id: (seq, reasons, talk) for panel_id, seq, reasons, talk in db.execute(
                "SELECT panel_id, story_seq, reasons, discussion FROM msc_choices WHERE round_id = ?", [rnd.id])}
            for panel in panels(db, process.id, rnd.level):
                pick = chosen.get(panel.id)
                for seq in seqs_read_in_round(db, rnd.id, panel.id, among=story_seqs):
                    total, n = tallies[panel.id].get(seq, (0, 0))
                    mine = pick is not None and pick[0] == seq
                    out[seq].append(Reading(
                        process.name, process.kind, rnd.level, names.get(rnd.level, str(rnd.level)), panel.name,
                        rnd.domain, process.method, total, n, mine, pick[1] if mine else "", pick[2] if mine else ""))
    return dict(out)


def highest_level(entries: Sequence[Reading]) -> int | None:
    """The highest level at which a panel chose the story (None: never chosen)."""
    return max((e.level for e in entries if e.chosen), default=None)


def highest_level_name(entries: Sequence[Reading]) -> str | None:
    top = highest_level(entries)
    return next((e.level_name for e in entries if e.chosen and e.level == top), None)


def story_readings(db: Database, story_seq: int) -> list[Reading]:
    """One story's readings (its own page shows how far it went and with which reasons)."""
    return readings(db, [story_seq]).get(story_seq, [])

