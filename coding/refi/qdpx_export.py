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
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from coding.codebook.codes import active_codebook, code_tree
from coding.codings import Coding, all_codings
from coding.memos import list_memos
from coding.refi.qdc import add_code_elements
from coding.refi.qda_xml import ORIGIN, PROJECT_NS, QdaFormatError, derived_guid, tag, xml_time
from stories.model import Story
from stories.msc.exchange import export_fields, reasons_note
from stories.trust.permissions import SYSTEM, Actor, can_export, require
from stories.privacy.pseudonymised import needs_pseudonymisation
from stories.storage import StoryFilter, stored_stories

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
        name = key if key not in taken else f"extra_{key}"
        values.append((name, "Text", value))
    return values


def build_project(db: Database, *, story_filter: StoryFilter | None = None, actor: Actor = SYSTEM,
                  codebook_id: int | None = None, lang: str = "da", name: str = "changestories"
                  ) -> tuple[ET.Element, dict[str, str], QdpxExportSummary]:
    """The Project element and the source files (zip path -> text) of the stories in scope."""
    codebook_id = codebook_id if codebook_id is not None else active_codebook(db)
    tree = code_tree(db, codebook_id, include_retired=True) if codebook_id is not None else []
    codes = {code.id: code for code, _ in tree}
    stories = stored_stories(db, story_filter, actor=actor)  # the originals: offsets are remapped below
    seqs = {s.id: seq for seq, s in zip(_seqs(db, stories), stories)}
    remaps = {}
    if needs_pseudonymisation(actor, (story_filter or StoryFilter()).purpose):
        stories, remaps = _pseudonymised(db, stories)
    in_scope = set(seqs.values())
    codings_by_story: dict[int, list[Coding]] = defaultdict(list)
    skipped = 0
    for coding in all_codings(db, story_filter, actor=actor, lang=lang):  # memos as the actor may see them
        if coding.story_seq not in in_scope:
            continue
        if coding.code_id in codes:
            codings_by_story[coding.story_seq].append(coding)
        else:
            skipped += 1
    purpose = (story_filter or StoryFilter()).purpose
    memos = [m for m in list_memos(db, actor=actor, purpose=purpose, lang=lang)
             if (m.story_seq in in_scope) or (m.code_id in codes)]
    cycle = export_fields(db, [s.id for s in stories], pseudonymise=needs_pseudonymisation(actor, purpose))
    reason_notes = {s.id: text for s in stories if (text := reasons_note(cycle[s.id]))}

    users: dict[str, str] = {}  # user id -> display name
    for codings in codings_by_story.values():
        for coding in codings:
            uid, display = user_key(coding)
            users.setdefault(uid, display)
    for memo in memos:
        users.setdefault(memo.author, memo.author)
    for story in stories:
        users.setdefault(story.recorded_by or APP_USER, story.recorded_by or APP_USER)
    if reason_notes:
        users.setdefault(APP_USER, APP_USER)
    user_guid = {uid: derived_guid("user", uid) for uid in users}

    ET.register_namespace("", PROJECT_NS)
    root = ET.Element(tag(PROJECT_NS, "Project"), {"name": name, "origin": ORIGIN,
                                                    "creationDateTime": xml_time(None)})
    if users:
        users_el = _E(root, "Users")
        for uid in sorted(users):
            _E(users_el, "User", {"guid": user_guid[uid], "name": users[uid], "id": uid})
    note_guid = {m.id: m.guid for m in memos}
    code_notes: dict[int, list[str]] = defaultdict(list)
    story_notes: dict[int, list[str]] = defaultdict(list)
    for memo in memos:
        (code_notes[memo.code_id] if memo.code_id is not None else story_notes[memo.story_seq]).append(memo.guid)
    if tree:
        add_code_elements(_E(_E(root, "CodeBook"), "Codes"), PROJECT_NS, tree, lang, code_notes)

    variables = {}
    for story in stories:
        for var_name, var_type, _ in story_variables(story, cycle[story.id]):
            variables.setdefault(var_name, var_type)
    variable_guid = {n: derived_guid("variable", n) for n in variables}
    if variables:
        variables_el = _E(root, "Variables")
        for var_name, var_type in variables.items():
            _E(variables_el, "Variable", {"guid": variable_guid[var_name], "name": var_name,
                                          "typeOfVariable": var_type})
    cases: dict[str, list[str]] = defaultdict(list)
    for story in stories:
        if story.teller_pseudonym:
            cases[story.teller_pseudonym].append(story.id)
    if cases:
        cases_el = _E(root, "Cases")
        for pseudonym in sorted(cases):
            case = _E(cases_el, "Case", {"guid": derived_guid("case", pseudonym), "name": pseudonym})
            for story_id in cases[pseudonym]:
                _E(case, "SourceRef", {"targetGUID": story_id})

    files: dict[str, str] = {}
    count = 0
    if stories:
        sources_el = _E(root, "Sources")
        for story in stories:
            seq = seqs[story.id]
            files[f"sources/{story.id}.txt"] = story.text
            source = _E(sources_el, "TextSource", {
                "guid": story.id, "name": story.title or story.text[:50], "plainTextPath": f"internal://{story.id}.txt",
                "creatingUser": user_guid[story.recorded_by or APP_USER], "creationDateTime": xml_time(story.created_at)})
            for coding in codings_by_story.get(seq, []):
                count += 1
                start, end = (0, len(story.text)) if coding.whole_story else (coding.start, coding.end)
                if story.id in remaps and not coding.whole_story:
                    start, end = remaps[story.id](start), remaps[story.id](end)
                uid = user_guid[user_key(coding)[0]]
                selection = _E(source, "PlainTextSelection", {
                    "guid": derived_guid("selection", coding.guid), "startPosition": start, "endPosition": end,
                    "creatingUser": uid, "creationDateTime": xml_time(coding.created_at)})
                if coding.memo:
                    _E(selection, "Description", text=coding.memo)
                coding_el = _E(selection, "Coding", {"guid": coding.guid, "creatingUser": uid,
                                                     "creationDateTime": xml_time(coding.created_at)})
                _E(coding_el, "CodeRef", {"targetGUID": codes[coding.code_id].guid})
            for guid in story_notes.get(seq, []):
                _E(source, "NoteRef", {"targetGUID": guid})
            if story.id in reason_notes:
                _E(source, "NoteRef", {"targetGUID": derived_guid(REASONS_NOTE, story.id)})
            for var_name, var_type, value in story_variables(story, cycle[story.id]):
                value_el = _E(source, "VariableValue")
                _E(value_el, "VariableRef", {"targetGUID": variable_guid[var_name]})
                _E(value_el, {"Text": "TextValue", "Date": "DateValue", "Boolean": "BooleanValue"}[var_type],
                   text=value)
    if memos or reason_notes:
        notes_el = _E(root, "Notes")
        for story_id, text in reason_notes.items():
            note = _E(notes_el, "Note", {"guid": derived_guid(REASONS_NOTE, story_id), "name": text.split("\n")[0],
                                         "creatingUser": user_guid[APP_USER], "creationDateTime": xml_time(None)})
            _E(note, "PlainTextContent", text=text)
        for memo in memos:
            note = _E(notes_el, "Note", {"guid": note_guid[memo.id], "name": memo.text.split("\n")[0][:60],
                                         "creatingUser": user_guid[memo.author],
                                         "creationDateTime": xml_time(memo.created_at)})
            _E(note, "PlainTextContent", text=memo.text)
    summary = QdpxExportSummary(len(stories), len(tree), count, len(memos), skipped)
    return root, files, summary


def _pseudonymised(db: Database, stories: list[Story]) -> tuple[list[Story], dict]:
    """Stories with personal data replaced, and per story a map of original to new text offsets."""
    from stories.privacy.pseudonymised import pseudonyms_for

    shown, remaps = [], {}
    for story in stories:
        pseudonyms = pseudonyms_for(db, story)
        shown.append(pseudonyms.pseudonymised_story())
        remaps[story.id] = lambda offset, ps=pseudonyms: len(ps.slice(0, offset))
    return shown, remaps


def _seqs(db: Database, stories: list[Story]) -> list[int]:
    ids = [s.id for s in stories]
    found: dict[str, int] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        found.update(db.execute(f"SELECT id, seq FROM stories WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return [found[i] for i in ids]


def export_qdpx(db: Database, out: str | os.PathLike, *, story_filter: StoryFilter | None = None,
                actor: Actor = SYSTEM, codebook_id: int | None = None, lang: str = "da",
                name: str | None = None) -> QdpxExportSummary:
    """Write the stories in scope, the codebook, codings and memos as a .qdpx file."""
    require(can_export(actor), "export")
    out = Path(out)
    root, files, summary = build_project(db, story_filter=story_filter, actor=actor, codebook_id=codebook_id,
                                         lang=lang, name=name or out.stem or "changestories")
    if not summary.stories:
        raise QdaFormatError("no stories to export (check the filter and the stories' consent)")
    ET.indent(root)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for path, text in files.items():
            archive.writestr(path, text.encode("utf-8"))  # stories hold LF line endings only (validation)
    os.replace(tmp, out)
    from stories.trust import audit

    audit.log(db, actor, "export", fmt="qdpx", purpose=(story_filter or StoryFilter()).purpose, n=summary.stories)
    return summary
