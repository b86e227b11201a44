"""Export a coded project as REFI-QDA `.qdpx` (QDA-XML 1.0 Project.xsd, 2019).

The zip holds `project.qde` and a flat `sources/` folder with one UTF-8 text file per
story (no byte-order mark, LF line endings), named by the story's GUID. Positions count
Unicode code points from 0, end exclusive, exactly Python's slicing of the story text;
a story-level coding is a selection of the whole text. Story fields travel as variables,
tellers as cases, coding memos as the selection's Description, and memos on stories and
codes as Notes referenced by NoteRef.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from coding.codebook.codes import active_codebook, code_tree
from coding.codings import Coding, all_codings
from coding.memos import list_memos
from coding.refi.qdpx_answers import (
    PREFIX as ANSWER_PREFIX, QUESTIONS_NOTE, answer_variables, is_teller_variable, questions_note, teller_question_keys,
)
from coding.refi.qdc import add_code_elements
from coding.refi.qda_xml import ORIGIN, PROJECT_NS, QdaFormatError, derived_guid, tag, xml_time
from stories.model import Story
from stories.msc.exchange import export_fields, reasons_note
from stories.trust.permissions import SYSTEM, Actor, can_export, require
from stories.privacy.pseudonymised import needs_pseudonymisation
from stories.storage import stories_by_seq
from stories.visibility import StoryFilter
from stories.search import ranked_seqs

# Story fields exported as variables: name -> REFI typeOfVariable.
TEXT_VARIABLES = ("significance", "difference", "title", "site", "programme", "session_type", "teller_role",
                  "recorded_by", "language", "polarity", "teller_mechanism", "source", "domain")
DATE_VARIABLES = ("happened_on", "period_start", "period_end")
BOOLEAN_VARIABLES = ("consent_internal", "consent_evaluation", "consent_publication", "teller_under_15",
                     "guardian_consent", "is_demo")
RECONCILED_PREFIX = "reconciled:"
APP_USER = "changestories"  # the creating user of stories nobody is named as recording


@dataclass
class QdpxExportSummary:
    stories: int
    codes: int
    codings: int
    notes: int
    skipped_codings: int  # codings of codes outside the exported codebook


def _E(parent: ET.Element, name: str, attrs: dict | None = None, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag(PROJECT_NS, name), {k: str(v) for k, v in (attrs or {}).items()})
    if text is not None:
        element.text = text
    return element


def user_key(coding: Coding) -> tuple[str, str]:
    """(user id, display name) of a coding's creator; reconciled codings get their own user."""
    if coding.origin == "reconciled":
        return RECONCILED_PREFIX + coding.coder, f"{coding.coder} (reconciled)"
    return coding.coder, coding.coder


# The story's place in the Most Significant Change cycle (stories.msc.exchange), exported as text variables.
CYCLE_VARIABLES = ("period", "highest_level", "verification")
REASONS_NOTE = "msc-reasons"  # derived_guid(REASONS_NOTE, story id): the note holding the panels' reasons


def story_variables(story: Story, cycle: dict | None = None) -> list[tuple[str, str, str]]:
    """(name, typeOfVariable, value) of the non-empty fields of a story (and of its place in the cycle)."""
    values = []
    for name in TEXT_VARIABLES:
        value = getattr(story, name) or ""
        if value or name == "title":  # an empty title stays empty on the way back
            values.append((name, "Text", value))
    for name in DATE_VARIABLES:
        value = getattr(story, name)
        if value:
            values.append((name, "Date", value))
    flags = {"consent_internal": story.consent.internal, "consent_evaluation": story.consent.evaluation,
             "consent_publication": story.consent.publication, "teller_under_15": story.consent.teller_under_15,
             "guardian_consent": story.consent.guardian, "is_demo": story.is_demo}
    values.extend((name, "Boolean", "true" if flags[name] else "false") for name in BOOLEAN_VARIABLES)
    if cycle:
        for name, value in (("period", cycle.get("period")), ("highest_level", cycle.get("highest_level_name")),
                            ("verification", (cycle.get("verification") or {}).get("status"))):
            if value:
                values.append((name, "Text", str(value)))
    taken = TEXT_VARIABLES + DATE_VARIABLES + BOOLEAN_VARIABLES + CYCLE_VARIABLES
    for key, value in sorted(story.extra.items()):
        name = key if key not in taken and not key.startswith(ANSWER_PREFIX) else f"extra_{key}"
        values.append((name, "Text", value))
    return values


EXPORT_BATCH = 500  # stories read, pseudonymised and written at a time


def _P(parent: ET.Element | None, name: str, attrs: dict | None = None, text: str | None = None) -> ET.Element:
    """An element of a streamed part (a source, the notes): no namespace of its own, so it is in
    the default namespace the Project element declares around it."""
    attrs = {k: str(v) for k, v in (attrs or {}).items()}
    element = ET.Element(name, attrs) if parent is None else ET.SubElement(parent, name, attrs)
    if text is not None:
        element.text = text
    return element


def _fragment(element: ET.Element, level: int) -> bytes:
    ET.indent(element, space="  ", level=level)
    return b"  " * level + ET.tostring(element, encoding="utf-8") + b"\n"


def _pseudonymised(db: Database, stories: list[Story]) -> tuple[list[Story], dict]:
    """Stories with personal data replaced, and per story a map of original to new text offsets."""
    from stories.privacy.pseudonymised import pseudonyms_for

    shown, remaps = [], {}
    for story in stories:
        pseudonyms = pseudonyms_for(db, story)
        shown.append(pseudonyms.pseudonymised_story())
        remaps[story.id] = lambda offset, ps=pseudonyms: len(ps.slice(0, offset))
    return shown, remaps


def export_qdpx(db: Database, out: str | os.PathLike, *, story_filter: StoryFilter | None = None,
                actor: Actor = SYSTEM, codebook_id: int | None = None, lang: str = "da",
                name: str | None = None) -> QdpxExportSummary:
    """Write the stories in scope, the codebook, codings and memos as a .qdpx file.

    The stories stream: EXPORT_BATCH at a time they are read, pseudonymised where needed, and
    written (each text as its zip member, its TextSource to a spool file); project.qde is
    then written around the spooled sources, so memory stays flat however many there are.
    """
    require(can_export(actor), "export")
    out = Path(out)
    story_filter = story_filter or StoryFilter()
    pseudonymise = needs_pseudonymisation(actor, story_filter.purpose)
    codebook_id = codebook_id if codebook_id is not None else active_codebook(db)
    tree = code_tree(db, codebook_id, include_retired=True) if codebook_id is not None else []
    codes = {code.id: code for code, _ in tree}
    seqs = ranked_seqs(db, story_filter, actor=actor)
    if not seqs:
        raise QdaFormatError("no stories to export (check the filter and the stories' consent)")
    in_scope = set(seqs)
    codings_by_story: dict[int, list[Coding]] = defaultdict(list)
    skipped = 0
    for coding in all_codings(db, story_filter, actor=actor, lang=lang):  # memos as the actor may see them
        if coding.story_seq not in in_scope:
            continue
        if coding.code_id in codes:
            codings_by_story[coding.story_seq].append(coding)
        else:
            skipped += 1
    memos = [m for m in list_memos(db, actor=actor, purpose=story_filter.purpose, lang=lang)
             if (m.story_seq in in_scope) or (m.code_id in codes)]

    users: dict[str, str] = {}  # user id -> display name
    for codings in codings_by_story.values():
        for coding in codings:
            uid, display = user_key(coding)
            users.setdefault(uid, display)
    for memo in memos:
        users.setdefault(memo.author, memo.author)
    code_notes: dict[int, list[str]] = defaultdict(list)
    story_notes: dict[int, list[str]] = defaultdict(list)
    for memo in memos:
        (code_notes[memo.code_id] if memo.code_id is not None else story_notes[memo.story_seq]).append(memo.guid)

    def guid_of_user(uid: str) -> str:
        return derived_guid("user", uid)

    variables: dict[str, str] = {}  # name -> typeOfVariable, in the order first met
    descriptions: dict[str, str] = {}  # variable name -> its Description (the question's wording)
    answered: dict[str, None] = {}  # keys of the questions answered, in order
    cases: dict[str, list[str]] = defaultdict(list)
    teller_keys = teller_question_keys(db)
    case_values: dict[str, dict[str, tuple]] = defaultdict(dict)  # ((created, seq), type, value)
    reason_notes: dict[str, str] = {}
    stories = count = 0
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive, \
            tempfile.TemporaryFile() as spool:
        for i in range(0, len(seqs), EXPORT_BATCH):
            batch_seqs = seqs[i : i + EXPORT_BATCH]
            batch = stories_by_seq(db, batch_seqs)  # the originals (offsets are remapped); one withdrawn meanwhile is left out
            seq_of = dict(zip([s.id for s in batch], _seqs(db, batch)))
            remaps: dict = {}
            if pseudonymise:
                batch, remaps = _pseudonymised(db, batch)
            cycle = export_fields(db, [s.id for s in batch], pseudonymise=pseudonymise)
            answers = answer_variables(db, [s.id for s in batch], pseudonymise=pseudonymise, lang=lang)
            for story in batch:
                seq = seq_of[story.id]
                stories += 1
                # stories hold LF line endings only (validation)
                archive.writestr(f"sources/{story.id}.txt", story.text.encode("utf-8"))
                creator = story.recorded_by or APP_USER
                users.setdefault(creator, creator)
                if story.teller_pseudonym:
                    cases[story.teller_pseudonym].append(story.id)
                if text := reasons_note(cycle[story.id]):
                    reason_notes[story.id] = text
                    users.setdefault(APP_USER, APP_USER)
                source = _P(None, "TextSource", {
                    "guid": story.id, "name": story.title or story.text[:50], "plainTextPath": f"internal://{story.id}.txt",
                    "creatingUser": guid_of_user(creator), "creationDateTime": xml_time(story.created_at)})
                for coding in codings_by_story.get(seq, []):
                    count += 1
                    start, end = (0, len(story.text)) if coding.whole_story else (coding.start, coding.end)
                    if story.id in remaps and not coding.whole_story:
                        start, end = remaps[story.id](start), remaps[story.id](end)
                    uid = guid_of_user(user_key(coding)[0])
                    selection = _P(source, "PlainTextSelection", {
                        "guid": derived_guid("selection", coding.guid), "startPosition": start, "endPosition": end,
                        "creatingUser": uid, "creationDateTime": xml_time(coding.created_at)})
                    if coding.memo:
                        _P(selection, "Description", text=coding.memo)
                    coding_el = _P(selection, "Coding", {"guid": coding.guid, "creatingUser": uid,
                                                         "creationDateTime": xml_time(coding.created_at)})
                    _P(coding_el, "CodeRef", {"targetGUID": codes[coding.code_id].guid})
                for guid in story_notes.get(seq, []):
                    _P(source, "NoteRef", {"targetGUID": guid})
                if story.id in reason_notes:
                    _P(source, "NoteRef", {"targetGUID": derived_guid(REASONS_NOTE, story.id)})
                for var_name, var_type, value in story_variables(story, cycle[story.id]):
                    variables.setdefault(var_name, var_type)
                    value_el = _P(source, "VariableValue")
                    _P(value_el, "VariableRef", {"targetGUID": derived_guid("variable", var_name)})
                    _P(value_el, {"Text": "TextValue", "Date": "DateValue", "Boolean": "BooleanValue"}[var_type],
                       text=value)
                for answer in answers[story.id]:
                    variables.setdefault(answer.name, answer.type)
                    descriptions.setdefault(answer.name, answer.description)
                    answered.setdefault(answer.key)
                    _value_element(source, answer.name, answer.type, answer.value)
                    if story.teller_pseudonym and is_teller_variable(answer.name, teller_keys):
                        known = case_values[story.teller_pseudonym].get(answer.name)
                        told = (story.created_at or "", seq)
                        if known is None or known[0] <= told:
                            case_values[story.teller_pseudonym][answer.name] = (told, answer.type, answer.value)
                spool.write(_fragment(source, 2))
        if not stories:
            raise QdaFormatError("no stories to export (check the filter and the stories' consent)")
        if answered:
            users.setdefault(APP_USER, APP_USER)  # the creator of the questions note

        ET.register_namespace("", PROJECT_NS)
        root = ET.Element(tag(PROJECT_NS, "Project"), {"name": name or out.stem or "changestories", "origin": ORIGIN,
                                                        "creationDateTime": xml_time(None)})
        users_el = _E(root, "Users")
        for uid in sorted(users):
            _E(users_el, "User", {"guid": guid_of_user(uid), "name": users[uid], "id": uid})
        if tree:
            add_code_elements(_E(_E(root, "CodeBook"), "Codes"), PROJECT_NS, tree, lang, code_notes)
        if variables:
            variables_el = _E(root, "Variables")
            for var_name, var_type in variables.items():
                variable_el = _E(variables_el, "Variable", {"guid": derived_guid("variable", var_name),
                                                            "name": var_name, "typeOfVariable": var_type})
                if var_name in descriptions:
                    _E(variable_el, "Description", text=descriptions[var_name])
        if cases:
            cases_el = _E(root, "Cases")
            for pseudonym in sorted(cases):
                case = _E(cases_el, "Case", {"guid": derived_guid("case", pseudonym), "name": pseudonym})
                for var_name, (_, var_type, value) in case_values.get(pseudonym, {}).items():
                    value_el = _E(case, "VariableValue")
                    _E(value_el, "VariableRef", {"targetGUID": derived_guid("variable", var_name)})
                    if value is not None:
                        _E(value_el, f"{var_type}Value", text=value)
                for story_id in cases[pseudonym]:
                    _E(case, "SourceRef", {"targetGUID": story_id})
        ET.indent(root)
        head = ET.tostring(root, encoding="utf-8", xml_declaration=True)
        head = head[: head.rindex(b"</")]  # the Project element stays open: Sources and Notes follow
        with archive.open("project.qde", "w") as member:
            member.write(head + b"  <Sources>\n")
            spool.seek(0)
            shutil.copyfileobj(spool, member)
            member.write(b"  </Sources>\n")
            if memos or reason_notes or answered:
                notes_el = _P(None, "Notes")
                if answered:  # the questions asked, so another install can add them and read the answers back
                    note = _P(notes_el, "Note", {"guid": derived_guid(QUESTIONS_NOTE), "name": QUESTIONS_NOTE,
                                                 "creatingUser": guid_of_user(APP_USER),
                                                 "creationDateTime": xml_time(None)})
                    _P(note, "PlainTextContent", text=questions_note(db, list(answered)))
                for story_id, text in reason_notes.items():
                    note = _P(notes_el, "Note", {"guid": derived_guid(REASONS_NOTE, story_id), "name": text.split("\n")[0],
                                                 "creatingUser": guid_of_user(APP_USER), "creationDateTime": xml_time(None)})
                    _P(note, "PlainTextContent", text=text)
                for memo in memos:
                    note = _P(notes_el, "Note", {"guid": memo.guid, "name": memo.text.split("\n")[0][:60],
                                                 "creatingUser": guid_of_user(memo.author),
                                                 "creationDateTime": xml_time(memo.created_at)})
                    _P(note, "PlainTextContent", text=memo.text)
                member.write(_fragment(notes_el, 1))
            if answered:  # the questions note is about the project as a whole
                member.write(_fragment(_P(None, "NoteRef", {"targetGUID": derived_guid(QUESTIONS_NOTE)}), 1))
            member.write(b"</Project>")
    os.replace(tmp, out)
    from stories.trust import audit

    audit.log(db, actor, "export", fmt="qdpx", purpose=story_filter.purpose, n=stories)
    return QdpxExportSummary(stories, len(tree), count, len(memos), skipped)


def _value_element(source: ET.Element, name: str, var_type: str, value: str | None) -> None:
    """A VariableValue of a streamed source; one without a value is the answer "does not apply"."""
    value_el = _P(source, "VariableValue")
    _P(value_el, "VariableRef", {"targetGUID": derived_guid("variable", name)})
    if value is not None:
        _P(value_el, f"{var_type}Value", text=value)


def _seqs(db: Database, stories: list[Story]) -> list[int]:
    ids = [s.id for s in stories]
    found: dict[str, int] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        found.update(db.execute(f"SELECT id, seq FROM stories WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return [found[i] for i in ids]
