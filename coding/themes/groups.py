"""Which stories a theme view covers, and how it groups them.

A `Selection` is a story filter (`stories.visibility.StoryFilter`, which also enforces
consent, deletion and the actor's scope) plus, optionally, codes: only stories carrying
one of them (through the `story_codes` view: the codes a story carries for analysis).
A grouping names a column of the story (site, teller role, ...), a period (month,
quarter), the codes, or an extra attribute ("extra:age_group").
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import numpy as np
from sqlite_utils import Database

from stories.trust.permissions import SYSTEM, Actor
from stories.visibility import StoryFilter, filter_sql

COLUMNS = ("site", "teller_role", "polarity", "source", "teller_mechanism", "language", "programme", "session_type")
PERIODS = ("month", "quarter", "year")
DAY = "COALESCE(s.happened_on, substr(s.created_at, 1, 10))"
NONE_LABEL = ""  # stories without a value for the grouping


@dataclass(frozen=True)
class Selection:
    story: StoryFilter = field(default_factory=StoryFilter)
    code_ids: tuple[int, ...] = ()
    actor: Actor = SYSTEM

    def where(self, alias: str = "s") -> tuple[str, list]:
        sql, params = filter_sql(self.story, self.actor, alias)
        if self.code_ids:
            marks = ",".join("?" * len(self.code_ids))
            sql += f" AND {alias}.seq IN (SELECT story_seq FROM story_codes WHERE code_id IN ({marks}))"
            params = params + list(self.code_ids)
        return sql, params

    def key(self) -> str:
        """A stable text key for caches."""
        story = asdict(self.story)
        return json.dumps([story, list(self.code_ids), self.actor.name, self.actor.role, sorted(self.actor.sites)],
                          sort_keys=True, default=list, ensure_ascii=False)


_GROUPINGS: dict[tuple, list[str]] = {}


def groupings(db: Database) -> list[str]:
    """The groupings a view can offer: columns, periods, codes, and extra attributes in use.

    Remembered per process until a story changes (reading every story's extra attributes
    takes a while on a big corpus, and every rerun of the page asks).
    """
    version = tuple(db.execute("SELECT value FROM nlp_state WHERE key IN ('corpus_token', 'stories_version')"
                               " ORDER BY key").fetchall())
    if version in _GROUPINGS:
        return _GROUPINGS[version]
    keys = sorted({k for (k,) in db.execute(
        "SELECT DISTINCT j.key FROM stories AS s, json_each(s.extra) AS j WHERE s.deleted_at IS NULL")})
    result = ["code", *COLUMNS, *PERIODS, *[f"extra:{k}" for k in keys if k != "about"]]
    if len(_GROUPINGS) > 16:
        _GROUPINGS.clear()
    _GROUPINGS[version] = result
    return result


def group_expression(by: str) -> tuple[str, list]:
    """SQL (over `stories AS s`) for a grouping other than 'code'."""
    if by in COLUMNS:
        return f"COALESCE(s.{by}, '')", []
    if by == "month":
        return f"substr({DAY}, 1, 7)", []
    if by == "quarter":
        return f"substr({DAY}, 1, 4) || '-Q' || ((CAST(substr({DAY}, 6, 2) AS INTEGER) + 2) / 3)", []
    if by == "year":
        return f"substr({DAY}, 1, 4)", []
    if by.startswith("extra:") and len(by) > 6:
        return "COALESCE(json_extract(s.extra, ?), '')", [f'$."{by[6:]}"']
    if by in ("", "all"):
        return "''", []
    raise ValueError(f"unknown grouping {by!r}")


def group_rows(db: Database, f: StoryFilter | Selection, actor: Actor = SYSTEM, by: str = "", *,
               extra_columns: str = "", join: str = "") -> list[tuple]:
    """(story seq, group label, *extra columns) for every story in the selection.

    With by='code' a story appears once per code it carries (label = code id as text), and
    stories without codes do not appear.
    """
    selection = f if isinstance(f, Selection) else Selection(f, actor=actor)
    where, params = selection.where()
    extra = f", {extra_columns}" if extra_columns else ""
    if by == "code":
        sql = (f"SELECT s.seq, CAST(c.code_id AS TEXT){extra} FROM stories AS s"
               f" JOIN (SELECT DISTINCT story_seq, code_id FROM story_codes) AS c ON c.story_seq = s.seq {join}"
               f" WHERE {where}")
        return db.execute(sql, params).fetchall()
    expression, expression_params = group_expression(by)
    sql = f"SELECT s.seq, {expression}{extra} FROM stories AS s {join} WHERE {where}"
    return db.execute(sql, expression_params + params).fetchall()


def selected_seqs(db: Database, selection: Selection) -> np.ndarray:
    """The selection's story seqs, sorted: the filter runs once per selection and data version
    (kept per process, `coding.themes.kept`); every view of the selection starts from them."""
    from coding.themes.kept import data_version, kept

    return kept(("seqs", data_version(db), selection.key()), lambda: _selected_seqs(db, selection))


def _selected_seqs(db: Database, selection: Selection) -> np.ndarray:
    where, params = selection.where()
    rows = db.execute(f"SELECT s.seq FROM stories AS s WHERE {where} ORDER BY s.seq", params).fetchall()
    seqs = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    seqs.flags.writeable = False  # kept and shared
    return seqs


def seqs_by_group(rows: list[tuple]) -> dict[str, np.ndarray]:
    groups: dict[str, list[int]] = {}
    for row in rows:
        groups.setdefault(row[1] or NONE_LABEL, []).append(row[0])
    return {g: np.array(sorted(set(v)), dtype=np.int64) for g, v in groups.items()}


def extra_values(db: Database, key: str, *, actor: Actor = SYSTEM) -> list[str]:
    """The values an extra attribute takes in the stories the actor may see (for a filter)."""
    where, params = filter_sql(StoryFilter(), actor)
    path = f'$."{key}"'
    sql = (f"SELECT DISTINCT json_extract(s.extra, ?) AS v FROM stories AS s WHERE {where}"
           " AND json_extract(s.extra, ?) IS NOT NULL ORDER BY 1")
    return [str(r[0]) for r in db.execute(sql, [path, *params, path]).fetchall()]
