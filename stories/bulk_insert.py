"""Inserting many story rows at once, with their full-text index, inside the caller's write.

A story inserted alone is indexed for search by the `stories_ai` trigger. FTS5 flushes its
pending terms to disk at every statement of a trigger, so a big import paid for a tiny
index segment per story (0.1 ms of a story's 0.3). Rows whose seq lies in a range of
`stories_bulk_write` skip the per-row triggers (migration "stories" m006): this module
records the range, inserts the rows, indexes them all with one `INSERT ... SELECT` into
`stories_fts`, bumps the story versions once, and deletes the range again, all in the
caller's transaction, so no other connection ever sees the range and a rollback leaves
nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from stories.textindex.pipeline import bump_version


def insert_story_rows(db: Database, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Insert `rows` (values of `columns`, a `seq` among them) into `stories` and index them
    for full-text search. Call inside a write transaction, with new seqs: no stored story
    lies between the smallest and the largest of them."""
    if not rows:
        return
    conn = db.conn
    at = list(columns).index("seq")
    seqs = [row[at] for row in rows]
    first, last = min(seqs), max(seqs)
    conn.execute("INSERT INTO stories_bulk_write(first_seq, last_seq) VALUES (?, ?)", [first, last])
    conn.executemany(f"INSERT INTO stories ({','.join(columns)}) VALUES ({','.join('?' * len(columns))})", rows)
    conn.execute("INSERT INTO stories_fts(rowid, title, text, significance)"
                 " SELECT seq, title, text, significance FROM stories WHERE seq BETWEEN ? AND ?", [first, last])
    conn.execute("UPDATE stories_state SET value = value + 1 WHERE key = 'version'")
    bump_version(db, "stories_version")
    conn.execute("DELETE FROM stories_bulk_write WHERE first_seq = ? AND last_seq = ?", [first, last])
