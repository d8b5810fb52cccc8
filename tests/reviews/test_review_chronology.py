"""The review chronology: as known on the day of awareness, episodes marked, summaries
attached, printed as PDF and Word marked OFFICIAL-SENSITIVE."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from joinedup.reviews.chronology import review_chronology, to_dict
from joinedup.reviews.findings import add_finding
from joinedup.reviews.workflow import open_review, record_step
from tests.reviews.conftest import WHAT

SUMMARY = "Probation supervised the father on licence from August 2024.\n\nNo referral was made."


def _late_recorded_event(child_id: int) -> Any:
    """An event of the child's network recorded at least a week after it happened."""
    from joinedup.chronology.assembly import assemble

    entries = assemble(child_id).entries
    return next(e for e in entries if (e.recorded_on - e.occurred_on).days >= 7
                and e.occurred_on > dt.date(2024, 6, 1))


def test_uses_what_was_known_on_the_day_of_awareness(baby_s: dict[str, Any], db: None) -> None:
    late = _late_recorded_event(baby_s["child"])
    aware_on = late.occurred_on + dt.timedelta(days=1)
    review = open_review(baby_s["child"], aware_on, late.occurred_on, WHAT, "Baby S", "bu")
    rc = review_chronology(review.pk)
    assert rc.chronology.known_by == aware_on
    ids = {(e.agency, e.source_id) for e in rc.chronology.entries}
    assert (late.agency, late.source_id) not in ids  # recorded after awareness
    assert all(e.recorded_on <= aware_on for e in rc.chronology.entries)
    add_finding(review.pk, "Recording delay", "Recorded late.", ["RECORDING"],
                [f"{late.agency}:{late.source_id}"], "bu")
    body = to_dict(review_chronology(review.pk))
    assert body["evidence_after_awareness"] == [
        {"agency": late.agency, "event_id": late.source_id, "findings": [1]}]


def test_key_episodes_and_agency_summaries(review: Any) -> None:
    add_finding(review.pk, "The father's release", "Released a week after the birth.",
                ["FATHERS_MEN"], ["PROBATION:NDL-5520024", "CSC:CSC-EV-884104"], "bu")
    add_finding(review.pk, "Pre-birth assessment", "Father not assessed.", ["FATHERS_MEN"],
                ["CSC:CSC-EV-884104"], "bu")
    record_step(review.pk, "agency_summary", "bu", agency="PROBATION", note=SUMMARY,
                done_on=dt.date(2025, 6, 3))
    rc = review_chronology(review.pk)
    marks = {(e.agency, e.source_id): rc.mark(e) for e in rc.chronology.entries}
    assert marks[("CSC", "CSC-EV-884104")].findings == (1, 2)
    assert marks[("CSC", "CSC-EV-884104")].text.startswith("Key practice episode (findings 1, 2)")
    assert marks[("PROBATION", "NDL-5520024")].text == \
        "Key practice episode (finding 1); Concern"
    concerns = [e for e in rc.chronology.entries if e.significance == "concern"]
    assert concerns and all(marks[(e.agency, e.source_id)] for e in concerns)
    body = to_dict(rc)
    assert body["marking"] == "OFFICIAL-SENSITIVE"
    assert body["review"] == {"id": review.pk, "pseudonym": "Baby S", "aware_on": "2025-05-21",
                              "incident_on": "2025-05-20", "known_by": "2025-05-21"}
    entry = next(e for e in body["chronology"]["entries"] if e["source_id"] == "NDL-5520024")
    assert entry["key_episode"] and entry["findings"] == [1]
    probation = next(s for s in body["agency_summaries"] if s["agency"] == "PROBATION")
    assert probation == {"agency": "PROBATION", "agency_name": probation["agency_name"],
                         "due_on": "2025-06-05", "received_on": "2025-06-03", "text": SUMMARY}
    assert any(s["received_on"] is None for s in body["agency_summaries"])


def test_pdf_and_word(review: Any, tmp_path: Path) -> None:
    from docx import Document
    from pypdf import PdfReader

    from joinedup.reviews.render import write_docx, write_pdf

    add_finding(review.pk, "The father's release", "Released a week after the birth.",
                ["FATHERS_MEN"], ["PROBATION:NDL-5520024"], "bu")
    record_step(review.pk, "agency_summary", "bu", agency="PROBATION", note=SUMMARY,
                done_on=dt.date(2025, 6, 3))
    rc = review_chronology(review.pk)
    pdf = tmp_path / "review.pdf"
    pages = write_pdf(rc, pdf, today=dt.date(2025, 6, 10))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(str(pdf)).pages).split())
    assert pages >= 2 and text.count("OFFICIAL-SENSITIVE") >= pages
    assert f"Review chronology: Baby S (review {review.pk})" in text
    assert "Local authority aware" in text and "21 May 2025" in text
    assert "Key practice episode (finding 1)" in text
    assert text.index("Chronology") < text.index("Agency summaries") < text.index("No referral")

    docx = tmp_path / "review.docx"
    write_docx(rc, docx, today=dt.date(2025, 6, 10))
    doc = Document(str(docx))
    assert doc.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert doc.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE  |  Baby S"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == f"Review chronology: Baby S (review {review.pk})"
    assert headings.index("Chronology") < headings.index("Agency summaries")
    assert any(h.startswith("PROBATION: ") for h in headings)
    assert "No referral was made." in [p.text for p in doc.paragraphs]
    entries = next(t for t in doc.tables if t.rows[0].cells[0].text == "Date")
    release = next(r for r in entries.rows if "NDL-5520024" in r.cells[3].text)
    assert release.cells[4].text == "Key practice episode (finding 1); Concern"
