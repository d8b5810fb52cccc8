"""The partnership overview: charts drawn on the server as SVG, each with its numbers in a
table, checked against a tiny partnership whose every number is known by hand."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.test import Client

from joinedup.workdays import working_days_between
from tests.helpers import write_return

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
CHILD, MOTHER = 9001, 9002

PEOPLE = {
    "HV": [{"person_id": "P1", "given_name": "Testa", "family_name": "Overviewchild",
            "date_of_birth": "2024-06-01", "sex": "F"},
           {"person_id": "P2", "given_name": "Testa", "family_name": "Overviewmother",
            "date_of_birth": "1998-06-01", "sex": "F"}],
    "CSC": [{"person_id": "C1", "given_name": "Testa", "family_name": "Overviewchild",
             "date_of_birth": "2024-06-01", "sex": "F"}],
}


def _event(event_id: str, person: str, kind: str, occurred: str, recorded: str
           ) -> dict[str, str]:
    return {"event_id": event_id, "person_id": person, "event_type": kind,
            "occurred_at": occurred, "recorded_at": recorded}


EVENTS = {
    # working days to record: 0, 1, 5, 1 (Friday to Monday), 1 (over Easter 2025)
    "HV": [_event("E1", "P1", "HV_VISIT", "2025-03-03", "2025-03-03"),
           _event("E2", "P1", "HV_VISIT", "2025-03-03", "2025-03-04"),
           _event("E3", "P1", "HV_VISIT", "2025-03-03", "2025-03-10"),
           _event("E4", "P1", "HV_VISIT", "2025-03-07", "2025-03-10"),
           _event("E5", "P1", "HV_VISIT", "2025-04-17", "2025-04-22")],
    # 2 and 10 working days; the third happened before the period and is left out
    "CSC": [_event("K1", "C1", "HOME_VISIT", "2025-02-03", "2025-02-05"),
            _event("K2", "C1", "HOME_VISIT", "2025-02-03", "2025-02-17"),
            _event("K3", "C1", "HOME_VISIT", "2024-01-10", "2024-03-01")],
}


@pytest.fixture
def partnership(db: None, tmp_path: Path) -> dict[str, Any]:
    """Three agencies, a child known to two of them, alerts, requests, a meeting, a review
    and a published briefing used by two agencies' teams; the users who read the overview."""
    from joinedup.access.users import add_user
    from joinedup.agencies.registry import register_agency
    from joinedup.alerts.models import Alert, AlertRun
    from joinedup.briefings.activities import record_activity
    from joinedup.briefings.models import Briefing, BriefingStatus
    from joinedup.chronology.models import Event
    from joinedup.information_requests.meetings import record_meeting
    from joinedup.information_requests.requests import send_request
    from joinedup.ingest.loading import load_return
    from joinedup.people.models import Person, PersonRecord
    from joinedup.reviews.findings import add_action, complete_action
    from joinedup.reviews.workflow import open_review, record_step

    register_agency("HV", "Health Visiting", "HEALTH_VISITING", "E08000007")
    register_agency("CSC", "Children's Social Care", "CHILDRENS_SOCIAL_CARE", "E08000007")
    register_agency("GP", "GP Practice", "GP", "E08000007")
    for code in ("HV", "CSC"):
        folder = write_return(tmp_path / code, people=PEOPLE[code], events=EVENTS[code])
        assert load_return(folder, code).rows_quarantined == 0
    Person.objects.bulk_create([Person(id=CHILD), Person(id=MOTHER)])
    PersonRecord.objects.filter(source_id__in=["P1", "C1"]).update(person_id=CHILD)
    PersonRecord.objects.filter(source_id="P2").update(person_id=MOTHER)

    run = AlertRun.objects.create(who="test", rules_digest="test")
    events = {e.source_id: e for e in Event.objects.all()}
    for rule, title, fired, evidence in (
            ("RULE_ONE", "Rule one in words", "2025-03-05", ["E1", "K1"]),
            ("RULE_ONE", "Rule one in words", "2025-04-20", ["E5"]),
            ("RULE_TWO", "Rule two in words", "2025-03-20", ["K2"]),
            ("RULE_TWO", "Rule two in words", "2024-01-15", ["K3"])):  # before the period
        alert = Alert.objects.create(
            rule=rule, child_id=CHILD, key=fired, fired_on=fired, window_start=fired,
            window_end=fired, title=title, explanation="", recommended_action="", source="",
            first_run=run, last_run=run)
        alert.evidence.add(*(events[e] for e in evidence))

    old = dt.date(2024, 1, 2)
    overdue = send_request(from_agency="HV", to_agency="CSC", person_id=MOTHER,
                           reason="RISK_ADULT", question="Is he known?", who="test",
                           child_id=CHILD, requested_on=old)
    send_request(from_agency="HV", to_area="E08000003", person_id=CHILD,
                 reason="TRANSFER_IN_HISTORY", question="History?", who="test",
                 requested_on=old)
    send_request(from_agency="HV", to_agency="CSC", person_id=CHILD, reason="OTHER",
                 question="Still in time?", who="test")  # due in three weeks
    record_meeting(child_id=CHILD, agency="CSC", held_on=dt.date(2024, 2, 1),
                   attending=["HV"], decisions="Visit weekly", who="test",
                   actions=[{"description": "Visit", "owner": "North team",
                             "due_on": "2024-02-15", "owner_agency": "HV"}])

    review = open_review(CHILD, dt.date(2025, 5, 1), dt.date(2025, 4, 30),
                         "Child Q was harmed.", "Child Q", "test")
    record_step(review.pk, "sin", "test", done_on=dt.date(2025, 5, 2))  # on time
    record_step(review.pk, "agency_summary", "test", done_on=dt.date(2025, 6, 30),
                agency="HV", note="Summary")  # late: due on working day 10
    add_action(review.pk, "Train staff", "GP lead", dt.date(2025, 6, 1), "test",
               owner_agency="GP")
    done = add_action(review.pk, "Audit files", "CSC lead", dt.date(2025, 7, 1), "test")
    complete_action(done.pk, "test", dt.date(2025, 6, 20))

    briefing = Briefing.objects.create(review=review, title="Child Q", created_by="test",
                                       status=BriefingStatus.PUBLISHED,
                                       published_at=dt.datetime(2025, 9, 1, tzinfo=dt.UTC))
    for agency, team, people in (("HV", "North", 8), ("HV", "South", 5), ("CSC", "East", 4)):
        record_activity(briefing.pk, agency=agency, team=team, held_on=dt.date(2025, 9, 10),
                        attendees=people, facilitator="Lead", who="test")

    register_agency("SSCP", "Partnership business unit", "OTHER", "E08000007")
    for name, roles in (("unit", ["business_unit"]), ("lead", ["safeguarding_lead"]),
                        ("steward", ["data_steward"]), ("worker", ["practitioner"])):
        add_user(name, "SSCP", roles)
    return {"review": review.pk, "overdue_due_on": overdue.due_on}


def client_for(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def table(html: Any, caption: str) -> list[list[str]]:
    """The rows of the table with this caption, each a list of its cells' words."""
    found = [t for t in html.xpath("//table")
             if " ".join(t.xpath("string(caption)").split()) == caption]
    assert found, f"no table captioned {caption!r}"
    return [[" ".join(cell.text_content().split()) for cell in row.xpath("th|td")]
            for row in found[0].xpath("tbody/tr")]


def overview(username: str = "unit", to: str = "2025-04") -> tuple[str, Any]:
    response = client_for(username).get(f"/overview/?to={to}")
    assert response.status_code == 200
    text = response.content.decode()
    return text, lxml.html.fromstring(text)


def test_the_overview_is_for_safeguarding_leads_and_the_business_unit(
        partnership: dict[str, Any]) -> None:
    assert client_for("unit").get("/overview/").status_code == 200
    assert client_for("lead").get("/overview/").status_code == 200
    for user in ("steward", "worker"):
        response = client_for(user).get("/overview/")
        assert response.status_code == 403
        assert "This page is for a safeguarding lead or partnership business unit" in (
            response.content.decode())


def test_alerts_are_counted_by_rule_and_by_agency_each_month(
        partnership: dict[str, Any]) -> None:
    _, html = overview()
    by_rule = table(html, "Alerts raised each month, by rule")
    zeros = ["0"] * 10
    assert by_rule == [["Rule one in words", *zeros, "1", "1", "2"],
                       ["Rule two in words", *zeros, "1", "0", "1"]]
    by_agency = table(html, "Alerts raised each month, by agency whose records were evidence")
    assert by_agency == [["Children's Social Care", *zeros, "2", "0", "2"],
                         ["Health Visiting", *zeros, "1", "1", "2"]]
    headers = [" ".join(th.text_content().split()) for th in html.xpath(
        "//table[caption='Alerts raised each month, by rule']/thead/tr/th")]
    assert headers[1] == "May 2024" and headers[-2] == "Apr 2025" and headers[-1] == "Total"


def test_the_alerts_by_rule_are_named_by_the_rule_not_by_an_alerts_state(
        partnership: dict[str, Any]) -> None:
    """An alert's title says the state that fired it; the table by rule names the rule."""
    from joinedup.alerts.models import Alert

    first = Alert.objects.filter(rule="RULE_ONE").first()
    assert first is not None
    Alert.objects.create(rule="WAS_NOT_BROUGHT", child_id=CHILD, key="day 1",
                         fired_on="2025-04-02", window_start="2025-01-02",
                         window_end="2025-04-02",
                         title="2 missed appointments between 3 March and 2 April 2025",
                         explanation="", recommended_action="", source="",
                         first_run=first.first_run, last_run=first.last_run)
    _, html = overview()
    names = [row[0] for row in table(html, "Alerts raised each month, by rule")]
    assert "Child not brought to appointments" in names
    assert not any("missed appointments between" in name for name in names)


def test_alerts_are_counted_by_priority_and_per_thousand_children(
        partnership: dict[str, Any]) -> None:
    text, html = overview()
    zeros = ["0"] * 10
    assert table(html, "Alerts raised each month, by priority") == [
        ["Routine", *zeros, "2", "1", "3"]]
    children = re.search(r"known on 30 April 2025 \(([\d,]+) children\)", text)
    assert children is not None and int(children[1].replace(",", "")) >= 1
    assert "Alerts raised each month per 1,000 children, by priority" in text


def test_recording_delay_is_the_median_and_90th_percentile_in_working_days(
        partnership: dict[str, Any]) -> None:
    _, html = overview()
    assert table(html, "Recording delay by agency, in working days") == [
        ["Children's Social Care", "2", "2", "10", "0%", "50.0% (1)"],
        ["Health Visiting", "5", "1", "5", "20%", "0.0% (0)"],
    ]
    # the last column counts what the "Recorded late" rule counts: more than 5 working days
    assert "Recorded more than 5 working days late" in html.text_content()
    # the trend: what happened in each three months, the share recorded late; everything
    # here happened in March and April 2025
    trend = table(html, "Share recorded late, by agency, each three months")
    quiet = "nothing happened–"
    assert trend == [["Children's Social Care", quiet, quiet, quiet, "50.0%"],
                     ["Health Visiting", quiet, quiet, quiet, "0.0%"]]
    assert "Feb 2025 to Apr 2025" in html.text_content()


def test_overdue_requests_and_actions_are_counted_by_agency(
        partnership: dict[str, Any]) -> None:
    _, html = overview()
    today = dt.date.today()
    late = str(working_days_between(partnership["overdue_due_on"], today))
    assert table(html, "Overdue information requests, by the agency asked") == [
        ["Children's Social Care", "1", late],
        ["Children's services of Manchester (E08000003)", "1", late]]
    actions = table(html, "Overdue actions, by the owner's agency")
    assert [row[:4] for row in actions] == [["GP Practice", "0", "1", "1"],
                                            ["Health Visiting", "1", "0", "1"]]
    assert actions[0][4] == str(working_days_between(dt.date(2025, 6, 1), today))


def test_reviews_are_shown_against_their_clocks(partnership: dict[str, Any]) -> None:
    _, html = overview()
    rows = table(html, "Reviews: steps and recommended actions")
    assert len(rows) == 1
    assert rows[0][0].startswith("Child Q")
    # notification on time; HV's summary late; CSC's summary, the panel meeting, the rapid
    # review and sending it to the Panel overdue; one action overdue, one done
    assert rows[0][1:] == ["1", "1", "0", "4", "1", "1", "1"]


def test_briefing_reach_is_counted_by_agency(partnership: dict[str, Any]) -> None:
    _, html = overview()
    assert table(html, "Learning activities by agency") == [
        ["Health Visiting", "1 of 1", "2", "2", "13"],
        ["Children's Social Care", "1 of 1", "1", "1", "4"],
        ["GP Practice", "0 of 1", "0", "0", "0"],
        ["Partnership business unit", "0 of 1", "0", "0", "0"],
    ]


def test_every_chart_is_accessible_well_formed_svg_with_no_style(
        partnership: dict[str, Any]) -> None:
    text, _ = overview("lead")
    charts = re.findall(r"<svg\b.*?</svg>", text, flags=re.DOTALL)
    assert len(charts) == 12
    for markup in charts:
        svg = ET.fromstring(markup)  # well-formed XML
        assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby", "").split()
        assert svg.find(f"{SVG}title").get("id") == title_id
        assert svg.find(f"{SVG}desc").get("id") == desc_id
        assert not [e for e in svg.iter() if "style" in e.attrib]
        colours = {e.get(a) for e in svg.iter() for a in ("fill", "stroke") if e.get(a)}
        assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours), colours
        assert svg.findall(f".//{SVG}rect") or svg.findall(f".//{SVG}text")
    assert "style=" not in text
    # counts only: the family is not named anywhere on the page
    assert "Overviewchild" not in text and "Overviewmother" not in text


def test_the_period_can_be_chosen_and_a_wrong_one_falls_back(
        partnership: dict[str, Any]) -> None:
    text, html = overview(to="2024-01")
    assert "1 February 2023 to 31 January 2024" in text
    assert table(html, "Alerts raised each month, by rule") == [
        ["Rule two in words", *(["0"] * 11), "1", "1"]]
    response = client_for("unit").get("/overview/?to=not-a-month")
    assert response.status_code == 200
    this_month = dt.date.today().replace(day=1)
    assert f'value="{this_month:%Y-%m}" selected' in response.content.decode()
