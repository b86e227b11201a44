"""A benchmark database: synthetic stories imported the ordinary way, the KBH+ codebook, codings."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import numpy as np

from bench.corpus import CorpusGenerator
from changestories.database import connect
from stories.db import write_transaction
from stories.bulk_create import create_stories

IMPORT_CHUNK = 5000
CODER = "bench-coder"


def import_stories(db, stories, keys) -> tuple[float, float]:
    """Import through stories.bulk_create.create_stories in chunks; returns (wall, cpu) seconds,
    the CPU of the import's NLP worker included."""
    from bench.probe import cpu_time

    wall, cpu = time.perf_counter(), cpu_time()
    for i in range(0, len(stories), IMPORT_CHUNK):
        create_stories(db, list(zip(stories[i : i + IMPORT_CHUNK], keys[i : i + IMPORT_CHUNK])))
    return time.perf_counter() - wall, cpu_time() - cpu


def add_codings(db, seed: int = 7) -> int:
    """Code every story: its teller's mechanism most of the time, now and then another code,
    and a sentence of one story in three."""
    from coding.codebook.codes import active_codebook, codable_codes, create_codebook, list_codebooks

    if not list_codebooks(db):
        create_codebook(db, "", "kbh_plus")
    codes = {c.key: c.id for c in codable_codes(db, active_codebook(db))}
    ids = list(codes.values())
    rng = np.random.default_rng(seed)
    rows = db.execute(
        "SELECT s.seq, s.teller_mechanism, t.start, t.end FROM stories AS s"
        " LEFT JOIN sentences AS t ON t.story_seq = s.seq AND t.idx = 1").fetchall()
    stamp = "2026-01-01T00:00:00+00:00"
    codings = []
    for seq, mechanism, start, end in rows:
        chosen = set()
        if mechanism in codes and rng.random() < 0.8:
            chosen.add(codes[mechanism])
        if rng.random() < 0.4 or not chosen:
            chosen.add(ids[rng.integers(len(ids))])
        for code_id in sorted(chosen):
            codings.append((str(uuid.uuid4()), seq, code_id, CODER, None, None, stamp, "import"))
        if start is not None and rng.random() < 0.33:
            codings.append((str(uuid.uuid4()), seq, sorted(chosen)[0], CODER, start, end, stamp, "import"))
    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO codings(guid, story_seq, code_id, coder, start, end, created_at, origin)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", codings)
    return len(codings)


def build(path: Path, n: int, seed: int = 2026):
    """Create the database at `path` with n stories; returns (db, texts, import wall s, import cpu s)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    generator = CorpusGenerator(seed)
    stories = list(generator.stories(n))
    db = connect(path)
    wall, cpu = import_stories(db, stories, [f"bench:{i}" for i in range(n)])
    add_codings(db)
    return db, [s.text for s in stories], wall, cpu
