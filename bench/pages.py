"""Page, search and server-memory benchmark: `python -m bench.pages KIND --db PATH [--n N]`.

KIND is one of
- `build`: the benchmark database with N stories (reused when it already holds N), every
  story coded by one coder and half of them by a second coder (both finished), so the
  agreement page and the coding queue see double-coded data;
- `search`: `query_stories` + `count_stories` for the commonest word and a rare word, as
  the browse page runs them (first page of 20, admin scope), cold and warm;
- `pages`: every page of the router through AppTest, as an admin: the first render of
  each page in this process (cold) and the best of three re-renders (warm);
- `memory`: one process visits every page 10 times; the resident memory after the first
  round and after the tenth, and the growth per visit;
- `warmed`: as the server runs, the warm-up first (`changestories.warmup`), then the cold render
  of the pages that would otherwise load the NER model (the coding, review and submit pages).

Each prints one JSON object on its last line; `bench.run` calls them in fresh processes
(`page_bench`) and prints `table`'s rows below its own.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import uuid
from pathlib import Path

from bench.fresh import bench_app, run_fresh
from bench.table import measure_lines

ROOT = Path(__file__).resolve().parent.parent
SECOND_CODER = "bench-coder-2"
VISITS = 10
WARM_RUNS = 3


def rss_mb() -> float:
    """This process's resident memory now (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def router_pages() -> list[str]:
    """The page scripts app.py routes to, in its order."""
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    return re.findall(r'page\("(app_pages/\w+\.py)"', source)


def double_code(db, share: float = 0.5, seed: int = 11) -> int:
    """Mark the first coder finished on every coded story and let a second coder finish
    `share` of them, agreeing most of the time; returns the number of double-coded stories."""
    import numpy as np

    from bench.dataset import CODER
    from stories.db import write_transaction

    rng = np.random.default_rng(seed)
    stamp = "2026-01-02T00:00:00+00:00"
    seqs = [r[0] for r in db.execute("SELECT DISTINCT story_seq FROM codings WHERE coder = ?", [CODER])]
    codes = [r[0] for r in db.execute("SELECT DISTINCT code_id FROM codings")]
    second = [s for s in seqs if rng.random() < share]
    chosen = set(second)
    rows = db.execute("SELECT story_seq, code_id, start, end FROM codings WHERE coder = ?", [CODER]).fetchall()
    copies = []
    for seq, code_id, start, end in rows:
        if seq not in chosen:
            continue
        if rng.random() < 0.85:
            copies.append((str(uuid.uuid4()), seq, code_id, SECOND_CODER, start, end, stamp, "import"))
        elif start is None:
            other = codes[rng.integers(len(codes))]
            copies.append((str(uuid.uuid4()), seq, other, SECOND_CODER, None, None, stamp, "import"))
    with write_transaction(db):
        db.conn.executemany("INSERT OR IGNORE INTO story_coders(story_seq, coder, done, updated_at)"
                            " VALUES (?, ?, 1, ?)", [(s, CODER, stamp) for s in seqs])
        db.conn.executemany("INSERT OR IGNORE INTO story_coders(story_seq, coder, done, updated_at)"
                            " VALUES (?, ?, 1, ?)", [(s, SECOND_CODER, stamp) for s in second])
        db.conn.executemany(
            "INSERT OR IGNORE INTO codings(guid, story_seq, code_id, coder, start, end, created_at, origin)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", copies)
    return len(second)


def mark_reviewed(db) -> None:
    """The imported stories as staff would leave them after review (evaluators see them)."""
    from stories.db import write_transaction

    with write_transaction(db):
        db.execute("UPDATE stories SET awaiting_review = 0, reviewed_by = 'bench', reviewed_at = ?"
                   " WHERE awaiting_review = 1", ["2026-01-03T00:00:00+00:00"])


def build(db_path: Path, n: int) -> dict:
    """The page benchmark database: the one `bench.run` imported for this size when it is
    there (at least n stories), else n new ones; then double coding and review, once."""
    from changestories.database import connect
    from bench.dataset import build as build_stories

    started = time.perf_counter()
    reused = False
    if db_path.exists():
        db = connect(db_path)
        reused = db.execute("SELECT count(*) FROM stories").fetchone()[0] >= n
        if not reused:
            db.conn.close()
    if not reused:
        db, _, _, _ = build_stories(db_path, n)
    second = db.execute("SELECT count(*) FROM story_coders WHERE coder = ?", [SECOND_CODER]).fetchone()[0]
    if not second:
        if not db.execute("SELECT count(*) FROM codings").fetchone()[0]:
            from bench.dataset import add_codings

            add_codings(db)
        second = double_code(db)
    mark_reviewed(db)
    db.execute("PRAGMA optimize")
    stories = db.execute("SELECT count(*) FROM stories").fetchone()[0]
    db.conn.close()
    return {"stories": stories, "double_coded": second, "reused": reused, "build_s": time.perf_counter() - started}


def search_words(db) -> tuple[str, str]:
    """The commonest word of the story texts and a rare one (in a handful of stories)."""
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_vocab USING fts5vocab(main, stories_fts, 'row')")
    common = db.execute("SELECT term FROM temp.fts_vocab WHERE length(term) > 3 ORDER BY doc DESC LIMIT 1").fetchone()[0]
    rare = db.execute("SELECT term FROM temp.fts_vocab WHERE doc BETWEEN 3 AND 10 AND length(term) > 5"
                      " ORDER BY doc DESC, term LIMIT 1").fetchone()[0]
    return common, rare


def search(db_path: Path) -> dict:
    from changestories.database import connect
    from stories.trust.permissions import Actor
    from stories.visibility import StoryFilter
    from stories.search import count_stories, query_stories

    db = connect(db_path)
    admin = Actor("bench", "admin")
    common, rare = search_words(db)
    result = {}
    for kind, word in (("common", common), ("rare", rare)):
        f = StoryFilter(search=word)

        def once():
            started = time.perf_counter()
            total = count_stories(db, f, actor=admin)
            first = query_stories(db, f, actor=admin, limit=20)
            return time.perf_counter() - started, total, len(first)

        cold, total, shown = once()
        warm = min(once()[0] for _ in range(WARM_RUNS))
        result[kind] = {"word": word, "matches": total, "shown": shown, "cold_s": cold, "warm_s": warm}
    db.conn.close()
    return result


def _app(db_path: Path):
    return bench_app(db_path, timeout=900)


def _visit(at, page: str | None) -> tuple[float, float, list[str]]:
    """Open `page` (None: rerun the current one); wall and CPU seconds, and any errors shown."""
    wall, cpu = time.perf_counter(), time.process_time()
    (at.switch_page(page) if page else at).run()
    return time.perf_counter() - wall, time.process_time() - cpu, [str(e.message)[:200] for e in at.exception]


def pages(db_path: Path, only: list[str] | None = None) -> dict:
    at = _app(db_path)
    result = {}
    for page in router_pages():
        if only and Path(page).stem not in only:
            continue
        cold, cold_cpu, errors = _visit(at, page)
        warm = [_visit(at, None) for _ in range(WARM_RUNS)]
        result[Path(page).stem] = {"cold_s": cold, "cold_cpu_s": cold_cpu, "warm_s": min(w for w, _, _ in warm),
                                   "warm_cpu_s": min(c for _, c, _ in warm),
                                   "errors": errors + [e for _, _, errs in warm for e in errs]}
    return result


WARMED_PAGES = ("code", "review", "submit")  # the pages whose cold render loads the NER model


def warmed(db_path: Path) -> dict:
    """As the server runs: `changestories.warmup.warm_up` first (the server does it on a thread as
    it starts), then the first render of the pages that would otherwise load the NER model."""
    from changestories.warmup import warm_up

    started, cpu = time.perf_counter(), time.process_time()
    warm_up()
    result = {"warm_up_s": time.perf_counter() - started, "warm_up_cpu_s": time.process_time() - cpu}
    at = _app(db_path)
    for page in router_pages():
        if Path(page).stem in WARMED_PAGES:
            wall, cpu, errors = _visit(at, page)
            result[Path(page).stem] = {"cold_s": wall, "cold_cpu_s": cpu, "errors": errors}
    return result


THEME_VIEWS = ("words", "codes", "cooccurrence", "quotes", "sentiment", "timeline", "report", "stopwords")


def themes(db_path: Path) -> dict:
    """The themes page: first render, a rerun, a filter change (one site, then another), every view."""
    at = _app(db_path)
    result = {}
    wall, cpu, errors = _visit(at, "app_pages/themes.py")
    result["cold"] = {"s": wall, "cpu_s": cpu}
    wall, cpu, more = _visit(at, None)
    result["warm"] = {"s": wall, "cpu_s": cpu}
    errors += more
    for i, site in enumerate(("Valby", "Amager")):
        at.session_state["themes_sites"] = [site]  # a multiselect before, chips (st.pills) now
        wall, cpu, more = _visit(at, None)
        result[f"filter_{i + 1}"] = {"s": wall, "cpu_s": cpu}
        errors += more
    at.session_state["themes_sites"] = []
    _visit(at, None)
    for view in THEME_VIEWS:
        at.session_state["themes_view"] = view
        wall, cpu, more = _visit(at, None)
        result[f"view_{view}"] = {"s": wall, "cpu_s": cpu}
        errors += more
    at.session_state["themes_view"] = "report"  # making the report: a button, a bar per section
    _visit(at, None)
    at.button(key="themes_report_make").click()
    wall, cpu, more = _visit(at, None)
    result["report_made"] = {"s": wall, "cpu_s": cpu}
    errors += more
    result["errors"] = errors
    return result


def memory(db_path: Path) -> dict:
    """No explicit garbage collection: the server does not collect between visits either."""
    at = _app(db_path)
    names = router_pages()
    for page in names:  # the first round loads the libraries and caches every page needs
        _visit(at, page)
    after_first = rss_mb()
    for _ in range(VISITS - 1):
        for page in names:
            _visit(at, page)
    after_all = rss_mb()
    visits = (VISITS - 1) * len(names)
    return {"rss_after_first_round_mb": after_first, "rss_after_all_mb": after_all,
            "growth_mb": after_all - after_first, "growth_per_visit_mb": (after_all - after_first) / visits,
            "visits": VISITS * len(names)}


def _probe(kind: str, db_path: Path, n: int) -> dict:
    return run_fresh("bench.pages", kind, "--db", str(db_path), "--n", str(n))


def page_bench(n: int, db_path: Path) -> dict:
    """Every step above for one size, each in a fresh process; plain figures for results.json."""
    built = _probe("build", db_path, n)
    found = _probe("search", db_path, n)
    timed = _probe("pages", db_path, n)
    theme = _probe("themes", db_path, n)
    grown = _probe("memory", db_path, n)
    warm = _probe("warmed", db_path, n)
    peak = max(found["peak_rss_mb"], timed["peak_rss_mb"], theme["peak_rss_mb"], grown["peak_rss_mb"])
    timed.pop("peak_rss_mb")
    errors = {name: p["errors"] for name, p in timed.items() if p["errors"]} | (
        {"themes": theme["errors"]} if theme["errors"] else {})
    return {"page_stories": built["stories"], "double_coded": built["double_coded"],
            "search_common_word": found["common"]["word"], "search_common_matches": found["common"]["matches"],
            "search_common_s": found["common"]["warm_s"], "search_common_cold_s": found["common"]["cold_s"],
            "search_rare_word": found["rare"]["word"], "search_rare_s": found["rare"]["warm_s"],
            "pages": {name: {k: round(v, 4) for k, v in p.items() if k != "errors"} for name, p in timed.items()},
            "page_cold_max_s": max(p["cold_s"] for p in timed.values()),
            "page_warm_max_s": max(p["warm_s"] for p in timed.values()),
            "page_cold_max_cpu_s": max(p["cold_cpu_s"] for p in timed.values()),
            "page_warm_max_cpu_s": max(p["warm_cpu_s"] for p in timed.values()),
            "themes": {k: v for k, v in theme.items() if k not in ("errors", "peak_rss_mb")},
            "themes_filter_s": max(theme["filter_1"]["s"], theme["filter_2"]["s"]),
            "themes_filter_cpu_s": max(theme["filter_1"]["cpu_s"], theme["filter_2"]["cpu_s"]),
            "themes_report_s": theme["view_report"]["s"], "themes_cold_s": theme["cold"]["s"],
            "themes_report_made_s": theme["report_made"]["s"], "themes_report_made_cpu_s": theme["report_made"]["cpu_s"],
            "rss_after_all_pages_mb": grown["rss_after_all_mb"], "rss_growth_per_visit_mb": grown["growth_per_visit_mb"],
            "rss_growth_mb": grown["growth_mb"], "visits": grown["visits"], "page_peak_rss_mb": peak,
            "page_errors": errors,
            "warm_up_s": warm["warm_up_s"], "warm_up_cpu_s": warm["warm_up_cpu_s"],
            "pages_cold_after_warm_up": {name: {k: round(v, 4) for k, v in warm[name].items() if k != "errors"}
                                         for name in WARMED_PAGES if name in warm}}


PAGE_ROWS = [  # key, label, test at 50,000, target
    ("search_common_s", "search, commonest word (s)", lambda v: v < 0.5, "< 0.5"),
    ("search_rare_s", "search, rare word (s)", lambda v: v < 0.5, "< 0.5"),
    ("page_cold_max_s", "slowest page, cold (s)", lambda v: v < 2, "< 2"),
    ("page_warm_max_s", "slowest page, warm (s)", lambda v: v < 1, "< 1"),
    ("page_cold_max_cpu_s", "slowest page, cold, CPU (s)", lambda v: v < 2, "< 2"),
    ("page_warm_max_cpu_s", "slowest page, warm, CPU (s)", lambda v: v < 1, "< 1"),
    ("themes_filter_s", "themes: a filter change (s)", lambda v: v < 1, "< 1"),
    ("themes_filter_cpu_s", "themes: a filter change, CPU (s)", lambda v: v < 1, "< 1"),
    ("themes_report_s", "themes: the report tab (s)", lambda v: v < 1, "< 1"),
    ("themes_report_made_s", "themes: make the report, bar (s)", None, "progress"),
    ("rss_growth_per_visit_mb", "server memory growth per visit (MB)", lambda v: v < 1, "flat"),
    ("rss_after_all_pages_mb", "server RSS after every page x10 (MB)", lambda v: v < 1024, "< 1024"),
]


def table(results: dict) -> str:
    """The page rows of the bench table: one column per size, the 50,000 column checked."""
    sizes = [s for s in results if "pages" in results[s]]
    lines = measure_lines(results, sizes, PAGE_ROWS, width=38, target_heading="target at 50,000", checked_size="50000")
    names = sorted({p for s in sizes for p in results[s]["pages"]})
    for name in names:
        cells = [f"{results[s]['pages'][name]['cold_s']:>5.2f}/{results[s]['pages'][name]['warm_s']:<4.2f}"
                 for s in sizes if name in results[s]["pages"]]
        lines.append(f"{'  page ' + name + ' cold/warm (s)':38} " + " ".join(f"{c:>10}" for c in cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("build", "search", "pages", "themes", "memory", "warmed"))
    parser.add_argument("--db", required=True)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--pages", default="", help="only these pages (comma-separated names), for `pages`")
    args = parser.parse_args(argv)
    path = Path(args.db)
    if args.kind == "build":
        result = build(path, args.n)
    elif args.kind == "search":
        result = search(path)
    elif args.kind == "pages":
        result = pages(path, [p for p in args.pages.split(",") if p])
    elif args.kind == "themes":
        result = themes(path)
    elif args.kind == "warmed":
        result = warmed(path)
    else:
        result = memory(path)
    result["peak_rss_mb"] = __import__("bench.probe", fromlist=["peak_rss_mb"]).peak_rss_mb()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
