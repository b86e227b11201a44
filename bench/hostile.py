"""Memory and time of reading the real-size hostile files of issue 9, and of the largest
honest files the import limits still accept. Each file is built in one process and read in
a fresh one, so the peak RSS reported is the reading's own (a bare process with the app's
modules loaded is about 200 MB). CPU seconds are reported beside wall seconds because the
machine may be shared. Not part of `make test`; run `python -m bench.hostile [CASE ...]`.
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
    "xlsx-sheet-1GB": "an .xlsx whose sheet inflates to 1 GB",
    "xlsx-broken-xml": "an .xlsx with broken sheet XML",
    "csv-1M-rows": "a CSV of 1,000,000 rows",
    "qde-dense-elements": "a .qdpx whose project.qde is 4,000,000 empty elements (60 MB)",
    "qdpx-20KB-member-x1000": "a 25 KB .qdpx whose 20 KB text 1,000 sources share (20 million characters)",
    "accepted-qde-near-limits": "a .qdpx whose project.qde holds 14,000 coded sources (read, not stored)",
    "accepted-xlsx-11k-rows": "an .xlsx of 11,000 stories of 1,000 random letters (read, not stored)",
    "accepted-csv-11k-rows": "a CSV of 11,000 stories of 1,000 random letters (read, not stored)",
    "stored-csv-11k-rows": "that CSV imported into a database file (NLP index included)",
    "stored-csv-realistic-10MB": "a 10 MB CSV of 10,000 synthetic Danish stories of ~150 words, imported",
    "stored-qdpx-14k-sources": "the 14,000-source .qdpx imported into a database file, codings included",
}


def build(case: str, folder: Path) -> Path:
    from tests import hostile

    def write(name: str, data: bytes) -> Path:
        (folder / name).write_bytes(data)
        return folder / name

    def stories_csv() -> bytes:
        return b"text,site\n" + b"".join(hostile.incompressible_text(1000, seed=i) + b",Valby\n" for i in range(11_000))

    builders = {
        "qdpx-10MB-member-x1000": lambda: hostile.qdpx_reference_bomb(folder / "a.qdpx"),
        "qdpx-900KB-member-x1000": lambda: hostile.qdpx_reference_bomb(folder / "a.qdpx", member_bytes=900_000),
        "qdpx-deep-5000": lambda: hostile.qdpx_deep(folder / "a.qdpx", 5000),
        "qdc-deep-5000": lambda: write("a.qdc", hostile.qdc_deep(5000)),
        "qdpx-bad-crc": lambda: hostile.qdpx_bad_crc(folder / "a.qdpx"),
        "xlsx-A1:XFD1048576": lambda: write("a.xlsx", hostile.xlsx_huge_dimension()),
        "xlsx-sheet-1GB": lambda: write("a.xlsx", hostile.xlsx_inflating(1024 * 1024 * 1024)),
        "xlsx-broken-xml": lambda: write("a.xlsx", hostile.xlsx_broken_xml()),
        "csv-1M-rows": lambda: write("a.csv", hostile.csv_rows(1_000_000)),
        "qde-dense-elements": lambda: hostile.qde_dense_elements(folder / "a.qdpx", 4_000_000),
        "qdpx-20KB-member-x1000": lambda: hostile.qdpx_reference_bomb(folder / "a.qdpx", member_bytes=20_000),
        "accepted-qde-near-limits": lambda: hostile.qdpx_many_sources(folder / "a.qdpx", 14_000),
        "accepted-xlsx-11k-rows": lambda: write("a.xlsx", hostile.xlsx_bytes([["text", "site"]] + [
            [hostile.incompressible_text(1000, seed=i).decode(), "Valby"] for i in range(11_000)])),
        "accepted-csv-11k-rows": lambda: write("a.csv", stories_csv()),
        "stored-csv-11k-rows": lambda: write("a.csv", stories_csv()),
        "stored-qdpx-14k-sources": lambda: hostile.qdpx_many_sources(folder / "a.qdpx", 14_000),
        "stored-csv-realistic-10MB": lambda: write("a.csv", realistic_csv(10_000)),
    }
    return builders[case]()


def realistic_csv(count: int) -> bytes:
    import csv
    import io

    from bench.corpus import CorpusGenerator

    texts = CorpusGenerator().texts(count)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["text", "site"])
    writer.writerows([text, "Valby"] for text in texts)
    return out.getvalue().encode("utf-8")


def read(case: str, path: Path) -> dict:
    from coding.refi.qdc import import_qdc
    from coding.refi.qdpx_import import import_qdpx
    from coding.refi.qdpx_read import read_qdpx
    from changestories.database import connect, memory_db
    from stories.importer import import_file
    from stories.tabular import read_table

    if case.startswith("stored-"):
        db = connect(path.parent / "stored.db")
        action = (lambda: import_file(db, path)) if path.suffix == ".csv" else (lambda: import_qdpx(db, path))
    elif path.suffix == ".qdc":
        action = lambda: import_qdc(memory_db(), path)  # noqa: E731
    elif path.suffix == ".qdpx":
        action = lambda: read_qdpx(path)  # noqa: E731
    else:
        action = lambda: read_table(path)  # noqa: E731
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu, started = usage.ru_utime + usage.ru_stime, time.perf_counter()
    try:
        result = action()
        if hasattr(result, "added") or hasattr(result, "codings"):
            outcome = f"stored: {result}"[:160]
        else:
            outcome = f"read ({len(getattr(result, 'rows', None) or getattr(result, 'sources', None) or [])} rows)"
    except Exception as exc:  # noqa: BLE001 - the outcome is what we measure
        outcome = f"refused: {type(exc).__name__}: {str(exc)[:110]}"
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"case": case, "file_bytes": path.stat().st_size, "wall_s": round(time.perf_counter() - started, 2),
            "cpu_s": round(usage.ru_utime + usage.ru_stime - cpu, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024),
            "outcome": outcome}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("cases", nargs="*", default=list(CASES))
    parser.add_argument("--build", nargs=2, metavar=("CASE", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--read", nargs=2, metavar=("CASE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        print(build(args.build[0], Path(args.build[1])))
        return
    if args.read:
        print(json.dumps(read(args.read[0], Path(args.read[1]))))
        return
    root = Path(__file__).resolve().parents[1]
    print(f"{'case':26} {'file bytes':>11} {'wall s':>7} {'cpu s':>6} {'peak MB':>8}  outcome")
    for case in args.cases:
        with tempfile.TemporaryDirectory() as folder:
            built = subprocess.run([sys.executable, "-m", "bench.hostile", "--build", case, folder],
                                   capture_output=True, text=True, cwd=root, check=True)
            done = subprocess.run([sys.executable, "-m", "bench.hostile", "--read", case,
                                   built.stdout.strip().splitlines()[-1]], capture_output=True, text=True, cwd=root)
        if done.returncode:
            print(f"{case:26} failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{case:26} {r['file_bytes']:>11,} {r['wall_s']:>7} {r['cpu_s']:>6} {r['peak_rss_mb']:>8}  {r['outcome']}",
              flush=True)


if __name__ == "__main__":
    main()
