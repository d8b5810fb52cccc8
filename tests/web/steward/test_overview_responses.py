"""The partnership overview's figures on how the partnership responds: what happened to the
alerts and how soon someone first looked, request reply times, rates per 1,000 children and
the month-by-month trend, checked against the tiny partnership of ``test_overview``."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from tests.web.steward.test_overview import client_for, overview, partnership, table

pytestmark = pytest.mark.django_db
__all__ = ["partnership"]  # the fixture, used by name

UTC = dt.UTC


def _at(day: str, hour: int) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@pytest.fixture
def looked_at(partnership: dict[str, Any]) -> dict[str, Any]:
    """Rule one's March alert acknowledged 26 hours (one working day) after it was raised;
    its April alert, raised on Easter Sunday, dismissed 48 hours later (one working day:
    Easter Monday is a bank holiday); rule two's alert actioned by a run that found the
    action in the records, which is not a person looking."""
    from joinedup.alerts.models import Alert, AlertChange, AlertRun

    run = AlertRun.objects.create(who="joinedup", rules_digest="test")
    for fired, status, kind, looked, by_run in (
            ("2025-03-05", "acknowledged", "acknowledged", _at("2025-03-06", 11), None),
            ("2025-04-20", "dismissed", "dismissed", _at("2025-04-22", 10), None),
            ("2025-03-20", "actioned", "recognised", _at("2025-03-21", 2), run)):
        alert = Alert.objects.get(fired_on=fired)
        raised = _at(fired, 9 if fired != "2025-04-20" else 10)
        Alert.objects.filter(pk=alert.pk).update(status=status, created_at=raised)
        AlertChange.objects.create(alert=alert, at=raised, who="joinedup", kind="raised",
                                   run=run)
        AlertChange.objects.create(alert=alert, at=looked, who="lead", kind=kind, run=by_run)
    return partnership


@pytest.fixture
def answered(partnership: dict[str, Any]) -> dict[str, Any]:
    """Requests sent in the period: HV asked CSC twice on Monday 3 March 2025 (due in 15
    working days, 24 March), answered in 5 working days and in 21 (late); HV asked an area
    outside the partnership on 3 February and is still waiting; CSC asked HV on 1 April and
    withdrew it."""
    from joinedup.information_requests.requests import (
        receive_response,
        send_request,
        withdraw_request,
    )

    march = dt.date(2025, 3, 3)
    for received in (dt.date(2025, 3, 10), dt.date(2025, 4, 1)):
        sent = send_request(from_agency="HV", to_agency="CSC", person_id=9001,
                            reason="OTHER", question="Known?", who="test", requested_on=march)
        receive_response(sent.pk, response="Yes", who="test", received_on=received)
    send_request(from_agency="HV", to_area="E08000003", person_id=9001,
                 reason="TRANSFER_IN_HISTORY", question="History?", who="test",
                 requested_on=dt.date(2025, 2, 3))
    asked = send_request(from_agency="CSC", to_agency="HV", person_id=9001, reason="OTHER",
                         question="Seen?", who="test", requested_on=dt.date(2025, 4, 1))
    withdraw_request(asked.pk, why="No longer needed", who="test")
    return partnership


def test_what_happened_to_the_alerts_and_the_time_to_first_look(
        looked_at: dict[str, Any]) -> None:
    _, html = overview()
    # raised, open, acknowledged, actioned (found in the records), dismissed, looked at,
    # median and 90th percentile working days, then hours
    assert table(html, "What happened to the alerts, by priority") == [
        ["Routine", "3", "0", "1", "1 (1)", "1", "2", "1", "1", "26", "48"],
        ["All alerts", "3", "0", "1", "1 (1)", "1", "2", "1", "1", "26", "48"],
    ]
    nobody = "none–"
    assert table(html, "What happened to the alerts, by rule") == [
        ["Rule one in words", "2", "0", "1", "0 (0)", "1", "2", "1", "1", "26", "48"],
        ["Rule two in words", "1", "0", "0", "1 (1)", "0", "0", nobody, nobody, nobody,
         nobody],
        ["All alerts", "3", "0", "1", "1 (1)", "1", "2", "1", "1", "26", "48"],
    ]
    assert "median 1, 90% within 1 working day" in chart_labels(html, "first-look")


def test_an_alert_no_one_has_looked_at_has_no_time_to_first_look(
        partnership: dict[str, Any]) -> None:
    _, html = overview()
    rows = table(html, "What happened to the alerts, by priority")
    assert rows[0][:7] == ["Routine", "3", "3", "0", "0 (0)", "0", "0"]
    assert "No one has looked at an alert raised in these months yet." in (
        html.text_content())


def test_request_reply_times_by_route(answered: dict[str, Any]) -> None:
    _, html = overview()
    # asked by, asked, sent, answered, median, 90th percentile, answered by the due date,
    # waiting overdue, waiting not yet due, withdrawn
    assert table(html, "Information request reply times, by route") == [
        ["Health Visiting", "Children's Social Care", "2", "2", "5", "21", "50.0% (1)",
         "0", "0", "0"],
        ["Children's Social Care", "Health Visiting", "1", "0", "none–", "none–",
         "none– (0)", "0", "0", "1"],
        ["Health Visiting", "Children's services of Manchester (E08000003)", "1", "0",
         "none–", "none–", "0.0% (0)", "1", "0", "0"],
        ["All requests", "", "4", "2", "5", "21", "33.3% (1)", "1", "0", "1"],
    ]
    labels = chart_labels(html, "reply-times")
    assert "Health Visiting to Children's Social Care" in labels  # in full, never cut
    assert "median 5, 90% within 21 working days" in labels


def chart_labels(html: Any, chart_id: str) -> list[str]:
    """Every text drawn on a chart, a wrapped label's lines joined with spaces."""
    svg = html.xpath(f"//svg[@aria-labelledby='{chart_id}-title {chart_id}-desc']")
    assert svg, f"no chart {chart_id}"
    return [" ".join(t.xpath("tspan/text()")) or t.text_content()
            for t in svg[0].xpath(".//text")]


def _children(text: str) -> int:
    found = re.search(r"has no date of birth recorded \(an unborn or newborn baby\): "
                      r"([\d,]+) children", text)
    assert found is not None
    return int(found[1].replace(",", ""))


def test_rates_per_thousand_children_say_what_the_children_are(
        answered: dict[str, Any]) -> None:
    text, html = overview()
    children = _children(" ".join(html.text_content().split()))
    assert children >= 1
    rate = [f"{round(n * 1000 / children, 1):,}" for n in (3, 1, 4, 0)]
    assert table(html, "Rates per 1,000 children known, 1 May 2024 to 30 April 2025") == [
        ["Alerts raised", "3", rate[0]],
        ["Children with at least one alert", "1", rate[1]],
        ["Information requests sent", "4", rate[2]],
        ["Professionals meetings held", "0", "0.0"],
    ]
    assert "It is not the area's whole child population" in text


def test_the_main_figures_month_by_month(looked_at: dict[str, Any],
                                         answered: dict[str, Any]) -> None:
    _, html = overview()
    children = _children(" ".join(html.text_content().split()))
    rows = table(html, "The main figures, month by month")
    assert [row[0] for row in rows] == ["May 2024", "Jun 2024", "Jul 2024", "Aug 2024",
                                        "Sep 2024", "Oct 2024", "Nov 2024", "Dec 2024",
                                        "Jan 2025", "Feb 2025", "Mar 2025", "Apr 2025"]
    per = [f"{round(n * 1000 / children, 1):,}" for n in (2, 1)]
    nil = "none–"
    assert rows[0] == ["May 2024", "0", "0.0", "0", "0", nil, "0", "0", nil, nil]
    assert rows[9] == ["Feb 2025", "0", "0.0", "0", "0", nil, "1", "0", "0.0%", nil]
    assert rows[10] == ["Mar 2025", "2", per[0], "0", "1", "1", "2", "2", "50.0%", "5"]
    assert rows[11] == ["Apr 2025", "1", per[1], "1", "1", "1", "1", "0", nil, nil]


def test_the_new_figures_stay_for_leads_and_the_business_unit_only(
        looked_at: dict[str, Any]) -> None:
    for user in ("steward", "worker"):
        assert client_for(user).get("/overview/?to=2025-04").status_code == 403


def test_long_labels_are_shown_in_full_and_actions_without_an_agency_say_so(
        partnership: dict[str, Any]) -> None:
    """A rule's title of 64 characters is drawn whole on the chart, over two lines; an
    overdue action whose owner was recorded without an agency is counted under a label that
    says so, not "No agency given"."""
    from joinedup.alerts.catalogue import load_catalogue
    from joinedup.alerts.models import Alert
    from joinedup.reviews.findings import add_action

    longest = max(load_catalogue(), key=lambda rule: len(rule.title))
    assert len(longest.title) > 60
    first = Alert.objects.get(fired_on="2025-03-05")
    Alert.objects.create(rule=longest.id, child_id=9001, key="long", fired_on="2025-04-02",
                         window_start="2025-04-02", window_end="2025-04-02", title="x",
                         explanation="", recommended_action="", source="",
                         first_run=first.first_run, last_run=first.last_run)
    add_action(partnership["review"], "Write the plan", "The panel chair", dt.date(2025, 6, 2),
               "test")
    _, html = overview()
    assert longest.title in chart_labels(html, "alerts-by-rule")
    assert longest.title in [row[0] for row in table(html, "Alerts raised each month, by rule")]
    owners = [row[0] for row in table(html, "Overdue actions, by the owner's agency")]
    assert "Owner's agency not recorded" in owners
    assert "No agency given" not in html.text_content()
