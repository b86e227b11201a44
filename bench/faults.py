"""Concurrent writers against one database file: `make faults [FAULT_ARGS=...]`.

Three scenarios, each on a fresh database in a temporary folder, each writer a process of
its own (as Streamlit sessions and command lines are):

1. `submissions`: P processes x S stories through `stories.submission.submit_story` at once;
   reports sent / stored / failed and the slowest submission.
2. `imports`: P processes each importing a 500-row CSV at once; reports how many succeeded.
3. `during_import`: one process imports an N-row CSV (40,000 by default) while another
   submits a story every 0.2 s; reports the longest submission while the import ran, and
   the import's longest write-lock hold.

Not part of `make test` (minutes of work on 2 cores); the tests check the same behaviour
at a small scale without timing it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["text", "title", "significance", "site", "teller_role", "teller_pseudonym", "happened_on", "polarity"]


def _stories(n: int, seed: int):
    from bench.corpus import CorpusGenerator

    return CorpusGenerator(seed).stories(n)


def write_csv(path: Path, n: int, seed: int) -> Path:
    """An import file of n generated (fictional) stories."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for story in _stories(n, seed):
            writer.writerow([story.text, story.title, story.significance, story.site, story.teller_role,
                             story.teller_pseudonym, story.happened_on, story.polarity or ""])
    return path


def _submission(n: int, tag: str):
    from stories.model import Consent, Story

    return Story(text=f"Fortælling {tag}-{n}: vi lavede mad sammen i huset, og hun blev til det sidste.",
                 significance="Hun kom igen ugen efter.", title=f"{tag} {n}", teller_role="young_person",
                 site="Nordvest", consent=Consent(internal=True))


def worker_submit(db_path: str, count: int, tag: str, start_at: float, interval: float, until: str) -> dict:
    """Submit `count` stories (or, with `until`, one every `interval` s until that file exists)."""
    from changestories.database import connect
    from stories.submission import submit_story

    from stories.textindex.pipeline import analyse

    db = connect(db_path)
    analyse("Varm op.")  # the pipeline loads before the start line, like in a running server
    while time.time() < start_at:
        time.sleep(0.005)
    sent = failed = 0
    longest = 0.0
    errors: dict[str, int] = {}
    times = []
    n = 0
    while (n < count) if not until else not Path(until).exists():
        sent += 1
        began = time.perf_counter()
        try:
            submit_story(db, _submission(n, tag), submission_key=f"{tag}-{n}")
        except Exception as exc:  # counted and reported: that is what this measures
            failed += 1
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
        took = time.perf_counter() - began
        times.append(took)
        longest = max(longest, took)
        n += 1
        if interval:
            time.sleep(interval)
    return {"sent": sent, "failed": failed, "longest_s": longest, "errors": errors, "times": times}


def worker_import(db_path: str, csv_path: str, start_at: float, done_flag: str) -> dict:
    from dataclasses import replace

    from changestories.database import connect
    from stories.db import lock_stats
    from stories.importer import import_file
    from stories.limits import DEFAULT_LIMITS

    db = connect(db_path)
    from stories.textindex.pipeline import analyse

    analyse("Varm op.")  # the pipeline loads before the start line, like in a running server
    while time.time() < start_at:
        time.sleep(0.005)
    began = time.perf_counter()
    try:
        # Above the default limits (about 12,000 stories of 150 words a file): a 40,000-row import.
        limits = replace(DEFAULT_LIMITS, rows=10**7, file_bytes=10**11, cells=10**9, text_chars=10**11)
        report = import_file(db, csv_path, limits=limits)
        result = {"ok": True, "added": report.added}
    except Exception as exc:  # reported: that is what this measures
        result = {"ok": False, "error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    finally:
        if done_flag:
            Path(done_flag).write_text("done")
    result["seconds"] = time.perf_counter() - began
    result["longest_lock_s"] = lock_stats().longest_s
    return result


def _spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bench.faults", "--worker", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _collect(procs: list[subprocess.Popen]) -> list[dict]:
    results = []
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode:
            raise RuntimeError(f"worker failed: {err[-2000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _fresh_db(workdir: Path, name: str) -> Path:
    from changestories.database import connect

    path = workdir / name
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    connect(path).conn.close()
    return path


def submissions(workdir: Path, procs: int, each: int) -> dict:
    db_path = _fresh_db(workdir, "submissions.db")
    start_at = time.time() + 8 + procs * 0.5  # every worker loaded and waiting at the line
    workers = [_spawn("submit", str(db_path), str(each), f"p{i}", str(start_at), "0", "") for i in range(procs)]
    results = _collect(workers)
    import sqlite3

    stored = sqlite3.connect(db_path).execute(
        "SELECT count(*) FROM stories").fetchone()[0]
    errors: dict[str, int] = {}
    for r in results:
        for k, v in r["errors"].items():
            errors[k] = errors.get(k, 0) + v
    return {"processes": procs, "sent": sum(r["sent"] for r in results), "stored": stored,
            "failed": sum(r["failed"] for r in results), "errors": errors,
            "longest_submission_s": max(r["longest_s"] for r in results)}


def imports(workdir: Path, procs: int, rows: int) -> dict:
    db_path = _fresh_db(workdir, "imports.db")
    files = [write_csv(workdir / f"import_{i}.csv", rows, 100 + i) for i in range(procs)]
    start_at = time.time() + 8 + procs * 0.5
    results = _collect([_spawn("import", str(db_path), str(f), str(start_at), "") for f in files])
    import sqlite3

    stored = sqlite3.connect(db_path).execute("SELECT count(*) FROM stories").fetchone()[0]
    return {"processes": procs, "rows_each": rows, "succeeded": sum(r["ok"] for r in results),
            "failed": sum(not r["ok"] for r in results), "stored": stored,
            "errors": [r["error"] for r in results if not r["ok"]][:3],
            "longest_lock_s": max(r["longest_lock_s"] for r in results)}


def during_import(workdir: Path, rows: int) -> dict:
    db_path = _fresh_db(workdir, "during.db")
    big = write_csv(workdir / "big.csv", rows, 7)
    flag = workdir / "import.done"
    flag.unlink(missing_ok=True)
    start_at = time.time() + 10
    importer = _spawn("import", str(db_path), str(big), str(start_at), str(flag))
    submitter = _spawn("submit", str(db_path), "0", "tell", str(start_at + 0.5), "0.2", str(flag))
    imported, submitted = _collect([importer, submitter])
    times = sorted(submitted["times"])
    return {"rows": rows, "import_ok": imported["ok"], "import_s": imported["seconds"],
            "import_error": imported.get("error"), "import_longest_lock_s": imported["longest_lock_s"],
            "submissions": submitted["sent"], "submissions_failed": submitted["failed"],
            "longest_submission_s": submitted["longest_s"],
            "median_submission_s": times[len(times) // 2] if times else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Concurrent writers: submissions, imports, a submission during an import.")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--procs", type=int, default=20)
    parser.add_argument("--each", type=int, default=200, help="submissions per process")
    parser.add_argument("--import-rows", type=int, default=500)
    parser.add_argument("--big", type=int, default=40_000, help="rows of the import a submission runs against")
    parser.add_argument("--only", choices=("submissions", "imports", "during_import"), action="append")
    parser.add_argument("--out", default="", help="also write the results as JSON here")
    parser.add_argument("--workdir", default="")
    args = parser.parse_args(argv)
    if args.worker:
        kind, *rest = args.worker
        if kind == "submit":
            db_path, count, tag, start_at, interval, until = rest
            print(json.dumps(worker_submit(db_path, int(count), tag, float(start_at), float(interval), until)))
        else:
            db_path, csv_path, start_at, flag = rest
            print(json.dumps(worker_import(db_path, csv_path, float(start_at), flag)))
        return 0
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="changestories-faults-"))
    workdir.mkdir(parents=True, exist_ok=True)
    wanted = args.only or ["submissions", "imports", "during_import"]
    results: dict[str, dict] = {}
    if "submissions" in wanted:
        results["submissions"] = r = submissions(workdir, args.procs, args.each)
        print(f"faults: submissions: {r['processes']} processes, sent {r['sent']}, stored {r['stored']},"
              f" failed {r['failed']} {r['errors'] or ''}; slowest {r['longest_submission_s']:.2f} s", flush=True)
    if "imports" in wanted:
        results["imports"] = r = imports(workdir, args.procs, args.import_rows)
        print(f"faults: imports: {r['processes']} x {r['rows_each']} rows at once: {r['succeeded']} succeeded,"
              f" {r['failed']} failed, {r['stored']} stories stored; longest write lock {r['longest_lock_s']:.2f} s"
              + (f"; {r['errors'][0]}" if r["errors"] else ""), flush=True)
    if "during_import" in wanted:
        results["during_import"] = r = during_import(workdir, args.big)
        print(f"faults: during a {r['rows']}-row import ({'ok' if r['import_ok'] else r['import_error']},"
              f" {r['import_s']:.0f} s, longest write lock {r['import_longest_lock_s']:.2f} s):"
              f" {r['submissions']} submissions, {r['submissions_failed']} failed,"
              f" longest {r['longest_submission_s']:.2f} s, median {r['median_submission_s'] or 0:.3f} s", flush=True)
    results["machine"] = {"cpus": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 2)}
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
