"""The briefing as a tagged, accessible A4 PDF (WeasyPrint, PDF/UA-1 variant).

The PDF/UA-1 variant makes WeasyPrint tag the structure (headings, paragraphs, lists) and
write the title and language into the metadata, so screen readers can follow it. The
layout aims at one page, two at most; ``write_pdf`` returns the page count so the command
can say when it runs over.
"""

from __future__ import annotations

from pathlib import Path

from joinedup.briefings.render import BriefingDocument
from joinedup.briefings.render.html import to_html
from joinedup.chronology.render.pdf import weasyprint_html

PDF_VARIANT = "pdf/ua-1"


def write_pdf(document: BriefingDocument, path: Path) -> int:
    """Write the PDF; returns the number of pages."""
    rendered = weasyprint_html()(string=to_html(document, for_print=True)).render(
        pdf_variant=PDF_VARIANT, pdf_tags=True)
    rendered.write_pdf(Path(path), pdf_variant=PDF_VARIANT, pdf_tags=True)
    return len(rendered.pages)
