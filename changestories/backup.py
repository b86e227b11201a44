"""Backups and restores with SQLite's online backup API: safe while the app runs.

A backup is one self-contained SQLite file (rollback journal, not WAL). It is written
under a hidden temporary name (`.NAME.partial`), checked with `PRAGMA integrity_check`,
flushed to disk (fsync) and only then renamed to its final name, so a backup that is
killed half-way leaves no file that looks like a backup.

A restore first proves that the file is a changestories database (`check_backup`): a
SQLite file that passes `integrity_check` and `foreign_key_check`, whose
`_sqlite_migrations` table records only our migration sets, each applied in order, and
that holds every table, column, view and trigger those migrations create. It then
prepares the restored database in a temporary file beside the live one (copy, pending
migrations, the erasure log re-applied, checked again, fsync), keeps the live database
as a dated copy in the backups folder, and swaps the prepared file in as ONE SQLite
transaction (the backup API into the live connection). Any refusal or failure before
that transaction commits leaves the live database as it was; connections the running
app holds see the restored data at their next read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from changestories.schema import all_migration_sets, apply_migrations
from stories.trust import audit
from stories.errors import UserError
from stories.trust.permissions import SYSTEM, Actor, can_backup, require

BACKUP_DIR = "backups"  # beside the database file
SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS_TABLE = "_sqlite_migrations"


class BackupFailed(UserError):
    """The backup could not be written or did not check out; no backup file was changed."""


class RestoreRefused(UserError):
    """The file is not a sound changestories database; nothing was restored."""


@dataclass(frozen=True)
class RestoreSummary:
    stories: int  # stories in the restored database
    erased_again: int  # stories of the backup removed again because the erasure log names them
    kept_copy: Path | None  # the live database as it was before the restore


def _integrity_problem(conn: sqlite3.Connection) -> str | None:
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows != [("ok",)]:
        return "; ".join(str(r[0]) for r in rows[:3])
    return None


def database_file(db: Database) -> Path | None:
    """The file behind a connection (None for an in-memory database)."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(file) if file else None
    return None


def backups_dir(db_file: str | os.PathLike) -> Path:
    """Where backups of a database file go unless told otherwise: `backups/` beside it."""
    return Path(db_file).resolve().parent / BACKUP_DIR


def _stamp(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")


def default_backup_path(db_file: str | os.PathLike, now: dt.datetime | None = None, label: str = "") -> Path:
    """`backups/<name>-<label->YYYYMMDD-HHMMSS.db` beside the database, never an existing file."""
    db_file = Path(db_file)
    stem = f"{db_file.stem}-{label + '-' if label else ''}{_stamp(now)}"
    folder = backups_dir(db_file)
    path, n = folder / f"{stem}.db", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.db"
    return path


def partial_path(dest: Path) -> Path:
    """The hidden temporary name a file is written under before it is complete."""
    return dest.with_name(f".{dest.name}.partial")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be opened
        _fsync(folder)


def _remove_partial(partial: Path) -> None:
    for leftover in (partial, partial.with_name(partial.name + "-journal")):
        leftover.unlink(missing_ok=True)


def _copy_to_file(source: sqlite3.Connection, dest: Path, *, check) -> None:
    """Copy `source` into `dest` through a hidden partial file: checked, fsynced, then renamed."""
    partial = partial_path(dest)
    _remove_partial(partial)  # a killed earlier run
    try:
        with contextlib.closing(sqlite3.connect(partial)) as target:
            source.backup(target)  # all pages in one step: a consistent snapshot
            target.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
            check(target)
        _fsync(partial)
        os.replace(partial, dest)
        _fsync_dir(dest.parent)
    finally:
        _remove_partial(partial)


def backup(db: Database, dest: str | os.PathLike | None = None, *, actor: Actor = SYSTEM) -> Path:
    """Copy the whole database to `dest` (default: the backups folder beside it); an
    existing file there is replaced only by a complete, checked copy."""
    require(can_backup(actor), "backup")
    if dest is None:
        live = database_file(db)
        if live is None:
            raise BackupFailed("an in-memory database needs a file name to back up to")
        dest = default_backup_path(live)
        dest.parent.mkdir(exist_ok=True)
    dest = Path(dest)
    if not dest.parent.is_dir():
        raise BackupFailed(f"folder {dest.parent} does not exist")

    def check(target: sqlite3.Connection) -> None:
        problem = _integrity_problem(target)
        if problem:
            raise BackupFailed(f"the copy failed its integrity check: {problem}")

    _copy_to_file(db.conn, dest, check=check)
    audit.log(db, actor, "backup", dest.name, path=str(dest.resolve()))
    return dest


# --- is it one of ours? -------------------------------------------------------------

def _schema(conn: sqlite3.Connection) -> dict[str, dict[str, set[str]]]:
    """{'table': {name: columns}, 'view': {name: set()}, 'trigger': {name: set()}}."""
    found: dict[str, dict[str, set[str]]] = {"table": {}, "view": {}, "trigger": {}}
    for kind, name in conn.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger')"):
        if name.startswith("sqlite_"):
            continue
        columns = set()
        if kind == "table":
            columns = {row[1] for row in conn.execute(f"PRAGMA table_xinfo([{name}])")}
        found[kind][name] = columns
    return found


def _expected_schema(applied: dict[str, list[str]]) -> dict[str, dict[str, set[str]]]:
    """The schema our migrations build when exactly the `applied` ones have run."""
    reference = Database(memory=True)
    reference.execute("PRAGMA foreign_keys = ON")
    for migration_set in all_migration_sets():
        names = [m.name for m in migration_set._migrations]
        done = applied.get(migration_set.name, [])
        if not done:
            continue
        stop = names[len(done)] if len(done) < len(names) else None
        migration_set.apply(reference, stop_before=stop)
    return _schema(reference.conn)


def _applied_migrations(conn: sqlite3.Connection, path: Path) -> dict[str, list[str]]:
    columns = {row[1] for row in conn.execute(f"PRAGMA table_info([{MIGRATIONS_TABLE}])")}
    if not {"migration_set", "name"} <= columns:
        raise RestoreRefused(f"{path} is not a changestories database (it has no record of our migrations)")
    applied: dict[str, list[str]] = {}
    for set_name, name in conn.execute(f"SELECT migration_set, name FROM [{MIGRATIONS_TABLE}] ORDER BY rowid"):
        applied.setdefault(set_name, []).append(name)
    known = {s.name: [m.name for m in s._migrations] for s in all_migration_sets()}
    for set_name, names in applied.items():
        if set_name not in known:
            raise RestoreRefused(f"{path} holds migration set {set_name!r}, which changestories does not know"
                                 " (another program's database, or a newer version of changestories)")
        ours = known[set_name]
        unknown = [n for n in names if n not in ours]
        if unknown:
            raise RestoreRefused(f"{path} was made by a newer version of changestories (migration"
                                 f" {set_name}:{unknown[0]} is unknown here)")
        if sorted(names, key=ours.index) != names or names != ours[:len(names)]:
            raise RestoreRefused(f"{path} records the {set_name!r} migrations out of order or with gaps")
    if not applied.get("stories"):
        raise RestoreRefused(f"{path} is not a changestories database (no story migrations applied)")
    return applied


def _schema_problem(actual: dict, expected: dict) -> str | None:
    for kind in ("table", "view", "trigger"):
        for name, columns in expected[kind].items():
            if name not in actual[kind]:
                return f"the {kind} {name} is missing"
            missing = sorted(columns - actual[kind][name])
            if missing:
                return f"the table {name} lacks the column {missing[0]}"
    return None


def check_backup(path: str | os.PathLike) -> None:
    """Raise RestoreRefused unless `path` is a sound changestories database (see the module text)."""
    path = Path(path)
    if not path.is_file():
        raise RestoreRefused(f"{path} is not a file")
    with open(path, "rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise RestoreRefused(f"{path} is not a readable SQLite database: file is not a database")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            problem = _integrity_problem(conn)
            if problem:
                raise RestoreRefused(f"{path} fails PRAGMA integrity_check: {problem}")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if MIGRATIONS_TABLE not in tables:
                what = "no stories table" if "stories" not in tables else "no record of our migrations"
                raise RestoreRefused(f"{path} is not a changestories database ({what})")
            applied = _applied_migrations(conn, path)
            problem = _schema_problem(_schema(conn), _expected_schema(applied))
            if problem:
                raise RestoreRefused(f"{path} is not a changestories database as its migrations say: {problem}")
            broken = conn.execute("PRAGMA foreign_key_check").fetchone()
            if broken:
                raise RestoreRefused(f"{path} fails PRAGMA foreign_key_check: a row of {broken[0]} refers to"
                                     f" a missing row of {broken[2]}")
    except sqlite3.DatabaseError as exc:
        raise RestoreRefused(f"{path} is not a readable SQLite database: {exc}") from exc


# --- restoring ----------------------------------------------------------------------

@contextlib.contextmanager
def _prepared_copy(src: Path, folder: Path, name: str) -> Iterator[tuple[Path, Database]]:
    """A private working copy of `src` in `folder` (so it is on the same disk), removed afterwards."""
    from stories.db import configure

    work = folder / f".{name}.restore.partial"
    _remove_partial(work)
    try:
        with contextlib.closing(sqlite3.connect(f"file:{src}?mode=ro", uri=True)) as source, \
                contextlib.closing(sqlite3.connect(work)) as target:
            source.backup(target)
        conn = sqlite3.connect(work)
        try:
            prepared = configure(Database(conn))
            prepared.execute("PRAGMA journal_mode = DELETE")  # the work file is one file too
            yield work, prepared
        finally:
            conn.close()
    finally:
        _remove_partial(work)


def restore(db: Database, src: str | os.PathLike, *, actor: Actor = SYSTEM,
            now: dt.datetime | None = None) -> RestoreSummary:
    """Replace the contents of `db` with the backup `src`, after checking it; returns what happened.

    Stories the live database's erasure log names are erased from the restored data
    again, so an erased story never comes back from an older backup.
    """
    from stories.trust import erasure
    require(can_backup(actor), "restore")
    src = Path(src)
    check_backup(src)
    if db.conn.in_transaction:
        raise RestoreRefused("a transaction is open on the database")
    live = database_file(db)
    folder = live.parent if live else src.resolve().parent
    erased_ids = erasure.erased_story_ids(db)
    log_rows = erasure.erasure_log_rows(db)
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    with _prepared_copy(src, folder, live.name if live else "memory") as (work, prepared):
        apply_migrations(prepared)
        again = erasure.reapply_erasure_log(prepared, log_rows, actor=actor)
        if prepared.execute("PRAGMA page_size").fetchone()[0] != page_size:  # WAL cannot change page size
            prepared.execute(f"PRAGMA page_size = {int(page_size)}")
            prepared.execute("VACUUM")
        problem = _integrity_problem(prepared.conn)
        if problem:  # pragma: no cover - the source passed the same check
            raise RestoreRefused(f"the prepared database fails its integrity check: {problem}")
        stories = prepared.execute("SELECT count(*) FROM stories").fetchone()[0]
        prepared.conn.commit()
        _fsync(work)
        kept = None
        if live is not None:
            kept = default_backup_path(live, now, label="pre-restore")
            kept.parent.mkdir(exist_ok=True)
            backup(db, kept, actor=actor)
        try:
            prepared.conn.backup(db.conn)  # one write transaction on the live database
        except sqlite3.Error as exc:
            raise RestoreRefused(f"the live database could not be replaced (it is unchanged): {exc}") from exc
    if erased_ids:
        left = db.execute("SELECT count(*) FROM stories WHERE id IN (SELECT value FROM json_each(?))",
                          [json.dumps(sorted(erased_ids))]).fetchone()[0]
        if left:  # pragma: no cover - reapply_erasure_log removed them
            raise RuntimeError("an erased story came back with the restore")
    if live is not None:
        erasure.make_final(db, vacuum=False)  # the old pages leave the write-ahead log
    audit.log(db, actor, "restore", src.name, erased_again=again, kept=kept.name if kept else "")
    return RestoreSummary(stories, again, kept)


# --- the backups an admin can see -----------------------------------------------------

@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: str  # when the file was written (UTC, ISO 8601)
    size: int  # bytes
    stories: int | None  # None: the file cannot be read as a database
    erased_inside: int  # stories it still holds that were erased since (a restore erases them again)

    @property
    def predates_erasure(self) -> bool:
        return self.erased_inside > 0


def _recorded_backups(db: Database) -> set[Path]:
    found = set()
    for (detail,) in db.execute("SELECT detail FROM audit_log WHERE action = 'backup'"):
        with contextlib.suppress(ValueError, TypeError):
            path = json.loads(detail or "{}").get("path")
            if path:
                found.add(Path(path))
    return found


def _backup_info(path: Path, erased: list[str]) -> BackupInfo:
    stat = path.stat()
    taken = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).isoformat(timespec="seconds")
    stories, inside = None, 0
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            stories = conn.execute("SELECT count(*) FROM stories").fetchone()[0]
            if erased:
                inside = conn.execute("SELECT count(*) FROM stories WHERE id IN (SELECT value FROM json_each(?))",
                                      [json.dumps(erased)]).fetchone()[0]
    except sqlite3.Error:
        pass
    return BackupInfo(path, taken, stat.st_size, stories, inside)


def list_backups(db: Database, *, actor: Actor = SYSTEM) -> list[BackupInfo]:
    """The backups in the backups folder and those the audit log recorded elsewhere, newest first,
    each with the number of erased stories it still holds."""
    from stories.trust.erasure import erased_story_ids

    require(can_backup(actor), "backup")
    live = database_file(db)
    paths = {p for p in _recorded_backups(db) if p.is_file()}
    if live is not None and backups_dir(live).is_dir():
        paths |= {p.resolve() for p in backups_dir(live).glob("*.db") if p.is_file()}
    paths = {p for p in paths if not p.name.startswith(".") and (live is None or p != live.resolve())}
    erased = sorted(erased_story_ids(db))
    infos = [_backup_info(p, erased) for p in paths]
    return sorted(infos, key=lambda b: (b.taken_at, b.path.name), reverse=True)
