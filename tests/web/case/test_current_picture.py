"""The child's record opens on the current picture: the child's status, who is involved
(the lead professional first, with their contact), what is waiting, and the ways to send a
request or plan a meeting; and none of it for a reader the visibility gate keeps it from."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from joinedup.access import plan_meeting
from joinedup.information_requests import send_request

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SignIn = Callable[[str], Client]


def page(client: Client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return response.content.decode()


def section(html: str, heading_id: str) -> str:
    """The part of the page from one h2 to the next."""
    found = re.search(rf'<h2 class="govuk-heading-m" id="{heading_id}">(.*?)(?=<h2 |\Z)',
                      html, re.S)
    assert found is not None, heading_id
    return found[1]


def test_baby_s_is_shown_as_looked_after_since_23_may_2025(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    html = page(signed_in("health.visitor"), f"/children/{web_case['child']}/")
    status = section(html, "status")
    assert "Looked after</strong> since 23 May 2025" in status
    assert "children" in status.lower() and "(CSC)" in status
    # the child in need plan ended in September 2024: it is not a status today
    assert "Child in need" not in status
    # the status comes before the alerts, the network and the requests
    assert html.index('id="status"') < html.index('id="alerts"') < html.index('id="network"')


def test_every_involved_agency_is_listed_with_the_role_it_sent(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    involved = section(page(signed_in("health.visitor"), f"/children/{web_case['child']}/"),
                       "practitioners")
    assert "Probation Service (PROBATION)" in involved and "probation officer" in involved
    assert "Health Visiting (0-19 service) (HV)" in involved and "health visitor" in involved
    assert "Women&#39;s Refuge (REFUGE)" in involved


def test_a_perpetrator_side_reader_is_not_told_of_the_victim_support_services(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    involved = section(page(signed_in("probation.officer"), f"/children/{web_case['child']}/"),
                       "practitioners")
    assert "Probation Service (PROBATION)" in involved
    for hidden in ("REFUGE", "Refuge", "FREEDOM", "Freedom"):
        assert hidden not in involved


def test_the_lead_professional_comes_first_with_their_contact(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    involved = section(page(signed_in("police.officer"), f"/children/{web_case['child']}/"),
                       "practitioners")
    lead = re.search(r'<div class="govuk-inset-text">(.*?)</div>', involved, re.S)
    assert lead is not None and "Lead professional" in lead[1]
    assert "Jordan Ellery, social worker, Children&#39;s Social Care (CSC)" in lead[1]
    assert "0161 496 0142" in lead[1]
    # the others as their agencies sent them, the lead not repeated
    assert "Priya Nandra, health visitor" in involved
    assert "Contact: 0161 496 0718" in involved
    assert involved.count("Jordan Ellery") == 1
    assert involved.index("Lead professional") < involved.index("Priya Nandra")


TIERS = ["Urgent", "High", "Routine"]


def test_open_alerts_are_listed_the_most_urgent_first(web_case: dict[str, Any],
                                                      signed_in: SignIn) -> None:
    alerts = section(page(signed_in("social.worker"), f"/children/{web_case['child']}/"),
                     "alerts")
    shown = re.findall(r'<strong class="govuk-tag govuk-tag--\w+">(Urgent|High|Routine)</strong>',
                       alerts)
    assert len(set(shown)) >= 2  # the demo's alerts are of more than one tier
    assert shown == sorted(shown, key=TIERS.index)


def test_what_is_waiting_names_the_next_meeting_and_the_requests_awaiting_a_reply(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    child = web_case["child"]
    waiting = section(page(signed_in("social.worker"), f"/children/{child}/"), "waiting")
    assert "No meeting planned" in waiting
    assert "No information request waiting for a reply" in waiting
    plan_meeting(child_id=child, agency="CSC", on=dt.date.today() + dt.timedelta(days=7),
                 invited=["HV"], who="test", purpose="Agree a plan for Sienna's safety")
    send_request(from_agency="HV", to_agency="CSC", person_id=web_case["mother"],
                 child_id=child, reason="CARE_HISTORY", question="The mother's care history",
                 requested_on=dt.date.today() - dt.timedelta(days=60), who="test")
    waiting = section(page(signed_in("social.worker"), f"/children/{child}/"), "waiting")
    assert re.search(r"Next meeting: <a class=\"govuk-link\" href=\"/meetings/\d+/\">", waiting)
    assert "1 information request waiting for a reply" in waiting
    assert "1 overdue" in waiting
    assert "open alert" in waiting


def test_practitioners_get_the_buttons_to_send_a_request_and_plan_a_meeting(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    child = web_case["child"]
    for who in ("social.worker", "health.visitor", "safeguarding.lead"):
        client = signed_in(who)
        html = page(client, f"/children/{child}/")
        send = re.search(r'<a class="govuk-button"[^>]*href="([^"]+)">Send a request</a>', html)
        plan = re.search(r'<a class="govuk-button[^"]*"[^>]*href="([^"]+)">Plan a meeting</a>',
                         html)
        assert send is not None and plan is not None, who
        assert send[1] == f"/requests/new/?child={child}"
        assert plan[1] == f"/meetings/plan/?child={child}"
        assert "Send an information request" in page(client, send[1])
        assert "Plan a professionals meeting" in page(client, plan[1])


def test_a_review_panel_member_reads_the_record_without_the_buttons(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    html = page(signed_in("panel.member"), f"/children/{web_case['child']}/")
    assert "Looked after</strong> since 23 May 2025" in html
    assert "Send a request" not in html and "Plan a meeting" not in html


def test_a_perpetrator_side_reader_is_given_no_name_or_contact_kept_safe_by_the_gate(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    """Probation knows the family only through the father: the other agencies' entries about
    the mother and child reach it as headlines that say to ask the social worker, so it is
    told who is involved but not the practitioners' names or numbers (a local team's number
    could say where they live)."""
    involved = section(page(signed_in("probation.officer"), f"/children/{web_case['child']}/"),
                       "practitioners")
    assert "Children&#39;s Social Care (CSC)" in involved and "health visitor" in involved
    for kept in ("Jordan Ellery", "0161 496 0142", "Priya Nandra", "0161 496 0718"):
        assert kept not in involved
    assert "Marcus Oyelaran" in involved  # probation's own officer, from its own events


def test_adult_services_shared_as_a_headline_still_name_their_practitioner(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    involved = section(page(signed_in("health.visitor"), f"/children/{web_case['child']}/"),
                       "practitioners")
    assert "Marcus Oyelaran, probation officer" in involved
    assert "0161 496 0395" in involved
