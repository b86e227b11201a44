"""Codebook exchange as REFI-QDA `.qdc` (namespace urn:QDA-XML:codebook:1.0).

Export writes the tree as nested `Code` elements (groups `isCodable="false"`), each with
its colour and a `Description` holding both languages' texts. Import reads a codebook
from NVivo, ATLAS.ti, MAXQDA, QualCoder or changestories into a new codebook, all or
nothing.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from coding.codebook.codes import Code, code_tree, create_codebook, insert_tree
from coding.refi.qda_xml import (
    CODEBOOK_NS, ORIGIN, QdaFormatError, code_description, norm_guid, parse_code_description,
    parse_xml, read_color, tag,
)
from stories.db import write_transaction
from stories.limits import DEFAULT_LIMITS, ImportLimits, check_count
from stories.trust.permissions import SYSTEM, Actor, can_manage_codebook, require



def add_code_elements(parent: ET.Element, ns: str, tree: list[tuple[Code, int]], lang: str,
                      note_refs: dict[int, list[str]] | None = None) -> int:
    """Append nested Code elements for a (code, depth) tree; returns how many were written."""
    stack: list[tuple[int, ET.Element]] = [(-1, parent)]
    for code, depth in tree:
        while stack[-1][0] >= depth:
            stack.pop()
        element = ET.SubElement(stack[-1][1], tag(ns, "Code"), {
            "guid": code.guid, "name": code.name(lang), "isCodable": "false" if code.is_group else "true",
            "color": code.color.upper(),
        })
        ET.SubElement(element, tag(ns, "Description")).text = code_description(code, lang)
        for note_guid in (note_refs or {}).get(code.id, []):
            ET.SubElement(element, tag(ns, "NoteRef"), {"targetGUID": note_guid})
        stack.append((depth, element))
    return len(tree)


def codebook_xml(db: Database, codebook_id: int, lang: str = "da") -> bytes:
    tree = code_tree(db, codebook_id, include_retired=True)
    if not tree:
        raise QdaFormatError("the codebook has no codes to export")
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(tag(CODEBOOK_NS, "CodeBook"), {"origin": ORIGIN})
    add_code_elements(ET.SubElement(root, tag(CODEBOOK_NS, "Codes")), CODEBOOK_NS, tree, lang)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def export_qdc(db: Database, codebook_id: int, out: str | os.PathLike, *, lang: str = "da") -> int:
    """Write the codebook as a .qdc file; returns the number of codes written."""
    data = codebook_xml(db, codebook_id, lang)
    Path(out).write_bytes(data)
    return len(code_tree(db, codebook_id))


def read_codes(codes: ET.Element, ns: str, lang: str, what: str) -> list[dict]:
    """Nested code dicts (insert_tree's format) from a Codes element, plus guid and note refs.

    Iterative (an explicit stack, no recursion): the parser has already refused a tree
    deeper than the import limit."""
    seen: set[str] = set()

    def read(element: ET.Element) -> dict:
        name = (element.get("name") or "").strip()
        if not name:
            raise QdaFormatError(f"{what}: a Code has no name")
        guid = norm_guid(element.get("guid"), f"{what}: code {name!r}")
        if guid in seen:
            raise QdaFormatError(f"{what}: two codes share the guid {guid}")
        seen.add(guid)
        codable = (element.get("isCodable") or "").strip().lower()
        if codable not in ("true", "false", "1", "0"):
            raise QdaFormatError(f"{what}: code {name!r} has no valid isCodable")
        description = element.find(tag(ns, "Description"))
        node = parse_code_description(description.text if description is not None else "", name, lang)
        node.update(guid=guid, is_group=codable in ("false", "0"),
                    color=read_color(element.get("color")) or "#888888",
                    note_refs=[norm_guid(r.get("targetGUID"), f"{what}: code {name!r}: a NoteRef")
                               for r in element.findall(tag(ns, "NoteRef"))],
                    children=[])
        return node

    top: list[dict] = []
    stack: list[tuple[ET.Element, list[dict]]] = [(codes, top)]
    while stack:
        parent, siblings = stack.pop()
        for element in parent.findall(tag(ns, "Code")):
            node = read(element)
            siblings.append(node)
            stack.append((element, node["children"]))
    return top


def walk_codes(nodes: list[dict]) -> Iterator[dict]:
    """Every node of a nested code tree, parents before children, in document order."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node["children"]))


def strip_refs(nodes: list[dict]) -> list[dict]:
    """The code dicts without note refs (for insert_tree)."""
    top: list[dict] = []
    stack: list[tuple[list[dict], list[dict]]] = [(nodes, top)]
    while stack:
        source, target = stack.pop()
        for node in source:
            copy = {**{k: v for k, v in node.items() if k not in ("note_refs", "children")}, "children": []}
            target.append(copy)
            stack.append((node["children"], copy["children"]))
    return top


def import_qdc(db: Database, source: str | os.PathLike | bytes, *, name: str | None = None, lang: str = "da",
               actor: Actor = SYSTEM, activate: bool = True, limits: ImportLimits = DEFAULT_LIMITS) -> int:
    """Read a .qdc into a new codebook (all or nothing); returns its id."""
    require(can_manage_codebook(actor), "manage_codebook")
    if isinstance(source, bytes):
        data, what = source, "the codebook file"
        check_count("file_bytes", len(data), limits, what)
    else:
        path = Path(source)
        what = path.name
        check_count("file_bytes", path.stat().st_size, limits, what)
        data = path.read_bytes()
        name = name or path.stem
    root = parse_xml(data, CODEBOOK_NS, what, limits)
    codes = root.find(tag(CODEBOOK_NS, "Codes"))
    if codes is None or not len(codes):
        raise QdaFormatError(f"{what} holds no codes")
    nodes = read_codes(codes, CODEBOOK_NS, lang, what)
    with write_transaction(db):
        codebook_id = create_codebook(db, name or "Imported codebook", None, actor=actor, activate=activate)
        insert_tree(db, codebook_id, strip_refs(nodes))
    return codebook_id
