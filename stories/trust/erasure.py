"""Erasure and access for one teller (GDPR articles 17 and 15).

A teller is known by a pseudonym: the `teller_pseudonym` of the stories they told, or
`extra["about"]` of the stories staff told about them. Erasure deletes those stories
(deleted and withdrawn ones too) and, through `ON DELETE CASCADE`, everything hanging on
them (codings, memos, camp selections, sentences, lemma counts, corrections...), drops
words only those stories used, purges the full-text index and vacuums the file. The audit
log records that it happened, never what was deleted.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from stories.trust import audit
from stories.errors import UserError
from stories.model import Story
from stories.trust.permissions import SYSTEM, Actor, can_erase, can_export_teller_data, require
from stories.validation import CONTROL_RE, MAX_SHORT


class NoTeller(UserError):
    """No pseudonym given: refusing to erase or export without one."""


def _pseudonym(value: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > MAX_SHORT or CONTROL_RE.search(value):
        raise NoTeller("give the teller's pseudonym, e.g. --teller UNG-0042")
    return value


def _teller_rows(db: Database, pseudonym: str) -> list[dict]:
    cursor = db.execute(
        "SELECT * FROM stories WHERE teller_pseudonym = ? OR json_extract(extra, '$.about') = ? ORDER BY seq",
        [pseudonym, pseudonym],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def dependent_tables(db: Database, parent: str = "stories") -> list[tuple[str, str, str]]:
    """(table, column, parent column) of every foreign key pointing at `parent`."""
    found = []
    for table in db.table_names():
        for fk in db.execute(f"PRAGMA foreign_key_list([{table}])").fetchall():
            if fk[2] == parent:
                found.append((table, fk[3], fk[4] or "rowid"))
    return found


def _referencing(db: Database, table: str, column: str, values: list) -> list[dict]:
    cursor = db.execute(
        f"SELECT * FROM [{table}] WHERE [{column}] IN (SELECT value FROM json_each(?))", [json.dumps(values)]
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def teller_stories(db: Database, pseudonym: str, *, actor: Actor = SYSTEM) -> list[Story]:
    """The stories (bin and withdrawn included) an erasure would remove."""
    require(can_erase(actor) or can_export_teller_data(actor), "erase")
    return [Story.from_row(row) for row in _teller_rows(db, _pseudonym(pseudonym))]


def teller_story_count(db: Database, pseudonym: str, *, actor: Actor = SYSTEM) -> int:
    return len(teller_stories(db, pseudonym, actor=actor))


def erase_teller(db: Database, pseudonym: str, *, actor: Actor = SYSTEM, vacuum: bool = True) -> int:
    """Delete everything held about a teller; returns the number of stories erased."""
    from stories.db import write_transaction

    require(can_erase(actor), "erase")
    pseudonym = _pseudonym(pseudonym)
    secure = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")  # freed pages are overwritten with zeros
    try:
        with write_transaction(db):
            seqs = [row["seq"] for row in _teller_rows(db, pseudonym)]
            marks = json.dumps(seqs)
            db.conn.execute("DELETE FROM stories WHERE seq IN (SELECT value FROM json_each(?))", [marks])
            for table, column, _ in dependent_tables(db):  # cascades ran (foreign keys were on)
                if seqs and _referencing(db, table, column, seqs):
                    raise RuntimeError(f"{table} still refers to erased stories (no ON DELETE CASCADE)")
            _drop_orphan_lemmas(db)
            if seqs:
                db.conn.execute("INSERT INTO stories_fts(stories_fts) VALUES ('optimize')")
            audit.log(db, actor, "erase", stories=len(seqs))
    finally:
        db.execute(f"PRAGMA secure_delete = {int(secure)}")
    if vacuum and not db.conn.in_transaction:
        try:
            db.conn.execute("VACUUM")  # rebuild the file without the erased pages
            if not db.memory:
                db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # and empty the write-ahead log
        except sqlite3.OperationalError:
            pass  # another connection is busy: secure_delete has already zeroed the freed pages
    return len(seqs)


def _drop_orphan_lemmas(db: Database) -> None:
    """Words no remaining story uses (a name, say) leave the lemma table too."""
    names = set(db.table_names()) | set(db.view_names())
    if "lemmas" not in names or "story_lemmas" not in names:
        return
    users = ["SELECT lemma_id FROM story_lemmas"]
    users += [f"SELECT [{c}] FROM [{t}] WHERE [{c}] IS NOT NULL" for t, c, _ in dependent_tables(db, "lemmas")]
    db.conn.execute(f"DELETE FROM lemmas WHERE id NOT IN ({' UNION '.join(users)})")


def _plain(value):
    """Binary cells (packed index data) as base64 text, so the report is plain JSON."""
    if isinstance(value, bytes):
        import base64

        return {"base64": base64.b64encode(value).decode("ascii")}
    return value


def teller_report(db: Database, pseudonym: str, *, actor: Actor = SYSTEM) -> dict:
    """Everything held about a teller, as plain JSON-ready data (GDPR article 15)."""
    require(can_export_teller_data(actor), "access_export")
    pseudonym = _pseudonym(pseudonym)
    rows = _teller_rows(db, pseudonym)
    seqs = [row["seq"] for row in rows]
    stories = []
    for row in rows:
        item = Story.from_row(row).to_dict()
        item["deleted_at"] = row.get("deleted_at")
        stories.append(item)
    related: dict[str, list[dict]] = {}
    for table, column, parent_column in dependent_tables(db):
        if parent_column != "seq" or table == "story_lemmas":
            continue
        found = _referencing(db, table, column, seqs)
        if found:
            related[table] = [{k: _plain(v) for k, v in row.items()} for row in found]
    words = db.execute(
        "SELECT sl.story_seq, l.lemma, sl.n FROM story_lemmas sl JOIN lemmas l ON l.id = sl.lemma_id"
        " WHERE sl.story_seq IN (SELECT value FROM json_each(?)) ORDER BY 1, 2",
        [json.dumps(seqs)],
    ).fetchall() if "story_lemmas" in set(db.table_names()) | set(db.view_names()) else []
    if words:
        related["story_lemmas"] = [{"story_seq": s, "lemma": w, "n": n} for s, w, n in words]
    ids = [row["id"] for row in rows]
    log_rows = _referencing(db, "audit_log", "target", ids) if ids else []
    from stories.storage import now_iso

    return {
        "teller": pseudonym,
        "generated_at": now_iso(),
        "story_seq_to_id": {row["seq"]: row["id"] for row in rows},
        "stories": stories,
        "related": related,
        "audit_log": log_rows,
    }


def teller_report_json(db: Database, pseudonym: str, *, actor: Actor = SYSTEM) -> tuple[str, int]:
    """The access report as JSON text, and how many stories it holds; audited."""
    report = teller_report(db, pseudonym, actor=actor)
    audit.log(db, actor, "access_export", stories=len(report["stories"]))
    return json.dumps(report, ensure_ascii=False, indent=2, default=str), len(report["stories"])


def write_teller_report(db: Database, pseudonym: str, out: str | Path, *, actor: Actor = SYSTEM) -> int:
    """Write the access report to `out`; returns the number of stories in it."""
    report = teller_report(db, pseudonym, actor=actor)
    Path(out).write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    audit.log(db, actor, "access_export", stories=len(report["stories"]))
    return len(report["stories"])
