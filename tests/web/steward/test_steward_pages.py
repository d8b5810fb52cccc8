"""The data steward's pages: the returns received, one submission with its rows kept back,
the quarantine, and uploading a return through the same ingest as `joinedup ingest`."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from joinedup.access.models import AuditEntry
from joinedup.agencies.models import Submission
from joinedup.ingest.models import QuarantinedRow
from joinedup.people.models import PersonRecord
from joinedup.web.jinja import plural
from tests.helpers import write_return
from tests.ingest.formats.fhir_bundle import write_bundle
from tests.ingest.formats.ssd_folder import write_ssd

pytestmark = pytest.mark.django_db

SignIn = Callable[[str], Client]

PEOPLE = [
    {"person_id": "HV-T-1", "given_name": "Rowan", "family_name": "Testwell",
     "date_of_birth": "2024-02-01", "sex": "F", "nhs_number": "9434765919",
     "postcode": "SK1 3XE"},
    {"person_id": "HV-T-2", "given_name": "Ellis", "family_name": "Testwell",
     "date_of_birth": "1999-07-12", "sex": "M", "nhs_number": "",
     "postcode": "SK1 3XE"},
]
EVENTS = [
    {"event_id": "HV-T-E1", "person_id": "HV-T-1", "event_type": "HV_VISIT",
     "occurred_at": "2025-01-10", "recorded_at": "2025-01-12", "summary": "Visit at home"},
]
STEWARD_PAGES = ["/data/", "/data/quarantine/", "/data/upload/", "/data/linkage/"]


def text_of(response: Any) -> str:
    """The words of a page, tags and repeated spaces removed (what a reader sees)."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def zipped(folder: Path, name: str = "hv-return.zip") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{folder.name}/{path.name}")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def upload(client: Client, file: SimpleUploadedFile, agency: str = "HV", fmt: str = "auto",
           dry_run: bool = False) -> Any:
    data: dict[str, Any] = {"file": file, "agency": agency, "format": fmt}
    if dry_run:
        data["dry_run"] = "on"
    return client.post("/data/upload/", data)


def steward(signed_in: SignIn) -> Client:
    """The data steward, signed in, having given the reason for the sitting."""
    client = signed_in("data.steward")
    stated = client.post("/data/reason/", {"reason": "Fixing this month's returns",
                                           "next": "/data/quarantine/"})
    assert stated.status_code == 302
    return client


@pytest.fixture
def hv_return(tmp_path: Path) -> Path:
    return write_return(tmp_path / "hv-return", people=PEOPLE, events=EVENTS)


def test_only_data_stewards_open_the_data_pages(signed_in: SignIn) -> None:
    submission = Submission.objects.first()
    assert submission is not None
    pages = [*STEWARD_PAGES, f"/data/submissions/{submission.pk}/", "/data/linkage/1/2/",
             "/data/people/1/split/"]
    for user in ("school.teacher", "social.worker", "business.unit", "safeguarding.lead"):
        client = signed_in(user)
        for address in pages:
            response = client.get(address)
            assert response.status_code == 403, (user, address)
            assert "This page is for a data steward" in text_of(response)
        assert client.post("/data/upload/", {"agency": "HV"}).status_code == 403
        assert 'href="/data/"' not in client.get("/work/").content.decode()


def test_the_steward_sees_every_return_received_newest_first(signed_in: SignIn) -> None:
    client = steward(signed_in)
    for address in STEWARD_PAGES:
        assert client.get(address).status_code == 200, address
    shown = text_of(client.get("/data/"))
    newest = Submission.objects.select_related("agency").order_by("-received_at", "-id")[0]
    assert f"{Submission.objects.count()} returns" in shown
    assert newest.file_name in shown and newest.agency.name in shown
    assert "Rows loaded" in shown and "Kept back" in shown and "Warnings" in shown
    probation = Submission.objects.filter(agency__code="PROBATION").count()
    filtered = text_of(client.get("/data/?agency=PROBATION"))
    assert f"{plural(probation, 'return')} from Probation Service" in filtered
    assert AuditEntry.objects.filter(actor="data.steward", action="view_page",
                                     object_id="/data/").exists()


def test_uploading_a_return_loads_it_and_sending_it_again_changes_nothing(
        signed_in: SignIn, hv_return: Path) -> None:
    client = steward(signed_in)
    before = Submission.objects.count()
    response = upload(client, zipped(hv_return))
    assert response.status_code == 302
    submission = Submission.objects.order_by("-id")[0]
    assert response["Location"] == f"/data/submissions/{submission.pk}/"
    assert submission.file_name == "hv-return.zip" and submission.received_by == "data.steward"
    assert submission.rows_loaded == 3  # two people and one event
    assert PersonRecord.objects.filter(source_id__startswith="HV-T-").count() == 2
    entry = AuditEntry.objects.filter(action="change", object_type="submission").latest("id")
    assert entry.actor == "data.steward" and entry.object_id == str(submission.pk)

    shown = text_of(client.get(response["Location"]))
    assert f"Submission {submission.pk} from HV: 3 rows loaded, 0 kept back" in shown
    assert "hv-return.zip" in shown and "Loaded" in shown

    again = upload(client, zipped(hv_return))
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert Submission.objects.count() == before + 1
    shown = text_of(client.get(again["Location"]))
    assert re.search(r"This file was already received from HV on \d+ \w+ \d{4} at [\d:apm]+ "
                     rf"\(submission {submission.pk}\): nothing changed\.", shown)


def test_a_dry_run_checks_everything_and_stores_nothing(
        signed_in: SignIn, hv_return: Path) -> None:
    client = steward(signed_in)
    before = Submission.objects.count()
    response = upload(client, zipped(hv_return), dry_run=True)
    assert response.status_code == 200
    shown = text_of(response)
    assert "Checked only: nothing was stored" in shown
    assert "3 rows would be read: 3 loaded, 0 kept back and 0 warnings" in shown
    assert Submission.objects.count() == before
    assert not PersonRecord.objects.filter(source_id__startswith="HV-T-").exists()


def test_rows_kept_back_show_table_row_column_reason_and_the_values_sent(
        signed_in: SignIn, tmp_path: Path) -> None:
    events = [*EVENTS, {**EVENTS[0], "event_id": "HV-T-E2", "event_type": "HV_VIST"}]
    folder = write_return(tmp_path / "bad-return", people=PEOPLE, events=events)
    client = steward(signed_in)
    response = upload(client, zipped(folder, "bad-return.zip"))
    assert response.status_code == 302
    submission = Submission.objects.order_by("-id")[0]
    row = QuarantinedRow.objects.get(submission=submission)
    assert (row.table, row.row_number, row.column) == ("events", 3, "event_type")

    shown = text_of(client.get(response["Location"]))
    assert "3 rows loaded, 1 kept back, 0 warnings" in shown
    assert "Some rows kept back" in shown
    assert "events 3 event_type 'HV_VIST' is not an event type" in shown
    assert f"Fix: {row.fix}" in shown and "Values as sent" in shown
    assert "event_type HV_VIST" in shown and "event_id HV-T-E2" in shown

    listing = text_of(client.get(f"/data/quarantine/?submission={submission.pk}"))
    assert f"1 row kept back in submission {submission.pk}" in listing
    assert (f"Submission {submission.pk} Health Visiting (0-19 service) events 3 event_type"
            in listing)
    assert "HV_VIST" in listing
    by_agency = text_of(client.get("/data/quarantine/?agency=HV"))
    assert "kept back from Health Visiting (0-19 service)" in by_agency
    wrong = client.get("/data/quarantine/?submission=twelve")
    assert "Enter a submission number" in text_of(wrong)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.txt", b"hello", "joinedup reads a .zip of a return's CSV files"),
    ("return.zip", b"not a zip at all", "the .zip cannot be opened"),
    ("visits.csv", b"a,b\n1,2\n", "a single CSV must be named people.csv"),
    ("people.csv", b"id,given_name\nP1,Ann\n", "the header has no person_id"),
    ("census.xml", b"<Message><Children>", "is not well-formed XML"),
])
def test_a_file_that_cannot_be_read_is_explained_not_a_crash(
        signed_in: SignIn, name: str, content: bytes, message: str) -> None:
    client = steward(signed_in)
    before = Submission.objects.count()
    response = upload(client, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    shown = text_of(response)
    assert shown.count("There is a problem") == 1
    assert message in shown
    assert "/tmp/" not in shown and "scratch" not in shown  # noqa: S108 - text the page must not show
    assert "upload-" not in shown  # the folder the upload was saved in
    assert "<title>Error: Upload a return" in response.content.decode()
    assert Submission.objects.count() == before


def test_the_form_asks_for_a_file_and_a_known_agency(signed_in: SignIn) -> None:
    client = steward(signed_in)
    response = client.post("/data/upload/", {"agency": "NOPE", "format": "auto"})
    assert response.status_code == 400
    shown = text_of(response)
    assert "Select the file holding the return" in shown
    assert "Select the agency that sent the return from the list" in shown
    assert 'href="#file"' in response.content.decode()


def test_a_zip_that_climbs_out_of_its_folder_is_refused(signed_in: SignIn) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../people.csv", "person_id,family_name\nP1,Smith\n")
    response = upload(steward(signed_in), SimpleUploadedFile("evil.zip",
                                                                   buffer.getvalue()))
    assert response.status_code == 400
    assert "names a file outside its own folder" in text_of(response)


def test_statutory_returns_upload_too(signed_in: SignIn, shared_samples: Path) -> None:
    client = steward(signed_in)
    census = shared_samples / "cin-census" / "CIN_Census_2021.xml"
    response = upload(client, SimpleUploadedFile(census.name, census.read_bytes()),
                      agency="CSC")
    assert response.status_code == 302
    submission = Submission.objects.order_by("-id")[0]
    assert (submission.format, submission.file_name) == ("cin-census", census.name)
    assert submission.rows_loaded > 0

    header = shared_samples / "ssda903" / "header.csv"
    response = upload(client, SimpleUploadedFile("header.csv", header.read_bytes()),
                      agency="CSC", fmt="ssda903", dry_run=True)
    assert response.status_code == 200
    shown = text_of(response)
    assert "Checked only: nothing was stored" in shown and "format: ssda903" in shown


def test_the_data_standards_upload_too(signed_in: SignIn, tmp_path: Path) -> None:
    """An SSD extract as a zip of its tables, and a FHIR bundle, chosen by format."""
    client = steward(signed_in)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for table in sorted(write_ssd(tmp_path / "ssd").glob("*.csv")):
            archive.write(table, table.name)
    response = upload(client, SimpleUploadedFile("extract.zip", buffer.getvalue()),
                      agency="CSC", fmt="ssd")
    assert response.status_code == 302, text_of(response)
    assert Submission.objects.order_by("-id")[0].format == "ssd"
    health = write_bundle(tmp_path)
    response = upload(client, SimpleUploadedFile(health.name, health.read_bytes()),
                      agency="HV", fmt="fhir")
    assert response.status_code == 302, text_of(response)
    submission = Submission.objects.order_by("-id")[0]
    assert (submission.format, submission.rows_loaded > 0) == ("fhir", True)
    form = client.get("/data/upload/").content.decode()
    assert "Standard Safeguarding Dataset extract" in form and "FHIR R4 UK Core" in form


def test_rows_kept_back_are_shown_after_the_reason_and_audited(signed_in: SignIn) -> None:
    client = signed_in("data.steward")
    for address in ("/data/quarantine/", f"/data/submissions/{Submission.objects.first().pk}/"):
        asked = client.get(address)
        assert asked.status_code == 302 and asked["Location"].startswith("/data/reason/")
    for address in ("/data/", "/data/upload/"):  # no one's details: no reason asked
        assert client.get(address).status_code == 200
    client.post("/data/reason/", {"reason": "Fixing this month's returns"})
    assert client.get("/data/quarantine/").status_code == 200
    entry = AuditEntry.objects.filter(action="view_identifiers", object_type="page",
                                      object_id="/data/quarantine/").latest("id")
    assert entry.actor == "data.steward" and entry.reason == "Fixing this month's returns"


def test_a_row_kept_back_about_a_sealed_child_shows_only_with_a_leads_approval(
        signed_in: SignIn, tmp_path: Path, web_case: dict[str, Any]) -> None:
    from django.contrib.auth import get_user_model

    from joinedup.access.sealed_approval import approve
    from joinedup.access.sealing import seal

    child = web_case["child"]
    source_id = PersonRecord.objects.get(person_id=child, agency__code="HV").source_id
    events = [{"event_id": "HV-T-E9", "person_id": source_id, "event_type": "HV_VIST",
               "occurred_at": "2025-01-10", "recorded_at": "2025-01-12",
               "summary": "Seen at home with Zephyrine Quorn"}]
    folder = write_return(tmp_path / "sealed-return", people=PEOPLE, events=events)
    client = steward(signed_in)
    assert upload(client, zipped(folder, "sealed-return.zip")).status_code == 302
    submission = Submission.objects.order_by("-id")[0]
    seal(child, "Placed for adoption", "test")

    for address in (f"/data/quarantine/?submission={submission.pk}",
                    f"/data/submissions/{submission.pk}/"):
        page = client.get(address)
        html = page.content.decode()
        assert page.status_code == 200 and "Sealed record" in html, address
        assert "Zephyrine" not in html and source_id not in html and "HV_VIST" not in html

    users = get_user_model().objects
    approve(child, users.get(username="data.steward"), users.get(username="safeguarding.lead"),
            "The health visiting return has to be corrected")
    page = client.get(f"/data/quarantine/?submission={submission.pk}")
    html = page.content.decode()
    assert "Sealed record" not in html and "Zephyrine" in html and source_id in html
    look = AuditEntry.objects.filter(action="view_identifiers", child_id=child).latest("id")
    assert look.actor == "data.steward" and look.details["persons"] == [child]
    assert look.reason == "Fixing this month's returns"
