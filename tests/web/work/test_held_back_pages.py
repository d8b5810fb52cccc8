"""Held back by late recording on an alert's page, on the replay page and in the API: named
where it held back an urgent or high alert, absent otherwise, and never naming an entry the
reader may not see."""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

import pytest

from joinedup.alerts.models import Alert
from joinedup.chronology.models import Event

pytestmark = pytest.mark.django_db

HV_LINE = ("Health Visiting (0-19 service) recorded the substance misuse concern of "
           "2 October 2024 on 23 October 2024, 15 working days late")
WHEN = ("On what had happened, this alert could have been raised on 2 October 2024; the "
        "records made it true on 23 October 2024.")


def _page(client: Any, alert: Alert) -> str:
    page = client.get(f"/alerts/{alert.pk}/")
    assert page.status_code == 200
    return " ".join(html.unescape(page.content.decode()).split())


def _alert(web_case: dict[str, Any], rule: str) -> Alert:
    return Alert.objects.get(child_id=web_case["child"], rule=rule)


def test_the_alert_page_says_which_late_entry_held_a_high_alert_back(
        web_case: dict[str, Any], signed_in: Any) -> None:
    deterioration = _alert(web_case, "POST_STEP_DOWN_DETERIORATION")
    assert deterioration.priority == "high"
    text = _page(signed_in("social.worker"), deterioration)
    assert "Held back by late recording" in text
    assert f"{HV_LINE}. {WHEN}" in text


def test_an_alert_recorded_on_time_or_routine_says_nothing(
        web_case: dict[str, Any], signed_in: Any) -> None:
    client = signed_in("social.worker")
    # high, its evidence recorded on time; and one a day late, within the threshold
    for rule in ("JIGSAW_GAP", "RELEASE_AFTER_STEP_DOWN"):
        alert = Alert.objects.filter(child_id=web_case["child"], rule=rule).first()
        assert alert is not None and alert.priority == "high"
        assert "Held back by late recording" not in _page(client, alert), rule
    # the same late entry touches a routine alert not at all
    deterioration = _alert(web_case, "POST_STEP_DOWN_DETERIORATION")
    Alert.objects.filter(pk=deterioration.pk).update(priority="routine")
    text = _page(client, deterioration)
    assert "Held back by late recording" not in text and "15 working days late" not in text


def test_a_late_entry_the_reader_may_not_see_is_not_named(
        web_case: dict[str, Any], signed_in: Any) -> None:
    deterioration = _alert(web_case, "POST_STEP_DOWN_DETERIORATION")
    # the refuge's outreach visit, recorded late, also held the alert back
    refuge = Event.objects.get(agency__code="REFUGE", source_id="REF-LOG-2404")
    Event.objects.filter(pk=refuge.pk).update(occurred_on=dt.date(2024, 9, 30),
                                              recorded_on=dt.date(2024, 10, 25))
    deterioration.evidence.add(refuge)
    social = _page(signed_in("social.worker"), deterioration)
    assert (f"{HV_LINE}; Women's Refuge recorded the contact with adult services of "
            "30 September 2024 on 25 October 2024, 19 working days late") in social
    assert "records made it true on 25 October 2024" in social
    # the father's probation officer: the health visitor's entry (a headline to them) is
    # named, the refuge's is only counted
    client = signed_in("probation.officer")
    probation = _page(client, deterioration)
    assert f"{HV_LINE}; an entry that is not shown to you was recorded late." in probation
    # (the page's forms list every agency of the partnership; the section names none more)
    section = probation.split('id="held-back"')[1].split("</p>")[0]
    assert "Refuge" not in section and "30 September" not in section
    assert "contact with adult services" not in probation
    # the JSON API (its alerts carry no held_back) tells them nothing of it either
    listed = json.loads(client.get("/api/v1/alerts?limit=500").content)["items"]
    (item,) = [a for a in listed if a["id"] == deterioration.pk]
    assert "REFUGE" not in json.dumps(item) and "2024-10-25" not in json.dumps(item)


def test_the_replay_page_names_the_late_entry_under_its_line(
        web_case: dict[str, Any], signed_in: Any) -> None:
    page = signed_in("social.worker").get(
        f"/children/{web_case['child']}/replay/?from=2024-01-01&to=2025-06-01")
    text = " ".join(html.unescape(page.content.decode()).split())
    assert f"{HV_LINE}." in text
    assert "more than 5 working days after it happened" in text


