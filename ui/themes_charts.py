"""The themes page's charts drawn by the browser (Plotly, no mode bar): lines and grouped bars of
codes, the co-occurrence heatmap, the sentiment distribution and a young person's timeline.

Nothing is rendered on the server when a view opens (matplotlib is not even imported for it);
the same chart as a PNG (`coding.themes.charts`, which the DOCX report embeds too) is made only
when its download button is clicked, from plain values (never the rerun's connection). User text
(code names, groups, pseudonyms) goes to Plotly escaped: it reads a few HTML tags in text.
"""

from __future__ import annotations

import html

import numpy as np
import streamlit as st

from coding.themes import charts
from ui.page import lang, tr

HEIGHT = 420
BROWSER_POINTS = 1000  # sentiment points sent to the browser per group (a random sample of more)


def _escaped(texts) -> list[str]:
    """Labels for Plotly, which reads a few HTML tags in text: user text stays text."""
    return [html.escape(str(t)) for t in texts]


def _colour(colors, i: int) -> str:
    return (colors[i] if colors and i < len(colors) and colors[i] else
            charts.FALLBACK_COLORS[i % len(charts.FALLBACK_COLORS)])


def _show(fig, name: str, png, **layout) -> None:
    """The figure in the page (Danish number marks, no mode bar) and its PNG made on download."""
    from stories import formatting
    from ui.picture import PLOTLY_CONFIG

    fig.update_layout(margin={"t": 30}, separators=formatting.plotly_separators(lang()), **layout)
    st.plotly_chart(fig, config=PLOTLY_CONFIG, width="stretch", key=f"chart_{name}")
    st.download_button(tr("themes.download_png"), png, file_name=f"{name}.png", mime="image/png", key=f"png_{name}")


def series_block(kind: str, groups: list[str], series: dict[str, list[float]], name: str, *, axis: str,
                 colors: list[str]) -> None:
    """Lines over periods (`kind` "lines") or bars per group ("grouped_bars"), one trace per code."""
    if not groups or not series:
        st.info(tr("themes.no_chart"))
        return
    import plotly.graph_objects as go

    x = _escaped(groups)
    fig = go.Figure()
    for i, (label, values) in enumerate(zip(_escaped(series), series.values())):
        trace = go.Scatter(x=x, y=values, mode="lines+markers", name=label) if kind == "lines" else go.Bar(
            x=x, y=values, name=label)
        trace.marker.color = _colour(colors, i)
        if kind == "lines":
            trace.line.color = _colour(colors, i)
        fig.add_trace(trace)
    make = getattr(charts, f"{kind}_png")
    _show(fig, name, lambda: make(groups, series, ylabel=axis, colors=colors), height=HEIGHT,
          yaxis={"title": {"text": _escaped([axis])[0]}}, legend={"orientation": "h"}, barmode="group",
          xaxis={"type": "category"})


def heatmap_block(labels: list[str], counts: list[list[int]], name: str) -> None:
    """A square heatmap of counts (codes x codes), the count written in each cell, first label on top."""
    import plotly.graph_objects as go

    shown = _escaped(labels)
    positions = list(range(len(labels)))  # positions, not names: two codes may share a name
    fig = go.Figure(go.Heatmap(
        z=counts, x=positions, y=positions, colorscale="Blues", texttemplate="%{z:,}",  # "3.326" in Danish
        text=[[f"{shown[i]} · {shown[j]}" for j in positions] for i in positions],
        hovertemplate="%{text}: %{z:,}<extra></extra>", colorbar={"thickness": 12, "tickformat": ","}))
    axis = {"tickvals": positions, "ticktext": shown, "showgrid": False}
    _show(fig, name, lambda: charts.heatmap_png(labels, np.array(counts)), height=max(HEIGHT, 160 + 36 * len(labels)),
          xaxis={**axis, "tickangle": -45}, yaxis={**axis, "autorange": "reversed"})


def _box(values: np.ndarray) -> dict:
    """A box plot's figures as matplotlib draws them (`charts.distribution_png`): quartiles, and
    whiskers at the furthest values within 1.5 interquartile ranges."""
    q1, median, q3 = np.percentile(values, [25, 50, 75])
    reach = 1.5 * (q3 - q1)
    return {"q1": [q1], "median": [median], "q3": [q3], "lowerfence": [values[values >= q1 - reach].min()],
            "upperfence": [values[values <= q3 + reach].max()]}


def distribution_block(groups: dict[str, list[float]], name: str, *, axis: str) -> None:
    """A box per group with (a sample of) its values as jittered points: the figures of the boxes are
    computed here from every value, so the browser gets five numbers and at most BROWSER_POINTS points."""
    groups = {k: v for k, v in groups.items() if len(v)}
    if not groups:
        st.info(tr("themes.no_chart"))
        return
    import plotly.graph_objects as go

    rng = np.random.default_rng(3)
    fig = go.Figure()
    labels = _escaped(groups)
    for i, values in enumerate(groups.values()):
        values = np.asarray(values, dtype=np.float64)
        colour = _colour(None, i)
        fig.add_trace(go.Box(x=[i], **_box(values), name=labels[i], marker={"color": colour}, hoverinfo="skip",
                             fillcolor="rgba(0,0,0,0)", line={"color": "#333333"}))
        shown = values if len(values) <= BROWSER_POINTS else rng.choice(values, BROWSER_POINTS, replace=False)
        fig.add_trace(go.Scatter(x=i + rng.uniform(-0.15, 0.15, len(shown)), y=shown, mode="markers",
                                 marker={"size": 5, "opacity": 0.4, "color": colour}, name=labels[i],
                                 hovertemplate="%{y}<extra></extra>"))
    positions = list(range(len(labels)))
    _show(fig, name, lambda: charts.distribution_png(groups, ylabel=axis), height=HEIGHT, showlegend=False,
          xaxis={"tickvals": positions, "ticktext": labels, "zeroline": False},
          yaxis={"title": {"text": _escaped([axis])[0]}, "zeroline": True, "zerolinecolor": "grey"})


def timeline_block(days: list[str], rows: list[str], points: list[tuple[int, int, str]],
                   sentiment: list[float | None], name: str, *, title: str, axis: str) -> None:
    """A young person's stories in time: a marker per (story, code) on the code's row, over the
    stories' sentiment as a line (a gap where a story has too few words)."""
    if not days:
        st.info(tr("themes.no_chart"))
        return
    import plotly.graph_objects as go

    shown_days, shown_rows = _escaped(days), _escaped(rows)
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=[story for story, _, _ in points], y=[row for _, row, _ in points], mode="markers",
        marker={"size": 14, "color": [colour or _colour(None, row) for _, row, colour in points]},
        text=[f"{shown_days[story]} · {shown_rows[row]}" for story, row, _ in points],
        hovertemplate="%{text}<extra></extra>", yaxis="y2"))
    # One decimal, as the table under the chart shows it (the hover showed six: "7,920792").
    shown_sentiment = [None if s is None else round(s, 1) for s in sentiment]
    fig.add_trace(go.Scatter(x=list(range(len(days))), y=shown_sentiment, mode="lines+markers", connectgaps=False,
                             line={"color": "#264653"}, text=shown_days, hovertemplate="%{text}: %{y}<extra></extra>"))
    positions = list(range(len(days)))
    split = min(0.5, max(0.35, 2 / (len(rows) + 2)))  # the sentiment below it, a row per code above (as the PNG)
    _show(fig, name, lambda: charts.timeline_png(days, rows, points, sentiment, title=title, ylabel=axis),
          height=200 + 40 * max(1, len(rows)), showlegend=False,
          xaxis={"tickvals": positions, "ticktext": shown_days, "tickangle": -45, "range": [-0.5, len(days) - 0.5]},
          yaxis={"domain": [0, split - 0.06], "title": {"text": _escaped([axis])[0]}, "zeroline": True,
                 "zerolinecolor": "grey"},
          yaxis2={"domain": [split + 0.02, 1], "tickvals": list(range(len(rows))), "ticktext": shown_rows,
                  "range": [-0.6, max(0.6, len(rows) - 0.4)], "showgrid": False})
