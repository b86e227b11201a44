"""The bench's text tables: one row per measure, one column per corpus size, targets checked."""

from __future__ import annotations

from collections.abc import Callable, Sequence

Row = tuple[str, str, Callable[[float], bool] | None, str]  # key, label, test (None: not checked), target


def measure_lines(results: dict, sizes: Sequence[str], rows: Sequence[Row], *, width: int,
                  target_heading: str = "target", checked_size: str | None = None) -> list[str]:
    """The heading and one line per row: each size's value (`-` when not measured), marked `ok` when
    its test passes and `!!` when it fails (only in the `checked_size` column, if one is named)."""
    lines = [f"{'measure':{width}} " + " ".join(f"{s:>10}" for s in sizes) + f"  {target_heading}"]
    for key, label, test, target in rows:
        cells = []
        for size in sizes:
            value = results[size].get(key)
            if value is None:
                cells.append(f"{'-':>10}")
                continue
            failed = " !!" if checked_size in (None, size) else ""
            mark = "" if test is None else " ok" if test(value) else failed
            cells.append(f"{value:>7.3g}{mark:3}")
        lines.append(f"{label:{width}} " + " ".join(cells) + f"  {target}")
    return lines
