"""Who coded what, read into plain Python: per unit, each finished coder's set of code ids.

At story level the unit is a story and a coder says "yes" when they applied the code anywhere in
it; at sentence level the unit is a stored sentence and "yes" means a passage coding of the code
overlaps it. Only coders who finished (saved) a story rate its units. Reconciled codings never
count. The report reads the same ratings straight into arrays (`coding.agreement.table`); this
reading is the plain one it is tested against.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlite_utils import Database

from stories.visibility import StoryFilter, filter_sql
from stories.trust.permissions import SYSTEM, Actor

LEVELS = ("story", "sentence")


@dataclass
class Ratings:
    """Who coded what: per unit, each finished coder's set of code ids."""

    level: str
    coders: list[str]
    units: list[tuple]  # (seq,) or (seq, start, end)
    chosen: dict[tuple, dict[str, set[int]]]  # unit -> coder -> code ids (only finished coders)


def _coded_rows(db: Database, codebook_id: int, level: str, actor: Actor, story_filter: StoryFilter | None
                ) -> tuple[str, list, list[tuple[int, str]], list[tuple]]:
    """What every reading of the ratings starts from: the stories in scope (a subquery and its
    parameters), who finished which story, and the codebook's codings (reconciled ones left out)."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    where, params = filter_sql(story_filter or StoryFilter(purpose="evaluation"), actor)
    scope = f"SELECT s.seq FROM stories AS s WHERE {where}"
    finished = db.execute(f"SELECT story_seq, coder FROM story_coders WHERE done = 1 AND story_seq IN ({scope})"
                          " ORDER BY story_seq, coder", params).fetchall()
    codings = db.execute(
        f"""SELECT g.story_seq, g.coder, g.code_id, g.start, g.end FROM codings AS g
            JOIN codes AS c ON c.id = g.code_id
            WHERE c.codebook_id = ? AND g.origin != 'reconciled' AND g.story_seq IN ({scope})""",
        [codebook_id, *params]).fetchall()
    return scope, params, finished, codings


def gather(db: Database, codebook_id: int, level: str = "story", *, actor: Actor = SYSTEM,
           story_filter: StoryFilter | None = None) -> Ratings:
    scope, params, finished_rows, codings = _coded_rows(db, codebook_id, level, actor, story_filter)
    finished: dict[int, list[str]] = defaultdict(list)
    for seq, coder in finished_rows:
        finished[seq].append(coder)
    chosen: dict[tuple, dict[str, set[int]]] = {}
    if level == "story":
        for seq, coders in finished.items():
            chosen[(seq,)] = {c: set() for c in coders}
        for seq, coder, code_id, _, _ in codings:
            if coder in chosen.get((seq,), {}):
                chosen[(seq,)][coder].add(code_id)
    else:
        sentences: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for seq, start, end in db.execute(
                f"SELECT story_seq, start, end FROM sentences WHERE story_seq IN ({scope}) ORDER BY story_seq, idx",
                params):
            if seq in finished:
                sentences[seq].append((start, end))
                chosen[(seq, start, end)] = {c: set() for c in finished[seq]}
        for seq, coder, code_id, start, end in codings:
            if start is None or coder not in finished.get(seq, ()):
                continue
            for s, e in sentences.get(seq, ()):
                if start < e and end > s:
                    chosen[(seq, s, e)][coder].add(code_id)
    coders = sorted({c for per in chosen.values() for c in per})
    return Ratings(level, coders, sorted(chosen), chosen)
