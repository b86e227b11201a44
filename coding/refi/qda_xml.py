"""Shared REFI-QDA (QDA-XML 1.0) helpers: safe parsing, structure checks against the XSD,
GUIDs, times, colours, and how a code's texts travel in its `Description`.

Every file from outside is parsed with defusedxml (no DTD, no entities, no external
references) as a stream, and its element structure is checked against the shipped XSD
while it is read, so an unknown element is reported by name instead of being ignored;
the element count and the code tree's depth stop at the import limits.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import IO

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from stories.errors import UserError
from stories.limits import DEFAULT_LIMITS, ImportLimits, check_count

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
XSD_DIR = Path(__file__).resolve().parent / "data"
XSD = {PROJECT_NS: XSD_DIR / "Project.xsd", CODEBOOK_NS: XSD_DIR / "Codebook.xsd"}
ROOTS = {PROJECT_NS: "Project", CODEBOOK_NS: "CodeBook"}
XS = "{http://www.w3.org/2001/XMLSchema}"
GUID_RE = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")
SHORT_RGB_RE = re.compile(r"^#([0-9A-Fa-f])([0-9A-Fa-f])([0-9A-Fa-f])$")
LONG_RGB_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
GUID_NAMESPACE = uuid.UUID("6f1f2a4e-3c1b-4b8e-9a55-2f8f6c0d7e11")  # for derived, stable GUIDs
ORIGIN = "changestories 0.1"


class QdaFormatError(UserError, ValueError):
    """A REFI-QDA file that cannot be imported; the message names what is wrong.

    Raised with a catalog `key` (and its parameters) the message can be shown in the
    user's language; otherwise it is the English message given.
    """

    def __init__(self, message: str = "", *, key: str = "", **params):
        if key:
            from stories.i18n import t

            self.key, self.params = key, params
            message = t(key, "en", **params)
        super().__init__(message)


def tag(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def local(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def derived_guid(*parts: str) -> str:
    """A stable GUID for something that has none of its own (a user, a case, a selection)."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(parts)))


def norm_guid(value: str | None, what: str) -> str:
    match = GUID_RE.match((value or "").strip())
    if not match:
        raise QdaFormatError(f"{what} has no valid guid ({value!r})")
    return match.group(1).lower()


def xml_time(value: str | None) -> str:
    """An ISO time as xsd:dateTime (UTC when it has no zone)."""
    try:
        parsed = dt.datetime.fromisoformat(value) if value else dt.datetime.now(dt.UTC)
    except ValueError:
        parsed = dt.datetime.now(dt.UTC)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.isoformat(timespec="seconds")


def read_time(value: str | None) -> str | None:
    """An xsd:dateTime from a file as our ISO form, or None when missing or invalid."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC).isoformat(timespec="seconds")


def read_color(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    short = SHORT_RGB_RE.match(value)
    if short:
        value = "#" + "".join(ch * 2 for ch in short.groups())
    return value.upper() if LONG_RGB_RE.match(value) else None


def parse_xml(source: bytes | IO[bytes], ns: str, what: str, limits: ImportLimits = DEFAULT_LIMITS) -> ET.Element:
    """Parse untrusted XML safely and as a stream, checking while it reads: the root, every
    element against the XSD's structure, the number of elements and the depth of the code
    tree (no recursion, so a tree 5,000 levels deep is refused by its limit, not a crash)."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    types, roots = schema_children(ns)
    expected = tag(ns, ROOTS[ns])
    open_types: list[str | None] = []  # the XSD type of each open element
    path: list[str] = []
    elements = code_level = 0
    root = None
    try:
        for event, element in SafeET.iterparse(stream, events=("start", "end"), forbid_dtd=True):
            name = local(element)
            if event == "end":
                open_types.pop()
                path.pop()
                code_level -= name == "Code"
                continue
            elements += 1
            check_count("xml_elements", elements, limits, what)
            if root is None:
                if element.tag != expected:
                    raise QdaFormatError(f"{what} has root element {element.tag!r}, expected {ROOTS[ns]} "
                                         f"in namespace {ns}")
                root = element
                open_types.append(roots[ROOTS[ns]])
                path.append(name)
                continue
            allowed = types.get(open_types[-1])
            if allowed is None or not element.tag.startswith(f"{{{ns}}}") or name not in allowed:
                raise QdaFormatError(f"{what}: unknown element <{name}> inside {'/'.join(path)} "
                                     f"(not in the REFI-QDA schema)")
            code_level += name == "Code"
            check_count("code_depth", code_level, limits, what)
            open_types.append(allowed[name])
            path.append(name)
    except DefusedXmlException as exc:
        raise QdaFormatError(key="error.xml.dtd", what=what) from exc
    except ET.ParseError as exc:
        raise QdaFormatError(key="error.xml.broken", what=what, detail=str(exc)) from exc
    if root is None:
        raise QdaFormatError(key="error.xml.broken", what=what, detail="no element found")
    return root


@functools.lru_cache(maxsize=None)
def schema_children(ns: str) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """From the XSD: allowed child elements (name -> type) per complex type, and the root types."""
    schema = ET.parse(XSD[ns]).getroot()
    types: dict[str, dict[str, str]] = {}
    for complex_type in schema.findall(f"{XS}complexType"):
        children = {e.get("name"): e.get("type") for e in complex_type.iter(f"{XS}element")}
        types[complex_type.get("name")] = children
    roots = {e.get("name"): e.get("type") for e in schema.findall(f"{XS}element")}
    return types, roots


# ---- a code's texts in its Description ---------------------------------------------------

LABELS = {
    "da": {"name": "Navn", "definition": "Definition", "use_when": "Brug når", "not_when": "Brug ikke når",
           "example": "Eksempel", "keywords": "Nøgleord"},
    "en": {"name": "Name", "definition": "Definition", "use_when": "Use when", "not_when": "Do not use when",
           "example": "Example", "keywords": "Keywords"},
}
HEADERS = {"da": "[Dansk]", "en": "[English]"}
META = "[changestories]"


def code_description(code, lang: str = "da") -> str:
    """A readable Description holding both languages (`lang` first) and the code's key."""
    blocks = []
    for language in (lang, "en" if lang == "da" else "da"):
        labels = LABELS[language]
        lines = [HEADERS[language]]
        for name in ("name", "definition", "use_when", "not_when", "example"):
            value = getattr(code, f"{name}_{language}", "")
            if value:
                lines.append(f"{labels[name]}: {value}")
        keywords = getattr(code, f"keywords_{language}", [])
        if keywords:
            lines.append(f"{labels['keywords']}: {', '.join(keywords)}")
        if len(lines) > 1:
            blocks.append("\n".join(lines))
    meta = [META, f"key: {code.key}"] + (["retired: yes"] if code.retired else [])
    blocks.append("\n".join(meta))
    return "\n\n".join(blocks)


def parse_code_description(text: str | None, name: str, lang: str = "da") -> dict:
    """Code fields from a Description: ours (both languages, key) or any tool's plain text.

    The `name` attribute wins for the first language of the description (a rename in
    another tool carries over).
    """
    text = (text or "").replace("\r\n", "\n").strip()
    fields: dict = {}
    if HEADERS["da"] not in text and HEADERS["en"] not in text and META not in text:
        fields[f"name_{lang}"] = name
        fields[f"definition_{lang}"] = text
        return fields
    section, current, first = None, None, None
    by_label = {lang_: {label: key for key, label in labels.items()} for lang_, labels in LABELS.items()}
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped in (HEADERS["da"], HEADERS["en"], META):
            section = {HEADERS["da"]: "da", HEADERS["en"]: "en", META: "meta"}[stripped]
            first = first or (section if section != "meta" else None)
            current = None
            continue
        label, sep, value = line.partition(":")
        if section == "meta" and sep:
            fields[f"meta_{label.strip()}"] = value.strip()
        elif section in ("da", "en") and sep and label.strip() in by_label[section]:
            current = f"{by_label[section][label.strip()]}_{section}"
            fields[current] = value.strip()
        elif current and section in ("da", "en"):
            fields[current] += "\n" + line
    for language in ("da", "en"):
        key = f"keywords_{language}"
        fields[key] = [k.strip() for k in fields.get(key, "").split(",") if k.strip()]
    fields[f"name_{first or lang}"] = name
    fields["key"] = fields.pop("meta_key", "")
    fields["retired"] = fields.pop("meta_retired", "") == "yes"
    return {k: v for k, v in fields.items() if not k.startswith("meta_")}
