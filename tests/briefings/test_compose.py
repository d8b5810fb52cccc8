"""Drafting the seven parts, word count and reading time, and the three renderings of a
briefing made from plain values (no database)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from joinedup.briefings.compose import (
    ActionFacts,
    FindingFacts,
    ReviewFacts,
    draft_parts,
    left_out_note,
    measure,
    pseudonymise,
)
from joinedup.briefings.conf import DEFAULT_LABELS
from joinedup.briefings.render import BriefingDocument, blocks
from joinedup.briefings.render.html import to_html
from joinedup.briefings.render.pdf import write_pdf
from joinedup.briefings.render.word import write_docx


def facts(findings: int) -> ReviewFacts:
    return ReviewFacts(
        pseudonym="Baby S", what_happened="Baby S was taken to hospital at nine months old.",
        decision="other_learning",
        findings=[FindingFacts(f"Finding {n}", f"Learning number {n}. More detail.",
                               ["Recording"] if n == 1 else ["Transfers between areas"],
                               [f"Remember point {n}"])
                  for n in range(1, findings + 1)],
        actions=[ActionFacts("Audit recording times", "Health visiting", dt.date(2025, 3, 31))])


def test_up_to_three_findings_take_one_part_each_with_their_titles() -> None:
    parts = draft_parts(facts(2), DEFAULT_LABELS)
    assert [p.number for p in parts] == [1, 2, 3, 4, 5, 6, 7]
    assert [p.label for p in parts] == ["Background", "Why it matters", "Finding 1",
                                        "Finding 2", "Key finding", "Things to remember",
                                        "What to do"]
    assert parts[0].text.startswith("Baby S was taken to hospital")
    assert "did not need" not in parts[0].text and "learning every agency" in parts[0].text
    assert "recording and transfers between areas" in parts[1].text
    assert parts[4].text == ""  # left for the author; publishing refuses an empty part
    assert parts[5].text == "- Remember point 1\n- Remember point 2"
    assert "Learning number" not in parts[5].text  # not the findings' first sentences
    assert parts[6].text == "- Audit recording times (Health visiting, by March 2025)"


def test_the_fifth_part_holds_one_key_finding_and_the_rest_are_remembered() -> None:
    parts = draft_parts(facts(5), DEFAULT_LABELS)
    assert [p.label for p in parts[2:5]] == ["Finding 1", "Finding 2", "Finding 3"]
    assert parts[4].text == "Learning number 3. More detail."  # one finding, not three
    assert parts[5].text.splitlines() == [f"- Remember point {n}" for n in range(1, 6)]
    assert left_out_note(5) == (" Findings 4 and 5 have no part of their own: part 6 holds "
                                "their things to remember.")
    assert left_out_note(3) == ""


def test_without_points_to_remember_part_six_is_left_for_the_author() -> None:
    plain = facts(2)
    for finding in plain.findings:
        finding.remember = []
    assert draft_parts(plain, DEFAULT_LABELS)[5].text == ""


def test_pseudonymise_replaces_longest_names_first() -> None:
    swaps = [("Kayleigh", "Baby S's mother"), ("Kayleigh Ashworth", "Baby S's mother"),
             ("Sienna", "Baby S")]
    assert pseudonymise("KAYLEIGH ASHWORTH took Sienna; Kayleigh's friend.", swaps) == (
        "Baby S's mother took Baby S; Baby S's mother's friend.")


@given(st.integers(min_value=0, max_value=3000))
def test_reading_time_is_words_at_130_a_minute(n: int) -> None:
    measured = measure(["word " * n])
    assert measured.words == n
    assert measured.seconds == round(n * 60 / 130)
    assert measured.too_long == (n * 60 / 130 > 420.5)
    assert bool(measured.warning) == measured.too_long


def test_the_warning_says_how_much_to_cut() -> None:
    assert measure(["word " * 910]).reading_time == "7 min 00 s"
    assert measure(["word " * 910]).warning == ""
    long = measure(["word " * 1000])
    assert long.reading_time == "7 min 42 s"
    assert "more than 7 minutes: cut about 90 words" in long.warning
    assert measure(["Baby S's mother moved, twice - in 2024."]).words == 7


def test_plain_text_becomes_paragraphs_and_lists() -> None:
    found = blocks("First line\nsame paragraph.\n\nSecond.\n- one\n- two\n\n* three")
    assert [(b.kind, b.lines) for b in found] == [
        ("p", ["First line same paragraph."]), ("p", ["Second."]), ("ul", ["one", "two", "three"])]


def document(draft: bool = False) -> BriefingDocument:
    parts = draft_parts(facts(3), DEFAULT_LABELS)
    return BriefingDocument(
        partnership="Anytown Safeguarding Children Partnership",
        title="7-minute briefing: Baby S", pseudonym="Baby S",
        parts=[(p.number, p.label, p.text or "To be written.") for p in parts],
        questions=["What stood out?", "What will we change?"], draft=draft,
        published_on=None if draft else dt.date(2025, 6, 2), reading_time="2 min 10 s")


def test_the_web_page_is_self_contained_and_accessible() -> None:
    page = to_html(document())
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert "<script" not in page and "<link" not in page and "src=" not in page
    assert page.count("<h1>") == 1 and page.count("<h2") == 8
    assert '<span class="number">1.</span> Background</h2>' in page
    positions = [page.index(f'id="part-{n}-heading"') for n in range(1, 8)]
    assert positions == sorted(positions)
    assert "Anytown Safeguarding Children Partnership" in page
    assert "Published by Anytown Safeguarding Children Partnership on 2 June 2025" in page
    assert "DRAFT" not in page and "crown" not in page.lower()
    draft = to_html(document(draft=True))
    assert "DRAFT: not for publication" in draft and 'role="note"' in draft


def test_the_pdf_is_tagged_a4_with_the_seven_parts_in_order(tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = tmp_path / "briefing.pdf"
    pages = write_pdf(document(), path)
    assert 1 <= pages <= 2
    reader = PdfReader(path)
    assert len(reader.pages) == pages
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "en-GB"
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    headings = ["1. Background", "2. Why it matters", "3. Finding 1", "4. Finding 2",
                "5. Finding 3", "6. Things to remember", "7. What to do"]
    found = [text.index(h) for h in headings]
    assert found == sorted(found)


def test_the_word_document_has_seven_numbered_headings(tmp_path: Path) -> None:
    from docx import Document

    path = tmp_path / "briefing.docx"
    write_docx(document(draft=True), path)
    doc = Document(io.BytesIO(path.read_bytes()))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["1. Background", "2. Why it matters", "3. Finding 1", "4. Finding 2",
                        "5. Finding 3", "6. Things to remember", "7. What to do",
                        "Questions for your team"]
    numbered = [p.text for p in doc.paragraphs if p.style.name == "List Number"]
    assert numbered == ["What stood out?", "What will we change?"]
    assert doc.paragraphs[0].text == "DRAFT: not for publication"
    assert doc.core_properties.title == "7-minute briefing: Baby S"
