"""Codebooks: a tree of code groups and codes, created from a preset (coding.presets).

This module creates codebooks and reads codes; editing them (rename, move, merge,
retire, delete) lives in coding.codebook_edit.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from dataclasses import dataclass, field, fields
from typing import Any

from sqlite_utils import Database

from stories.db import write_transaction
from stories.errors import UserError
from stories.trust.permissions import SYSTEM, Actor, can_manage_codebook, require
from stories.clock import now_iso

TEXT_FIELDS = (
    "name_da", "name_en", "definition_da", "definition_en", "use_when_da", "use_when_en",
    "not_when_da", "not_when_en", "example_da", "example_en",
)
LIST_FIELDS = ("keywords_da", "keywords_en")
COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
DEFAULT_COLOR = "#888888"


class CodebookError(UserError):
    """A codebook change that would break the tree or lose codings."""


class CodeNotFound(CodebookError, LookupError):
    """No code with that id."""


class CodeInUse(CodebookError):
    """The code still has codings or child codes: merge or retire it instead."""


@dataclass
class Code:
    """One code or code group of a codebook."""

    id: int
    codebook_id: int
    parent_id: int | None
    guid: str
    key: str
    name_da: str = ""
    name_en: str = ""
    definition_da: str = ""
    definition_en: str = ""
    use_when_da: str = ""
    use_when_en: str = ""
    not_when_da: str = ""
    not_when_en: str = ""
    example_da: str = ""
    example_en: str = ""
    keywords_da: list[str] = field(default_factory=list)
    keywords_en: list[str] = field(default_factory=list)
    color: str = DEFAULT_COLOR
    is_group: bool = False
    retired: bool = False
    position: int = 0

    def text(self, name: str, lang: str) -> str:
        """A text field in `lang`, falling back to the other language."""
        other = "en" if lang == "da" else "da"
        return getattr(self, f"{name}_{lang}", "") or getattr(self, f"{name}_{other}", "")

    def name(self, lang: str = "da") -> str:
        return self.text("name", lang) or self.key

    def keywords(self, lang: str = "da") -> list[str]:
        return list(getattr(self, f"keywords_{lang}", None) or [])

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Code:
        names = {f.name for f in fields(cls)}
        values = {k: row[k] for k in names if k in row}
        for name in LIST_FIELDS:
            values[name] = json.loads(values.get(name) or "[]")
        values["is_group"] = bool(values.get("is_group"))
        values["retired"] = bool(values.get("retired"))
        return cls(**values)


@dataclass
class Codebook:
    id: int
    name: str
    preset: str
    created_at: str


def new_guid() -> str:
    return str(uuid.uuid4())


def slug(text: str) -> str:
    """A code key from a name: lower case ASCII words joined by underscores."""
    folded = unicodedata.normalize("NFKD", text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
                                   .replace("Æ", "Ae").replace("Ø", "Oe").replace("Å", "Aa"))
    ascii_text = folded.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_") or "code"


def check_color(color: str) -> str:
    if not COLOR_RE.match(color or ""):
        raise CodebookError(f"colour must look like #RRGGBB, not {color!r}")
    return color.upper()


# ---- codebooks ---------------------------------------------------------------------------

def list_codebooks(db: Database) -> list[Codebook]:
    rows = db.execute("SELECT id, name, preset, created_at FROM codebooks ORDER BY id").fetchall()
    return [Codebook(*r) for r in rows]


def active_codebook(db: Database) -> int | None:
    """The codebook coders code with: the one chosen last, else the newest."""
    row = db.execute(
        "SELECT c.id FROM coding_settings AS s JOIN codebooks AS c ON c.id = CAST(s.value AS INTEGER)"
        " WHERE s.key = 'active_codebook'"
    ).fetchone()
    if row:
        return row[0]
    row = db.execute("SELECT max(id) FROM codebooks").fetchone()
    return row[0] if row else None


def set_active_codebook(db: Database, codebook_id: int, *, actor: Actor = SYSTEM) -> None:
    require(can_manage_codebook(actor), "manage_codebook")
    if not db.execute("SELECT 1 FROM codebooks WHERE id = ?", [codebook_id]).fetchone():
        raise CodebookError(f"no codebook {codebook_id}")
    with write_transaction(db):
        db.conn.execute(
            "INSERT INTO coding_settings(key, value) VALUES ('active_codebook', ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value", [str(codebook_id)]
        )


def create_codebook(db: Database, name: str, preset: str | None = None, *, lang: str = "da",
                    actor: Actor = SYSTEM, activate: bool = True) -> int:
    """A new codebook, filled from a preset (see coding.presets) or empty; becomes the active one."""
    from coding.codebook.presets import load_preset

    require(can_manage_codebook(actor), "manage_codebook")
    data = load_preset(preset) if preset else None
    name = (name or "").strip() or (data[f"name_{lang}"] if data else "")
    if not name:
        raise CodebookError("a codebook needs a name")
    with write_transaction(db):
        cursor = db.conn.execute(
            "INSERT INTO codebooks(name, preset, created_at) VALUES (?, ?, ?)", [name, preset or "", now_iso()]
        )
        codebook_id = cursor.lastrowid
        if data:
            insert_tree(db, codebook_id, data["codes"])
        if activate:
            db.conn.execute(
                "INSERT INTO coding_settings(key, value) VALUES ('active_codebook', ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value", [str(codebook_id)]
            )
    return codebook_id


def insert_tree(db: Database, codebook_id: int, nodes: list[dict], parent_id: int | None = None,
                ids_by_guid: dict[str, int] | None = None) -> list[int]:
    """Insert nested code dicts (with optional "children") inside the caller's transaction.

    A node's "guid" is kept unless another code has it; `ids_by_guid` collects the new id
    of every node by the guid it came with.
    """
    ids = []
    for position, node in enumerate(nodes):
        node = dict(node)
        children = node.pop("children", None) or []
        node.setdefault("is_group", bool(children))
        code_id = _insert_code(db, codebook_id, parent_id, node, position)
        ids.append(code_id)
        if ids_by_guid is not None and node.get("guid"):
            ids_by_guid[node["guid"].lower()] = code_id
        insert_tree(db, codebook_id, children, code_id, ids_by_guid)
    return ids


def _unique_key(db: Database, codebook_id: int, key: str) -> str:
    candidate, n = key, 2
    while db.execute("SELECT 1 FROM codes WHERE codebook_id = ? AND key = ?", [codebook_id, candidate]).fetchone():
        candidate, n = f"{key}_{n}", n + 1
    return candidate


def _insert_code(db: Database, codebook_id: int, parent_id: int | None, node: dict, position: int) -> int:
    name = node.get("name_da") or node.get("name_en") or ""
    if not name.strip():
        raise CodebookError("a code needs a name")
    key = _unique_key(db, codebook_id, node.get("key") or slug(node.get("name_en") or name))
    guid = (node.get("guid") or "").lower()
    if not guid or db.execute("SELECT 1 FROM codes WHERE guid = ?", [guid]).fetchone():
        guid = new_guid()
    row = {name: (node.get(name) or "").strip() for name in TEXT_FIELDS}
    row.update({name: json.dumps(list(node.get(name) or []), ensure_ascii=False) for name in LIST_FIELDS})
    row.update(
        codebook_id=codebook_id, parent_id=parent_id, guid=guid, key=key,
        color=check_color(node.get("color") or DEFAULT_COLOR), is_group=int(bool(node.get("is_group"))),
        retired=int(bool(node.get("retired"))), position=position,
    )
    cursor = db.conn.execute(
        f"INSERT INTO codes ({','.join(row)}) VALUES ({','.join('?' * len(row))})", list(row.values())
    )
    return cursor.lastrowid


# ---- reading codes -----------------------------------------------------------------------

def _rows(db: Database, sql: str, params: list) -> list[dict]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def list_codes(db: Database, codebook_id: int | None, include_retired: bool = False) -> list[Code]:
    """The codes and groups of a codebook in tree order (each parent before its children)."""
    if codebook_id is None:
        return []
    rows = _rows(db, "SELECT * FROM codes WHERE codebook_id = ? ORDER BY position, id", [codebook_id])
    codes = [Code.from_row(r) for r in rows]
    return [c for c, _ in _tree_order(codes) if include_retired or not c.retired]


def _tree_order(codes: list[Code]) -> list[tuple[Code, int]]:
    ids = {c.id for c in codes}
    children: dict[int | None, list[Code]] = {}
    for code in codes:
        parent = code.parent_id if code.parent_id in ids else None
        children.setdefault(parent, []).append(code)
    ordered: list[tuple[Code, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for child in children.get(parent, []):
            ordered.append((child, depth))
            walk(child.id, depth + 1)

    walk(None, 0)
    return ordered


def code_tree(db: Database, codebook_id: int | None, include_retired: bool = True) -> list[tuple[Code, int]]:
    """(code, depth) pairs in tree order, for showing the tree indented."""
    if codebook_id is None:
        return []
    rows = _rows(db, "SELECT * FROM codes WHERE codebook_id = ? ORDER BY position, id", [codebook_id])
    pairs = _tree_order([Code.from_row(r) for r in rows])
    return [(c, d) for c, d in pairs if include_retired or not c.retired]


def codable_codes(db: Database, codebook_id: int | None) -> list[Code]:
    """Codes a coder may apply now: not groups, not retired."""
    return [c for c in list_codes(db, codebook_id) if not c.is_group]


def get_code(db: Database, code_id: int) -> Code:
    rows = _rows(db, "SELECT * FROM codes WHERE id = ?", [code_id])
    if not rows:
        raise CodeNotFound(f"no code {code_id}")
    return Code.from_row(rows[0])


def code_by_key(db: Database, codebook_id: int, key: str) -> Code:
    rows = _rows(db, "SELECT * FROM codes WHERE codebook_id = ? AND key = ?", [codebook_id, key])
    if not rows:
        raise CodeNotFound(f"no code {key!r}")
    return Code.from_row(rows[0])


def coding_counts(db: Database, codebook_id: int) -> dict[int, int]:
    """How many codings each code of the codebook has."""
    rows = db.execute(
        "SELECT c.id, count(g.id) FROM codes AS c LEFT JOIN codings AS g ON g.code_id = c.id"
        " WHERE c.codebook_id = ? GROUP BY c.id", [codebook_id]
    ).fetchall()
    return dict(rows)


def descendants(db: Database, code_id: int) -> set[int]:
    rows = db.execute(
        "WITH RECURSIVE d(id) AS (SELECT id FROM codes WHERE parent_id = ?"
        " UNION SELECT c.id FROM codes AS c JOIN d ON c.parent_id = d.id) SELECT id FROM d", [code_id]
    ).fetchall()
    return {r[0] for r in rows}
