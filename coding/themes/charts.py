"""Chart builders: plain data in, PNG bytes out (matplotlib's Agg backend; no pyplot state).

The themes page shows these PNGs and offers each one as a download; the report embeds
the same bytes. Titles and labels come in already translated.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping, Sequence

import numpy as np

# matplotlib's figure machinery loads in about a second: only when a chart is drawn, so a
# page showing just the word cloud (or browser-drawn charts) never waits for it.


def Figure(*args, **kwargs):  # noqa: N802 - stands in for matplotlib.figure.Figure
    from matplotlib.figure import Figure as MatplotlibFigure

    return MatplotlibFigure(*args, **kwargs)

DPI = 110
FALLBACK_COLORS = ("#E07A1F", "#2A9D8F", "#6D597A", "#E9C46A", "#264653", "#B5838D", "#8AB17D", "#457B9D")


def _png(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def _safe(values):
    """Labels are user text: a '$' must not switch matplotlib into math mode."""
    if isinstance(values, str):
        return values.replace("$", r"\$")
    return [_safe(v) for v in values]


def _color(colors: Sequence[str] | None, i: int) -> str:
    if colors and i < len(colors) and colors[i]:
        return colors[i]
    return FALLBACK_COLORS[i % len(FALLBACK_COLORS)]


def viridis_color(word=None, font_size=None, position=None, orientation=None, random_state=None, **kwargs) -> str:
    """The colour wordcloud's `colormap="viridis"` gives a word (the same draw, the same colour),
    without the matplotlib.pyplot that wordcloud's own colour function imports for it (a
    third of a second of a cold word cloud; `matplotlib.colormaps` alone is light)."""
    from random import Random

    r, g, b, _ = np.maximum(0, 255 * np.array(_viridis()((random_state or Random()).uniform(0, 1))))
    return "rgb({:.0f}, {:.0f}, {:.0f})".format(r, g, b)


@functools.cache
def _viridis():
    """The colour map, looked up once (matplotlib's registry hands out a fresh copy on every lookup:
    a tenth of a cloud's drawing when done per word)."""
    from matplotlib import colormaps

    return colormaps["viridis"]


WORDCLOUD_SCALE = 2  # words are placed on a grid this many times coarser than the image: 3x faster


def wordcloud_png(frequencies: Mapping[str, float], width: int = 900, height: int = 420) -> bytes | None:
    """A word cloud of lemma frequencies (None when there is no word)."""
    from wordcloud import WordCloud

    frequencies = {w: float(n) for w, n in frequencies.items() if n > 0}
    if not frequencies:
        return None
    cloud = WordCloud(width=width // WORDCLOUD_SCALE, height=height // WORDCLOUD_SCALE, scale=WORDCLOUD_SCALE,
                      background_color="white", color_func=viridis_color, prefer_horizontal=0.95, random_state=7,
                      max_words=len(frequencies))
    image = cloud.generate_from_frequencies(frequencies).to_image()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def bar_png(labels: Sequence[str], values: Sequence[float], *, title: str = "", xlabel: str = "",
            colors: Sequence[str] | None = None) -> bytes | None:
    """Horizontal bars, first label on top."""
    if not len(labels):
        return None
    fig = Figure(figsize=(7, 0.35 * len(labels) + 1.2))
    ax = fig.add_subplot()
    y = np.arange(len(labels))[::-1]
    ax.barh(y, values, color=[_color(colors, i) for i in range(len(labels))])
    ax.set_yticks(y, _safe(labels))
    ax.set_xlabel(xlabel)
    ax.set_title(_safe(title))
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def lines_png(periods: Sequence[str], series: Mapping[str, Sequence[float]], *, title: str = "", ylabel: str = "",
              colors: Sequence[str] | None = None) -> bytes | None:
    """One line per series over the periods (e.g. a code's share of stories per month)."""
    if not len(periods) or not series:
        return None
    fig = Figure(figsize=(8, 4))
    ax = fig.add_subplot()
    x = np.arange(len(periods))
    for i, (name, values) in enumerate(series.items()):
        ax.plot(x, values, marker="o", label=_safe(name), color=_color(colors, i))
    step = max(1, len(periods) // 12)
    ax.set_xticks(x[::step], _safe([periods[i] for i in range(0, len(periods), step)]), rotation=45, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(_safe(title))
    ax.legend(loc="best", fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def grouped_bars_png(groups: Sequence[str], series: Mapping[str, Sequence[float]], *, title: str = "",
                     ylabel: str = "", colors: Sequence[str] | None = None) -> bytes | None:
    """Bars per group, one bar per series (e.g. codes by site)."""
    if not len(groups) or not series:
        return None
    fig = Figure(figsize=(max(6, 0.9 * len(groups) * max(1, len(series)) / 2 + 2), 4))
    ax = fig.add_subplot()
    x = np.arange(len(groups))
    width = 0.8 / len(series)
    for i, (name, values) in enumerate(series.items()):
        ax.bar(x + i * width - 0.4 + width / 2, values, width, label=_safe(name), color=_color(colors, i))
    ax.set_xticks(x, _safe(groups), rotation=30 if len(groups) > 4 else 0, ha="right" if len(groups) > 4 else "center")
    ax.set_ylabel(ylabel)
    ax.set_title(_safe(title))
    ax.legend(loc="best", fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def heatmap_png(labels: Sequence[str], matrix: np.ndarray, *, title: str = "") -> bytes | None:
    """A labelled square heatmap with the count in each cell."""
    if not len(labels):
        return None
    size = max(4.0, 0.7 * len(labels) + 2)
    fig = Figure(figsize=(size + 1, size))
    ax = fig.add_subplot()
    image = ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), _safe(labels), rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), _safe(labels))
    high = matrix.max() if matrix.size else 0
    for i in range(len(labels)):
        for j in range(len(labels)):
            value = int(matrix[i, j])
            ax.text(j, i, str(value), ha="center", va="center", fontsize="small",
                    color="white" if high and value > 0.6 * high else "black")
    fig.colorbar(image, ax=ax, shrink=0.8)
    ax.set_title(_safe(title))
    return _png(fig)


def distribution_png(groups: Mapping[str, Sequence[float]], *, title: str = "", ylabel: str = "") -> bytes | None:
    """Box plots, one per group, with the points jittered on top."""
    groups = {k: list(v) for k, v in groups.items() if len(v)}
    if not groups:
        return None
    fig = Figure(figsize=(max(5, 1.1 * len(groups) + 2), 4))
    ax = fig.add_subplot()
    names = list(groups)
    ax.boxplot([groups[n] for n in names], showfliers=False)
    rng = np.random.default_rng(3)
    for i, name in enumerate(names, start=1):
        values = np.asarray(groups[name])
        shown = values if len(values) <= 2000 else rng.choice(values, 2000, replace=False)
        ax.scatter(i + rng.uniform(-0.15, 0.15, len(shown)), shown, s=8, alpha=0.4, color=_color(None, i - 1))
    ax.set_xticks(range(1, len(names) + 1), _safe(names), rotation=30 if len(names) > 4 else 0)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_ylabel(ylabel)
    ax.set_title(_safe(title))
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def timeline_png(days: Sequence[str], rows: Sequence[str], points: Sequence[tuple[int, int, str]],
                 sentiment: Sequence[float | None], *, title: str = "", ylabel: str = "") -> bytes | None:
    """A young person's stories in time: one marker per (story, code) on the code's row,
    with the stories' sentiment as a line underneath."""
    if not len(days):
        return None
    fig = Figure(figsize=(8, 2.2 + 0.45 * max(1, len(rows))))
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [max(1, len(rows)), 2]})
    x = np.arange(len(days))
    for story, row, color in points:
        top.scatter(story, row, s=90, color=color or _color(None, row), zorder=3)
    top.set_yticks(range(len(rows)), _safe(rows))
    top.set_ylim(-0.6, max(0.6, len(rows) - 0.4))
    top.grid(axis="x", alpha=0.3)
    top.set_title(_safe(title))
    values = [np.nan if v is None else v for v in sentiment]
    bottom.plot(x, values, marker="o", color="#264653")
    bottom.axhline(0, color="grey", linewidth=0.8)
    bottom.set_ylabel(ylabel)
    bottom.set_xticks(x, _safe(days), rotation=45, ha="right")
    for ax in (top, bottom):
        ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
