"""Feedback: for each period and level, what was chosen, why, and how (votes, scores, discussion).

Feedback goes back to the tellers' houses and the staff who recorded the stories; whether it
was sent is recorded per process and level (meta-monitoring counts it). Evaluators read it
pseudonymised, like everything else.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlite_utils import Database

from stories.msc.errors import MscInvalid
from stories.msc.process import Level, Process, get_level, get_process, levels
from stories.msc.reading import hide_names, pseudonymised_candidates
from stories.msc.rounds import Candidate, Reason, choices, rounds, voters, votes
from stories.msc.told import Told
from stories.msc.verification import verifications
from stories.privacy.pseudonymised import needs_pseudonymisation
from stories.trust import audit
from stories.trust.permissions import SYSTEM, Actor, can_read_feedback, require
from stories.validation import CONTROL_RE

MAX_AUDIENCE, MAX_NOTE = 120, 2_000


@dataclass(frozen=True)
class Chosen:
    """One panel's choice at one level: the story, why, how, and what the levels below said."""

    domain: str
    level: int
    panel: str
    story: Told
    reasons: str
    discussion: str
    method: str  # votes or scores
    votes: int  # the chosen story's votes or scores
    voters: int
    others: int  # how many other stories got votes or scores from the panel
    earlier: tuple[Reason, ...]
    verified: bool


@dataclass(frozen=True)
class Sent:
    level: int
    audience: str
    note: str
    sent_at: str
    sent_by: str


@dataclass(frozen=True)
class LevelFeedback:
    level: Level
    chosen: tuple[Chosen, ...]
    sent: tuple[Sent, ...]


def feedback(db: Database, process_id: int, *, actor: Actor = SYSTEM) -> list[LevelFeedback]:
    """Per level, first to last: every choice with its reasons, votes and discussion, and the feedback sent."""
    require(can_read_feedback(actor), "read_feedback")
    process = get_process(db, process_id)
    checked = verifications(db)
    sent = sent_feedback(db, process_id)
    out = []
    for lv in levels(db, process):
        made: list[Chosen] = []
        for rnd in (r for r in rounds(db, process.id) if r.level == lv.level):
            tally, counts = None, None
            for choice in choices(db, rnd.id):
                tally = votes(db, rnd.id, choice.panel.id)
                counts = voters(db, rnd.id, choice.panel.id)
                made.append(Chosen(rnd.domain, lv.level, choice.panel.name, choice.story, choice.reasons,
                                   choice.discussion, process.method, tally.get(choice.story.seq, 0),
                                   counts.get(choice.story.seq, 0), sum(1 for s in tally if s != choice.story.seq),
                                   choice.earlier, choice.story.seq in checked))
        if needs_pseudonymisation(actor):
            made = _hidden(db, made)
        out.append(LevelFeedback(lv, tuple(made), tuple(s for s in sent if s.level == lv.level)))
    return out


def _hidden(db: Database, made: list[Chosen]) -> list[Chosen]:
    stories = {c.story.seq: c.story for c in pseudonymised_candidates(db, [Candidate(m.story) for m in made])}
    return [replace(m, story=stories.get(m.story.seq, m.story), reasons=hide_names(m.reasons),
                    discussion=hide_names(m.discussion),
                    earlier=tuple(Reason(r.level, r.panel, hide_names(r.reasons), hide_names(r.discussion))
                                  for r in m.earlier)) for m in made]


def sent_feedback(db: Database, process_id: int) -> list[Sent]:
    rows = db.execute("SELECT level, audience, note, sent_at, sent_by FROM msc_feedback WHERE process_id = ?"
                      " ORDER BY level, sent_at", [process_id]).fetchall()
    return [Sent(*r) for r in rows]


def mark_sent(db: Database, process_id: int, level: int, audience: str, note: str = "", *,
              actor: Actor = SYSTEM) -> Sent:
    """Record that a level's feedback went to an audience (a house, the staff who recorded the stories)."""
    from stories.clock import now_iso
    from stories.db import write_transaction
    from stories.msc.process import require_runner

    process: Process = get_process(db, process_id)
    require_runner(db, process, actor)
    get_level(db, process, level)
    audience = " ".join(str(audience or "").split())
    note = str(note or "").replace("\r\n", "\n").strip()
    if not audience or len(audience) > MAX_AUDIENCE or CONTROL_RE.search(audience):
        raise MscInvalid("msc.error.audience", max=MAX_AUDIENCE)
    if len(note) > MAX_NOTE or CONTROL_RE.search(note):
        raise MscInvalid("msc.error.reasons_invalid", max=MAX_NOTE)
    stamp = now_iso()
    with write_transaction(db):
        if not db.execute("SELECT 1 FROM msc_choices AS x JOIN msc_rounds AS r ON r.id = x.round_id"
                          " WHERE r.process_id = ? AND r.level = ?", [process_id, level]).fetchone():
            raise MscInvalid("msc.error.nothing_to_feed_back")
        db.conn.execute("INSERT INTO msc_feedback (process_id, level, audience, note, sent_at, sent_by)"
                        " VALUES (?, ?, ?, ?, ?, ?)", [process_id, level, audience, note, stamp, actor.name])
        audit.log(db, actor, "msc_feedback", str(process_id), level=level)
    return Sent(level, audience, note, stamp, actor.name)
