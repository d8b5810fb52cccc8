"""The briefing as a Word document (python-docx), for partnerships that edit or print it.

The seven parts are Heading 1 paragraphs numbered in their text ("1. Background"), so the
numbers survive any template and show in Word's navigation pane; the reflection questions
follow as a numbered list under their own heading. A4 portrait, British English.

The authors' text is written as plain text runs, never as Word fields, so nothing in it is
evaluated; control characters XML cannot hold are left out rather than stopping the document.
"""

from __future__ import annotations

from pathlib import Path

from joinedup.briefings.render import DRAFT_MARK, BriefingDocument, blocks
from joinedup.chronology.render.word import xml_safe


def write_docx(document: BriefingDocument, path: Path) -> None:
    # python-docx is loaded only when a Word document is written
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.font.name = "Arial"
    properties = normal.element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-GB")
    properties.append(language)
    doc.core_properties.title = document.title
    doc.core_properties.author = document.partnership
    doc.core_properties.language = "en-GB"
    header = section.header.paragraphs[0]
    header.text = document.partnership + (f" - {DRAFT_MARK}" if document.draft else "")

    if document.draft:
        mark = doc.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark.add_run(DRAFT_MARK).bold = True
    doc.add_paragraph(document.partnership).runs[0].bold = True
    doc.add_heading(xml_safe(document.title), level=0)
    if document.reading_time:
        doc.add_paragraph(f"Read aloud in about {document.reading_time}, then talk it "
                          "through with your team.")
    for number, label, text in document.parts:
        doc.add_heading(document.heading(number, label), level=1)
        for block in blocks(text):
            if block.kind == "ul":
                for line in block.lines:
                    doc.add_paragraph(xml_safe(line), style="List Bullet")
            else:
                doc.add_paragraph(xml_safe(block.lines[0]))
    if document.questions:
        doc.add_heading("Questions for your team", level=1)
        for question in document.questions:
            doc.add_paragraph(xml_safe(question), style="List Number")
    closing = (f"Published by {document.partnership} on {document.published_on.day} "
               f"{document.published_on:%B %Y}. " if document.published_on else "")
    doc.add_paragraph(closing + f"The child is called {document.pseudonym} to protect the "
                      "family's privacy.").runs[0].italic = True
    doc.save(str(Path(path)))
