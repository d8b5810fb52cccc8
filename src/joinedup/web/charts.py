"""Charts drawn on the server as SVG, from plain numbers (no database, no JavaScript).

    bar_chart()        one horizontal bar per row (overdue requests, briefing reach)
    small_multiples()  one row of small bars per series, one bar per period (alerts by month)
    delay_chart()      per row a bar to the median and a line to the 90th percentile
    stacked_bars()     per row one bar split into parts (a review's steps against its clock)

Every chart is an ``<svg role="img">`` labelled by its ``<title>`` and ``<desc>``, coloured
with presentation attributes (``fill="..."``; the Content Security Policy forbids ``style``),
and well-formed XML, so the same markup can go into a PDF. Colour never carries meaning on
its own: bars are labelled with their numbers, parts are named in a legend, and every page
puts the same numbers in a table beside the chart.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

BLUE = "#1d70b8"
DARK_BLUE = "#003078"
LIGHT_BLUE = "#5694ca"
GREEN = "#00703c"
RED = "#d4351c"
GREY = "#505a5f"
LINE = "#b1b4b6"
TEXT = "#0b0c0c"

FONT = 14
CHAR_WIDTH = 8.4
"""About how wide one character of a 14px sans-serif font is at most on average (Arial is
narrower, DejaVu Sans wider), to leave room for labels."""
ROW = 30
LINE_HEIGHT = 16
"""The height of each further line of a label that wraps."""
LABEL_LIMIT = 34
"""The characters on one line of a row's label; a longer label wraps onto more lines (the
row grows), so no label is ever cut short."""


@dataclass(frozen=True)
class Part:
    """One part of a stacked bar: its key in each row's counts, its name and its colour."""

    key: str
    label: str
    colour: str


def _n(value: float) -> str:
    """A number as it reads on a chart: whole numbers without decimals, thousands with commas."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _lines(text: str) -> list[str]:
    """A label in full, wrapped at word breaks onto lines of at most LABEL_LIMIT characters."""
    return textwrap.wrap(text, LABEL_LIMIT) or [""]


def _label_width(labels: Sequence[str]) -> int:
    longest = max((len(line) for t in labels for line in _lines(t)), default=0)
    return int(min(LABEL_LIMIT, max(longest, 6)) * CHAR_WIDTH) + 12


def _rows(labels: Sequence[str], header: float = 0) -> tuple[list[tuple[float, list[str]]],
                                                            float]:
    """Where each row goes: the y its bar is drawn from (as for a one-line row, moved down
    to the middle of a wrapped label's lines) with the label's lines; and the y below the
    last row."""
    placed: list[tuple[float, list[str]]] = []
    y = header
    for label in labels:
        lines = _lines(label)
        extra = (len(lines) - 1) * LINE_HEIGHT
        placed.append((y + extra / 2, lines))
        y += ROW + extra
    return placed, y


def _row_label(x: float, y: float, lines: list[str]) -> str:
    """A row's label, right-aligned to ``x``, its lines centred on the baseline ``y``."""
    if len(lines) == 1:
        return _text(x, y, lines[0], anchor="end")
    first = y - (len(lines) - 1) * LINE_HEIGHT / 2
    spans = "".join(f'<tspan x="{x:.1f}" y="{first + i * LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return f'<text text-anchor="end" fill="{TEXT}">{spans}</text>'


def _text(x: float, y: float, content: str, *, anchor: str = "start", bold: bool = False,
          fill: str = TEXT) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"'
            f'{weight}>{escape(content)}</text>')


def _svg(chart_id: str, title: str, description: str, width: float, height: float,
         body: list[str]) -> Markup:
    chart_id = str(escape(chart_id))
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="jup-chart" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" width="{width:.0f}" '
            f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'font-family="arial, sans-serif" font-size="{FONT}">'
            f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(description)}</desc>')
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every text in it went through escape(); the rest are numbers and our colours


def _empty(chart_id: str, title: str, description: str, message: str) -> Markup:
    return _svg(chart_id, title, description, 420, 40, [_text(0, 24, message)])


def bar_chart(chart_id: str, title: str, description: str,
              rows: Sequence[tuple[str, float]], *, colour: str = BLUE,
              empty: str = "Nothing to show.") -> Markup:
    """One horizontal bar per (label, value), each labelled with its value."""
    if not rows or not any(v for _, v in rows):
        return _empty(chart_id, title, description, empty)
    label_w = _label_width([label for label, _ in rows])
    bar_w = 360
    top = max(v for _, v in rows) or 1
    body: list[str] = []
    placed, bottom = _rows([label for label, _ in rows])
    for (y, lines), (_, value) in zip(placed, rows, strict=True):
        length = bar_w * value / top
        body.append(_row_label(label_w - 8, y + 19, lines))
        body.append(f'<rect x="{label_w}" y="{y + 5}" width="{length:.1f}" height="20" '
                    f'fill="{colour}"/>')
        body.append(_text(label_w + length + 6, y + 19, _n(value)))
    body.append(f'<line x1="{label_w}" y1="0" x2="{label_w}" y2="{bottom:.0f}" '
                f'stroke="{TEXT}" stroke-width="1"/>')
    return _svg(chart_id, title, description, label_w + bar_w + 70, bottom + 4, body)


def small_multiples(chart_id: str, title: str, description: str, columns: Sequence[str],
                    rows: Sequence[tuple[str, Sequence[float]]], *,
                    empty: str = "Nothing to show.") -> Markup:
    """A row of bars per series (one bar per column, e.g. per month) on one shared scale,
    with the series' total at the end of its row."""
    if not rows or not any(sum(values) for _, values in rows):
        return _empty(chart_id, title, description, empty)
    label_w = _label_width([label for label, _ in rows])
    slot = 32
    panel = slot * len(columns)
    header = 22
    top = max(max(values) for _, values in rows) or 1
    body = [_text(label_w + i * slot + slot / 2, 15, column, anchor="middle")
            for i, column in enumerate(columns)]
    body.append(_text(label_w + panel + 10, 15, "Total", bold=True))
    placed, bottom = _rows([label for label, _ in rows], header)
    for (y, lines), (_, values) in zip(placed, rows, strict=True):
        body.append(_row_label(label_w - 8, y + 20, lines))
        body.append(f'<line x1="{label_w}" y1="{y + 25}" x2="{label_w + panel}" y2="{y + 25}" '
                    f'stroke="{LINE}" stroke-width="1"/>')
        for i, value in enumerate(values):
            if not value:
                continue
            height = max(2.0, 22 * value / top)
            body.append(f'<rect x="{label_w + i * slot + 4}" y="{y + 25 - height:.1f}" '
                        f'width="{slot - 8}" height="{height:.1f}" fill="{BLUE}"/>')
        body.append(_text(label_w + panel + 10, y + 20, _n(sum(values)), bold=True))
    return _svg(chart_id, title, description, label_w + panel + 70, bottom + 6, body)


def delay_chart(chart_id: str, title: str, description: str,
                rows: Sequence[tuple[str, float, float]], *,
                empty: str = "Nothing to show.") -> Markup:
    """Per (label, median, 90th percentile): a thick bar to the median and a thin line with
    an end mark to the 90th percentile, both written out in words at the end."""
    if not rows:
        return _empty(chart_id, title, description, empty)
    label_w = _label_width([label for label, _, _ in rows])
    bar_w = 300
    top = max(max(p90 for _, _, p90 in rows), 1)
    header = 24
    body = [
        f'<rect x="{label_w}" y="4" width="18" height="10" fill="{DARK_BLUE}"/>',
        _text(label_w + 24, 14, "median"),
        f'<line x1="{label_w + 90}" y1="9" x2="{label_w + 120}" y2="9" stroke="{LIGHT_BLUE}" '
        f'stroke-width="4"/>',
        _text(label_w + 126, 14, "90th percentile"),
    ]
    placed, bottom = _rows([label for label, _, _ in rows], header)
    for (y, lines), (_, median, p90) in zip(placed, rows, strict=True):
        to_median = bar_w * max(median, 0) / top
        to_p90 = bar_w * max(p90, 0) / top
        body.append(_row_label(label_w - 8, y + 19, lines))
        body.append(f'<line x1="{label_w}" y1="{y + 15}" x2="{label_w + to_p90:.1f}" '
                    f'y2="{y + 15}" stroke="{LIGHT_BLUE}" stroke-width="4"/>')
        body.append(f'<line x1="{label_w + to_p90:.1f}" y1="{y + 7}" '
                    f'x2="{label_w + to_p90:.1f}" y2="{y + 23}" stroke="{LIGHT_BLUE}" '
                    f'stroke-width="3"/>')
        body.append(f'<rect x="{label_w}" y="{y + 9}" width="{max(to_median, 2):.1f}" '
                    f'height="12" fill="{DARK_BLUE}"/>')
        unit = "working day" if p90 == 1 else "working days"
        body.append(_text(label_w + to_p90 + 8, y + 19,
                          f"median {_n(median)}, 90% within {_n(p90)} {unit}"))
    body.append(f'<line x1="{label_w}" y1="{header}" x2="{label_w}" '
                f'y2="{bottom:.0f}" stroke="{TEXT}" stroke-width="1"/>')
    return _svg(chart_id, title, description, label_w + bar_w + 270, bottom + 4, body)


def stacked_bars(chart_id: str, title: str, description: str, parts: Sequence[Part],
                 rows: Sequence[tuple[str, dict[str, int]]], *,
                 empty: str = "Nothing to show.") -> Markup:
    """Per (label, counts by part key) one bar split into the parts, in the order given,
    separated by white gaps, with each part's count written in it when it fits; a legend
    names the parts."""
    if not rows or not any(sum(counts.values()) for _, counts in rows):
        return _empty(chart_id, title, description, empty)
    label_w = _label_width([label for label, _ in rows])
    bar_w = 360
    top = max(sum(counts.get(p.key, 0) for p in parts) for _, counts in rows) or 1
    legend: list[str] = []
    x = float(label_w)
    for part in parts:
        legend.append(f'<rect x="{x:.1f}" y="4" width="14" height="14" fill="{part.colour}"/>')
        legend.append(_text(x + 20, 16, part.label))
        x += 20 + len(part.label) * CHAR_WIDTH + 18
    header = 28
    body = legend
    placed, bottom = _rows([label for label, _ in rows], header)
    for (y, lines), (_, counts) in zip(placed, rows, strict=True):
        body.append(_row_label(label_w - 8, y + 19, lines))
        left = float(label_w)
        for part in parts:
            value = counts.get(part.key, 0)
            if not value:
                continue
            width = bar_w * value / top
            body.append(f'<rect x="{left:.1f}" y="{y + 4}" width="{width:.1f}" height="22" '
                        f'fill="{part.colour}" stroke="#ffffff" stroke-width="2"/>')
            if width >= 18:
                body.append(_text(left + width / 2, y + 20, _n(value), anchor="middle",
                                  fill="#ffffff", bold=True))
            left += width
        body.append(_text(left + 6, y + 20, _n(sum(counts.get(p.key, 0) for p in parts))))
    return _svg(chart_id, title, description, max(label_w + bar_w + 60, x), bottom + 4,
                body)
