"""Import a REFI-QDA `.qdpx` (from QualCoder, NVivo, ATLAS.ti, MAXQDA or changestories).

Text sources become stories (variables written by changestories map back to story
fields; others become extra attributes), the codebook becomes a codebook (or is reused
when every code is already here), and codings, coding memos and notes come with them.
Everything is read and checked first (coding.qdpx_read) and then written in one
transaction: nothing is imported half. Importing the same file twice adds nothing.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlite_utils import Database

from coding.codebook.codes import create_codebook, insert_tree
from coding.codings import WHOLE, insert_coding, set_status
from coding.memos import insert_memo
from coding.refi.qdc import strip_refs, walk_codes
from coding.refi.qdpx_export import (
    BOOLEAN_VARIABLES, CYCLE_VARIABLES, DATE_VARIABLES, RECONCILED_PREFIX, REASONS_NOTE, TEXT_VARIABLES,
)
from coding.refi.qdpx_answers import (
    PREFIX as ANSWER_PREFIX, QUESTIONS_NOTE, answers_from_variables, import_questions, questions_of_file,
)
from coding.refi.qdpx_read import Project, Source, read_qdpx
from coding.refi.qda_xml import QdaFormatError, derived_guid
from stories.db import write_transaction
from stories.limits import DEFAULT_LIMITS, ImportLimits
from stories.model import CONSENT_PURPOSES, Consent, Story
from stories.trust.permissions import SYSTEM, Actor, can_import, on_behalf_of, require
from stories.msc.domains import list_domains, resolve_domain
from stories.msc.errors import MscInvalid
from stories.questions.answers import write_answers
from stories.questions.library import Question, add_question
from stories.questions.errors import QuestionInvalid
from stories.clock import now_iso
from stories.bulk_create import create_stories
from stories.validation import PSEUDONYM_RE, StoryInvalid, validate

FALLBACK_CODER = "imported"
CRLF = re.compile("\r\n")


@dataclass
class QdpxImportSummary:
    stories: int = 0
    duplicates: int = 0
    codes: int = 0
    codings: int = 0
    notes: int = 0
    answers: int = 0  # stories whose answers to this install's questions came with them
    codebook_id: int | None = None
    skipped: list[str] = field(default_factory=list)


def clean_with_offsets(raw: str) -> tuple[str, Callable[[int], int]]:
    """The text as story validation stores it (LF endings, trimmed) and a map of old offsets to new.

    The map keeps only where a CR of a CRLF was dropped (not an entry per character), so a
    long text that many sources share costs little."""
    dropped = [match.start() for match in CRLF.finditer(raw)]
    joined = raw.replace("\r\n", "\n").replace("\r", "\n")
    lead = len(joined) - len(joined.lstrip())
    text = joined.strip()

    def remap(offset: int) -> int:
        return min(max(offset - bisect.bisect_left(dropped, offset) - lead, 0), len(text))

    return text, remap


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes")


def source_story(source: Source, *, language: str, consent: Sequence[str]) -> Story:
    """The story a text source becomes (not yet validated)."""
    values = {k: v for k, v in source.variables.items() if k not in CYCLE_VARIABLES}  # made here, not story input
    fields = {name: values.pop(name) for name in (*TEXT_VARIABLES, *DATE_VARIABLES) if name in values}
    flags = {name: values.pop(name) for name in BOOLEAN_VARIABLES if name in values}
    if any(name.startswith("consent_") for name in flags):
        story_consent = Consent(internal=_flag(flags.get("consent_internal")),
                                evaluation=_flag(flags.get("consent_evaluation")),
                                publication=_flag(flags.get("consent_publication")),
                                teller_under_15=_flag(flags.get("teller_under_15")),
                                guardian=_flag(flags.get("guardian_consent")))
    else:
        story_consent = Consent(**{p: p in consent for p in CONSENT_PURPOSES})
    extra = {(k.removeprefix("extra_") if k.removeprefix("extra_") in (*TEXT_VARIABLES, *DATE_VARIABLES,
                                                                       *BOOLEAN_VARIABLES)
              or k.startswith("extra_" + ANSWER_PREFIX) else k): v
             for k, v in values.items() if v}
    pseudonym = source.case if PSEUDONYM_RE.match(source.case or "") else ""
    if source.case and not pseudonym:
        extra["case"] = source.case
    fields.setdefault("title", source.name if source.name != source.guid else "")
    fields.setdefault("language", language)
    fields.setdefault("source", "import")
    for name in DATE_VARIABLES:
        fields[name] = (fields.get(name) or "")[:10] or None
    fields["polarity"] = fields.get("polarity") or None
    return Story(text=source.text, teller_pseudonym=pseudonym, extra=extra, consent=story_consent,
                 is_demo=_flag(flags.get("is_demo")), **fields)


def with_known_domain(story: Story, domains: list) -> Story:
    """The domain variable as one of the install's domains (key or name); any other value stays an attribute."""
    if not story.domain:
        return story
    try:
        return replace(story, domain=resolve_domain(domains, story.domain))
    except MscInvalid:
        return replace(story, domain=None, extra={**story.extra, "domain": story.domain})


def _coder(project: Project, user_guid: str | None) -> tuple[str, bool]:
    """(coder name, reconciled?) for a coding's creating user."""
    if not user_guid or user_guid not in project.users:
        return FALLBACK_CODER, False
    name, user_id = project.users[user_guid]
    if user_id.startswith(RECONCILED_PREFIX):
        return user_id.removeprefix(RECONCILED_PREFIX), True
    return name, False


def import_qdpx(db: Database, path: str | os.PathLike, *, actor: Actor = SYSTEM, consent: Sequence[str] = ("internal",),
                language: str = "da", lang: str = "da", dry_run: bool = False,
                limits: ImportLimits = DEFAULT_LIMITS) -> QdpxImportSummary:
    """Import a .qdpx all or nothing; `consent` applies to sources without consent variables."""
    require(can_import(actor), "import")
    unknown = set(consent) - set(CONSENT_PURPOSES)
    if unknown:
        raise ValueError(f"unknown consent purposes: {', '.join(sorted(unknown))}")
    project = read_qdpx(path, lang=lang, limits=limits)
    summary = QdpxImportSummary(skipped=list(project.skipped))
    if any(ref != derived_guid(QUESTIONS_NOTE) for ref in project.note_refs):
        summary.skipped.append("notes on the project as a whole")
    prepared = []
    domains = list_domains(db)
    try:
        questions = import_questions(db, questions_of_file(project.notes.get(derived_guid(QUESTIONS_NOTE), ("",))[0]))
    except QuestionInvalid:
        raise QdaFormatError(key="error.qda.questions_note", what=Path(path).name) from None
    cleaned: dict[str, tuple[str, Callable[[int], int]]] = {}  # sources sharing a text file share this
    for source in project.sources:
        if source.text not in cleaned:
            cleaned[source.text] = clean_with_offsets(source.text)
        text, remap = cleaned[source.text]
        try:
            answers, used = answers_from_variables(questions, source.variables)
        except QuestionInvalid as exc:
            raise QdaFormatError(key="error.qda.answer", what=Path(path).name, source=source.name,
                                 question=exc.params.get("question", "")) from None
        rest = replace(source, variables={k: v for k, v in source.variables.items() if k not in used})
        try:
            story = validate(with_known_domain(source_story(rest, language=language, consent=consent), domains),
                             require_significance=False)
        except StoryInvalid as exc:
            raise QdaFormatError(f"{Path(path).name}: source {source.name!r} cannot become a story: {exc}") from exc
        assert story.text == text
        prepared.append((source, story, remap, answers))
    nodes = list(walk_codes(project.codes))
    if dry_run:
        summary.codes = len(nodes)
        summary.stories = len(prepared)
        summary.codings = sum(len(s.codings) for src, _, _, _ in prepared for s in src.selections)
        summary.answers = sum(1 for _, _, _, answers in prepared if answers)
        return summary
    with write_transaction(db):
        code_ids = _codes(db, project, Path(path).stem, actor, summary)
        keys = [f"qdpx:{src.guid}" for src, _, _, _ in prepared]
        existing = {k for (k,) in db.execute(
            "SELECT import_key FROM stories WHERE import_key IN (SELECT value FROM json_each(?))", [json.dumps(keys)])}
        fresh, seen = [], set()
        for (src, story, remap, answers), key in zip(prepared, keys):
            if key in existing or key in seen:
                continue
            seen.add(key)
            taken = db.execute("SELECT 1 FROM stories WHERE id = ?", [src.guid]).fetchone()
            story.id = None if taken else src.guid
            fresh.append((src, story, remap, key, answers))
        added = create_stories(db, [(story, key) for _, story, _, key, _ in fresh], actor=actor)
        by_key = {q.key: q for q in questions if q.id is not None}
        summary.stories, summary.duplicates = len(added), len(prepared) - len(added)
        for (src, story, remap, _, answers), stored in zip(fresh, added):
            seq = db.execute("SELECT seq FROM stories WHERE id = ?", [stored.id]).fetchone()[0]
            if answers:
                by_key = _stored_questions(db, questions, answers, by_key, actor)
                write_answers(db, seq, list(by_key.values()), {by_key[k].id: v for k, v in answers.items()})
                summary.answers += 1
            _codings(db, project, seq, src, story.text, remap, code_ids, summary)
            for note_guid in src.note_refs:
                text, user, created = project.notes[note_guid]
                if note_guid == derived_guid(REASONS_NOTE, src.guid):
                    continue  # the panels' reasons, which this file was made from: not a memo
                if text:
                    insert_memo(db, text, _coder(project, user)[0], story_seq=seq, guid=_free(db, "memos", note_guid),
                                created_at=created)
                    summary.notes += 1
    return summary


def _stored_questions(db: Database, questions: list[Question], answers: dict[str, object],
                      by_key: dict[str, Question], actor: Actor) -> dict[str, Question]:
    """The questions by key with every question `answers` names stored (a file's question this
    install did not have is added, as the codebook of a file is)."""
    for key in answers:
        if key not in by_key:
            by_key[key] = add_question(db, next(q for q in questions if q.key == key),
                                       actor=on_behalf_of(actor))
    return by_key


def _free(db: Database, table: str, guid: str) -> str | None:
    """The guid if no row of `table` has it yet (None: let the insert make a new one)."""
    return None if db.execute(f"SELECT 1 FROM {table} WHERE guid = ?", [guid]).fetchone() else guid


def _codes(db: Database, project: Project, name: str, actor: Actor, summary: QdpxImportSummary) -> dict[str, int]:
    """File code guid -> code id: the codes already here when all are, else a new codebook."""
    nodes = list(walk_codes(project.codes))
    if not nodes:
        return {}
    existing = {}
    for node in nodes:
        row = db.execute("SELECT id FROM codes WHERE guid = ?", [node["guid"]]).fetchone()
        if row:
            existing[node["guid"]] = row[0]
    if len(existing) == len(nodes):
        summary.codebook_id = db.execute("SELECT codebook_id FROM codes WHERE id = ?",
                                         [next(iter(existing.values()))]).fetchone()[0]
        return existing
    codebook_id = create_codebook(db, project.name or name or "Imported", None, actor=on_behalf_of(actor))
    summary.codes = len(nodes)
    ids: dict[str, int] = {}
    insert_tree(db, codebook_id, strip_refs(project.codes), ids_by_guid=ids)
    for node in nodes:
        for note_guid in node["note_refs"]:
            if note_guid in project.notes and project.notes[note_guid][0]:
                text, user, created = project.notes[note_guid]
                insert_memo(db, text, _coder(project, user)[0], code_id=ids[node["guid"]],
                            guid=_free(db, "memos", note_guid), created_at=created)
                summary.notes += 1
    summary.codebook_id = codebook_id
    return ids


def _codings(db: Database, project: Project, seq: int, source: Source, text: str, remap, code_ids: dict[str, int],
             summary: QdpxImportSummary) -> None:
    finished: set[str] = set()
    reconciled_by: str | None = None
    for selection in source.selections:
        if selection.start is None:
            span = WHOLE
        else:
            start, end = remap(selection.start), remap(selection.end)
            if start >= end:
                summary.skipped.append(f"an empty selection in {source.name!r}")
                continue
            span = WHOLE if (start, end) == (0, len(text)) else (start, end)
        for guid, user, created, code_guid in selection.codings:
            coder, reconciled = _coder(project, user)
            insert_coding(db, seq, code_ids[code_guid], coder, span, selection.memo,
                          "reconciled" if reconciled else "import", _free(db, "codings", guid), created)
            summary.codings += 1
            if reconciled:
                reconciled_by = coder
            else:
                finished.add(coder)
    for coder in sorted(finished):
        set_status(db, seq, coder, True)
    if reconciled_by:
        db.conn.execute("INSERT OR IGNORE INTO reconciliations(story_seq, reconciled_by, created_at) VALUES (?, ?, ?)",
                        [seq, reconciled_by, now_iso()])
