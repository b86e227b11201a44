"""Exporting stories as CSV, XLSX or JSON: one row (or object) per story, every field."""

from __future__ import annotations

import csv
import json
from dataclasses import fields
from pathlib import Path

from sqlite_utils import Database

from stories.model import Story
from stories.trust.permissions import SYSTEM, Actor, can_export, require
from stories.storage import StoryFilter, query_stories

FORMATS = ("csv", "xlsx", "json")
CONSENT_COLUMNS = {
    "consent_internal": "internal", "consent_evaluation": "evaluation", "consent_publication": "publication",
    "teller_under_15": "teller_under_15", "guardian_consent": "guardian", "consent_version": "version",
}
BASE_COLUMNS = [f.name for f in fields(Story) if f.name not in ("extra", "consent", "deleted_at")]


def flat_rows(stories: list[Story]) -> tuple[list[str], list[dict]]:
    """Columns and rows: story fields, consent flags, then one column per extra attribute."""
    extra_keys = sorted({k for s in stories for k in s.extra})
    columns = BASE_COLUMNS + list(CONSENT_COLUMNS)
    extra_columns = {k: (k if k not in columns else f"extra_{k}") for k in extra_keys}
    rows = []
    for story in stories:
        row = {name: getattr(story, name) for name in BASE_COLUMNS}
        row.update({col: getattr(story.consent, attr) for col, attr in CONSENT_COLUMNS.items()})
        row.update({extra_columns[k]: v for k, v in story.extra.items()})
        rows.append(row)
    return columns + list(extra_columns.values()), rows


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    return value


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    # UTF-8 with BOM, so Excel shows æøå correctly.
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows({k: _cell(row.get(k)) for k in columns} for row in rows)


def write_xlsx(path: Path, columns: list[str], rows: list[dict], sheet: str = "stories") -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.append(columns)
    for row in rows:
        cells = []
        for name in columns:
            value = _cell(row.get(name))
            cells.append(value)
        worksheet.append(cells)
    workbook.save(path)
    _force_text_cells(path)


def _force_text_cells(path: Path) -> None:
    """Text that starts with '=' must stay text in Excel, never become a formula."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    changed = False
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    changed = True
    if changed:
        workbook.save(path)


def export_stories(db: Database, path: str | Path, fmt: str, *, actor: Actor = SYSTEM,
                   story_filter: StoryFilter | None = None) -> int:
    """Write the stories the actor may see (withdrawn and deleted never) to `path`; returns the count."""
    require(can_export(actor), "export")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    story_filter = story_filter or StoryFilter()
    stories = query_stories(db, story_filter, actor=actor)
    # trust: evaluators, and exports for evaluation or publication, get pseudonymised text
    from stories.privacy.pseudonymised import needs_pseudonymisation, pseudonymise_stories

    pseudonymise = needs_pseudonymisation(actor, story_filter.purpose)
    if pseudonymise:
        stories = pseudonymise_stories(db, stories)
    path = Path(path)
    from stories.msc.exchange import FLAT_COLUMNS, export_fields, flat_fields  # the MSC cycle: period, selections

    cycle = export_fields(db, [s.id for s in stories], pseudonymise=pseudonymise)
    if fmt == "json":
        path.write_text(json.dumps([s.to_dict() | cycle[s.id] for s in stories], ensure_ascii=False, indent=2),
                        encoding="utf-8")
    else:
        columns, rows = flat_rows(stories)
        at = len(BASE_COLUMNS) + len(CONSENT_COLUMNS)
        columns = columns[:at] + [c for c in FLAT_COLUMNS if c not in columns] + columns[at:]
        for story, row in zip(stories, rows):
            row.update({k: v for k, v in flat_fields(cycle[story.id]).items() if k not in row})
        (write_csv if fmt == "csv" else write_xlsx)(path, columns, rows)
    from stories.trust import audit  # trust: exports are audited

    audit.log(db, actor, "export", fmt=fmt, purpose=story_filter.purpose, n=len(stories), pseudonymised=pseudonymise)
    return len(stories)
