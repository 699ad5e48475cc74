"""Inline SVG charts for the HTML report: horizontal bars and lines over periods.

Each chart is an `<svg data-chart=…>`; each bar or point carries `data-label` and `data-value` (a share
0–1 with four decimals, or a count) so that a reader — or a test — gets the numbers back from the DOM.
"""
from __future__ import annotations

from html import escape

from ..invisible import escape_hidden

WIDTH, LABEL, ROW = 640, 210, 18
BAR = WIDTH - LABEL - 70  # room for the value after the bar
COLOURS = ["#2f6db5", "#c0392b", "#27864a", "#b7791f", "#7d4cb3", "#1f8a8a", "#a33f7a", "#5a6b7b"]


def e(text) -> str:
    """HTML-escaped text; a hidden character (bidi control, zero-width) shows as `<U+202E>`."""
    return escape(escape_hidden(str(text)), quote=True)


def number(value: float | int | None) -> str:
    """The data-value text: counts as integers, shares with four decimals, '' for none."""
    if value is None:
        return ""
    return str(value) if isinstance(value, int) else f"{value:.4f}"


def bars(chart: str, title: str, items: list[tuple], top: float | int = 1.0, css: str = "bar") -> str:
    """One row per (label, value, shown text[, extra class]); bar length is value ÷ top; None draws no bar."""
    height = ROW * len(items) + 6
    rows = []
    for i, (label, value, shown, *extra) in enumerate(items):
        y = 3 + i * ROW
        length = 0 if value is None or not top else max(0.0, min(1.0, value / top)) * BAR
        short = label if len(label) <= 22 else label[:21] + "…"
        rows.append(
            f'<g class="{" ".join([css, *extra])}" data-label="{e(label)}" data-value="{number(value)}"><title>{e(label)}: {e(shown)}</title>'
            f'<text x="{LABEL - 6}" y="{y + 13}" text-anchor="end">{e(short)}</text>'
            f'<rect x="{LABEL}" y="{y + 2}" width="{length:.1f}" height="{ROW - 5}"></rect>'
            f'<text x="{LABEL + length + 4:.1f}" y="{y + 13}">{e(shown)}</text></g>')
    return (f'<figure class="chart"><figcaption>{e(title)}</figcaption>'
            f'<div class="scroll"><svg data-chart="{e(chart)}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
            f'height="{height}" role="img" aria-label="{e(title)}">' + "".join(rows) + "</svg></div></figure>")


def lines(chart: str, title: str, periods: list[str], series: list[tuple[str, list[float | None]]]) -> str:
    """Shares (0–1) over periods, one polyline per (label, values) with a point per known value, and a legend."""
    height, left, right, top, bottom = 220, 44, WIDTH - 16, 12, 190
    step = (right - left) / max(1, len(periods) - 1)
    x = [left + i * step for i in range(len(periods))]
    out = [f'<line class="axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"></line>']
    for share in (0, 0.5, 1):
        y = bottom - share * (bottom - top)
        out.append(f'<text class="tick" x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{share * 100:.0f} %</text>')
    for i, p in enumerate(periods):
        out.append(f'<text class="tick" x="{x[i]:.1f}" y="{bottom + 16}" text-anchor="middle">{e(p)}</text>')
    legend = []
    for n, (label, values) in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        points = [(x[i], bottom - v * (bottom - top), v) for i, v in enumerate(values) if v is not None]
        out.append(f'<g class="series" data-label="{e(label)}" data-values="{",".join(number(v) for v in values)}" '
                   f'stroke="{colour}" fill="{colour}"><title>{e(label)}</title>'
                   f'<polyline fill="none" points="{" ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)}"></polyline>'
                   + "".join(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" data-value="{number(v)}"></circle>'
                             for px, py, v in points) + "</g>")
        legend.append(f'<li><span class="swatch" style="background:{colour}"></span>{e(label)}</li>')
    return (f'<figure class="chart"><figcaption>{e(title)}</figcaption>'
            f'<svg data-chart="{e(chart)}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'role="img" aria-label="{e(title)}">' + "".join(out) + f'</svg><ul class="legend">{"".join(legend)}</ul>'
            "</figure>")
