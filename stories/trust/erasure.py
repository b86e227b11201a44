"""Erasure and access for one teller (GDPR articles 17 and 15), and erasing one story.

A teller is known by a pseudonym: the `teller_pseudonym` of the stories they told (camp
stories get one too), or `extra["about"]` of the stories staff told about them.
`erase_teller`, `erase_story` and the 30-day purge of the bin (`purge_bin`) all go
through `_erase`, which makes the erasure final:

1. one write transaction with `secure_delete` on (freed pages and deleted cells are
   overwritten with zeros) deletes the stories; `ON DELETE CASCADE` removes everything
   hanging on them (codings, memos, camp data, sentences, lemma counts, corrections...);
   words only those stories used leave `lemmas`; the full-text index is optimised (its
   segments merged, so the deleted tokens are dropped); the story ids and the time go
   into the append-only `erasure_log` (never text), and the audit log records THAT it
   happened;
2. `make_final` then vacuums (optional) and checkpoints the write-ahead log with
   TRUNCATE, waiting for connections still reading an older snapshot, so no byte of the
   story is left in the database file or its -wal file.

A restore re-applies the erasure log (`reapply_erasure_log`), so a story erased after a
backup was taken never comes back with that backup.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

from sqlite_utils import Database

from stories.trust import audit
from stories.errors import UserError
from stories.model import Story
from stories.trust.permissions import SYSTEM, Actor, can_erase, can_export_teller_data, require
from stories.validation import CONTROL_RE, MAX_SHORT

REASONS = ("teller", "story", "purge", "restore")
BIN_DAYS = 30  # a deleted story stays in the bin this long, then it is erased
FINAL_WAIT_SECONDS = 60.0  # how long an erasure waits for other connections' reads to end


class NoTeller(UserError):
    """No pseudonym given: refusing to erase or export without one."""


class NoSuchStory(UserError, LookupError):
    """No story has that id (or that short reference): nothing was erased."""


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


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _erase(db: Database, where: str, params: Sequence, *, actor: Actor, reason: str, vacuum: bool = True,
           final: bool = True) -> int:
    """Delete the stories matching `where` (over `stories`) and every trace of them; see the module text."""
    from stories.db import write_transaction

    if reason not in REASONS:
        raise ValueError(f"unknown erasure reason {reason!r}")
    secure = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")  # freed pages are overwritten with zeros
    try:
        with write_transaction(db):
            rows = db.conn.execute(f"SELECT seq, id FROM stories WHERE {where} ORDER BY seq", list(params)).fetchall()
            seqs = [seq for seq, _ in rows]
            marks = json.dumps(seqs)
            db.conn.execute("DELETE FROM stories WHERE seq IN (SELECT value FROM json_each(?))", [marks])
            for table, column, _ in dependent_tables(db):  # cascades ran (foreign keys were on)
                if seqs and _referencing(db, table, column, seqs):
                    raise RuntimeError(f"{table} still refers to erased stories (no ON DELETE CASCADE)")
            if seqs:
                _drop_orphan_lemmas(db)
                db.conn.execute("INSERT INTO stories_fts(stories_fts) VALUES ('optimize')")
                stamp = _now_iso()
                db.conn.executemany("INSERT INTO erasure_log(story_id, erased_at, reason) VALUES (?, ?, ?)",
                                    [(story_id, stamp, reason) for _, story_id in rows])
            if seqs or reason in ("teller", "story"):
                audit.log(db, actor, "erase", stories=len(seqs), **({} if reason == "teller" else {"reason": reason}))
    finally:
        db.execute(f"PRAGMA secure_delete = {int(secure)}")
    if final and rows:
        make_final(db, vacuum=vacuum)
    return len(rows)


def make_final(db: Database, *, vacuum: bool = True, wait_seconds: float = FINAL_WAIT_SECONDS) -> bool:
    """Rewrite the file (VACUUM, optional) and empty the write-ahead log; True when nothing is pending.

    A checkpoint cannot copy pages past the snapshot of a connection that is still
    reading, so this waits (the busy timeout, again until `wait_seconds`) for those reads
    to end. False means another connection kept reading: the next `make_final` (at every
    erasure, backup and server start) finishes the job.
    """
    if db.conn.in_transaction:
        return False
    if vacuum:
        try:
            db.conn.execute("VACUUM")  # rebuild the file without the erased pages
        except sqlite3.OperationalError:
            pass  # another writer is busy: secure_delete has already zeroed the freed pages
    if db.memory or db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        return True
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError:
            busy = 1
        if not busy:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def erase_teller(db: Database, pseudonym: str, *, actor: Actor = SYSTEM, vacuum: bool = True) -> int:
    """Delete everything held about a teller; returns the number of stories erased."""
    require(can_erase(actor), "erase")
    pseudonym = _pseudonym(pseudonym)
    return _erase(db, "teller_pseudonym = ? OR json_extract(extra, '$.about') = ?", [pseudonym, pseudonym],
                  actor=actor, reason="teller", vacuum=vacuum)


def find_story_ref(db: Database, ref: str) -> str:
    """The id of the one story (bin and withdrawn included) with id `ref`, or whose id starts with
    `ref` (at least 8 characters: the reference a teller is shown after sending)."""
    ref = (ref or "").strip().lower()
    if len(ref) < 8 or len(ref) > 64 or CONTROL_RE.search(ref):
        raise NoSuchStory("give the story's id (or the first 8 characters of it), e.g. --story 3f2a9c1e")
    rows = db.execute("SELECT id FROM stories WHERE id = ? OR substr(id, 1, ?) = ? LIMIT 2",
                      [ref, len(ref), ref]).fetchall()
    if not rows:
        raise NoSuchStory(f"no story has the id {ref}")
    if len(rows) > 1:
        raise NoSuchStory(f"more than one story id starts with {ref}: give more of it")
    return rows[0][0]


def erase_story(db: Database, story_ref: str, *, actor: Actor = SYSTEM, vacuum: bool = True) -> int:
    """Delete one story (any story: in the bin, withdrawn, told at a camp...) and every trace of it."""
    require(can_erase(actor), "erase")
    story_id = find_story_ref(db, story_ref)
    return _erase(db, "id = ?", [story_id], actor=actor, reason="story", vacuum=vacuum)


def purge_bin(db: Database, *, now: dt.datetime | None = None, days: int = BIN_DAYS, actor: Actor = SYSTEM) -> int:
    """Erase stories deleted more than `days` ago, as finally as `erase_story` does."""
    cutoff = ((now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days)).isoformat(timespec="seconds")
    return _erase(db, "deleted_at IS NOT NULL AND deleted_at < ?", [cutoff], actor=actor, reason="purge",
                  vacuum=False)


def _drop_orphan_lemmas(db: Database) -> None:
    """Words no remaining story uses (a name, say) leave the lemma table too."""
    names = set(db.table_names()) | set(db.view_names())
    if "lemmas" not in names or "story_lemmas" not in names:
        return
    users = ["SELECT lemma_id FROM story_lemmas"]
    users += [f"SELECT [{c}] FROM [{t}] WHERE [{c}] IS NOT NULL" for t, c, _ in dependent_tables(db, "lemmas")]
    db.conn.execute(f"DELETE FROM lemmas WHERE id NOT IN ({' UNION '.join(users)})")


# --- the erasure log ------------------------------------------------------------------

def erasure_log_rows(db: Database) -> list[tuple[str, str, str]]:
    """(story id, erased at, reason) of every erasure, oldest first; no text."""
    if "erasure_log" not in db.table_names():
        return []
    return [tuple(r) for r in db.execute("SELECT story_id, erased_at, reason FROM erasure_log ORDER BY id")]


def erased_story_ids(db: Database) -> set[str]:
    return {row[0] for row in erasure_log_rows(db)}


def last_erasure_at(db: Database) -> str | None:
    rows = erasure_log_rows(db)
    return max(r[1] for r in rows) if rows else None


def reapply_erasure_log(db: Database, rows: Sequence[tuple[str, str, str]], *, actor: Actor = SYSTEM) -> int:
    """Add another database's erasure log to this one's and erase every story it names (for a restore)."""
    from stories.db import write_transaction

    known = set(erasure_log_rows(db))
    with write_transaction(db):
        db.conn.executemany("INSERT INTO erasure_log(story_id, erased_at, reason) VALUES (?, ?, ?)",
                            [row for row in rows if tuple(row) not in known])
    ids = json.dumps(sorted(erased_story_ids(db)))
    return _erase(db, "id IN (SELECT value FROM json_each(?))", [ids], actor=actor, reason="restore")


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
    return {
        "teller": pseudonym,
        "generated_at": _now_iso(),
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
