"""Memory and time of reading the real-size hostile files of issue 9, and of the largest
files the import limits still accept. Each case runs in a fresh process (so its peak RSS is
its own) and reports: file size, outcome (refused with which limit, or read), seconds and
peak memory. Not part of `make test`; run `python -m bench.hostile [CASE ...]`.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = {
    "qdpx-10MB-member-x1000": "the 36 KB .qdpx whose 10 MB member 1,000 sources share",
    "qdpx-900KB-member-x1000": "a 900 KB member (under the ratio floor) that 1,000 sources share",
    "qdpx-deep-5000": "a .qdpx with codes nested 5,000 deep",
    "qdc-deep-5000": "a .qdc with codes nested 5,000 deep",
    "qdpx-bad-crc": "a .qdpx whose project.qde fails its CRC",
    "xlsx-A1:XFD1048576": "the 5 KB .xlsx declaring A1:XFD1048576 (read: 3 stories)",
    "xlsx-sheet-1GB": "the 1 MB .xlsx whose sheet inflates to 1 GB",
    "xlsx-broken-xml": "an .xlsx with broken sheet XML",
    "csv-1M-rows": "a CSV of 1,000,000 rows",
    "accepted-qde-near-limits": "a .qdpx whose 60 MB project.qde holds 29,000 coded sources (read, not stored)",
    "qde-dense-elements": "a .qdpx whose project.qde is 4,000,000 empty elements (60 MB)",
    "accepted-xlsx-50k-rows": "an .xlsx of 50,000 stories of 1,000 characters (read, not stored)",
    "accepted-csv-50k-rows": "a CSV of 50,000 stories of 1,000 characters (read, not stored)",
    "stored-csv-50k-rows": "the 50,000-story CSV imported into a database file (NLP index included)",
    "stored-qdpx-29k-sources": "the 29,000-source .qdpx imported into a database file, codings included",
}


def build_and_read(case: str, folder: Path) -> dict:
    from dataclasses import replace  # noqa: F401

    from coding.refi.qdc import import_qdc
    from coding.refi.qdpx_read import read_qdpx
    from changestories.database import memory_db
    from stories.tabular import read_table
    from tests import hostile

    started = time.perf_counter()
    db = memory_db()
    if case.startswith("qdpx-10MB"):
        path = hostile.qdpx_reference_bomb(folder / "a.qdpx")
        action = lambda: read_qdpx(path)  # noqa: E731
    elif case.startswith("qdpx-900KB"):
        path = hostile.qdpx_reference_bomb(folder / "a.qdpx", member_bytes=900_000)
        action = lambda: read_qdpx(path)  # noqa: E731
    elif case == "qdpx-deep-5000":
        path = hostile.qdpx_deep(folder / "a.qdpx", 5000)
        action = lambda: read_qdpx(path)  # noqa: E731
    elif case == "qdc-deep-5000":
        path = folder / "a.qdc"
        path.write_bytes(hostile.qdc_deep(5000))
        action = lambda: import_qdc(db, path)  # noqa: E731
    elif case == "qdpx-bad-crc":
        path = hostile.qdpx_bad_crc(folder / "a.qdpx")
        action = lambda: read_qdpx(path)  # noqa: E731
    elif case.startswith("xlsx-A1"):
        path = folder / "a.xlsx"
        path.write_bytes(hostile.xlsx_huge_dimension())
        action = lambda: read_table(path)  # noqa: E731
    elif case == "xlsx-sheet-1GB":
        path = folder / "a.xlsx"
        path.write_bytes(hostile.xlsx_inflating(1024 * 1024 * 1024))
        action = lambda: read_table(path)  # noqa: E731
    elif case == "xlsx-broken-xml":
        path = folder / "a.xlsx"
        path.write_bytes(hostile.xlsx_broken_xml())
        action = lambda: read_table(path)  # noqa: E731
    elif case == "csv-1M-rows":
        path = folder / "a.csv"
        path.write_bytes(hostile.csv_rows(1_000_000))
        action = lambda: read_table(path)  # noqa: E731
    elif case == "accepted-qde-near-limits":
        path = hostile.qdpx_many_sources(folder / "a.qdpx", 29_000)
        action = lambda: read_qdpx(path)  # noqa: E731
    elif case == "qde-dense-elements":
        path = hostile.qde_dense_elements(folder / "a.qdpx", 4_000_000)
        action = lambda: read_qdpx(path)  # noqa: E731
    elif case == "accepted-xlsx-50k-rows":
        path = folder / "a.xlsx"
        path.write_bytes(hostile.xlsx_bytes([["text", "site"]] + [
            [hostile.incompressible_text(1000, seed=i).decode(), "Valby"] for i in range(50_000)]))
        action = lambda: read_table(path)  # noqa: E731
    elif case == "accepted-csv-50k-rows":
        path = folder / "a.csv"
        path.write_bytes(b"text,site\n" + b"".join(
            hostile.incompressible_text(1000, seed=i) + b",Valby\n" for i in range(50_000)))
        action = lambda: read_table(path)  # noqa: E731
    elif case == "stored-csv-50k-rows":
        from changestories.database import connect
        from stories.importer import import_file

        path = folder / "a.csv"
        path.write_bytes(b"text,site\n" + b"".join(
            hostile.incompressible_text(1000, seed=i) + b",Valby\n" for i in range(50_000)))
        action = lambda: import_file(connect(folder / "s.db"), path)  # noqa: E731
    elif case == "stored-qdpx-29k-sources":
        from coding.refi.qdpx_import import import_qdpx
        from changestories.database import connect

        path = hostile.qdpx_many_sources(folder / "a.qdpx", 29_000)
        action = lambda: import_qdpx(connect(folder / "s.db"), path)  # noqa: E731
    else:
        raise SystemExit(f"unknown case {case}")
    built = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_SELF).ru_stime
    try:
        result = action()
        if hasattr(result, "added") or hasattr(result, "codings"):
            outcome = f"stored: {result}"[:160]
        else:
            outcome = f"read ({len(getattr(result, 'rows', None) or getattr(result, 'sources', []) or [])} rows/sources)"
    except Exception as exc:  # noqa: BLE001 - the outcome is what we measure
        outcome = f"refused: {type(exc).__name__}: {str(exc)[:110]}"
    return {"case": case, "file_bytes": path.stat().st_size, "build_s": round(built - started, 2),
            "read_s": round(time.perf_counter() - built, 2), "outcome": outcome,
            "read_cpu_s": round(sum(getattr(resource.getrusage(resource.RUSAGE_SELF), f) for f in ("ru_utime", "ru_stime"))
                                - cpu, 2),
            "peak_rss_mb_before_read": round(before / 1024), "peak_rss_mb": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("cases", nargs="*", default=list(CASES))
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        with tempfile.TemporaryDirectory() as folder:
            print(json.dumps(build_and_read(args.one, Path(folder))))
        return
    root = Path(__file__).resolve().parents[1]
    print(f"{'case':28} {'file':>10} {'wall s':>7} {'cpu s':>6} {'peak MB':>8}  outcome")
    for case in args.cases:
        done = subprocess.run([sys.executable, "-m", "bench.hostile", "--one", case], capture_output=True, text=True,
                              cwd=root)
        if done.returncode:
            print(f"{case:28} failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{case:28} {r['file_bytes']:>10,} {r['read_s']:>7} {r['read_cpu_s']:>6} {r['peak_rss_mb']:>8}  "
              f"{r['outcome']}")


if __name__ == "__main__":
    main()
