"""What each role may not read of the Baby S case appears on no surface for that role.

The texts are planted in the scenario's returns (src/joinedup/demo/scenario):

- the refuge's and the Freedom Programme's entries (victim support): read in full only by
  the allocated social worker (the victim-support agencies themselves have no demo user);
- for the father's probation officer, whose agency knows the family only through him: also
  the mother's new surname and where she now lives, from any agency;
- probation's own detail (adult services, shared as a headline): read only by probation.
"""

from __future__ import annotations

import csv
import html
from pathlib import Path
from typing import Any

import pytest

from joinedup.demo.users import DEMO_USERS

SCENARIO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "scenario"
ROLES = [user.username for user in DEMO_USERS]


def _summaries(agency: str, *types: str) -> list[str]:
    with (SCENARIO / agency / "events.csv").open(encoding="utf-8") as handle:
        return [row["summary"] for row in csv.DictReader(handle)
                if row["summary"] and (not types or row["event_type"] in types)]


VICTIM_SUPPORT = _summaries("REFUGE") + [
    s for s in _summaries("FREEDOM") if len(s) > 30]  # short ones are also others' words
NEW_LIFE = ["Ashworth", "SK5 8PB", "Alder Rise", "Brinnington"]
PROBATION_DETAIL = _summaries("PROBATION", "SUBSTANCE_MISUSE_CONCERN", "APPOINTMENT_MISSED",
                              "LICENCE_START")


def _forbidden(role: str) -> list[str]:
    forbidden = [] if role == "social.worker" else list(VICTIM_SUPPORT)
    if role == "probation.officer":
        forbidden += NEW_LIFE
    else:
        forbidden += PROBATION_DETAIL
    return forbidden


def _surfaces(web_case: dict[str, Any]) -> list[str]:
    from joinedup.alerts.models import Alert
    from joinedup.information_requests.models import InformationRequest, ProfessionalsMeeting

    child = web_case["child"]
    pages = [f"/children/{child}/", f"/children/{child}/chronology/?per_page=500",
             f"/children/{child}/chronology.csv", f"/children/{child}/swimlane/",
             f"/children/{child}/replay/?from=2024-01-01&to=2025-06-01",
             f"/api/v1/children/{child}/chronology", "/api/v1/alerts?limit=500",
             f"/alerts/?child={child}&status=all", f"/requests/?child={child}",
             f"/meetings/?child={child}", "/children/?q=Sienna", "/children/?q=Brennan",
             "/work/", f"/reviews/{web_case['review']}/chronology/"]
    pages += [f"/alerts/{pk}/" for pk in Alert.objects.filter(child_id=child)
              .values_list("pk", flat=True)]
    pages += [f"/requests/{pk}/" for pk in InformationRequest.objects.filter(
        child_id=child).values_list("pk", flat=True)]
    pages += [f"/meetings/{pk}/" for pk in ProfessionalsMeeting.objects.filter(
        child_id=child).values_list("pk", flat=True)]
    return pages


def test_the_planted_texts_are_there_to_be_found() -> None:
    assert any("deed poll" in text for text in VICTIM_SUPPORT)
    assert any("cocaine" in text for text in PROBATION_DETAIL)


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_no_surface_shows_a_role_what_it_has_no_right_to(
        web_case: dict[str, Any], signed_in: Any, role: str) -> None:
    client = signed_in(role)
    forbidden = _forbidden(role)
    for address in _surfaces(web_case):
        response = client.get(address)
        body = html.unescape(response.content.decode(errors="replace"))
        if address.startswith("/api/"):
            body = body.replace("\\u2019", "\u2019").replace('\\"', '"')
        for text in forbidden:
            assert text not in body, f"{role} read {text[:40]!r} at {address}"


def test_the_allocated_social_worker_reads_the_refuge_in_full(
        web_case: dict[str, Any], signed_in: Any) -> None:
    body = html.unescape(signed_in("social.worker").get(
        f"/children/{web_case['child']}/chronology.csv").content.decode())
    assert all(text in body for text in VICTIM_SUPPORT)


def test_the_health_visitor_sees_the_refuge_only_as_a_headline(
        web_case: dict[str, Any], signed_in: Any) -> None:
    body = html.unescape(signed_in("health.visitor").get(
        f"/children/{web_case['child']}/chronology.csv").content.decode())
    assert "Held by a victim-support service" in body
    assert not any(text in body for text in VICTIM_SUPPORT)


def test_the_fathers_probation_officer_sees_the_family_without_their_new_life(
        web_case: dict[str, Any], signed_in: Any) -> None:
    client = signed_in("probation.officer")
    page = html.unescape(client.get(f"/children/{web_case['child']}/").content.decode())
    assert "Name withheld for safety" in page  # the baby: probation holds no record of her
    assert "Kayleigh Brennan" in page  # the mother, as probation itself recorded her
    csv_text = client.get(f"/children/{web_case['child']}/chronology.csv").content.decode()
    assert "REFUGE" not in csv_text and "Moved into a refuge" not in csv_text
    assert "Drug test positive for cocaine" in csv_text  # probation's own entry, in full
    found = client.get("/children/?q=Ashworth").content.decode()
    assert f'href="/children/{web_case["child"]}/"' not in found  # her new name finds nothing
    assert f'href="/children/{web_case["child"]}/"' in signed_in("health.visitor").get(
        "/children/?q=Ashworth").content.decode()


def _pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _word_text(content: bytes) -> str:
    import io

    from docx import Document

    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join([p.text for p in document.paragraphs] + cells).split())


@pytest.mark.slow
def test_the_pdf_and_word_downloads_keep_the_victims_new_life_from_the_fathers_agency(
        web_case: dict[str, Any], signed_in: Any) -> None:
    client = signed_in("probation.officer")
    child = web_case["child"]
    pdf = _pdf_text(client.get(f"/children/{child}/chronology.pdf").content)
    word = _word_text(client.get(f"/children/{child}/chronology.docx").content)
    for text in (pdf, word):
        assert "Drug test positive" in " ".join(text.split())  # the download has content
        for secret in [*NEW_LIFE, "deed poll", "refuge"]:
            assert secret.lower() not in text.lower(), secret
