"""Editing a codebook: add, rename, move, retire, delete and merge codes.

Codes are never lost with their codings: merging moves every coding to the kept code,
retiring hides a code from new coding but keeps its old codings, and a code in use
cannot be deleted.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from coding.codebook.codes import (
    LIST_FIELDS, TEXT_FIELDS, Code, CodebookError, CodeInUse, _insert_code, check_color, descendants, get_code,
)
from stories.db import write_transaction
from stories.trust.permissions import SYSTEM, Actor, can_manage_codebook, require



def add_code(db: Database, codebook_id: int, name_da: str, *, parent_id: int | None = None,
             is_group: bool = False, actor: Actor = SYSTEM, **values: Any) -> Code:
    """Add a code (or group) as the last child of `parent_id` (None: top level)."""
    require(can_manage_codebook(actor), "manage_codebook")
    unknown = set(values) - set(TEXT_FIELDS) - set(LIST_FIELDS) - {"color", "key", "guid"}
    if unknown:
        raise ValueError(f"unknown code fields: {', '.join(sorted(unknown))}")
    with write_transaction(db):
        if parent_id is not None and get_code(db, parent_id).codebook_id != codebook_id:
            raise CodebookError("the parent belongs to another codebook")
        position = db.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM codes WHERE codebook_id = ? AND parent_id IS ?",
            [codebook_id, parent_id],
        ).fetchone()[0]
        node = {"name_da": name_da, "is_group": is_group, **values}
        code_id = _insert_code(db, codebook_id, parent_id, node, position)
    return get_code(db, code_id)


def update_code(db: Database, code_id: int, changes: dict[str, Any], *, actor: Actor = SYSTEM) -> Code:
    """Rename or redescribe a code: any of the text fields, keywords, colour."""
    require(can_manage_codebook(actor), "manage_codebook")
    unknown = set(changes) - set(TEXT_FIELDS) - set(LIST_FIELDS) - {"color", "is_group"}
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    row: dict[str, Any] = {}
    for name, value in changes.items():
        if name in LIST_FIELDS:
            row[name] = json.dumps([str(v).strip() for v in value if str(v).strip()], ensure_ascii=False)
        elif name == "color":
            row[name] = check_color(value)
        elif name == "is_group":
            row[name] = int(bool(value))
        else:
            row[name] = (value or "").strip()
    with write_transaction(db):
        code = get_code(db, code_id)
        if not (row.get("name_da", code.name_da) or row.get("name_en", code.name_en)):
            raise CodebookError("a code needs a name")
        if row.get("is_group") and db.execute("SELECT 1 FROM codings WHERE code_id = ?", [code_id]).fetchone():
            raise CodeInUse("a code with codings cannot become a group")
        if row:
            db.conn.execute(f"UPDATE codes SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?",
                            [*row.values(), code_id])
    return get_code(db, code_id)


def move_code(db: Database, code_id: int, parent_id: int | None, position: int | None = None,
              *, actor: Actor = SYSTEM) -> Code:
    """Move a code under another parent (None: top level), at `position` among its siblings."""
    require(can_manage_codebook(actor), "manage_codebook")
    with write_transaction(db):
        code = get_code(db, code_id)
        if parent_id is not None:
            parent = get_code(db, parent_id)
            if parent.codebook_id != code.codebook_id:
                raise CodebookError("a code can only move within its codebook")
            if parent_id == code_id or parent_id in descendants(db, code_id):
                raise CodebookError("a code cannot move under itself or its own sub-codes")
        siblings = [r[0] for r in db.execute(
            "SELECT id FROM codes WHERE codebook_id = ? AND parent_id IS ? AND id != ? ORDER BY position, id",
            [code.codebook_id, parent_id, code_id]).fetchall()]
        at = len(siblings) if position is None else max(0, min(position, len(siblings)))
        siblings.insert(at, code_id)
        db.conn.execute("UPDATE codes SET parent_id = ? WHERE id = ?", [parent_id, code_id])
        db.conn.executemany("UPDATE codes SET position = ? WHERE id = ?", [(i, c) for i, c in enumerate(siblings)])
    return get_code(db, code_id)


def retire_code(db: Database, code_id: int, retired: bool = True, *, actor: Actor = SYSTEM) -> Code:
    """Hide a code from new coding (or bring it back); its codings stay."""
    require(can_manage_codebook(actor), "manage_codebook")
    with write_transaction(db):
        get_code(db, code_id)
        db.conn.execute("UPDATE codes SET retired = ? WHERE id = ?", [int(retired), code_id])
    return get_code(db, code_id)


def delete_code(db: Database, code_id: int, *, actor: Actor = SYSTEM) -> None:
    """Delete a code that has no codings and no sub-codes (else merge or retire it)."""
    require(can_manage_codebook(actor), "manage_codebook")
    with write_transaction(db):
        code = get_code(db, code_id)
        used = db.execute("SELECT count(*) FROM codings WHERE code_id = ?", [code_id]).fetchone()[0]
        if used:
            raise CodeInUse(f"code {code.name()!r} has {used} codings: merge or retire it instead")
        if db.execute("SELECT 1 FROM codes WHERE parent_id = ?", [code_id]).fetchone():
            raise CodeInUse(f"code {code.name()!r} has sub-codes: move or delete them first")
        db.conn.execute("DELETE FROM suggestion_events WHERE code_id = ?", [code_id])
        db.conn.execute("DELETE FROM memos WHERE code_id = ?", [code_id])
        db.conn.execute("DELETE FROM codes WHERE id = ?", [code_id])


def merge_codes(db: Database, source_id: int, target_id: int, *, actor: Actor = SYSTEM) -> Code:
    """Merge `source` into `target`: every coding, memo, suggestion and sub-code moves, source goes.

    Where a coder applied both codes to the same span, the two codings become one and
    the memos are joined, so no coding's content is lost.
    """
    require(can_manage_codebook(actor), "manage_codebook")
    if source_id == target_id:
        raise CodebookError("a code cannot be merged into itself")
    with write_transaction(db):
        source, target = get_code(db, source_id), get_code(db, target_id)
        if source.codebook_id != target.codebook_id:
            raise CodebookError("codes can only be merged within one codebook")
        has_codings = db.execute("SELECT 1 FROM codings WHERE code_id = ?", [source_id]).fetchone()
        if target.is_group and has_codings:
            raise CodebookError("codings cannot move to a code group: merge into a code")
        if target_id in descendants(db, source_id):
            # the target leaves the source's subtree first
            db.conn.execute("UPDATE codes SET parent_id = ? WHERE id = ?", [source.parent_id, target_id])
        _move_codings(db, source_id, target_id)
        db.conn.execute("UPDATE memos SET code_id = ? WHERE code_id = ?", [target_id, source_id])
        db.conn.execute("UPDATE suggestion_events SET code_id = ? WHERE code_id = ?", [target_id, source_id])
        offset = db.execute("SELECT coalesce(max(position) + 1, 0) FROM codes WHERE parent_id = ?",
                            [target_id]).fetchone()[0]
        db.conn.execute("UPDATE codes SET parent_id = ?, position = position + ? WHERE parent_id = ?",
                        [target_id, offset, source_id])
        extra = [k for k in source.keywords_da if k not in target.keywords_da]
        extra_en = [k for k in source.keywords_en if k not in target.keywords_en]
        if extra or extra_en:
            db.conn.execute("UPDATE codes SET keywords_da = ?, keywords_en = ? WHERE id = ?", [
                json.dumps(target.keywords_da + extra, ensure_ascii=False),
                json.dumps(target.keywords_en + extra_en, ensure_ascii=False), target_id])
        db.conn.execute("DELETE FROM codes WHERE id = ?", [source_id])
    return get_code(db, target_id)


def _move_codings(db: Database, source_id: int, target_id: int) -> None:
    rows = db.execute(
        "SELECT s.id, t.id, s.memo, t.memo FROM codings AS s JOIN codings AS t"
        " ON t.code_id = ? AND t.story_seq = s.story_seq AND t.coder = s.coder"
        " AND (t.origin = 'reconciled') = (s.origin = 'reconciled')"
        " AND t.start IS s.start AND t.end IS s.end WHERE s.code_id = ?", [target_id, source_id]
    ).fetchall()
    for source_coding, target_coding, source_memo, target_memo in rows:
        memo = "\n\n".join(m for m in (target_memo, source_memo) if m)
        db.conn.execute("UPDATE codings SET memo = ? WHERE id = ?", [memo, target_coding])
        db.conn.execute("DELETE FROM codings WHERE id = ?", [source_coding])
    db.conn.execute("UPDATE codings SET code_id = ? WHERE code_id = ?", [target_id, source_id])
