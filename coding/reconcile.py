"""The reconcile step: the team records the agreed coding of a story.

Once reconciled, a story's analysis codes (VIEW story_codes) are its reconciled codings
only; the coders' own codings stay for the agreement statistics.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping

from sqlite_utils import Database

from coding.codings import Span, _check_code, check_span, insert_coding, load_story, others_visible
from stories.db import write_transaction
from stories.visibility import StoryFilter, filter_sql
from stories.trust.permissions import SYSTEM, Actor, can_code, require
from stories.clock import now_iso


def finished_coders(db: Database, seq: int) -> list[str]:
    rows = db.execute("SELECT coder FROM story_coders WHERE story_seq = ? AND done = 1 ORDER BY coder", [seq])
    return [r[0] for r in rows.fetchall()]


def reconcilable_stories(db: Database, actor: Actor, story_filter: StoryFilter | None = None) -> list[int]:
    """The stories two or more coders finished whose codings `actor` may see, in seq order:
    only stories within the actor's scope and the filter (default: evaluation consent, as
    the agreement figures)."""
    where, params = filter_sql(story_filter or StoryFilter(purpose="evaluation"), actor)
    double = [seq for seq, in db.execute(
        f"""SELECT s.seq FROM stories AS s
            JOIN (SELECT story_seq FROM story_coders WHERE done = 1 GROUP BY story_seq HAVING count(*) >= 2) AS d
              ON d.story_seq = s.seq
            WHERE {where} ORDER BY s.seq""", params)]
    visible = others_visible(db, double, actor.name, strict=False)
    return [seq for seq in double if seq in visible]


def coder_selections(db: Database, seq: int) -> dict[str, dict[Span, set[int]]]:
    """Each finished coder's codes per span (the whole story is (None, None))."""
    result: dict[str, dict[Span, set[int]]] = {c: {} for c in finished_coders(db, seq)}
    rows = db.execute("SELECT coder, start, end, code_id FROM codings WHERE story_seq = ? AND origin != 'reconciled'",
                      [seq]).fetchall()
    for coder, start, end, code_id in rows:
        if coder in result:
            result[coder].setdefault((start, end), set()).add(code_id)
    return result


def proposed_selection(db: Database, seq: int) -> dict[Span, set[int]]:
    """A starting point for reconciling: each code on each span that at least half the coders applied."""
    selections = coder_selections(db, seq)
    if not selections:
        return {}
    votes: Counter = Counter()
    for per_span in selections.values():
        for span, codes in per_span.items():
            votes.update((span, code) for code in codes)
    need = len(selections) / 2
    proposal: dict[Span, set[int]] = {}
    for (span, code), n in votes.items():
        proposal.setdefault(span, set())
        if n >= need:
            proposal[span].add(code)
    return proposal


def reconciled_selection(db: Database, seq: int) -> dict[Span, set[int]] | None:
    """The agreed coding of a reconciled story, or None when it has not been reconciled."""
    if not db.execute("SELECT 1 FROM reconciliations WHERE story_seq = ?", [seq]).fetchone():
        return None
    result: dict[Span, set[int]] = {}
    for start, end, code_id in db.execute(
            "SELECT start, end, code_id FROM codings WHERE story_seq = ? AND origin = 'reconciled'", [seq]):
        result.setdefault((start, end), set()).add(code_id)
    return result


def reconcile_story(db: Database, story_id: str | int, selections: Mapping[Span, Collection[int]], *,
                    actor: Actor = SYSTEM) -> int:
    """Record the agreed codes of a story (replacing an earlier reconciliation); returns their count."""
    require(can_code(actor), "reconcile")
    with write_transaction(db):
        seq, story = load_story(db, story_id, actor)
        wanted = {check_span(story.text, *span): set(ids) for span, ids in selections.items()}
        for ids in wanted.values():
            for code_id in ids:
                _check_code(db, code_id, allow_retired=True)
        db.conn.execute("DELETE FROM codings WHERE story_seq = ? AND origin = 'reconciled'", [seq])
        count = 0
        for span, ids in wanted.items():
            for code_id in sorted(ids):
                insert_coding(db, seq, code_id, actor.name, span, "", "reconciled")
                count += 1
        db.conn.execute(
            "INSERT INTO reconciliations(story_seq, reconciled_by, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT(story_seq) DO UPDATE SET reconciled_by = excluded.reconciled_by,"
            " created_at = excluded.created_at", [seq, actor.name, now_iso()])
    return count


def undo_reconciliation(db: Database, story_id: str | int, *, actor: Actor = SYSTEM) -> None:
    require(can_code(actor), "reconcile")
    with write_transaction(db):
        seq, _ = load_story(db, story_id, actor)
        db.conn.execute("DELETE FROM codings WHERE story_seq = ? AND origin = 'reconciled'", [seq])
        db.conn.execute("DELETE FROM reconciliations WHERE story_seq = ?", [seq])
