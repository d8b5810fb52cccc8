"""The printable chronology as PDF: HTML and CSS written here, rendered by WeasyPrint.

A4 landscape, because five columns of dates, events and provenance do not fit a portrait
page legibly; the marking and page numbers repeat on every page, and table headings repeat
after each page break, because printed chronologies are read a page at a time in meetings.
The PDF is tagged (WeasyPrint ``pdf_tags``) so a screen reader can follow the tables.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from joinedup.chronology.assembly import Chronology
from joinedup.chronology.render import printable

CSS = """
@page {
  size: A4 landscape;
  margin: 18mm 14mm 16mm 14mm;
  @top-center { content: "OFFICIAL-SENSITIVE"; font: bold 9pt sans-serif; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; }
  @bottom-left { content: string(child); font: 8pt sans-serif; }
}
body { font: 9pt/1.35 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #0b0c0c; }
.marking { font-weight: bold; text-align: center; letter-spacing: 0.05em; margin: 0 0 4mm; }
h1 { font-size: 16pt; margin: 0 0 3mm; string-set: child content(); }
h2 { font-size: 12pt; margin: 6mm 0 2mm; }
dl.facts { display: grid; grid-template-columns: 55mm auto; margin: 0 0 3mm; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th, td { border: 0.5pt solid #b1b4b6; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
th { background: #f3f2f1; }
table.entries { table-layout: fixed; }
table.entries th:nth-child(1) { width: 32mm; }
table.entries th:nth-child(2) { width: 24mm; }
table.entries th:nth-child(4) { width: 62mm; }
table.entries th:nth-child(5) { width: 24mm; }
.heading { font-weight: bold; }
.concern { font-weight: bold; }
ul { margin: 0; padding-left: 5mm; }
p.none { font-style: italic; }
.figure { page-break-inside: avoid; margin: 0 0 4mm; }
.figure svg { width: 100%; height: auto; }
"""


def _facts(c: Chronology, today: dt.date) -> str:
    items = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>"
                    for label, value in printable.header_facts(c, today))
    return f'<dl class="facts">{items}</dl>'


def html_table(headings: tuple[str, ...], rows: Sequence[Sequence[str]], css: str = "") -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headings)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in r) + "</tr>" for r in rows)
    return (f'<table class="{css}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def to_html(chronology: Chronology, today: dt.date | None = None, *,
            swimlane: bool = False) -> str:
    """The printable chronology as one HTML document (used for the PDF); with ``swimlane``
    the per-agency picture (:mod:`joinedup.chronology.render.swimlane`) comes before the
    entries."""
    c = chronology
    today = today or dt.date.today()
    parts = [f'<p class="marking">{printable.MARKING}</p>',
             f"<h1>{printable.TITLE}: person {c.child_id}, {escape(c.child_name)}</h1>",
             _facts(c, today), "<h2>Who is who</h2>",
             html_table(printable.NETWORK_COLUMNS,
                    [tuple(escape(cell) for cell in r) for r in printable.network_rows(c)])]
    if c.conflicts:
        parts.append("<h2>Where agencies disagree</h2><ul>"
                     + "".join(f"<li>{escape(t)}</li>" for t in c.conflicts) + "</ul>")
    if swimlane and c.entries:
        from joinedup.chronology.render.swimlane import draw

        # from the child's first event (or the period asked for), as the web page draws it
        picture = draw(c, c.start, c.filters.period_to, id_prefix="print-swimlane")
        note = (f'<p class="none">{picture.outside:,} earlier or later entries are in the table '
                "below but not drawn.</p>" if picture.outside else "")
        parts.append(f'<h2>By agency</h2><div class="figure">{picture.svg}</div>{note}')
    parts.append("<h2>Chronology</h2>")
    if c.entries:
        rows = []
        for entry in c.entries:
            r = printable.row(entry)
            event = f'<div class="heading">{escape(r.event_heading)}</div>' + "".join(
                f"<div>{escape(line)}</div>" for line in r.event_lines)
            significance = f'<span class="concern">{escape(r.significance)}</span>' \
                if r.significance else ""
            rows.append((escape(r.date), escape(r.agency), event, escape(r.source),
                         significance))
        parts.append(html_table(printable.COLUMNS, rows, "entries"))
    else:
        parts.append('<p class="none">No events match.</p>')
    parts.append("<h2>Gaps</h2>")
    parts.append("<ul>" + "".join(f"<li>{escape(g.text)}</li>" for g in c.gaps) + "</ul>"
                 if c.gaps else '<p class="none">No gaps found.</p>')
    legend = printable.agency_legend(c)
    if legend:
        parts.append("<h2>Agencies</h2>" + html_table(
            ("Code", "Agency"), [(escape(code), escape(name)) for code, name in legend]))
    title = escape(f"{printable.TITLE}: person {c.child_id}")
    return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>{CSS}</style></head>"
            f"<body>{''.join(parts)}</body></html>")


def write_pdf(chronology: Chronology, path: Path, today: dt.date | None = None, *,
              swimlane: bool = False) -> int:
    """Write the PDF (with the per-agency swimlane when asked); returns the number of
    pages."""
    document = weasyprint_html()(string=to_html(chronology, today, swimlane=swimlane)
                                 ).render(pdf_tags=True)
    document.write_pdf(Path(path), pdf_tags=True)
    return len(document.pages)


def weasyprint_html() -> Any:
    """WeasyPrint's HTML class. Importing WeasyPrint 70 on a machine without the HarfBuzz
    subset library warns that a future version will need it; nothing a user can act on
    today (fonts are still embedded), so that one warning is silenced here."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset will be required",
                                category=DeprecationWarning)
        # WeasyPrint (and its fonts) load only when a PDF is written
        from weasyprint import HTML
    return HTML
