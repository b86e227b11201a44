"""Exporting stories as CSV, XLSX or JSON: one row (or object) per story, every field.

Exports stream: the stories are read, pseudonymised where needed and written a batch at a
time, so memory stays flat however many there are. CSV and XLSX are made for spreadsheets:
a cell that starts like a formula (=, +, -, @, tab, carriage return) cannot run as one
(CSV: a leading apostrophe, as OWASP advises; XLSX: a text cell with Excel's own
quote-prefix mark, the text unchanged). JSON keeps every character exactly.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from pathlib import Path

from sqlite_utils import Database

from stories.model import Story
from stories.storage import stories_by_seq
from stories.visibility import StoryFilter
from stories.search import ranked_seqs
from stories.trust.permissions import SYSTEM, Actor, can_export, require

FORMATS = ("csv", "xlsx", "json")
CONSENT_COLUMNS = {
    "consent_internal": "internal", "consent_evaluation": "evaluation", "consent_publication": "publication",
    "teller_under_15": "teller_under_15", "guardian_consent": "guardian", "consent_version": "version",
}
BASE_COLUMNS = [f.name for f in fields(Story) if f.name not in ("extra", "consent", "deleted_at")]
EXPORT_BATCH = 1000  # stories read (and pseudonymised) at a time
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet may run a cell starting so


def extra_columns(db: Database, seqs: list[int], taken: Iterable[str]) -> dict[str, str]:
    """Extra attribute -> its column name, for every attribute any of the stories has."""
    keys = sorted(r[0] for r in db.execute(
        "SELECT DISTINCT j.key FROM stories AS s, json_each(s.extra) AS j WHERE s.seq IN (SELECT value FROM json_each(?))",
        [json.dumps(seqs)]))
    taken = set(taken)
    return {k: (k if k not in taken else f"extra_{k}") for k in keys}


def flat_row(story: Story, extras: dict[str, str]) -> dict:
    """One story as a table row: its fields, consent flags, then its extra attributes."""
    row = {name: getattr(story, name) for name in BASE_COLUMNS}
    row.update({col: getattr(story.consent, attr) for col, attr in CONSENT_COLUMNS.items()})
    row.update({extras[k]: v for k, v in story.extra.items() if k in extras})
    return row


def flat_rows(stories: list[Story]) -> tuple[list[str], list[dict]]:
    """Columns and rows of a list of stories (extra attributes from the stories themselves)."""
    columns = BASE_COLUMNS + list(CONSENT_COLUMNS)
    extras = {k: (k if k not in columns else f"extra_{k}") for k in sorted({k for s in stories for k in s.extra})}
    return columns + list(extras.values()), [flat_row(s, extras) for s in stories]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    return value


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def spreadsheet_text(value):
    """A CSV cell a spreadsheet shows as the text it is: OWASP's leading apostrophe before a
    formula-like start (the apostrophe is visible in the file; JSON keeps the text exact)."""
    value = _cell(value)
    return "'" + value if looks_like_formula(value) else value


def write_csv(path: Path, columns: list[str], rows: Iterable[dict]) -> int:
    """Stream rows into a CSV file for spreadsheets; returns how many were written."""
    n = 0
    # UTF-8 with BOM, so Excel shows æøå correctly.
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([spreadsheet_text(c) for c in columns])
        for row in rows:
            writer.writerow([spreadsheet_text(row.get(k)) for k in columns])
            n += 1
    return n


def write_xlsx(path: Path, columns: list[str], rows: Iterable[dict], sheet: str = "stories") -> int:
    """Stream rows into an .xlsx file (openpyxl's write-only mode); returns how many were written.

    Text stays text: a value that starts like a formula, or spells an Excel error ("#N/A"),
    is written as a text cell marked with Excel's quote prefix, so it is never run, not even
    after someone edits the cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)

    def cell(value):
        value = _cell(value)
        if isinstance(value, str) and (looks_like_formula(value) or value in ERROR_CODES):
            text = WriteOnlyCell(worksheet, value="")
            text.value = value  # bound as a formula or an error first; made plain text below
            text.data_type = "s"
            text.quotePrefix = True
            return text
        return value

    worksheet.append([cell(c) for c in columns])
    n = 0
    for row in rows:
        worksheet.append([cell(row.get(name)) for name in columns])
        n += 1
    workbook.save(path)
    return n


def _batches(db: Database, seqs: list[int], pseudonymise: bool,
             progress: Callable[[int, int], None] | None = None) -> Iterator[list[tuple[Story, dict]]]:
    """The stories with their MSC-cycle fields, EXPORT_BATCH at a time, in the order of `seqs`;
    `progress(done, total)` after each batch is written."""
    from stories.msc.exchange import export_fields  # the MSC cycle: period, selections
    from stories.questions.answers import export_answers  # the answers to the form's questions
    from stories.privacy.pseudonymised import pseudonymise_stories

    for i in range(0, len(seqs), EXPORT_BATCH):
        stories = stories_by_seq(db, seqs[i : i + EXPORT_BATCH])  # one withdrawn meanwhile is left out
        if pseudonymise:
            stories = pseudonymise_stories(db, stories)
        cycle = export_fields(db, [s.id for s in stories], pseudonymise=pseudonymise)
        answers = export_answers(db, [s.id for s in stories], pseudonymise=pseudonymise)
        yield [(s, cycle[s.id] | {"answers": answers[s.id]}) for s in stories]
        if progress:
            progress(min(i + EXPORT_BATCH, len(seqs)), len(seqs))


def _write_json(path: Path, batches: Iterable[list[tuple[Story, dict]]]) -> int:
    """The same text as json.dumps(list, indent=2), written object by object."""
    n = 0
    with open(path, "w", encoding="utf-8") as handle:
        for batch in batches:
            for story, cycle in batch:
                text = json.dumps(story.to_dict() | cycle, ensure_ascii=False, indent=2)
                handle.write(("[\n" if n == 0 else ",\n") + "\n".join("  " + line for line in text.split("\n")))
                n += 1
        handle.write("\n]" if n else "[]")
    return n


def export_stories(db: Database, path: str | Path, fmt: str, *, actor: Actor = SYSTEM,
                   story_filter: StoryFilter | None = None, progress: Callable[[int, int], None] | None = None) -> int:
    """Write the stories the actor may see (withdrawn and deleted never) to `path`; returns the count.
    `progress(done, total)` is told the stories written so far, a batch at a time (for a progress bar)."""
    require(can_export(actor), "export")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    story_filter = story_filter or StoryFilter()
    # trust: evaluators, and exports for evaluation or publication, get pseudonymised text
    from stories.privacy.pseudonymised import needs_pseudonymisation

    pseudonymise = needs_pseudonymisation(actor, story_filter.purpose)
    seqs = ranked_seqs(db, story_filter, actor=actor)
    path = Path(path)
    if fmt == "json":
        n = _write_json(path, _batches(db, seqs, pseudonymise, progress))
    else:
        from stories.msc.exchange import FLAT_COLUMNS, flat_fields

        columns = BASE_COLUMNS + list(CONSENT_COLUMNS)
        columns += [c for c in FLAT_COLUMNS if c not in columns]
        extras = extra_columns(db, seqs, columns)
        answer_columns = [f"q:{r[0]}" for r in db.execute(
            "SELECT DISTINCT q.key FROM story_answers AS a JOIN questions AS q ON q.id = a.question_id"
            " WHERE a.story_seq IN (SELECT value FROM json_each(?))" + (" AND q.kind != 'text'" if pseudonymise
                                                                       else "") + " ORDER BY q.id",
            [json.dumps(seqs)])]

        def rows() -> Iterator[dict]:
            for batch in _batches(db, seqs, pseudonymise, progress):
                for story, cycle in batch:
                    row = flat_row(story, extras)
                    row.update({k: v for k, v in flat_fields(cycle).items() if k not in row})
                    row.update({f"q:{k}": (json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v)
                                for k, v in cycle["answers"].items()})
                    yield row

        n = (write_csv if fmt == "csv" else write_xlsx)(path, columns + list(extras.values()) + answer_columns,
                                                       rows())
    from stories.trust import audit  # trust: exports are audited

    audit.log(db, actor, "export", fmt=fmt, purpose=story_filter.purpose, n=n, pseudonymised=pseudonymise)
    return n
