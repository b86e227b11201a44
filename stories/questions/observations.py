"""Observations on patterns with competing interpretations (NarraFirma's catalysis).

An observation is about a pattern between two variables of the question library (a question's
key, or `key#part` for one pole of a triad or one choice of a multiple choice, as the patterns
page names them); it carries one or more interpretations, each a possible reading of why the
pattern is there. Written by evaluators and facilitators (permissions.can_write_observations),
checked, stored in one transaction, audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from stories.clock import now_iso
from stories.db import write_transaction
from stories.questions.errors import QuestionInvalid
from stories.trust import audit
from stories.trust.permissions import SYSTEM, Actor, can_write_observations, require
from stories.validation import CONTROL_RE

MAX_OBSERVATION = 2000
MAX_INTERPRETATION = 2000
MAX_INTERPRETATIONS = 10


@dataclass(frozen=True)
class Interpretation:
    id: int
    text: str
    author: str
    created_at: str


@dataclass(frozen=True)
class Observation:
    """An observation on the pattern between `variable_a` and `variable_b`, with its interpretations."""

    id: int
    variable_a: str
    variable_b: str
    text: str
    author: str
    created_at: str
    interpretations: tuple[Interpretation, ...]


def _text(value, limit: int, empty_key: str) -> str:
    text = "\n".join(line.rstrip() for line in str(value or "").replace("\r\n", "\n").split("\n")).strip()
    if not text:
        raise QuestionInvalid(empty_key)
    if len(text) > limit:
        raise QuestionInvalid("observations.error.too_long", max=limit, n=len(text))
    if CONTROL_RE.search(text.replace("\n", "")):
        raise QuestionInvalid("observations.error.control")
    return text


def _check_variable(db: Database, key: str) -> str:
    key = str(key or "").strip()
    question, _, part = key.partition("#")
    row = db.execute("SELECT kind FROM questions WHERE key = ?", [question]).fetchone()
    if row is None or (part and row[0] not in ("triad", "multiple")):
        raise QuestionInvalid("observations.error.pattern")
    return key


def _interpretation_texts(texts: Sequence[str]) -> list[str]:
    clean = [t for t in (str(x or "").strip() for x in texts) if t]
    if not clean:
        raise QuestionInvalid("observations.error.no_interpretation")
    if len(clean) > MAX_INTERPRETATIONS:
        raise QuestionInvalid("observations.error.too_many", max=MAX_INTERPRETATIONS)
    return [_text(t, MAX_INTERPRETATION, "observations.error.no_interpretation") for t in clean]


def add_observation(db: Database, variable_a: str, variable_b: str, text: str, interpretations: Sequence[str], *,
                    actor: Actor = SYSTEM) -> Observation:
    """Store an observation on a pattern with one or more interpretations (all checked first)."""
    require(can_write_observations(actor), "write observations")
    a, b = _check_variable(db, variable_a), _check_variable(db, variable_b)
    if a == b:
        raise QuestionInvalid("observations.error.pattern")
    body = _text(text, MAX_OBSERVATION, "observations.error.empty")
    readings = _interpretation_texts(interpretations)
    stamp = now_iso()
    with write_transaction(db):
        cur = db.execute("INSERT INTO pattern_observations (variable_a, variable_b, text, author, created_at)"
                         " VALUES (?, ?, ?, ?, ?)", [a, b, body, actor.name, stamp])
        oid = cur.lastrowid
        for reading in readings:
            db.execute("INSERT INTO pattern_interpretations (observation_id, text, author, created_at)"
                       " VALUES (?, ?, ?, ?)", [oid, reading, actor.name, stamp])
        audit.log(db, actor, "pattern_observation", f"{a} × {b}", change="add", interpretations=len(readings))
    return get_observation(db, oid)


def add_interpretation(db: Database, observation_id: int, text: str, *, actor: Actor = SYSTEM) -> Observation:
    """Add a competing interpretation to an observation."""
    require(can_write_observations(actor), "write observations")
    reading = _text(text, MAX_INTERPRETATION, "observations.error.no_interpretation")
    with write_transaction(db):
        obs = get_observation(db, observation_id)
        if len(obs.interpretations) >= MAX_INTERPRETATIONS:
            raise QuestionInvalid("observations.error.too_many", max=MAX_INTERPRETATIONS)
        db.execute("INSERT INTO pattern_interpretations (observation_id, text, author, created_at) VALUES (?, ?, ?, ?)",
                   [observation_id, reading, actor.name, now_iso()])
        audit.log(db, actor, "pattern_observation", f"{obs.variable_a} × {obs.variable_b}", change="interpretation",
                  observation=observation_id)
    return get_observation(db, observation_id)


def _observations(db: Database, where: str, params: list) -> list[Observation]:
    rows = db.execute(f"SELECT id, variable_a, variable_b, text, author, created_at FROM pattern_observations"
                      f" WHERE {where} ORDER BY id", params).fetchall()
    readings: dict[int, list[Interpretation]] = {r[0]: [] for r in rows}
    if rows:
        for oid, iid, text, author, created in db.execute(
                "SELECT observation_id, id, text, author, created_at FROM pattern_interpretations"
                f" WHERE observation_id IN ({','.join('?' * len(rows))}) ORDER BY id", [r[0] for r in rows]):
            readings[oid].append(Interpretation(iid, text, author, created))
    return [Observation(*r, tuple(readings[r[0]])) for r in rows]


class ObservationNotFound(QuestionInvalid):
    """No observation has this id."""

    def __init__(self):
        super().__init__("observations.error.not_found")


def get_observation(db: Database, observation_id: int) -> Observation:
    found = _observations(db, "id = ?", [observation_id])
    if not found:
        raise ObservationNotFound()
    return found[0]


def observations_on(db: Database, variable_a: str, variable_b: str) -> list[Observation]:
    """The observations on the pattern between these two variables (in either order)."""
    return _observations(db, "(variable_a = ? AND variable_b = ?) OR (variable_a = ? AND variable_b = ?)",
                         [variable_a, variable_b, variable_b, variable_a])


def all_observations(db: Database) -> list[Observation]:
    """Every observation, oldest first (for the theme report)."""
    return _observations(db, "1", [])


def observation_counts(db: Database) -> dict[frozenset, int]:
    """{variable a, variable b} -> how many observations that pattern has (for the ranked list)."""
    out: dict[frozenset, int] = {}
    for a, b, n in db.execute("SELECT variable_a, variable_b, count(*) FROM pattern_observations"
                              " GROUP BY variable_a, variable_b"):
        key = frozenset((a, b))
        out[key] = out.get(key, 0) + n
    return out
