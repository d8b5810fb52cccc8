"""A briefing as a web page, a tagged A4 PDF and a Word document.

All three are made from one :class:`BriefingDocument` of plain values, so they say the
same thing in the same order: the partnership's name, the title, the seven numbered parts,
then the reflection questions. A part's text is plain: a blank line starts a new
paragraph, and lines starting with "- " are a bulleted list (:func:`blocks`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from joinedup.config import partnership_name

FORMATS = ("html", "pdf", "docx")
DRAFT_MARK = "DRAFT: not for publication"


@dataclass
class BriefingDocument:
    partnership: str
    title: str
    pseudonym: str
    parts: list[tuple[int, str, str]]
    """(number, label, text), 1 to 7."""
    questions: list[str] = field(default_factory=list)
    draft: bool = False
    published_on: dt.date | None = None
    reading_time: str = ""

    def heading(self, number: int, label: str) -> str:
        return f"{number}. {label}"


@dataclass
class Block:
    kind: str  # "p" or "ul"
    lines: list[str]


def blocks(text: str) -> list[Block]:
    """Paragraphs and bulleted lists of a part's plain text."""
    found: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        paragraph: list[str] = []
        for line in lines:
            bullet = re.match(r"^[-*\u2022]\s+(.*)$", line)
            if bullet:
                if paragraph:
                    found.append(Block("p", [" ".join(paragraph)]))
                    paragraph = []
                if found and found[-1].kind == "ul" and not paragraph:
                    found[-1].lines.append(bullet[1])
                else:
                    found.append(Block("ul", [bullet[1]]))
            else:
                paragraph.append(line)
        if paragraph:
            found.append(Block("p", [" ".join(paragraph)]))
    return found


def document_for(briefing: Any, draft: bool = False) -> BriefingDocument:
    """The plain document of a ``Briefing``."""
    from django.utils import timezone

    from joinedup.briefings.services import length, parts

    published = briefing.published_at
    return BriefingDocument(
        partnership=partnership_name(), title=briefing.title,
        pseudonym=briefing.review.pseudonym,
        parts=[(p.number, p.label, p.text) for p in parts(briefing)],
        questions=[str(q) for q in briefing.reflection_questions], draft=draft,
        published_on=timezone.localdate(published) if published and not draft else None,
        reading_time=length(briefing).reading_time)


def write(document: BriefingDocument, fmt: str, path: Path) -> int | None:
    """Write ``document`` as ``fmt``; the number of pages for a PDF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        from joinedup.briefings.render.html import to_html

        path.write_text(to_html(document), encoding="utf-8")
        return None
    if fmt == "pdf":
        from joinedup.briefings.render.pdf import write_pdf

        return write_pdf(document, path)
    if fmt == "docx":
        from joinedup.briefings.render.word import write_docx

        write_docx(document, path)
        return None
    raise ValueError(f"unknown format {fmt!r}")
