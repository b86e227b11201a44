"""Theme results as tables (pandas DataFrames) for the page, the CSV downloads and the report.

Column names come in translated (`names`: internal name -> label). CSV cells that a
spreadsheet would run as a formula (=, +, -, @ first) are written as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from coding.themes.code_stats import CodeCount, CodeInfo, Cooccurrence
from coding.themes.quotes import Quote
from coding.themes.timeline import TimelineEntry
from coding.themes.words import GroupWords, WordTable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _frame(rows: list[dict], names: Mapping[str, str] | None, columns: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns))
    return frame.rename(columns=dict(names or {}))


def code_name(codes: Mapping[int, CodeInfo], code_id: int | str) -> str:
    info = codes.get(int(code_id))
    return info.name if info else str(code_id)


def words_frame(table: WordTable, names=None) -> pd.DataFrame:
    rows = [{"lemma": w.lemma, "count": w.count, "stories": w.stories} for w in table.rows]
    return _frame(rows, names, ["lemma", "count", "stories"])


def distinctive_frame(groups: list[GroupWords], label, names=None) -> pd.DataFrame:
    rows = [{"group": label(g.group), "lemma": w.lemma, "z": round(w.z, 2), "count": w.count, "rest": w.rest,
             "stories": w.stories} for g in groups for w in g.words]
    return _frame(rows, names, ["group", "lemma", "z", "count", "rest", "stories"])


def counts_frame(counts: list[CodeCount], codes: Mapping[int, CodeInfo], label=str, names=None) -> pd.DataFrame:
    rows = [{"group": label(c.group), "code": code_name(codes, c.code_id), "stories": c.stories,
             "group_stories": c.group_stories, "share": round(100 * c.share, 1)} for c in counts]
    return _frame(rows, names, ["group", "code", "stories", "group_stories", "share"])


def pivot_shares(counts: list[CodeCount], codes: Mapping[int, CodeInfo]) -> tuple[list[str], dict[str, list[float]], list[str]]:
    """(groups, {code name: share % per group}, colors) for the charts, codes in codebook order."""
    groups = sorted({c.group for c in counts})
    order = [i for i in codes if any(c.code_id == i for c in counts)]
    order += sorted({c.code_id for c in counts} - set(order))
    index = {g: i for i, g in enumerate(groups)}
    series: dict[str, list[float]] = {}
    colors = []
    for code_id in order:
        values = [0.0] * len(groups)
        for c in counts:
            if c.code_id == code_id:
                values[index[c.group]] = round(100 * c.share, 1)
        series[code_name(codes, code_id)] = values
        colors.append(codes[code_id].color if code_id in codes else "")
    return groups, series, colors


def cooccurrence_frame(co: Cooccurrence, codes: Mapping[int, CodeInfo]) -> pd.DataFrame:
    labels = [code_name(codes, c) for c in co.codes]
    return pd.DataFrame(co.counts, index=labels, columns=labels).reset_index(names="")


def quotes_frame(quotes: list[Quote], names=None) -> pd.DataFrame:
    rows = [{"day": q.day, "teller": q.teller_pseudonym, "title": q.title, "quote": q.text} for q in quotes]
    return _frame(rows, names, ["day", "teller", "title", "quote"])


def timeline_frame(entries: list[TimelineEntry], codes: Mapping[int, CodeInfo], role_label=str, names=None) -> pd.DataFrame:
    rows = [{"day": e.day, "title": e.title, "teller": e.teller_pseudonym, "role": role_label(e.teller_role),
             "codes": ", ".join(code_name(codes, c) for c in e.code_ids),
             "sentiment": None if e.sentiment is None else round(e.sentiment, 1)} for e in entries]
    return _frame(rows, names, ["day", "title", "teller", "role", "codes", "sentiment"])


def summary_stats(groups: Mapping[str, Sequence[float]], names=None) -> pd.DataFrame:
    rows = []
    for group, values in groups.items():
        series = pd.Series(list(values), dtype=float)
        rows.append({"group": group, "stories": len(series), "mean": round(series.mean(), 2) if len(series) else None,
                     "median": round(series.median(), 2) if len(series) else None})
    return _frame(rows, names, ["group", "stories", "mean", "median"])


def _safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (Excel opens Danish letters right), formulas neutralised."""
    safe = frame.copy()
    safe.columns = [_safe_cell(str(c)) for c in safe.columns]
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(_safe_cell)
    return safe.to_csv(index=False).encode("utf-8-sig")
