"""Codings as a table (CSV or XLSX): one row per coding, with the coded text and the story's fields.

Evaluators, and exports for evaluation or publication, get the coded text and the story
fields pseudonymised, like every other export.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlite_utils import Database

from coding.codebook.codes import Code, active_codebook, code_tree
from coding.codings import all_codings
from stories.exporter import write_csv, write_xlsx
from stories.trust.permissions import SYSTEM, Actor, can_export, require
from stories.visibility import StoryFilter
from stories.search import stored_stories

FORMATS = ("codings-csv", "codings-xlsx")
CODING_COLUMNS = ["coding_id", "code_key", "code", "code_group", "coder", "origin", "level", "start", "end",
                  "coded_text", "memo", "created_at"]
STORY_COLUMNS = ["story_id", "title", "site", "programme", "session_type", "teller_role", "teller_pseudonym",
                 "recorded_by", "happened_on", "language", "polarity", "teller_mechanism", "significance"]


def coding_rows(db: Database, *, story_filter: StoryFilter | None = None, actor: Actor = SYSTEM,
                codebook_id: int | None = None, lang: str = "da") -> tuple[list[str], list[dict]]:
    """Columns and rows of every coding of the stories in scope (codes of one codebook)."""
    from stories.privacy.pseudonymised import needs_pseudonymisation, pseudonyms_for

    story_filter = story_filter or StoryFilter()
    codebook_id = codebook_id if codebook_id is not None else active_codebook(db)
    tree = code_tree(db, codebook_id) if codebook_id is not None else []
    codes: dict[int, Code] = {c.id: c for c, _ in tree}
    stories = {s.id: s for s in stored_stories(db, story_filter, actor=actor)}  # the originals: offsets
    seq_to_id = dict(db.execute(
        "SELECT seq, id FROM stories WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(list(stories))]).fetchall())
    pseudonymise = needs_pseudonymisation(actor, story_filter.purpose)
    pseudonyms = {}
    rows = []
    for coding in all_codings(db, story_filter, actor=actor, lang=lang):  # memos as the actor may see them
        story = stories.get(seq_to_id.get(coding.story_seq))
        code = codes.get(coding.code_id)
        if story is None or code is None:
            continue
        start, end = (0, len(story.text)) if coding.whole_story else (coding.start, coding.end)
        if pseudonymise:
            ps = pseudonyms.setdefault(story.id, pseudonyms_for(db, story))
            coded, shown = ps.slice(start, end), ps.pseudonymised_story()
        else:
            coded, shown = story.text[start:end], story
        parent = codes.get(code.parent_id) if code.parent_id else None
        row = {
            "coding_id": coding.guid, "code_key": code.key, "code": code.name(lang),
            "code_group": parent.name(lang) if parent else "", "coder": coding.coder, "origin": coding.origin,
            "level": "story" if coding.whole_story else "passage", "start": coding.start, "end": coding.end,
            "coded_text": coded, "memo": coding.memo, "created_at": coding.created_at,
        }
        row.update({name: getattr(shown, name if name != "story_id" else "id") for name in STORY_COLUMNS})
        rows.append(row)
    return CODING_COLUMNS + STORY_COLUMNS, rows


def export_codings(db: Database, out: str | os.PathLike, fmt: str, *, story_filter: StoryFilter | None = None,
                   actor: Actor = SYSTEM, codebook_id: int | None = None, lang: str = "da") -> int:
    """Write the codings table as CSV or XLSX; returns the number of rows."""
    require(can_export(actor), "export")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    story_filter = story_filter or StoryFilter()
    columns, rows = coding_rows(db, story_filter=story_filter, actor=actor, codebook_id=codebook_id, lang=lang)
    if fmt == "codings-csv":
        write_csv(Path(out), columns, rows)
    else:
        write_xlsx(Path(out), columns, rows, sheet="codings")
    from stories.trust import audit

    audit.log(db, actor, "export", fmt=fmt, purpose=story_filter.purpose, n=len(rows))
    return len(rows)
