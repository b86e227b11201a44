"""The themes benchmark: `make bench [SIZES=1000,10000,50000] [OUT=bench/results.json]`.

For each size, in a process of its own: generate a synthetic Danish corpus (~150 words a
story), time bare `nlp.pipe` over the texts, import them through the ordinary import
path (`create_stories`: story rows, full-text index, NLP index), re-index them
(`index_stories` alone), code them, time single saves, and then, each in a fresh
process, the theme summary (cold, then warm), the bare SQL aggregate over the stored
lemma counts (the floor), and at 10,000 stories one AppTest run of the themes page.

Then, for the same database (`bench.pages`): half the stories double-coded, the search time
of the commonest and a rare word, the cold and warm time of every page through AppTest,
the themes page's filter change and report tab, and the server's memory over ten visits of
every page. And (`bench.transfer`) every export (CSV, XLSX, JSON, QDPX) and the CSV imported
into an empty database, each in a fresh process: time, file size and peak memory, and the
import's longest write-lock hold. `--sizes 200000` runs the large size on request.

Throughput is given by the wall clock and by CPU time: on a shared machine the CPU
ratio is the fairer one (both processes see the same contention either way).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.pages import page_bench, table as page_table
from bench.transfer import table as transfer_table, transfer_bench
from bench.table import measure_lines
from bench.fresh import run_fresh
from bench.probe import peak_rss_mb, timed

ROOT = Path(__file__).resolve().parent.parent
SAVES = 200
APPTEST_SIZE = 10_000
TARGETS = [  # key, label, test, target text
    ("import_ratio", "import / nlp.pipe (wall)", lambda v: v >= 0.7, ">= 0.7"),
    ("import_ratio_cpu", "import / nlp.pipe (CPU)", lambda v: v >= 0.5, ">= 0.5"),
    ("index_ratio_cpu", "index_stories / nlp.pipe (CPU)", lambda v: v >= 0.5, ">= 0.5"),
    ("summary_cold_s", "summary cold (s)", lambda v: v < 2.0, "< 2 s at 50k"),
    ("summary_warm_s", "summary warm (s)", lambda v: v < 0.3, "< 0.3 s at 50k"),
    ("cold_vs_floor", "summary cold / SQL floor", lambda v: v <= 5.0, "<= 5x"),
    ("save_p95_ms", "save one story p95 (ms)", lambda v: v < 100, "< 100 ms at 50k"),
    ("peak_rss_mb", "peak RSS (MB)", lambda v: v < 1024, "< 1024 MB at 50k"),
]


def machine() -> dict:
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "load_avg_1m": round(os.getloadavg()[0], 2)}


def probe(kind: str, db_path: Path) -> dict:
    return run_fresh("bench.probe", kind, "--db", str(db_path))


def import_without_nlp(records, path: Path) -> tuple[float, float]:
    """The same import with the NLP index switched off: what story rows and full-text search cost."""
    import stories.bulk_create as bulk_create
    from bench.dataset import import_stories
    from changestories.database import connect

    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    from stories.textindex.pipeline import PreparedIndex

    db = connect(path)
    original = bulk_create.prepare_index, bulk_create.NLP_WORKER
    bulk_create.prepare_index = lambda texts, langs, db=None, lemma_ids=None: PreparedIndex([], [], [], lemma_ids={})  # no index
    bulk_create.NLP_WORKER = False  # no NLP to prepare beside the writes
    try:
        return import_stories(db, records, [f"plain:{i}" for i in range(len(records))])
    finally:
        bulk_create.prepare_index, bulk_create.NLP_WORKER = original
        db.conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def holds(db_path: Path, n: int) -> bool:
    """The database at db_path exists and holds at least n stories."""
    import sqlite3

    if not db_path.exists():
        return False
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        try:
            return conn.execute("SELECT count(*) FROM stories").fetchone()[0] >= n
        except sqlite3.DatabaseError:
            return False


def one_size(n: int, db_path: Path) -> dict:
    from bench.corpus import CorpusGenerator
    from bench.dataset import IMPORT_CHUNK, add_codings, import_stories
    from stories.textindex.language import load_lemma_table, load_pipeline
    from stories.textindex.pipeline import PIPE_BATCH, analyse_many, index_stories
    from changestories.database import connect
    from stories.db import lock_stats, write_transaction
    from stories.storage import create_story

    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    generator = CorpusGenerator(2026)
    stories = list(generator.stories(n))
    extra = list(generator.stories(SAVES))
    texts = [s.text for s in stories]
    nlp = load_pipeline("da")
    load_lemma_table("da")
    analyse_many(texts[:200], ["da"] * 200)  # one-time loads (lexicons, word-form tables) out of the timings
    # The first pass over the texts fills spaCy's vocabulary with their words; the import and the
    # re-index find it filled, so the ceiling is timed on a second pass, with the vocabulary filled too.
    [None for _ in nlp.pipe(texts, batch_size=PIPE_BATCH)]
    pipe_wall, pipe_cpu, _ = timed(lambda: [None for _ in nlp.pipe(texts, batch_size=PIPE_BATCH)])
    db = connect(db_path)
    import_wall, import_cpu = import_stories(db, stories, [f"bench:{i}" for i in range(n)])
    import_lock_s = lock_stats().longest_s  # the longest write transaction of the import

    def reindex():  # the NLP index alone, in transactions of IMPORT_CHUNK stories like the import
        rows = db.execute("SELECT seq, text, language FROM stories ORDER BY seq").fetchall()
        for i in range(0, len(rows), IMPORT_CHUNK):
            with write_transaction(db):
                index_stories(db, [tuple(r) for r in rows[i : i + IMPORT_CHUNK]])

    index_wall, index_cpu, _ = timed(reindex)
    plain_wall, plain_cpu = import_without_nlp(stories, Path(str(db_path) + ".plain"))
    codings = add_codings(db)
    save_ms = []
    for story in extra:
        wall, _, _ = timed(lambda: create_story(db, story))
        save_ms.append(1000 * wall)
    save_ms.sort()
    db.execute("CREATE TABLE bench_story_lemma_rows (story_seq INTEGER, lemma_id INTEGER, n INTEGER,"
               " PRIMARY KEY (story_seq, lemma_id)) WITHOUT ROWID")
    db.execute("CREATE INDEX bench_rows_lemma ON bench_story_lemma_rows(lemma_id, n)")
    with write_transaction(db):
        db.execute("INSERT INTO bench_story_lemma_rows SELECT story_seq, lemma_id, n FROM story_lemmas")
    db.conn.close()
    summary = probe("summary", db_path)
    floor = probe("floor", db_path)
    floor_rows = probe("floor_rows", db_path)
    result = {
        "stories": n,
        "words_per_story": round(sum(len(t.split()) for t in texts) / n, 1),
        "nlp_pipe_stories_per_s": n / pipe_wall,
        "nlp_pipe_cpu_stories_per_s": n / pipe_cpu,
        "import_stories_per_s": n / import_wall,
        "import_cpu_stories_per_s": n / import_cpu,
        "import_ratio": pipe_wall / import_wall,
        "import_ratio_cpu": pipe_cpu / import_cpu,
        "import_longest_lock_s": import_lock_s,
        "import_without_nlp_stories_per_s": n / plain_wall,
        "import_without_nlp_cpu_ms": 1000 * plain_cpu / n,
        "import_cpu_ms": 1000 * import_cpu / n,
        "nlp_pipe_cpu_ms": 1000 * pipe_cpu / n,
        "index_stories_per_s": n / index_wall,
        "index_cpu_ms": 1000 * index_cpu / n,
        "index_ratio": pipe_wall / index_wall,
        "index_ratio_cpu": pipe_cpu / index_cpu,
        "codings": codings,
        "summary_cold_s": summary["cold_s"],
        "summary_cold_cpu_s": summary["cold_cpu_s"],
        "summary_warm_s": summary["warm_s"],
        "sql_floor_s": floor["s"],
        "sql_floor_cpu_s": floor["cpu_s"],
        "sql_floor_rows_s": floor_rows["s"],
        "cold_vs_floor": summary["cold_s"] / floor["s"],
        "cold_vs_floor_rows": summary["cold_s"] / floor_rows["s"],
        "save_p50_ms": save_ms[len(save_ms) // 2],
        "save_p95_ms": save_ms[int(len(save_ms) * 0.95) - 1],
        "db_mb": Path(db_path).stat().st_size / 1e6,
    }
    peaks = [peak_rss_mb(), summary["peak_rss_mb"]]
    if n == APPTEST_SIZE:
        app = probe("apptest", db_path)
        result.update(apptest_themes_s=app["s"], apptest_ok=app["ok"], apptest_views_s=app["views_s"],
                      apptest_errors=app["errors"])
        peaks.append(app["peak_rss_mb"])
    result["peak_rss_mb"] = max(peaks)
    result["peak_rss_import_mb"] = peaks[0]
    result["peak_rss_summary_mb"] = summary["peak_rss_mb"]
    result["machine"] = machine()
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}


def table(results: dict) -> str:
    rows = [("nlp_pipe_stories_per_s", "nlp.pipe stories/s (wall)", None, ""),
            ("import_stories_per_s", "import stories/s (wall)", None, ""),
            ("import_longest_lock_s", "import: longest write lock (s)", None, ""),
            ("index_stories_per_s", "index_stories stories/s (wall)", None, ""),
            ("nlp_pipe_cpu_ms", "nlp.pipe CPU ms/story", None, ""),
            ("index_cpu_ms", "index_stories CPU ms/story", None, ""),
            ("import_cpu_ms", "import CPU ms/story", None, ""),
            ("import_without_nlp_cpu_ms", "import w/o NLP CPU ms/story", None, ""),
            ("sql_floor_s", "SQL floor, JSON view (s)", None, ""),
            ("sql_floor_rows_s", "SQL floor, row table (s)", None, ""),
            ("summary_cold_cpu_s", "summary cold CPU (s)", None, ""),
            ("apptest_themes_s", "AppTest themes page (s)", None, "")] + TARGETS
    return "\n".join(measure_lines(results, list(results), rows, width=34))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the NLP index and the theme views.")
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--out", default="bench/results.json")
    parser.add_argument("--workdir", default="", help="where the benchmark databases go (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep a page database of the workdir that holds the size already (built once): the"
                             " import is then measured into a scratch file beside it")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_size(args.one, Path(args.db))))
        return 0
    sizes = [int(s) for s in args.sizes.replace(" ", "").split(",") if s]
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="changestories-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict] = {}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for n in sizes:
        print(f"bench: {n} stories ...", flush=True)
        page_db = workdir / f"bench_{n}.db"
        measured_db = workdir / f"bench_{n}-import.db" if args.reuse and holds(page_db, n) else page_db
        load = {"start": load_average()}
        output = subprocess.run([sys.executable, "-m", "bench.run", "--one", str(n), "--db", str(measured_db)],
                                cwd=ROOT, capture_output=True, text=True)
        if output.returncode:
            print(output.stderr[-3000:], file=sys.stderr)
            return output.returncode
        if measured_db != page_db:
            for suffix in ("", "-wal", "-shm", ".plain"):
                Path(str(measured_db) + suffix).unlink(missing_ok=True)
        results[str(n)] = json.loads(output.stdout.strip().splitlines()[-1])
        load["import_done"] = load_average()
        results[str(n)].update(page_bench(n, page_db))
        load["pages_done"] = load_average()
        results[str(n)].update(transfer_bench(n, page_db))
        load["end"] = load_average()
        results[str(n)]["load_avg"] = load  # the machine's 1, 5 and 15-minute load averages at each step
        results[str(n)]["page_db_reused"] = measured_db != page_db
        print(f"bench: {n} stories done after {time.perf_counter() - started:.0f} s; load {load}", flush=True)
        # written after every size: a run stopped early keeps the sizes it finished
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    print(page_table(results))
    print(transfer_table(results))
    print(f"bench: {time.perf_counter() - started:.0f} s in all; results in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
