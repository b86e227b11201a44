"""Measurements that need a fresh process (cold caches): `python -m bench.probe KIND --db PATH`.

Prints one JSON object: wall and CPU seconds of the first (cold) call, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR_SQL = "SELECT lemma_id, sum(n), count(*) FROM {table} GROUP BY lemma_id"


def cpu_time() -> float:
    """CPU seconds of this process and of the NLP workers of its imports (`stories.textindex.worker`:
    each reports its CPU with every result, as a worker may outlive the import for the next one).
    The worker module is not imported here (a cold timing must not find numpy loaded for it): no
    import loaded it, no worker ran."""
    worker = sys.modules.get("stories.textindex.worker")
    return time.process_time() + (worker.worker_cpu_seconds() if worker is not None else 0.0)


def timed(function) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), cpu_time()
    result = function()
    return time.perf_counter() - wall, cpu_time() - cpu, result


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss it does not carry the
    parent's peak over a fork)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def summary(db_path: str) -> dict:
    from coding.themes.groups import Selection
    from coding.themes.summary import theme_summary
    from changestories.database import connect

    db = connect(db_path)
    cold_wall, cold_cpu, result = timed(lambda: theme_summary(db, Selection()))
    warm = [timed(lambda: theme_summary(db, Selection()))[:2] for _ in range(5)]
    return {"cold_s": cold_wall, "cold_cpu_s": cold_cpu, "warm_s": min(w for w, _ in warm),
            "warm_cpu_s": min(c for _, c in warm), "stories": result.n_stories, "peak_rss_mb": peak_rss_mb()}


def floor(db_path: str, table: str) -> dict:
    import sqlite3

    conn = sqlite3.connect(db_path)
    wall, cpu, rows = timed(lambda: conn.execute(FLOOR_SQL.format(table=table)).fetchall())
    return {"s": wall, "cpu_s": cpu, "lemmas": len(rows), "peak_rss_mb": peak_rss_mb()}


def apptest(db_path: str) -> dict:
    from bench.fresh import bench_app

    at = bench_app(db_path, timeout=600)
    wall, cpu, _ = timed(lambda: at.switch_page("app_pages/themes.py").run())
    ok = not at.exception
    views = {}
    for view in ("codes", "cooccurrence", "quotes", "sentiment", "timeline", "words"):
        at.session_state["themes_view"] = view
        views[view] = round(timed(at.run)[0], 3)
        ok = ok and not at.exception
    return {"s": wall, "cpu_s": cpu, "ok": bool(ok), "views_s": views, "peak_rss_mb": peak_rss_mb(),
            "errors": [str(e.message)[:200] for e in at.exception]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("summary", "floor", "floor_rows", "apptest"))
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    if args.kind == "summary":
        result = summary(args.db)
    elif args.kind == "floor":
        result = floor(args.db, "story_lemmas")
    elif args.kind == "floor_rows":
        result = floor(args.db, "bench_story_lemma_rows")
    else:
        result = apptest(args.db)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
