"""Self-signifying: the teller places the story in a triangle between three poles and on sliders.

A triangle answer is three weights that sum to 1 (the story's position between the poles);
a slider answer is a whole number from SLIDER_MIN to SLIDER_MAX. The teller's own
interpretation makes patterns across many stories visible without coding them first.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from stories.errors import UserError
from stories.privacy.pseudonymised import needs_pseudonymisation, pseudonymise_titles
from stories.trust.permissions import SYSTEM, Actor
from stories.visibility import StoryFilter, filter_sql

# The three KBH+ mechanisms (keys shared with Story.teller_mechanism and the catalogs' mechanism.*).
DEFAULT_POLES = ("huset", "skabe_med_andre", "tillidsfulde_relationer")
DEFAULT_SLIDER = "change_size"
SLIDER_MIN, SLIDER_MAX = 1, 10
MAX_SLIDERS = 2
MAX_LABEL = 120
COLOUR_BY = ("teller_role", "site", "polarity")


class SignifierInvalid(UserError, ValueError):
    """A triangle or slider answer is out of range; `key` is the catalog message."""

    def __init__(self, key: str, **params):
        self.key, self.params = key, params
        super().__init__(f"{key} {params}" if params else key)


@dataclass(frozen=True)
class SignifierConfig:
    """What a camp (or the submit page) asks: a triangle between three poles, and sliders."""

    triangle: bool = True
    poles: tuple[str, str, str] = DEFAULT_POLES
    sliders: tuple[str, ...] = (DEFAULT_SLIDER,)

    def to_json(self) -> str:
        return json.dumps({"triangle": self.triangle, "poles": list(self.poles), "sliders": list(self.sliders)},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> SignifierConfig:
        data = json.loads(text or "{}")
        if not data:
            return cls(triangle=False, sliders=())
        return cls(bool(data.get("triangle")), tuple(data.get("poles") or DEFAULT_POLES),
                   tuple(data.get("sliders") or ()))

    @property
    def asks_anything(self) -> bool:
        return self.triangle or bool(self.sliders)


def make_config(triangle: bool, poles: Sequence[str] = DEFAULT_POLES, sliders: Sequence[str] = (DEFAULT_SLIDER,)
                ) -> SignifierConfig:
    """A checked configuration: three different, non-empty poles and at most two sliders."""
    poles = tuple(" ".join(str(p).split()) for p in poles)
    sliders = tuple(dict.fromkeys(" ".join(str(s).split()) for s in sliders if str(s).strip()))
    if triangle and (len(poles) != 3 or not all(poles) or len(set(poles)) != 3):
        raise SignifierInvalid("camps.error.poles")
    if any(len(x) > MAX_LABEL for x in (*poles, *sliders)):
        raise SignifierInvalid("camps.error.label_too_long", max=MAX_LABEL)
    if len(sliders) > MAX_SLIDERS:
        raise SignifierInvalid("camps.error.too_many_sliders", max=MAX_SLIDERS)
    return SignifierConfig(triangle, poles if len(poles) == 3 else DEFAULT_POLES, sliders)


@dataclass(frozen=True)
class Signifiers:
    """One teller's answers: triangle weights (or None when skipped) and slider values."""

    poles: tuple[str, str, str] = DEFAULT_POLES
    weights: tuple[float, float, float] | None = None
    sliders: Mapping[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.weights is None and not self.sliders


def normalise_weights(raw: Sequence[float] | None) -> tuple[float, float, float] | None:
    """Three non-negative amounts scaled to sum to 1; all zero (or None) means not answered."""
    if raw is None:
        return None
    values = [float(x) for x in raw]
    if len(values) != 3 or any(v != v or v < 0 or v == float("inf") for v in values):
        raise SignifierInvalid("camps.error.triangle")
    total = sum(values)
    if total == 0:
        return None
    a, b = round(values[0] / total, 4), round(values[1] / total, 4)
    return a, b, round(max(0.0, 1 - a - b), 4)


def check_sliders(values: Mapping[str, int]) -> dict[str, int]:
    clean = {}
    for key, value in values.items():
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not SLIDER_MIN <= value <= SLIDER_MAX:
            raise SignifierInvalid("camps.error.slider", min=SLIDER_MIN, max=SLIDER_MAX)
        if not str(key).strip() or len(str(key)) > MAX_LABEL:
            raise SignifierInvalid("camps.error.label_too_long", max=MAX_LABEL)
        clean[str(key)] = value
    return clean


def save_signifiers(db: Database, story_seq: int, answers: Signifiers, *, replace: bool = False) -> None:
    """Store a story's signifiers (call inside the story's write transaction).

    Without `replace`, answers already stored are kept: a repeated submission changes nothing.
    """
    verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
    weights = normalise_weights(answers.weights)
    sliders = check_sliders(answers.sliders)
    if weights is not None:
        db.execute(
            f"{verb} INTO story_signifiers (story_seq, pole_a, pole_b, pole_c, weight_a, weight_b, weight_c)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [story_seq, *answers.poles, *weights],
        )
    for key, value in sliders.items():
        db.execute(f"{verb} INTO story_sliders (story_seq, slider, value) VALUES (?, ?, ?)", [story_seq, key, value])


def create_story_with_signifiers(db: Database, story, answers: Signifiers | None, **create_args):
    """`storage.create_story` plus the teller's signifiers, in one transaction (for the submit page).

    Answers are checked before anything is stored; a repeated submission key stores nothing new.
    """
    from stories.db import write_transaction
    from stories.storage import create_story, story_seq as seq_of

    if answers is not None and not answers.empty:
        answers = Signifiers(answers.poles, normalise_weights(answers.weights), check_sliders(answers.sliders))
    with write_transaction(db):
        stored = create_story(db, story, **create_args)
        if answers is not None and not answers.empty:
            save_signifiers(db, seq_of(db, stored.id), answers)
    return stored


def story_signifiers(db: Database, story_seq: int) -> Signifiers:
    row = db.execute("SELECT pole_a, pole_b, pole_c, weight_a, weight_b, weight_c FROM story_signifiers"
                     " WHERE story_seq = ?", [story_seq]).fetchone()
    sliders = dict(db.execute("SELECT slider, value FROM story_sliders WHERE story_seq = ?", [story_seq]).fetchall())
    if row is None:
        return Signifiers(weights=None, sliders=sliders)
    return Signifiers(tuple(row[:3]), tuple(row[3:]), sliders)


@dataclass(frozen=True)
class TrianglePoint:
    story_id: str
    title: str
    teller_role: str
    site: str
    polarity: str
    weights: tuple[float, float, float]


def pole_sets(db: Database, f: StoryFilter | None = None, *,
              actor: Actor = SYSTEM) -> list[tuple[tuple[str, str, str], int]]:
    """The pole triples in use among the stories the actor may see, most used first."""
    where, params = filter_sql(f or StoryFilter(), actor)
    rows = db.execute(
        f"SELECT g.pole_a, g.pole_b, g.pole_c, count(*) FROM story_signifiers AS g JOIN stories AS s"
        f" ON s.seq = g.story_seq WHERE {where} GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3", params
    ).fetchall()
    return [((a, b, c), n) for a, b, c, n in rows]


def triangle_points(db: Database, poles: Sequence[str] = DEFAULT_POLES, f: StoryFilter | None = None, *,
                    actor: Actor = SYSTEM, story_seqs: Sequence[int] | None = None) -> list[TrianglePoint]:
    """Every visible story placed in the triangle with these poles (consent and scope enforced);
    titles pseudonymised when `needs_pseudonymisation(actor, f.purpose)`."""
    f = f or StoryFilter()
    where, params = filter_sql(f, actor)
    sql = (f"SELECT s.id, s.title, s.teller_role, s.site, COALESCE(s.polarity, ''), g.weight_a, g.weight_b,"
           f" g.weight_c FROM story_signifiers AS g JOIN stories AS s ON s.seq = g.story_seq"
           f" WHERE {where} AND g.pole_a = ? AND g.pole_b = ? AND g.pole_c = ?")
    params = [*params, *poles]
    if story_seqs is not None:
        sql += f" AND s.seq IN ({','.join('?' * len(story_seqs)) or 'NULL'})"
        params.extend(story_seqs)
    rows = db.execute(sql + " ORDER BY s.seq", params).fetchall()
    titles = [r[1] for r in rows]
    if needs_pseudonymisation(actor, f.purpose):
        titles = pseudonymise_titles(db, [(r[0], r[1]) for r in rows])
    return [TrianglePoint(r[0], title, r[2], r[3], r[4], (r[5], r[6], r[7])) for r, title in zip(rows, titles)]


def slider_keys(db: Database, f: StoryFilter | None = None, *, actor: Actor = SYSTEM) -> list[str]:
    where, params = filter_sql(f or StoryFilter(), actor)
    rows = db.execute(f"SELECT DISTINCT v.slider FROM story_sliders AS v JOIN stories AS s ON s.seq = v.story_seq"
                      f" WHERE {where} ORDER BY 1", params).fetchall()
    return [r[0] for r in rows]


def slider_values(db: Database, slider: str, by: str = "teller_role", f: StoryFilter | None = None, *,
                  actor: Actor = SYSTEM, story_seqs: Sequence[int] | None = None) -> list[tuple[str, int]]:
    """(group, value) for every visible story that answered the slider; group is a story column."""
    if by not in COLOUR_BY:
        raise ValueError(f"cannot group by {by!r}")
    where, params = filter_sql(f or StoryFilter(), actor)
    sql = (f"SELECT COALESCE(s.{by}, ''), v.value FROM story_sliders AS v JOIN stories AS s ON s.seq = v.story_seq"
           f" WHERE {where} AND v.slider = ?")
    params = [*params, slider]
    if story_seqs is not None:
        sql += f" AND s.seq IN ({','.join('?' * len(story_seqs)) or 'NULL'})"
        params.extend(story_seqs)
    return [(r[0], r[1]) for r in db.execute(sql + " ORDER BY 1, 2", params).fetchall()]


def ternary_xy(weights: Sequence[float]) -> tuple[float, float]:
    """Cartesian position in an equilateral triangle with pole A at the top, B bottom left, C bottom right."""
    a, b, c = weights
    return 0.5 * a + c, a * (3 ** 0.5) / 2


def load_demo_signifiers(db: Database) -> str:
    """Demo extension: the demo stories' signifiers, then the demo camp (idempotent)."""
    from stories.db import write_transaction
    from stories.demo import DEMO_FILE

    records = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    stored = 0
    with write_transaction(db):
        keys = {r[0]: r[1] for r in db.execute("SELECT import_key, seq FROM stories WHERE import_key LIKE 'demo:%'")}
        for i, record in enumerate(records):
            answers = record.get("signifiers")
            seq = keys.get(f"demo:{i:03d}")
            if not answers or seq is None:
                continue
            if db.execute("SELECT 1 FROM story_signifiers WHERE story_seq = ?", [seq]).fetchone():
                continue
            sliders = {DEFAULT_SLIDER: answers["change_size"]} if answers.get("change_size") else {}
            triangle = tuple(answers["triangle"]) if answers.get("triangle") else None
            save_signifiers(db, seq, Signifiers(DEFAULT_POLES, triangle, sliders))
            stored += 1
    return f"{stored} stories' signifiers added"
