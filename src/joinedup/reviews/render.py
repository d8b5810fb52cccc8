"""The review chronology printed for the panel: PDF (WeasyPrint) and Word (python-docx).

Laid out as the printable chronology (:mod:`joinedup.chronology.render`: the same marking,
network table, five columns and gaps, written from the same
:mod:`~joinedup.chronology.render.printable` rows), with what a panel adds: the pseudonym
in the title, the review's dates, the key practice episodes marked in the Significance
column and shaded, and a section with each agency's summary. It names the family, so it is
an internal panel document marked OFFICIAL-SENSITIVE on every page; what is published is
the briefing, written with the pseudonym.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path
from typing import Any

from joinedup.chronology.dates import long_date
from joinedup.chronology.render import printable
from joinedup.chronology.render.pdf import CSS, html_table, weasyprint_html
from joinedup.chronology.render.word import WIDTHS_MM, add_network, grid
from joinedup.reviews.chronology import AgencySummary, ReviewChronology

TITLE = "Review chronology"
REVIEW_CSS = """
tr.key td { background: #fff2b3; }
.summary { margin: 0 0 4mm; page-break-inside: auto; }
.summary h3 { font-size: 10pt; margin: 4mm 0 1mm; }
.summary .when { color: #505a5f; margin: 0 0 1mm; }
"""


def title(rc: ReviewChronology) -> str:
    return f"{TITLE}: {rc.pseudonym} (review {rc.review_id})"


def review_facts(rc: ReviewChronology, today: dt.date) -> list[tuple[str, str]]:
    """The review's own lines, then the chronology's (who the child is, as known by...)."""
    keys = len(rc.marks)
    return [("Review", f"{rc.review_id}, {rc.pseudonym}"),
            ("Incident", long_date(rc.incident_on)),
            ("Local authority aware", long_date(rc.aware_on)),
            ("Key practice episodes", f"{keys:,} marked"),
            *printable.header_facts(rc.chronology, today)]


def summary_when(summary: AgencySummary) -> str:
    due = f"due {long_date(summary.due_on)}" if summary.due_on else ""
    got = (f"received {long_date(summary.received_on)}" if summary.received_on
           else "not received")
    return "; ".join(p for p in (got, due) if p)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def to_html(rc: ReviewChronology, today: dt.date | None = None) -> str:
    c = rc.chronology
    today = today or dt.date.today()
    facts = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>"
                    for label, value in review_facts(rc, today))
    parts = [f'<p class="marking">{printable.MARKING}</p>',
             f"<h1>{escape(title(rc))}</h1>", f'<dl class="facts">{facts}</dl>',
             "<h2>Who is who</h2>",
             html_table(printable.NETWORK_COLUMNS,
                    [tuple(escape(cell) for cell in r) for r in printable.network_rows(c)])]
    if c.conflicts:
        parts.append("<h2>Where agencies disagree</h2><ul>"
                     + "".join(f"<li>{escape(t)}</li>" for t in c.conflicts) + "</ul>")
    parts.append("<h2>Chronology</h2>")
    parts.append(_entries_html(rc) if c.entries else '<p class="none">No events match.</p>')
    parts.append("<h2>Agency summaries</h2>")
    if rc.summaries:
        for s in rc.summaries:
            body = "".join(f"<p>{escape(p)}</p>" for p in _paragraphs(s.text)) \
                or '<p class="none">No summary yet.</p>'
            parts.append(f'<div class="summary"><h3>{escape(s.agency)}: '
                         f"{escape(s.agency_name)}</h3>"
                         f'<p class="when">{escape(summary_when(s))}</p>{body}</div>')
    else:
        parts.append('<p class="none">No agency summaries were requested.</p>')
    if rc.evidence_after_awareness:
        parts.append("<h2>Evidence recorded after awareness</h2><ul>" + "".join(
            f"<li>{escape(agency)}:{escape(event_id)} (finding "
            f"{', '.join(str(n) for n in numbers)})</li>"
            for agency, event_id, numbers in rc.evidence_after_awareness) + "</ul>")
    parts.append("<h2>Gaps</h2>")
    parts.append("<ul>" + "".join(f"<li>{escape(g.text)}</li>" for g in c.gaps) + "</ul>"
                 if c.gaps else '<p class="none">No gaps found.</p>')
    legend = printable.agency_legend(c)
    if legend:
        parts.append("<h2>Agencies</h2>" + html_table(
            ("Code", "Agency"), [(escape(code), escape(name)) for code, name in legend]))
    return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
            f"<title>{escape(title(rc))}</title><style>{CSS}{REVIEW_CSS}</style></head>"
            f"<body>{''.join(parts)}</body></html>")


def _entries_html(rc: ReviewChronology) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in printable.COLUMNS)
    rows = []
    for entry in rc.chronology.entries:
        r = printable.row(entry)
        mark = rc.mark(entry)
        event = f'<div class="heading">{escape(r.event_heading)}</div>' + "".join(
            f"<div>{escape(line)}</div>" for line in r.event_lines)
        significance = f'<span class="concern">{escape(mark.text)}</span>' if mark else ""
        css = ' class="key"' if mark and mark.findings else ""
        cells = (escape(r.date), escape(r.agency), event, escape(r.source), significance)
        rows.append(f"<tr{css}>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    return (f'<table class="entries"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def write_pdf(rc: ReviewChronology, path: Path, today: dt.date | None = None) -> int:
    """Write the tagged PDF; returns the number of pages."""
    document = weasyprint_html()(string=to_html(rc, today)).render(pdf_tags=True)
    document.write_pdf(Path(path), pdf_tags=True)
    return len(document.pages)


def write_docx(rc: ReviewChronology, path: Path, today: dt.date | None = None) -> None:
    """Write the Word document (A4 landscape; marking in every page's header)."""
    # python-docx is loaded only when a Word document is written
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    c = rc.chronology
    today = today or dt.date.today()
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(14))
    doc.styles["Normal"].font.size = Pt(9)
    header = section.header.paragraphs[0]
    header.text = f"{printable.MARKING}  |  {rc.pseudonym}"
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.runs[0].bold = True
    marking = doc.add_paragraph()
    marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marking.add_run(printable.MARKING).bold = True
    doc.add_heading(title(rc), level=1)
    facts = doc.add_table(rows=0, cols=2)
    for label, value in review_facts(rc, today):
        cells = facts.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value

    add_network(doc, c)
    doc.add_heading("Chronology", level=2)
    if c.entries:
        _entries_docx(doc, rc, grid(doc, printable.COLUMNS, []), WIDTHS_MM)
    else:
        doc.add_paragraph("No events match.")
    _summaries_docx(doc, rc)
    doc.add_heading("Gaps", level=2)
    for gap in c.gaps:
        doc.add_paragraph(gap.text, style="List Bullet")
    if not c.gaps:
        doc.add_paragraph("No gaps found.")
    legend = printable.agency_legend(c)
    if legend:
        doc.add_heading("Agencies", level=2)
        grid(doc, ("Code", "Agency"), legend)
    doc.core_properties.title = title(rc)
    doc.core_properties.subject = printable.MARKING
    doc.save(str(path))


def _summaries_docx(doc: Any, rc: ReviewChronology) -> None:
    """Each agency's summary under its own heading, then the evidence the findings cite that
    was recorded after the day of awareness."""
    doc.add_heading("Agency summaries", level=2)
    for s in rc.summaries:
        doc.add_heading(f"{s.agency}: {s.agency_name}", level=3)
        doc.add_paragraph(summary_when(s)).runs[0].italic = True
        for paragraph in _paragraphs(s.text) or ["No summary yet."]:
            doc.add_paragraph(paragraph)
    if not rc.summaries:
        doc.add_paragraph("No agency summaries were requested.")
    if rc.evidence_after_awareness:
        doc.add_heading("Evidence recorded after awareness", level=2)
        for agency, event_id, numbers in rc.evidence_after_awareness:
            doc.add_paragraph(f"{agency}:{event_id} (finding "
                              f"{', '.join(str(n) for n in numbers)})", style="List Bullet")


def _entries_docx(doc: Any, rc: ReviewChronology, table: Any, widths: tuple[int, ...]) -> None:
    # python-docx is loaded only when a Word document is written
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    for entry in rc.chronology.entries:
        r = printable.row(entry)
        mark = rc.mark(entry)
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[3].text = r.date, r.agency, r.source
        cells[2].paragraphs[0].add_run(r.event_heading).bold = True
        for line in r.event_lines:
            cells[2].add_paragraph(line)
        if mark:
            cells[4].paragraphs[0].add_run(mark.text).bold = True
        if mark and mark.findings:
            for cell in cells:  # shade the key episode's row, as in the PDF
                shading = OxmlElement("w:shd")
                shading.set(qn("w:val"), "clear")
                shading.set(qn("w:fill"), "FFF2B3")
                cell._tc.get_or_add_tcPr().append(shading)
    for column, width in zip(table.columns, widths, strict=True):
        for cell in column.cells:
            cell.width = Mm(width)
