"""Staged imports: a big import is written in short transactions, yet appears all at once.

A big import reserves a range of story seqs in `staged_imports` in its first write. Its
stories are then written chunk by chunk, each chunk in a short write transaction of its
own, so other writers (a story sent from /tell, a coder's save) get the lock between
chunks. Until the last chunk commits and deletes the reservation, every listing leaves the
range out (`filter_sql` adds `HIDDEN`), so readers see the import all at once or not at
all. An import that fails removes what it wrote; one whose process died (killed, power
cut) is removed by `discard_abandoned` when the database is next opened, like SQLite rolls
back a hot journal: at once if its process is known to be gone from this machine, else once
its heartbeat is old.

New story seqs are taken above every reservation (`next_seq`), so a story submitted during
an import never lands inside the import's range.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from stories.db import BULK_WAIT_S, write_transaction

ABANDONED_AFTER = dt.timedelta(minutes=10)  # no chunk written for this long: the import died
DISCARD_CHUNK = 2000  # stories removed per transaction when an import is undone

# The WHERE condition (over `stories AS {a}`) that leaves out stories of unfinished imports.
HIDDEN = "NOT EXISTS (SELECT 1 FROM staged_imports AS st WHERE {a}.seq BETWEEN st.first_seq AND st.last_seq)"


@dataclass(frozen=True)
class StagedImport:
    run: str
    first_seq: int
    last_seq: int


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def visible(alias: str = "s") -> str:
    """SQL: the story `alias` is not part of an import still being written."""
    return HIDDEN.format(a=alias)


def next_seq(db: Database) -> int:
    """The seq for a new story: above every stored story and every reserved range.

    Call under the write lock (the answer holds until the transaction ends).
    """
    return db.conn.execute(
        "SELECT max(COALESCE((SELECT max(seq) FROM stories), 0),"
        " COALESCE((SELECT max(last_seq) FROM staged_imports), 0)) + 1").fetchone()[0]


def _process_start(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot), or None if there is no such process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _owner() -> str:
    """This process, as "host pid start": a pid reused later does not look alive."""
    return f"{socket.gethostname()} {os.getpid()} {_process_start(os.getpid()) or ''}"


def _gone(owner: str) -> bool:
    """The process that wrote `owner` ran on this machine and has ended."""
    host, pid, start = (owner.split(" ") + ["", "", ""])[:3]
    if host != socket.gethostname() or not pid.isdigit() or not start or not Path("/proc/self/stat").exists():
        return False  # another machine, or no /proc to ask: the heartbeat decides
    return _process_start(int(pid)) != start


def reserve(db: Database, n: int) -> StagedImport:
    """Reserve n seqs for an import (call inside its first write transaction)."""
    first = next_seq(db)
    staged = StagedImport(str(uuid.uuid4()), first, first + max(n, 1) - 1)
    stamp = _now()
    db.conn.execute("INSERT INTO staged_imports(run, first_seq, last_seq, started_at, heartbeat_at, owner)"
                    " VALUES (?, ?, ?, ?, ?, ?)", [staged.run, staged.first_seq, staged.last_seq, stamp, stamp, _owner()])
    return staged


def heartbeat(db: Database, staged: StagedImport) -> None:
    """The import is alive (call in each chunk's transaction)."""
    db.conn.execute("UPDATE staged_imports SET heartbeat_at = ? WHERE run = ?", [_now(), staged.run])


def publish(db: Database, staged: StagedImport) -> None:
    """Make the import's stories visible (call inside its last write transaction)."""
    db.conn.execute("DELETE FROM staged_imports WHERE run = ?", [staged.run])
    # Touch one of its rows: every trigger that versions the story rows for a cache fires.
    db.conn.execute("UPDATE stories SET updated_at = updated_at WHERE seq = (SELECT max(seq) FROM stories"
                    " WHERE seq BETWEEN ? AND ?)", [staged.first_seq, staged.last_seq])


def discard(db: Database, staged: StagedImport) -> int:
    """Remove what an unfinished import wrote, in short transactions; returns the stories removed."""
    removed = 0
    low = staged.first_seq
    while low <= staged.last_seq:
        high = min(low + DISCARD_CHUNK - 1, staged.last_seq)
        with write_transaction(db, wait_s=BULK_WAIT_S):
            removed += db.conn.execute("DELETE FROM stories WHERE seq BETWEEN ? AND ?", [low, high]).rowcount
        low = high + 1
    with write_transaction(db, wait_s=BULK_WAIT_S):
        db.conn.execute("DELETE FROM staged_imports WHERE run = ?", [staged.run])
    return removed


def discard_abandoned(db: Database, *, now: dt.datetime | None = None) -> int:
    """Remove the stories of imports whose process has ended, or stopped writing long ago;
    returns how many. Cheap when there are none (one read): `db.connect` calls it."""
    rows = db.conn.execute("SELECT run, first_seq, last_seq, heartbeat_at, owner FROM staged_imports").fetchall()
    cutoff = ((now or dt.datetime.now(dt.UTC)) - ABANDONED_AFTER).isoformat(timespec="seconds")
    return sum(discard(db, StagedImport(run, first, last)) for run, first, last, beat, owner in rows
               if beat < cutoff or _gone(owner))
