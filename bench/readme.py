"""README's bench tables from `bench/results.json`: `python -m bench.readme [PATH]`.

Prints the three Markdown tables of README's "Benchmark" section (the import and summary
table, the pages table, the exports and import table) and the run's load averages, so that
README shows one run's figures exactly as `make bench` wrote them. Targets are checked on the
50,000 column as `bench.run`, `bench.pages` and `bench.transfer` check them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SIZES = ("1000", "10000", "50000")


def _num(value, digits: int = 2) -> str:
    if value is None:
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def _wc(wall, cpu, digits: int = 2) -> str:
    """Wall seconds with CPU seconds in brackets."""
    if wall is None:
        return "–"
    return f"{_num(wall, digits)} ({_num(cpu, digits)})" if cpu is not None else _num(wall, digits)


def _mark(ok: bool | None) -> str:
    return "" if ok is None else " ✓" if ok else " ✗"


def _row(label: str, cells: list[str], target: str) -> str:
    return "| " + " | ".join([label, *cells, target]) + " |"


def _sizes(results: dict) -> list[str]:
    return [s for s in SIZES if s in results]


def import_table(results: dict) -> list[str]:
    sizes = _sizes(results)
    big = results.get("50000", {})
    lines = ["| measure | " + " | ".join(f"{int(s):,}" for s in sizes) + " | target at 50,000 |",
             "|---|" + "---|" * len(sizes) + "---|"]

    def get(key, size):
        return results[size].get(key)

    rows = [
        ("bare `nlp.pipe`, CPU ms per story", "nlp_pipe_cpu_ms", None, "(the ceiling)"),
        ("import with full-text and NLP index, CPU ms per story (its NLP worker's included)", "import_cpu_ms", None, ""),
        ("the same import without the NLP index, CPU ms per story", "import_without_nlp_cpu_ms", None, ""),
        ("import ÷ `nlp.pipe`, stories per second (wall)", "import_ratio", lambda v: v >= 0.7, "≥ 0.7"),
        ("import ÷ `nlp.pipe` (CPU time)", "import_ratio_cpu", None, ""),
        ("NLP index alone ÷ `nlp.pipe` (CPU time)", "index_ratio_cpu", None, ""),
        ("longest write-lock hold of that import (s, wall)", "import_longest_lock_s", None, ""),
        ("theme summary, warm (s)", "summary_warm_s", lambda v: v < 0.3, "< 0.3"),
        ("saving one story with its NLP, p95 (ms)", "save_p95_ms", lambda v: v < 100, "< 100"),
        ("peak memory of the process (MB)", "peak_rss_mb", lambda v: v < 1024, "< 1,024"),
    ]
    for label, key, test, target in rows:
        cells = [_num(get(key, s), 4 if key == "summary_warm_s" else 2) for s in sizes]
        value = big.get(key)
        lines.append(_row(label, cells, target + (_mark(test(value)) if test and value is not None else "")))
    cold = [_wc(get("summary_cold_s", s), get("summary_cold_cpu_s", s)) for s in sizes]
    value = big.get("summary_cold_s")
    lines.insert(9, _row("theme summary, cold: wall (CPU)", cold,
                         "< 2 s" + (_mark(value < 2) if value is not None else "")))
    return lines


def pages_table(results: dict) -> list[str]:
    sizes = _sizes(results)
    big = results.get("50000", {})
    lines = ["| measure, seconds wall (CPU) | " + " | ".join(f"{int(s):,}" for s in sizes) + " | target at 50,000 |",
             "|---|" + "---|" * len(sizes) + "---|"]

    def page(size, name, kind):
        p = results[size].get("pages", {}).get(name)
        return (p[f"{kind}_s"], p[f"{kind}_cpu_s"]) if p else (None, None)

    def slowest(size, kind):
        pages = results[size].get("pages", {})
        if not pages:
            return None, None, ""
        name = max(pages, key=lambda n: pages[n][f"{kind}_s"])
        return pages[name][f"{kind}_s"], pages[name][f"{kind}_cpu_s"], name

    word = big.get("search_common_word", "")
    lines.append(_row(f"search, commonest word (\"{word}\", {big.get('search_common_matches', 0):,} matches):"
                      " count + first page", [_num(results[s].get("search_common_s"), 3) for s in sizes],
                      "< 0.5" + _mark(big.get("search_common_s", 9) < 0.5)))
    lines.append(_row("search, a rare word", [_num(results[s].get("search_rare_s"), 4) for s in sizes],
                      "< 0.5" + _mark(big.get("search_rare_s", 9) < 0.5)))
    for kind, limit in (("warm", 1), ("cold", 2)):
        cells = []
        for s in sizes:
            wall, cpu, name = slowest(s, kind)
            cells.append(_wc(wall, cpu) + (f" {name}" if name else ""))
        wall, cpu, _ = slowest("50000", kind) if "50000" in results else (None, None, "")
        target = f"< {limit}"
        if wall is not None:
            target += f": wall{_mark(wall < limit)}, CPU{_mark(cpu < limit)}"
        lines.append(_row(f"slowest page, {kind}", cells, target))
    for name in ("agreement", "code", "themes", "browse", "codebook", "patterns", "msc_monitor"):
        for kind in ("warm", "cold"):
            lines.append(_row(f"{name} page, {kind}", [_wc(*page(s, name, kind)) for s in sizes], ""))
    for name in ("code",):
        cells = []
        for s in sizes:
            p = results[s].get("pages_cold_after_warm_up", {}).get(name)
            cells.append(_wc(p["cold_s"], p["cold_cpu_s"]) if p else "–")
        lines.append(_row(f"{name} page, cold after the server's warm-up", cells, ""))
    lines.append(_row("the server's warm-up itself (on its own thread at start)",
                      [_wc(results[s].get("warm_up_s"), results[s].get("warm_up_cpu_s")) for s in sizes], ""))
    themes = [results[s].get("themes", {}) for s in sizes]

    def theme_cell(t, key):
        return _wc(t.get(key, {}).get("s"), t.get(key, {}).get("cpu_s")) if t.get(key) else "–"

    t50 = big.get("themes", {})
    lines.append(_row("themes page, cold, alone in a fresh process", [theme_cell(t, "cold") for t in themes],
                      "< 2" + (_mark(t50["cold"]["s"] < 2) if t50.get("cold") else "")))
    filters = [_wc(results[s].get("themes_filter_s"), results[s].get("themes_filter_cpu_s")) for s in sizes]
    lines.append(_row("themes: a filter change", filters, "< 1" + _mark(big.get("themes_filter_s", 9) < 1)))
    lines.append(_row("themes: the report tab", [theme_cell(t, "view_report") for t in themes],
                      "< 1" + _mark(big.get("themes_report_s", 9) < 1)))
    codes50 = t50.get("view_codes", {}).get("s")
    lines.append(_row("themes: the first switch to the code view", [theme_cell(t, "view_codes") for t in themes],
                      "< 1" + (_mark(codes50 < 1) if codes50 is not None else "")))
    lines.append(_row("themes: \"Lav rapport\", made with a progress bar", [theme_cell(t, "report_made") for t in themes],
                      "(progress shown)"))
    lines.append(_row("server memory growth per page visit (MB)",
                      [_num(results[s].get("rss_growth_per_visit_mb")) for s in sizes],
                      "flat" + _mark(big.get("rss_growth_per_visit_mb", 9) < 1)))
    lines.append(_row("server RSS after visiting every page 10 times (MB)",
                      [_num(results[s].get("rss_after_all_pages_mb")) for s in sizes],
                      "< 1,024" + _mark(big.get("rss_after_all_pages_mb", 9999) < 1024)))
    return lines


def transfer_table(results: dict) -> list[str]:
    big = results.get("50000", {})
    lines = ["| at 50,000 stories | time (s, wall) | peak memory (MB) | file (MB) | target |", "|---|---|---|---|---|"]
    for fmt in ("csv", "xlsx", "json", "qdpx"):
        rss = big.get(f"export_{fmt}_rss_mb")
        lines.append(_row(f"`export --format {fmt}`", [_num(big.get(f"export_{fmt}_s"), 1), _num(rss, 0),
                                                       _num(big.get(f"export_{fmt}_file_mb"), 0)],
                          "< 1 GB" + (_mark(rss < 1024) if rss is not None else "")))
    rss = big.get("import_file_rss_mb")
    lines.append(_row("`import` of the 50,000-row CSV (read, check, index, write)",
                      [_num(big.get("import_file_s"), 1), _num(rss, 0), ""],
                      "< 1 GB" + (_mark(rss < 1024) if rss is not None else "")))
    lines.append(_row("longest write-lock hold of that import", [_num(big.get("import_file_longest_lock_s")), "", ""], ""))
    return lines


def loads(results: dict) -> list[str]:
    return [f"- {int(s):,}: load average (1, 5, 15 min) " + ", ".join(
        f"{step} {'/'.join(str(x) for x in values)}" for step, values in results[s].get("load_avg", {}).items())
        for s in _sizes(results)]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    results = json.loads(Path(argv[0] if argv else "bench/results.json").read_text(encoding="utf-8"))
    for lines in (import_table(results), pages_table(results), transfer_table(results), loads(results)):
        print("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
