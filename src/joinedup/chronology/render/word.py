"""The printable chronology as a Word document (python-docx), laid out like the PDF.

Word because review panels and authors of practice reviews edit the chronology into their
own report; the same marking, header facts, network table, five columns and gaps as the
PDF (:mod:`joinedup.chronology.render.printable`). A4 landscape; the marking is in the page
header so it is on every page, and at the top of the body; the table's heading row repeats
on each page.

Text from agencies' returns (names, summaries) is written as plain text runs, never as
Word fields, so nothing in it is ever evaluated. Each table cell's text that a spreadsheet
would take as a formula when the table is copied into Excel (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) gets a leading apostrophe, as in the CSV export
(:func:`joinedup.chronology.render.data.spreadsheet_safe`); characters XML cannot hold
(control characters) are left out rather than stopping the document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from joinedup.chronology.assembly import Chronology
from joinedup.chronology.render import printable
from joinedup.chronology.render.data import spreadsheet_safe

WIDTHS_MM = (32, 24, 120, 68, 25)  # the five entry columns, 269 mm of a landscape page

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text without the characters an XML document cannot hold."""
    return _NOT_XML.sub("", text)


def cell_text(text: str) -> str:
    """Text for a table cell: XML-safe, and never read as a formula if pasted into Excel."""
    return str(spreadsheet_safe(xml_safe(text)))


def write_docx(chronology: Chronology, path: Path, today: dt.date | None = None) -> None:
    # python-docx is loaded only when a Word document is written
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    c = chronology
    today = today or dt.date.today()
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(14))
    doc.styles["Normal"].font.size = Pt(9)
    header = section.header.paragraphs[0]
    header.text = printable.MARKING
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.runs[0].bold = True

    marking = doc.add_paragraph()
    marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marking.add_run(printable.MARKING).bold = True
    doc.add_heading(xml_safe(f"{printable.TITLE}: person {c.child_id}, {c.child_name}"),
                    level=1)
    facts = doc.add_table(rows=0, cols=2)
    for label, value in printable.header_facts(c, today):
        cells = facts.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = cell_text(value)

    add_network(doc, c)

    doc.add_heading("Chronology", level=2)
    if c.entries:
        table = grid(doc, printable.COLUMNS, [])
        _add_entries(table, c)
        for column, width in zip(table.columns, WIDTHS_MM, strict=True):
            for cell in column.cells:
                cell.width = Mm(width)
    else:
        doc.add_paragraph("No events match.")

    _add_gaps_and_agencies(doc, c)
    doc.core_properties.title = f"{printable.TITLE}: person {c.child_id}"
    doc.core_properties.subject = printable.MARKING
    doc.save(str(path))


def _add_entries(table: Any, c: Chronology) -> None:
    """One row of the five columns for each entry: date, agency, the event (its heading in
    bold, then its lines), the source, and its significance in bold."""
    for entry in c.entries:
        r = printable.row(entry)
        cells = table.add_row().cells
        cells[0].text, cells[1].text = cell_text(r.date), cell_text(r.agency)
        cells[3].text = cell_text(r.source)
        event = cells[2].paragraphs[0]
        event.add_run(cell_text(r.event_heading)).bold = True
        for line in r.event_lines:
            cells[2].add_paragraph(cell_text(line))
        if r.significance:
            cells[4].paragraphs[0].add_run(cell_text(r.significance)).bold = True


def _add_gaps_and_agencies(doc: Any, c: Chronology) -> None:
    """The gaps found, as a list, and the legend of the agencies' codes."""
    doc.add_heading("Gaps", level=2)
    for gap in c.gaps:
        doc.add_paragraph(xml_safe(gap.text), style="List Bullet")
    if not c.gaps:
        doc.add_paragraph("No gaps found.")
    legend = printable.agency_legend(c)
    if legend:
        doc.add_heading("Agencies", level=2)
        grid(doc, ("Code", "Agency"), legend)


def add_network(doc: Any, c: Chronology) -> None:
    """The "who is who" table and the agencies' disagreements (chronologies and reviews)."""
    doc.add_heading("Who is who", level=2)
    grid(doc, printable.NETWORK_COLUMNS, printable.network_rows(c))
    if c.conflicts:
        doc.add_heading("Where agencies disagree", level=2)
        for text in c.conflicts:
            doc.add_paragraph(xml_safe(text), style="List Bullet")


def grid(doc: Any, headings: tuple[str, ...], rows: Sequence[Sequence[str]]) -> Any:
    """A bordered table whose first row is a heading row repeated on every page."""
    # python-docx is loaded only when a Word document is written
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    head = table.rows[0]
    properties = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for cell, text in zip(head.cells, headings, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = cell_text(text)
    return table
