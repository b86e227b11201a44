"""Reading a REFI-QDA `.qdpx` into plain data, checking everything before anything is stored.

A .qdpx from outside may be no zip, a damaged zip, a zip or XML bomb, carry unknown
elements, a code tree thousands of levels deep, offsets outside the text or codings of
missing codes: each raises QdaFormatError (or LimitExceeded, naming the import limit)
naming the problem. Only text sources are read; other source kinds are reported as skipped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from coding.refi.qdc import read_codes, walk_codes
from coding.refi.qda_xml import PROJECT_NS, QdaFormatError, local, norm_guid, parse_xml, read_time, tag
from stories.limits import DEFAULT_LIMITS, ImportLimits, check_count
from stories.safe_zip import DamagedArchive, NotAnArchive, UnpackBudget, open_archive, open_member, read_member


@dataclass
class Selection:
    guid: str
    start: int | None  # None: the whole source (a Coding directly on the source)
    end: int | None
    memo: str
    codings: list[tuple[str, str | None, str | None, str]]  # (guid, user guid, time, code guid)


@dataclass
class Source:
    guid: str
    name: str
    text: str
    created_at: str | None
    variables: dict[str, str]
    case: str
    selections: list[Selection]
    note_refs: list[str]


@dataclass
class Project:
    name: str
    users: dict[str, tuple[str, str]]  # guid -> (name, id)
    codes: list[dict]  # nested code dicts with guid, children, note_refs
    sources: list[Source]
    notes: dict[str, tuple[str, str | None, str | None]]  # guid -> (text, user guid, time)
    skipped: list[str] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)  # notes on the project as a whole


def _decode(data: bytes, what: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QdaFormatError(f"{what} is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    return text.removeprefix("\ufeff")


def _int(value: str | None, what: str) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        raise QdaFormatError(f"{what}: position {value!r} is not a whole number") from None


def read_qdpx(source: str | os.PathLike, *, lang: str = "da", limits: ImportLimits = DEFAULT_LIMITS) -> Project:
    """The project in a .qdpx, checked whole; refuses it (QdaFormatError, LimitExceeded)
    before anything is stored. Every member is streamed and charged to one unpack budget,
    a text file once per source or note that refers to it (it is decoded only once)."""
    path = Path(source)
    what = path.name
    check_count("file_bytes", path.stat().st_size, limits, what)
    try:
        archive = open_archive(str(path), what, limits)
    except NotAnArchive:
        raise QdaFormatError(key="error.qda.not_zip", what=what) from None
    except DamagedArchive as exc:
        raise QdaFormatError(key="error.archive.damaged", **exc.params) from None
    with archive:
        members = {info.filename.replace("\\", "/").lower(): info for info in archive.infolist()}
        qde = members.get("project.qde")
        if qde is None:
            raise QdaFormatError(f"{what} holds no project.qde")
        budget = UnpackBudget(limits, what)
        texts: dict[str, str] = {}
        try:
            with open_member(archive, qde, budget, f"{what}: project.qde") as stream:
                root = parse_xml(stream, PROJECT_NS, f"{what}: project.qde", limits)

            def read_file(reference: str, owner: str) -> str:
                if not reference.startswith("internal://"):
                    raise QdaFormatError(f"{what}: {owner} refers to {reference!r}; only files inside the "
                                         f"project (internal://) can be imported")
                name = reference.removeprefix("internal://").lstrip("/").lower()
                info = members.get(f"sources/{name}") or members.get(name)
                if info is None:
                    raise QdaFormatError(f"{what}: {owner} refers to {reference!r}, which is not in the file")
                if info.filename in texts:  # read once, counted for every reference
                    budget.charge(info.file_size)
                else:
                    data = read_member(archive, info, budget, f"{what}: {owner}", limit="text_member_bytes")
                    texts[info.filename] = _decode(data, f"{what}: {owner}")
                return texts[info.filename]

            return _read_project(root, what, lang, read_file, limits)
        except DamagedArchive as exc:
            raise QdaFormatError(key="error.archive.damaged", **exc.params) from None


def _text(element, name: str) -> str | None:
    child = element.find(tag(PROJECT_NS, name))
    return None if child is None else (child.text or "")


def _read_project(root, what: str, lang: str, read_file, limits: ImportLimits) -> Project:
    ns = PROJECT_NS
    project = Project(name=root.get("name") or "", users={}, codes=[], sources=[], notes={})
    chars = 0  # of every source and note text, a shared file counted once per reference
    for user in root.iterfind(f"{tag(ns, 'Users')}/{tag(ns, 'User')}"):
        guid = norm_guid(user.get("guid"), f"{what}: a user")
        project.users[guid] = (user.get("name") or user.get("id") or guid, user.get("id") or "")
    codes = root.find(f"{tag(ns, 'CodeBook')}/{tag(ns, 'Codes')}")
    if codes is not None:
        project.codes = read_codes(codes, ns, lang, what)
    code_guids = {node["guid"] for node in walk_codes(project.codes)}
    variables = {}
    for variable in root.iterfind(f"{tag(ns, 'Variables')}/{tag(ns, 'Variable')}"):
        variables[norm_guid(variable.get("guid"), f"{what}: a variable")] = variable.get("name") or ""
    cases: dict[str, str] = {}
    for case in root.iterfind(f"{tag(ns, 'Cases')}/{tag(ns, 'Case')}"):
        for ref in case.iterfind(tag(ns, "SourceRef")):
            cases[norm_guid(ref.get("targetGUID"), f"{what}: a case")] = case.get("name") or ""
    for note in root.iterfind(f"{tag(ns, 'Notes')}/{tag(ns, 'Note')}"):
        guid = norm_guid(note.get("guid"), f"{what}: a note")
        content = _text(note, "PlainTextContent")
        if content is None and note.get("plainTextPath"):
            content = read_file(note.get("plainTextPath"), f"note {note.get('name') or guid}")
        chars += len(content or "")
        check_count("text_chars", chars, limits, what)
        project.notes[guid] = ((content or "").strip(), _user(note.get("creatingUser")),
                               read_time(note.get("creationDateTime")))
    for node in walk_codes(project.codes):
        missing = [r for r in node["note_refs"] if r not in project.notes]
        if missing:
            raise QdaFormatError(f"{what}: code {node.get('name_da') or node.get('name_en')!r} refers to note "
                                 f"{missing[0]}, which is not in the file")
    project.note_refs = [norm_guid(r.get("targetGUID"), f"{what}: a NoteRef on the project")
                         for r in root.iterfind(tag(ns, "NoteRef"))]
    for element in root.iterfind(f"{tag(ns, 'Sources')}/*"):
        kind = local(element)
        label = element.get("name") or element.get("guid") or "?"
        if kind != "TextSource":
            project.skipped.append(f"{kind} {label!r} (only text sources become stories)")
            continue
        project.sources.append(_read_source(element, what, read_file, variables, cases, code_guids, project.notes))
        check_count("rows", len(project.sources), limits, what)
        chars += len(project.sources[-1].text)
        check_count("text_chars", chars, limits, what)
    for tagname in ("Links", "Sets", "Graphs"):
        if root.find(tag(ns, tagname)) is not None:
            project.skipped.append(tagname)
    return project


def _user(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return norm_guid(value, "a user reference")
    except QdaFormatError:
        return None


def _read_source(element, what, read_file, variables, cases, code_guids, notes) -> Source:
    ns = PROJECT_NS
    guid = norm_guid(element.get("guid"), f"{what}: a text source")
    name = element.get("name") or guid
    owner = f"source {name!r}"
    content = _text(element, "PlainTextContent")
    path = element.get("plainTextPath")
    if content is not None and path:
        raise QdaFormatError(f"{what}: {owner} has both PlainTextContent and plainTextPath")
    if content is None and not path:
        raise QdaFormatError(f"{what}: {owner} has no text (neither PlainTextContent nor plainTextPath)")
    text = content if content is not None else read_file(path, owner)

    def codings_of(parent, where: str) -> list[tuple[str, str | None, str | None, str]]:
        result = []
        for coding in parent.iterfind(tag(ns, "Coding")):
            ref = coding.find(tag(ns, "CodeRef"))
            if ref is None:
                raise QdaFormatError(f"{what}: {owner}: a coding {where} has no CodeRef")
            code_guid = norm_guid(ref.get("targetGUID"), f"{what}: {owner}: a CodeRef")
            if code_guid not in code_guids:
                raise QdaFormatError(f"{what}: {owner}: a coding {where} refers to code {code_guid}, "
                                     f"which is not in the codebook")
            result.append((norm_guid(coding.get("guid"), f"{what}: {owner}: a coding"),
                           _user(coding.get("creatingUser")), read_time(coding.get("creationDateTime")), code_guid))
        return result

    def note_texts(parent) -> list[str]:
        refs = [norm_guid(r.get("targetGUID"), f"{what}: {owner}: a NoteRef") for r in parent.iterfind(tag(ns, "NoteRef"))]
        missing = [r for r in refs if r not in notes]
        if missing:
            raise QdaFormatError(f"{what}: {owner} refers to note {missing[0]}, which is not in the file")
        return [notes[r][0] for r in refs if notes[r][0]]

    selections = []
    for sel in element.iterfind(tag(ns, "PlainTextSelection")):
        start = _int(sel.get("startPosition"), f"{what}: {owner}")
        end = _int(sel.get("endPosition"), f"{what}: {owner}")
        if not 0 <= start <= end <= len(text):
            raise QdaFormatError(f"{what}: {owner}: selection {start}-{end} lies outside its text "
                                 f"(0-{len(text)} characters)")
        memo_parts = [(_text(sel, "Description") or "").strip()] + note_texts(sel)
        codings = codings_of(sel, f"at {start}-{end}")
        for coding in sel.iterfind(tag(ns, "Coding")):
            memo_parts += note_texts(coding)
        memo = "\n\n".join(p for p in memo_parts if p)
        selections.append(Selection(norm_guid(sel.get("guid"), f"{what}: {owner}: a selection"),
                                    start, end, memo, codings))
    whole = codings_of(element, "on the whole source")
    if whole:
        selections.append(Selection(guid, None, None, "", whole))
    values = {}
    for value in element.iterfind(tag(ns, "VariableValue")):
        ref = value.find(tag(ns, "VariableRef"))
        var_guid = norm_guid(ref.get("targetGUID") if ref is not None else None, f"{what}: {owner}: a VariableRef")
        if var_guid not in variables:
            raise QdaFormatError(f"{what}: {owner}: a value refers to variable {var_guid}, which is not declared")
        data = [child for child in value if local(child) != "VariableRef"]
        values[variables[var_guid]] = (data[0].text or "").strip() if data else ""
    note_refs = [norm_guid(r.get("targetGUID"), f"{what}: {owner}: a NoteRef") for r in element.iterfind(tag(ns, "NoteRef"))]
    missing = [r for r in note_refs if r not in notes]
    if missing:
        raise QdaFormatError(f"{what}: {owner} refers to note {missing[0]}, which is not in the file")
    return Source(guid, name, text, read_time(element.get("creationDateTime")), values, cases.get(guid, ""),
                  selections, note_refs)
