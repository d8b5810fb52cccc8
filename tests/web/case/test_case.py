"""The child's case pages as the Baby S case's practitioners see them: finding the child,
the case page, the chronology (filters, "as known on", the sharing policy for adult
services' information), its downloads, the swimlane and the replay; and the refusal,
audited, for someone with no relationship with the family."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from joinedup.access.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SignIn = Callable[[str], Client]
RELEASE_SUMMARY = "Released from HMP on licence"
HEADLINE = "Held by probation: ask Gareth Okafor (0161 496 0730), or the probation officer"


def page(client: Client, address: str, status: int = 200) -> str:
    response = client.get(address)
    assert response.status_code == status, (address, response.status_code)
    return response.content.decode()


def last_audit(actor: str) -> AuditEntry:
    return AuditEntry.objects.filter(actor=actor).order_by("-id").first()  # type: ignore


def test_children_lists_the_allocated_child_first(web_case: dict[str, Any],
                                                  signed_in: SignIn) -> None:
    html = page(signed_in("social.worker"), "/children/")
    assert "Children you work with" in html
    first = re.search(r'<a class="govuk-link" href="/children/(\d+)/">([^<]+)</a>', html)
    assert first is not None and int(first[1]) == web_case["child"]
    assert first[2] == "Sienna Ashworth"
    assert "Allocated to you" in html


@pytest.mark.parametrize("typed", ["HV:HV-5510871", "hv:HV-5510871", "Sienna Ashworth",
                                   "ashworth sienna", "child-id"])
def test_a_health_visitor_finds_the_child_by_reference_name_or_number(
        web_case: dict[str, Any], signed_in: SignIn, typed: str) -> None:
    typed = str(web_case["child"]) if typed == "child-id" else typed
    html = page(signed_in("health.visitor"), f"/children/?q={typed}")
    assert f'href="/children/{web_case["child"]}/"' in html
    assert "Your team is allocated" in html


def test_the_search_never_shows_a_child_the_user_may_not_open(web_case: dict[str, Any],
                                                               signed_in: SignIn) -> None:
    teacher = signed_in("school.teacher")
    for typed in ("HV:HV-5510871", "Sienna", "Ashworth", str(web_case["child"])):
        html = page(teacher, f"/children/?q={typed}")
        assert "0 children found" in html
        assert f"/children/{web_case['child']}/" not in html
        assert "Sienna Ashworth" not in html
    # an unknown reference and a hidden one get the same answer
    def main(html: str, typed: str) -> str:
        return html[html.index("<main"):html.index("</main>")].replace(typed, "X")

    assert main(page(teacher, "/children/?q=HV:HV-5510871"), "HV:HV-5510871") == \
        main(page(teacher, "/children/?q=HV:NO-SUCH-ONE"), "HV:NO-SUCH-ONE")
    assert "Sienna Ashworth" not in page(teacher, "/children/")


def test_the_case_page_shows_the_child_the_reasons_and_the_family(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    child = web_case["child"]
    html = page(signed_in("health.visitor"), f"/children/{child}/")
    assert "<h1 class=\"govuk-heading-l\">Sienna Ashworth</h1>" in html
    assert "9 August 2024" in html  # date of birth, in words
    assert "HV, reference HV-5510871" in html
    assert "Your team is allocated" in html and "Stockport South health visiting" in html
    # the family network: who is who, with the agencies that recorded each link
    assert "Daniel Kerrigan" in html and "Kayleigh Ashworth" in html
    assert re.search(r"Daniel Kerrigan.*?father.*?PROBATION", html, re.S)
    # open alerts link to their pages; requests and meetings have their sections
    assert re.search(r'href="/alerts/\d+/"', html)
    # open alerts are grouped by rule, named by the rule's title, with the state of the latest
    assert re.search(r'href="/alerts/\d+/">Child not brought to appointments</a>\s*<span '
                     r'class="govuk-body-s jup-case-secondary">\d+ missed appointments between ',
                     html)
    assert "Information requests" in html and "Professionals meetings" in html
    for name in ("chronology", "swimlane", "replay"):
        assert f'href="/children/{child}/{name}/"' in html
    assert "no-store" in signed_in("health.visitor").get(f"/children/{child}/")["Cache-Control"]
    entry = last_audit("health.visitor")
    assert (entry.action, entry.child_id) == ("view_child", child)
    assert "allocated" in entry.reason


CHILD_PAGES = ["", "chronology/", "chronology.pdf", "chronology.docx", "chronology.csv",
               "swimlane/", "replay/", "replay/?from=2025-01-01&to=2025-05-21",
               "chronology/?known_by=2025-03-03"]


@pytest.mark.parametrize("rest", CHILD_PAGES)
def test_someone_with_no_relationship_is_refused_every_page_and_it_is_audited(
        web_case: dict[str, Any], signed_in: SignIn, rest: str) -> None:
    child = web_case["child"]
    response = signed_in("school.teacher").get(f"/children/{child}/{rest}")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert f'href="/children/{child}/break-glass/' in html
    for secret in ("Sienna", "Ashworth", "Kerrigan", "%PDF"):
        assert secret not in html
    assert "attachment" not in response.get("Content-Disposition", "")
    entry = last_audit("school.teacher")
    assert (entry.action, entry.child_id) == ("access_refused", child)


def test_the_health_visitor_sees_probations_release_only_as_a_headline(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    child = web_case["child"]
    html = page(signed_in("health.visitor"), f"/children/{child}/chronology/")
    assert '<ol class="jup-timeline">' in html
    release = re.search(r"<li class=\"jup-timeline__item[^\"]*\">\s*<div class=\"jup-timeline"
                        r"__header\">\s*<h4 class=\"jup-timeline__title\">Released from custody"
                        r".*?</li>", html, re.S)
    assert release is not None
    assert HEADLINE in release[0] and "16 August 2024" in release[0]
    assert 'datetime="2024-08-16"' in release[0]
    assert "Held back: only the headline is shared with you" in release[0]
    assert "Lawful basis: UK GDPR Art. 6(1)(e)" in html  # once, at the top
    assert RELEASE_SUMMARY not in html  # never the summary, anywhere on the page
    # probation's home circumstances check is shared in full, with its basis
    assert "Release address at his mother" in html
    # adult mental health's routine appointments are not shown at all
    assert "Childhood trauma" not in html
    # the delay in working days, and the gaps
    assert "Recorded 15 working days later, on 5 September 2024" in html
    assert "Gaps" in html
    entry = last_audit("health.visitor")
    assert (entry.action, entry.child_id) == ("view_chronology", child)


def test_the_probation_officer_sees_their_own_release_in_full(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    html = page(signed_in("probation.officer"),
                f"/children/{web_case['child']}/chronology/?agency=PROBATION")
    assert RELEASE_SUMMARY in html
    assert HEADLINE not in html
    # the police's intelligence is still only a headline to probation
    police = page(signed_in("probation.officer"),
                  f"/children/{web_case['child']}/chronology/?agency=POLICE")
    assert "Held by the police: ask the police public protection unit" in police


def test_as_known_on_shows_only_what_had_been_recorded_by_then(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    child = web_case["child"]
    social_worker = signed_in("social.worker")
    # the visit of 14 August 2024 was recorded on 5 September
    everything = page(social_worker, f"/children/{child}/chronology/?to=2024-09-01")
    assert "Visit five days after the birth" in everything
    assert "Showing what had been recorded by" not in everything
    known = page(social_worker, f"/children/{child}/chronology/?to=2024-09-01"
                                "&known_by=2024-09-01")
    assert "Showing what had been recorded by 1 September 2024" in known
    assert "Visit five days after the birth" not in known
    entry = last_audit("social.worker")
    assert entry.action == "view_chronology"
    assert entry.details["filters"] == {"to": "2024-09-01", "known_by": "2024-09-01"}


def test_filters_narrow_the_chronology_and_wrong_ones_are_explained(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    child = web_case["child"]
    social_worker = signed_in("social.worker")
    hv = page(social_worker, f"/children/{child}/chronology/?agency=HV&type=HV_VISIT")
    bylines = re.findall(r'<p class="jup-timeline__byline">([^<]*)</p>', hv)
    assert bylines and all("(HV)" in b for b in bylines)
    father = page(social_worker, f"/children/{child}/chronology/?person={web_case['father']}")
    assert "Daniel Kerrigan" in father and "Kayleigh Ashworth:" not in father
    wrong = page(social_worker, f"/children/{child}/chronology/?from=31/02/2025&to=2024-01-01"
                                "&agency=NOPE", status=400)
    assert "<title>Error: Chronology" in wrong
    assert "govuk-error-summary" in wrong
    assert "must be a real date" in wrong and "Choose an agency from the list" in wrong


def test_the_csv_download_is_named_without_the_child_and_applies_the_policy(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    child = web_case["child"]
    response = signed_in("health.visitor").get(f"/children/{child}/chronology.csv?agency="
                                               "PROBATION")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.search(rf'filename="chronology-person-{child}-\d{{4}}-\d\d-\d\d\.csv"',
                     disposition)
    assert "Sienna" not in disposition and "Ashworth" not in disposition
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and {r["agency"] for r in rows} == {"PROBATION"}
    release = next(r for r in rows if r["event_type"] == "CUSTODY_RELEASE")
    assert release["summary"] == HEADLINE and release["shared_as"] == "headline"
    assert release["details"] == "" and "Art. 10" in release["lawful_basis"]
    assert RELEASE_SUMMARY not in response.content.decode()
    entry = last_audit("health.visitor")
    assert (entry.action, entry.child_id) == ("export", child)
    assert entry.details["format"] == "csv"
    assert entry.details["filters"] == {"agency": "PROBATION"}


def test_the_pdf_and_word_downloads(web_case: dict[str, Any], signed_in: SignIn) -> None:
    child = web_case["child"]
    client = signed_in("health.visitor")
    pdf = client.get(f"/children/{child}/chronology.pdf?from=2024-08-01&to=2024-09-30")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"
    assert re.search(rf"chronology-person-{child}-[\d-]+\.pdf", pdf["Content-Disposition"])
    word = client.get(f"/children/{child}/chronology.docx?from=2024-08-01&to=2024-09-30")
    assert word.status_code == 200 and word.content.startswith(b"PK")
    from docx import Document

    text = "\n".join(cell.text for table in Document(io.BytesIO(word.content)).tables
                     for row in table.rows for cell in row.cells)
    assert HEADLINE in text and RELEASE_SUMMARY not in text
    assert client.get(f"/children/{child}/chronology.xlsx").status_code == 404
    actions = list(AuditEntry.objects.filter(actor="health.visitor", child_id=child)
                   .order_by("-id").values_list("action", flat=True)[:3])
    assert actions == ["access_refused", "export", "export"]  # the .xlsx: no such page


def test_the_swimlane_is_drawn_with_one_lane_per_agency_and_its_numbers(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    child = web_case["child"]
    html = page(signed_in("health.visitor"), f"/children/{child}/swimlane/")
    svg = re.search(r"<svg .*?</svg>", html, re.S)
    assert svg is not None and "style=" not in svg[0]
    root = ET.fromstring(svg[0])  # well-formed
    ns = "{http://www.w3.org/2000/svg}"
    # a picture of links: a named group (an image may not hold links), its title its name
    assert root.get("role") == "group" and root.find(f"{ns}title") is not None
    lanes = root.findall(f"{ns}g[@class='jup-swimlane__lane']")
    columns = re.findall(r'<abbr title="[^"]+">([A-Z_]+)</abbr></th>', html)
    assert len(lanes) == len(columns) >= 10
    assert {"HV", "CSC", "PROBATION", "POLICE", "HOSPITAL"} <= set(columns)
    assert "Events by month and agency" in html
    # lanes are labelled with the agencies' names, not their codes
    labels = [" ".join(t.text or "" for t in lane.iter(f"{ns}tspan")) for lane in lanes]
    assert "Health Visiting (0-19 service)" in labels and "HV" not in labels
    # every mark opens that agency's entries of that day in the chronology
    links = root.findall(f".//{ns}a")
    assert len(links) >= 30
    first = links[0].get("href") or ""
    assert first.startswith(f"/children/{child}/chronology/?agency=") and "&from=" in first
    followed = signed_in("health.visitor").get(first)
    assert followed.status_code == 200
    # dates in GOV.UK day, month and year boxes, showing the picture's first day
    assert 'name="from-day"' in html and 'type="date"' not in html
    narrowed = page(signed_in("health.visitor"), f"/children/{child}/swimlane/?from-day=1&"
                    "from-month=1&from-year=2025&to-day=31&to-month=3&to-year=2025")
    assert "1 January 2025 to 31 March 2025" in narrowed


def test_the_replay_says_when_each_rule_could_have_been_known(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    child = web_case["child"]
    social_worker = signed_in("social.worker")
    form = page(social_worker, f"/children/{child}/replay/")
    assert "When could we have known?" in form and "on what had been recorded" in form
    assert 'name="from-day"' in form and 'name="to-year"' in form
    html = page(social_worker, f"/children/{child}/replay/?from=2025-03-01&to=2025-03-10")
    assert "Held back by late recording" in html
    assert "Child not brought to appointments" in html
    assert "5 March 2025" in html
    boxes = page(social_worker, f"/children/{child}/replay/?from-day=1&from-month=3&"
                 "from-year=2025&to-day=10&to-month=3&to-year=2025")
    assert "Child not brought to appointments" in boxes and 'name="from-day" type="text"' \
        in boxes and 'value="10"' in boxes and 'type="date"' not in boxes
    unreal = page(social_worker, f"/children/{child}/replay/?from-day=31&from-month=2&"
                  "from-year=2025&to-day=10&to-month=3&to-year=2025", status=400)
    assert "The first day of the period must be a real date, like 3 3 2025" in unreal
    wrong = page(social_worker, f"/children/{child}/replay/?from=2025-05-21&to=2025-01-01",
                 status=400)
    assert "Error:" in wrong and "on or after the first day" in wrong


def test_a_case_page_reads_the_family_relationships_once(web_case: dict[str, Any],
                                                         signed_in: SignIn) -> None:
    """The access check, the words of its reason and the page share one read of the
    child's relationships (people.network.networks_remembered); a later page reads again,
    so a relationship recorded in between is seen."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from joinedup.people.models import RelationshipRecord

    table = RelationshipRecord._meta.db_table
    client = signed_in("health.visitor")
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            html = page(client, f"/children/{web_case['child']}/")
        reads = [q for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]
        assert "Your agency works with the family" in html or "Your team is allocated" in html
        assert 1 <= len(reads) <= 2  # the child's relationships, then their parents'


def test_the_chronology_says_which_agencies_recorded_late_as_its_entries_show(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    """The note above the timeline agrees with the entries themselves: for each agency, the
    entries recorded more than 5 working days after they happened, and the longest delay."""
    html = page(signed_in("social.worker"), f"/children/{web_case['child']}/chronology/")
    late: dict[str, list[int]] = {}
    for item in re.findall(r'<li class="jup-timeline__item.*?</li>', html, re.S):
        agency = re.search(r'jup-timeline__byline">([^<]*?) \([A-Z0-9_-]+\) ·', item)
        delay = re.search(r"Recorded (\d+) working days? later", item)
        if agency and delay and int(delay[1]) > 5:
            late.setdefault(agency[1].strip(), []).append(int(delay[1]))
    assert late, "the Baby S case has entries recorded late"
    note = re.search(r'<div class="govuk-inset-text">\s*<p class="govuk-body">Recorded late'
                     r'.*?</div>', html, re.S)
    assert note is not None
    lines = re.findall(r"<li>([^<]*)</li>", note[0])
    expected = sorted(late, key=lambda name: (-max(late[name]), name))
    assert [line.split(":")[0] for line in lines] == expected
    for line, name in zip(lines, expected, strict=True):
        count = len(late[name])
        assert f"{count} {'entry' if count == 1 else 'entries'} here" in line
        assert f"up to {max(late[name])} working days late" in line
