"""The per-agency swimlane: one lane per agency, each event a mark along a shared time axis.

A review asks "who knew what, and when?": laid out by agency, a chronology shows at a glance
which agencies were busy with the family at the same time and which fell silent. Every event
is drawn the same way whatever it was (the injury is not singled out: the picture shows
what each agency saw, not what we now know); concern events are drawn as diamonds and the
others as circles, so the difference does not rest on colour alone.

Drawn on the server as SVG with presentation attributes only (no ``style``), so the page
needs no script and the strict Content Security Policy holds, and the same drawing goes
into the printed chronology (WeasyPrint renders it). It carries ``<title>`` and ``<desc>``
for screen readers; the numbers are in :attr:`Swimlane.counts`, for the table shown beside
it. Pure: entries in, text out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from joinedup.chronology.assembly import Chronology, Entry
from joinedup.chronology.dates import MONTHS, long_date

WIDTH = 960
LABEL_WIDTH = 150
RIGHT_MARGIN = 16
AXIS_HEIGHT = 34
LANE_HEIGHT = 34
LEGEND_HEIGHT = 30
FONT = 'font-family="Arial, Helvetica, sans-serif"'
TEXT = "#0b0c0c"
MARK = "#1d70b8"
CONCERN = "#942514"
TICK = "#b1b4b6"
LANE_FILLS = ("#f3f2f1", "#ffffff")


@dataclass
class Swimlane:
    """The drawing and its numbers. ``buckets`` are the first days of the months (or years,
    for a period longer than two years) counted in ``counts`` (agency -> one count per
    bucket)."""

    svg: str
    start: dt.date
    end: dt.date
    lanes: list[str]
    bucket: str  # "month" or "year"
    buckets: list[dt.date]
    counts: dict[str, list[int]] = field(default_factory=dict)
    concerns: dict[str, int] = field(default_factory=dict)
    outside: int = 0  # entries of the chronology outside the period, not drawn

    def bucket_label(self, day: dt.date) -> str:
        """"Feb 2024" (a month) or "2024" (a year), short enough for a table's heading."""
        return str(day.year) if self.bucket == "year" \
            else f"{MONTHS[day.month - 1][:3]} {day.year}"


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month from start's month to end's month."""
    months = []
    day = start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day.replace(year=day.year + 1, month=1) if day.month == 12
               else day.replace(month=day.month + 1))
    return months


def period_of(entries: Sequence[Entry]) -> tuple[dt.date, dt.date] | None:
    """First to last event day of the entries; None when there are none."""
    if not entries:
        return None
    return min(e.occurred_on for e in entries), max(e.occurred_on for e in entries)


Link = Callable[[Entry], str]
"""The address a mark leads to (the entry in the chronology), or none for print."""


def draw(chronology: Chronology, start: dt.date | None = None, end: dt.date | None = None,
         *, id_prefix: str = "swimlane", link: Link | None = None) -> Swimlane:
    """The swimlane of the chronology's entries from ``start`` to ``end`` (both included;
    by default its first and last events). ``id_prefix`` keeps the ids of the title and
    description unique on a page; with ``link``, each mark is a link to its entry."""
    whole = period_of(chronology.entries)
    first = start or (whole[0] if whole else dt.date.today())
    last = end or (whole[1] if whole else first)
    if last < first:
        first, last = last, first
    drawn = [e for e in chronology.entries if first <= e.occurred_on <= last]
    lanes = sorted({e.agency for e in drawn})
    months = _months(first, last)
    bucket = "month" if len(months) <= 24 else "year"
    buckets = months if bucket == "month" else sorted({m.replace(month=1) for m in months})
    index = {b: i for i, b in enumerate(buckets)}
    counts = {agency: [0] * len(buckets) for agency in lanes}
    concerns = dict.fromkeys(lanes, 0)
    for e in drawn:
        key = e.occurred_on.replace(day=1) if bucket == "month" \
            else e.occurred_on.replace(month=1, day=1)
        counts[e.agency][index[key]] += 1
        if e.significance == "concern":
            concerns[e.agency] += 1
    svg = _svg(drawn, lanes, months, first, last, chronology.agency_names, counts, concerns,
               id_prefix, link)
    return Swimlane(svg, first, last, lanes, bucket, buckets, counts, concerns,
                    len(chronology.entries) - len(drawn))


def _svg(entries: Sequence[Entry], lanes: list[str], months: list[dt.date], first: dt.date,
         last: dt.date, names: Mapping[str, str], counts: Mapping[str, list[int]],
         concerns: Mapping[str, int], prefix: str, link: Link | None = None) -> str:
    height = AXIS_HEIGHT + LANE_HEIGHT * max(len(lanes), 1) + LEGEND_HEIGHT
    plot = WIDTH - LABEL_WIDTH - RIGHT_MARGIN
    days = (last - first).days + 1

    def x(day: dt.date) -> float:
        return round(LABEL_WIDTH + ((day - first).days + 0.5) / days * plot, 1)

    title = f"Events by agency, {long_date(first)} to {long_date(last)}"
    desc = (f"One lane for each of {len(lanes)} agencies; each event is a mark on the day it "
            "happened: a diamond for a concern event, a circle for any other. The numbers "
            "are in the table that follows.") if lanes else "No events in this period."
    role = "group" if link else "img"  # an image may not hold links; a picture of links is a group
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="jup-swimlane" role="{role}" '
           f'aria-labelledby="{prefix}-title {prefix}-desc" width="{WIDTH}" height="{height}" '
           f'viewBox="0 0 {WIDTH} {height}">',
           f'<title id="{prefix}-title">{escape(title)}</title>',
           f'<desc id="{prefix}-desc">{escape(desc)}</desc>']
    bottom = AXIS_HEIGHT + LANE_HEIGHT * max(len(lanes), 1)
    for n, agency in enumerate(lanes):
        top = AXIS_HEIGHT + n * LANE_HEIGHT
        middle = top + LANE_HEIGHT / 2
        name = names.get(agency, "")
        total = sum(counts[agency])
        label = f"{agency}" + (f" ({name})" if name else "") + \
            f": {total} event{'s' if total != 1 else ''}, {concerns[agency]} of concern"
        out.append(f'<g class="jup-swimlane__lane"><title>{escape(label)}</title>'
                   f'<rect x="0" y="{top}" width="{WIDTH}" height="{LANE_HEIGHT}" '
                   f'fill="{LANE_FILLS[n % 2]}"/>'
                   f'{_lane_label(name or agency, middle)}</g>')
    out.append(_ticks(months, x, bottom, first))
    for n, agency in enumerate(lanes):
        middle = AXIS_HEIGHT + n * LANE_HEIGHT + LANE_HEIGHT / 2
        marks = [_linked(_mark(e, x(e.occurred_on), middle), link(e) if link else None)
                 for e in entries if e.agency == agency]
        out.append(f'<g class="jup-swimlane__marks">{"".join(marks)}</g>')
    out.append(_legend(bottom))
    out.append("</svg>")
    return "".join(out)


LABEL_CHARACTERS = 20
"""Characters of a lane's label on one line (12 px Arial in the 150 px label column)."""


def _lane_label(name: str, middle: float) -> str:
    """The agency's name, on two lines where it is long ("Children's Social / Care"), the
    second cut short with an ellipsis if it must be (the lane's title has it whole)."""
    lines: list[str] = [""]
    for word in name.split():
        if lines[-1] and len(lines[-1]) + 1 + len(word) > LABEL_CHARACTERS:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}".strip()
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    lines = [line if len(line) <= LABEL_CHARACTERS else f"{line[:LABEL_CHARACTERS - 1]}\u2026"
             for line in lines]
    top = middle + 4 - 7 * (len(lines) - 1)
    spans = "".join(f'<tspan x="8" y="{top + 14 * n}">{escape(line)}</tspan>'
                    for n, line in enumerate(lines))
    return f'<text {FONT} font-size="12" font-weight="bold" fill="{TEXT}">{spans}</text>'


def _linked(mark: str, address: str | None) -> str:
    return f'<a href="{escape(address)}">{mark}</a>' if address else mark


def _ticks(months: list[dt.date], x: Callable[[dt.date], float], bottom: int,
           first: dt.date) -> str:
    """A line at the start of every month in the period, labelled as often as fits."""
    every = 1 if len(months) <= 12 else 2 if len(months) <= 24 else 3 if len(months) <= 48 \
        else 12
    parts = ['<g class="jup-swimlane__axis">']
    labelled_year = False
    for month in months:
        if month < first:
            continue
        at = x(month)
        parts.append(f'<line x1="{at}" y1="{AXIS_HEIGHT - 6}" x2="{at}" y2="{bottom}" '
                     f'stroke="{TICK}" stroke-width="1"/>')
        if (month.month - 1) % every:
            continue
        if every == 12:
            text = str(month.year)
        elif month.month == 1 or not labelled_year:
            text = f"{MONTHS[month.month - 1][:3]} {month.year}"
            labelled_year = True
        else:
            text = MONTHS[month.month - 1][:3]
        parts.append(f'<text x="{at + 3}" y="{AXIS_HEIGHT - 12}" {FONT} font-size="12" '
                     f'fill="{TEXT}">{text}</text>')
    parts.append("</g>")
    return "".join(parts)


def _mark(entry: Entry, at: float, middle: float) -> str:
    whose = f" ({entry.role_label})" if entry.role_label else ""
    label = escape(f"{long_date(entry.occurred_on)}: {entry.event_label}{whose}, "
                   f"{entry.agency}")
    if entry.significance == "concern":
        points = f"{at},{middle - 7} {at + 6},{middle} {at},{middle + 7} {at - 6},{middle}"
        return (f'<polygon points="{points}" fill="{CONCERN}" stroke="#ffffff" '
                f'stroke-width="1"><title>{label} (concern)</title></polygon>')
    return (f'<circle cx="{at}" cy="{middle}" r="4.5" fill="{MARK}" stroke="#ffffff" '
            f'stroke-width="1"><title>{label}</title></circle>')


def _legend(bottom: int) -> str:
    y = bottom + 20
    return (f'<g class="jup-swimlane__legend">'
            f'<circle cx="{LABEL_WIDTH + 6}" cy="{y - 4}" r="4.5" fill="{MARK}"/>'
            f'<text x="{LABEL_WIDTH + 16}" y="{y}" {FONT} font-size="12" fill="{TEXT}">'
            f"an event</text>"
            f'<polygon points="{LABEL_WIDTH + 106},{y - 11} {LABEL_WIDTH + 112},{y - 4} '
            f'{LABEL_WIDTH + 106},{y + 3} {LABEL_WIDTH + 100},{y - 4}" fill="{CONCERN}"/>'
            f'<text x="{LABEL_WIDTH + 118}" y="{y}" {FONT} font-size="12" fill="{TEXT}">'
            f"a concern event (a referral, a missed appointment, an injury, a domestic abuse "
            f"incident, a release from custody...)</text></g>")
