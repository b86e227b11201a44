"""Export and import benchmark: `python -m bench.transfer KIND --db PATH [--file F]`.

KIND is one of
- `export-csv`, `export-xlsx`, `export-json`, `export-qdpx`: every story of the benchmark
  database (an admin's internal export), written to `--file`;
- `import`: the CSV export read back into a fresh, empty database `--db` through
  `stories.importer.import_file` (reading, checking, NLP index, staged writes), with the
  longest write-lock hold of the import.

Each runs in a fresh process (its peak memory is its own) and prints one JSON object on
its last line: wall and CPU seconds, peak RSS, the file's size. `bench.run` calls them
(`transfer_bench`) and prints `table`'s rows below its own.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.fresh import run_fresh
from bench.probe import peak_rss_mb
from bench.table import measure_lines

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ("csv", "xlsx", "json", "qdpx")
MEMORY_LIMIT_MB = 1024  # every export and import at 50,000 stories stays below


def _timed(function):
    from bench.probe import cpu_time  # the import's NLP worker included

    wall, cpu = time.perf_counter(), cpu_time()
    result = function()
    return time.perf_counter() - wall, cpu_time() - cpu, result


def export(db_path: str, fmt: str, out: str) -> dict:
    from changestories.database import connect

    db = connect(db_path)
    if fmt == "qdpx":
        from coding.refi.qdpx_export import export_qdpx

        wall, cpu, summary = _timed(lambda: export_qdpx(db, out))
        n = summary.stories
    else:
        from stories.exporter import export_stories

        wall, cpu, n = _timed(lambda: export_stories(db, out, fmt))
    return {"s": wall, "cpu_s": cpu, "n": n, "mb": Path(out).stat().st_size / 1e6, "peak_rss_mb": peak_rss_mb()}


def import_file_into(db_path: str, csv_path: str) -> dict:
    from dataclasses import replace

    from changestories.database import connect
    from stories.db import lock_stats
    from stories.importer import import_file
    from stories.limits import DEFAULT_LIMITS

    db = connect(db_path)
    before = lock_stats().longest_s
    # Above the default limits (about 12,000 stories of 150 words a file): the bench measures big imports.
    limits = replace(DEFAULT_LIMITS, rows=10**7, file_bytes=10**11, cells=10**9, text_chars=10**11)
    wall, cpu, report = _timed(lambda: import_file(db, csv_path, limits=limits))
    import resource

    from stories.textindex.worker import close_kept

    close_kept()  # the import's NLP worker ends (and is waited for) now, not after its idle time
    # Its peak (a forked child: the pages it shares with this process count in both).
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"s": wall, "cpu_s": cpu, "n": report.added, "longest_lock_s": max(lock_stats().longest_s, before),
            "stories_per_s": report.added / wall, "peak_rss_mb": peak_rss_mb(), "worker_peak_rss_mb": worker_mb}


def _run(*args: str) -> dict:
    return run_fresh("bench.transfer", *args)


def transfer_bench(n: int, db_path: Path) -> dict:
    """Every export of the benchmark database, then its CSV imported into an empty database."""
    result: dict = {}
    files = {}
    for fmt in EXPORTS:
        files[fmt] = db_path.with_name(f"{db_path.stem}-export.{fmt}")
        measured = _run(f"export-{fmt}", "--db", str(db_path), "--file", str(files[fmt]))
        result[f"export_{fmt}_s"] = measured["s"]
        result[f"export_{fmt}_rss_mb"] = measured["peak_rss_mb"]
        result[f"export_{fmt}_file_mb"] = measured["mb"]
    target = db_path.with_name(f"{db_path.stem}-imported.db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    measured = _run("import", "--db", str(target), "--file", str(files["csv"]))
    result.update(import_file_s=measured["s"], import_file_rss_mb=measured["peak_rss_mb"],
                  import_file_stories_per_s=measured["stories_per_s"], import_file_longest_lock_s=measured["longest_lock_s"],
                  import_file_added=measured["n"], import_file_worker_rss_mb=measured["worker_peak_rss_mb"])
    for path in [*files.values(), target, Path(str(target) + "-wal"), Path(str(target) + "-shm")]:
        path.unlink(missing_ok=True)
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}


TRANSFER_ROWS = [  # key, label, test (None: no target), target text
    *[(f"export_{f}_s", f"export {f} (s)", None, "") for f in EXPORTS],
    *[(f"export_{f}_rss_mb", f"export {f} peak RSS (MB)", lambda v: v < MEMORY_LIMIT_MB, "< 1024 MB at 50k")
      for f in EXPORTS],
    *[(f"export_{f}_file_mb", f"export {f} file (MB)", None, "") for f in EXPORTS],
    ("import_file_s", "import CSV file (s)", None, ""),
    ("import_file_stories_per_s", "import CSV file stories/s", None, ""),
    ("import_file_rss_mb", "import CSV file peak RSS (MB)", lambda v: v < MEMORY_LIMIT_MB, "< 1024 MB at 50k"),
    ("import_file_longest_lock_s", "import: longest write lock (s)", None, ""),
]


def table(results: dict) -> str:
    """The export and import rows of the bench table; the 50,000 column is checked."""
    sizes = [s for s in results if "import_file_s" in results[s]]
    return "\n".join(measure_lines(results, sizes, TRANSFER_ROWS, width=38, checked_size="50000"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=[f"export-{f}" for f in EXPORTS] + ["import"])
    parser.add_argument("--db", required=True)
    parser.add_argument("--file", required=True)
    args = parser.parse_args(argv)
    if args.kind == "import":
        result = import_file_into(args.db, args.file)
    else:
        result = export(args.db, args.kind.split("-", 1)[1], args.file)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
