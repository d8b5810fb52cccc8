"""Alerts and a child's chronology for signed-in users, under the web pages' access rules:
lists narrowed to the children the user may open, the look audited, the sharing policy
applied for the user's agency."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import API, error_of

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SignIn = Callable[[str], Client]
RELEASE_SUMMARY = "Released from HMP on licence"
HEADLINE = "Held by probation: ask Gareth Okafor (0161 496 0730), or the probation officer"


def last_audit(actor: str) -> Any:
    from joinedup.access.models import AuditEntry

    return AuditEntry.objects.filter(actor=actor).order_by("-id").first()


def test_the_social_worker_reads_baby_s_alerts(web_case: dict[str, Any],
                                               signed_in: SignIn) -> None:
    from django.contrib.auth import get_user_model

    from joinedup.access.policy import filter_children
    from joinedup.alerts.models import Alert

    client = signed_in("social.worker")
    response = client.get(f"{API}/alerts?limit=500")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] > 0
    children = {a["child"]["person_id"] for a in body["items"]}
    assert web_case["child"] in children
    user = get_user_model().objects.get(username="social.worker")
    visible = filter_children(Alert.objects.all(), user)
    assert body["total"] == visible.count() < Alert.objects.count()
    entry = last_audit("social.worker")
    assert (entry.action, entry.object_type) == ("view_page", "api")
    assert entry.details["alerts"] == [a["id"] for a in body["items"]]
    dismissed = client.get(f"{API}/alerts?status=dismissed").json()
    assert all(a["status"] == "dismissed" for a in dismissed["items"])
    # each alert says how soon it asks for action; the most urgent come first
    tiers = [a["priority"] for a in body["items"]]
    assert set(tiers) <= {"urgent", "high", "routine"} and "urgent" in tiers
    rank = {"urgent": 0, "high": 1, "routine": 2}
    assert [rank[t] for t in tiers] == sorted(rank[t] for t in tiers)


def test_alert_evidence_follows_the_sharing_policy(web_case: dict[str, Any],
                                                   signed_in: SignIn) -> None:
    from joinedup.alerts.models import Alert

    release = Alert.objects.filter(child_id=web_case["child"],
                                   rule="RELEASE_NEAR_CHILD").order_by("id").first()
    assert release is not None

    def evidence_of(username: str) -> dict[str, Any]:
        items = signed_in(username).get(f"{API}/alerts?limit=500").json()["items"]
        return next(a for a in items if a["id"] == release.id)

    social = evidence_of("social.worker")
    # the release, then the assessment a run recognised as the alert's action
    assert [e["summary"] for e in social["evidence"]][0] == HEADLINE
    assert len(social["evidence"]) == 2
    assert social["evidence"][0]["shared_as"] == "headline"
    probation = evidence_of("probation.officer")
    assert RELEASE_SUMMARY in probation["evidence"][0]["summary"]
    withheld = _with_a_withheld_entry(web_case)
    items = signed_in("social.worker").get(f"{API}/alerts?limit=500").json()["items"]
    shown = next(a for a in items if a["id"] == withheld.id)
    assert shown["evidence_withheld"] == 1
    assert all(e["event_type"] != "APPOINTMENT_ATTENDED" for e in shown["evidence"])


def _with_a_withheld_entry(web_case: dict[str, Any]) -> Any:
    """One of Baby S's alerts with an adult mental health appointment among its evidence:
    routine treatment, which the sharing policy shows no one outside the service."""
    from joinedup.alerts.models import Alert
    from joinedup.chronology.models import Event

    attended = Event.objects.filter(agency__kind="ADULT_MENTAL_HEALTH",
                                    event_type="APPOINTMENT_ATTENDED", is_current=True).first()
    alert = Alert.objects.filter(child_id=web_case["child"],
                                 rule="WAS_NOT_BROUGHT").order_by("id").first()
    assert attended is not None and alert is not None
    alert.evidence.add(attended)
    return alert


def test_the_entry_that_met_an_alerts_action_follows_the_sharing_policy(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    """actioned_by passes the gate as the evidence does: an entry the reader may not see is
    withheld with no agency, type or words; a headline one carries the replacement."""
    from joinedup.alerts.models import Alert
    from joinedup.chronology.models import Event

    alert = Alert.objects.filter(child_id=web_case["child"],
                                 rule="WAS_NOT_BROUGHT").order_by("id").first()
    attended = Event.objects.filter(agency__kind="ADULT_MENTAL_HEALTH",
                                    event_type="APPOINTMENT_ATTENDED", is_current=True).first()
    release = Event.objects.filter(agency__kind="PROBATION", event_type="CUSTODY_RELEASE",
                                   is_current=True).first()
    assert alert is not None and attended is not None and release is not None

    def met_by(username: str, entry: Any) -> tuple[dict[str, Any], str]:
        Alert.objects.filter(pk=alert.pk).update(actioned_by=entry, status="actioned")
        response = signed_in(username).get(f"{API}/alerts?limit=500")
        item = next(a for a in response.json()["items"] if a["id"] == alert.id)
        return item["actioned_by"], response.content.decode()

    hidden, text = met_by("social.worker", attended)
    assert hidden == {"withheld": True, "agency": "", "event_id": "", "event_type": "",
                      "occurred_on": None, "recorded_on": None, "summary": "",
                      "line": "An entry that is not shown to you met its action",
                      "shared_as": ""}
    assert attended.summary not in text and attended.source_id not in text
    headline, text = met_by("social.worker", release)
    assert (headline["withheld"], headline["shared_as"]) == (False, "headline")
    assert headline["summary"] == HEADLINE and headline["agency"] == release.agency.code
    assert headline["event_type"] == "CUSTODY_RELEASE" and RELEASE_SUMMARY not in text
    full, _ = met_by("probation.officer", release)
    assert RELEASE_SUMMARY in full["summary"] and full["shared_as"] == ""
    assert full["line"].startswith("Actioned by Released from custody on ")


def test_the_school_teacher_gets_no_alerts_and_no_chronology(web_case: dict[str, Any],
                                                             signed_in: SignIn) -> None:
    teacher = signed_in("school.teacher")
    alerts = teacher.get(f"{API}/alerts?status=open&status=acknowledged")
    assert alerts.status_code == 200
    assert alerts.json()["items"] == [] and alerts.json()["total"] == 0
    refused = teacher.get(f"{API}/children/{web_case['child']}/chronology")
    assert refused.status_code == 403
    error = error_of(refused)
    assert error["code"] == "access_refused" and "no legitimate relationship" in error["message"]
    assert "Sienna" not in refused.content.decode()
    entry = last_audit("school.teacher")
    assert (entry.action, entry.child_id) == ("access_refused", web_case["child"])
    assert entry.details["asked_for"] == "view_chronology"


def test_a_child_who_does_not_exist_is_refused_like_one_who_does(signed_in: SignIn) -> None:
    refused = signed_in("school.teacher").get(f"{API}/children/999999999/chronology")
    assert refused.status_code == 403 and error_of(refused)["code"] == "access_refused"


def test_the_health_visitor_reads_the_chronology_with_probation_as_a_headline(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    child = web_case["child"]
    response = signed_in("health.visitor").get(f"{API}/children/{child}/chronology")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["child"]["person_id"] == child
    release = next(e for e in body["entries"] if e["event_type"] == "CUSTODY_RELEASE")
    assert release["summary"] == HEADLINE and release["shared_as"] == "headline"
    assert release["details"] == {} and "Art. 10" in release["lawful_basis"]
    assert RELEASE_SUMMARY not in response.content.decode()
    assert all(e["event_type"] != "APPOINTMENT_ATTENDED" or e["agency"] != "AMH"
               for e in body["entries"])
    assert "Childhood trauma" not in response.content.decode()
    entry = last_audit("health.visitor")
    assert (entry.action, entry.child_id) == ("view_chronology", child)
    assert entry.details["via"] == "api"


def test_the_probation_officer_reads_their_own_release_in_full(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    response = signed_in("probation.officer").get(
        f"{API}/children/{web_case['child']}/chronology")
    assert response.status_code == 200
    release = next(e for e in response.json()["entries"]
                   if e["event_type"] == "CUSTODY_RELEASE")
    assert RELEASE_SUMMARY in release["summary"] and release["shared_as"] == ""


def test_as_known_on_and_the_period_narrow_the_chronology(web_case: dict[str, Any],
                                                          signed_in: SignIn) -> None:
    child = web_case["child"]
    client = signed_in("social.worker")
    everything = client.get(f"{API}/children/{child}/chronology?to=2024-09-01").json()
    known = client.get(f"{API}/children/{child}/chronology?to=2024-09-01"
                       "&known_by=2024-09-01").json()
    summaries = [e["summary"] for e in everything["entries"]]
    assert any("Visit five days after the birth" in s for s in summaries)
    assert not any("Visit five days after the birth" in e["summary"]
                   for e in known["entries"])
    assert all(e["date"] <= "2024-09-01" for e in everything["entries"])
    assert known["known_by"] == "2024-09-01"
    assert last_audit("social.worker").details["filters"] == {"to": "2024-09-01",
                                                              "known_by": "2024-09-01"}
    wrong = client.get(f"{API}/children/{child}/chronology?from=31/02/2025")
    assert wrong.status_code == 422 and error_of(wrong)["details"][0]["field"] == "query.from"


@pytest.mark.slow
def test_schemathesis_as_a_signed_in_user(web_case: dict[str, Any], signed_in: SignIn,
                                          settings: Any) -> None:
    """The users' endpoints fuzzed with a real session: no 5xx, nothing outside the schema."""
    import schemathesis
    from django.core import signals
    from django.db import close_old_connections

    from joinedup.web.wsgi import application
    from tests.api.test_schema import fuzz

    settings.ALLOWED_HOSTS = ["*"]
    client = signed_in("social.worker")
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", application)
        for result in schema.get_all_operations():
            operation = result.ok()
            if operation.path in ("/api/v1/alerts", "/api/v1/children/{child_id}/chronology"):
                fuzz(operation, {"Cookie": cookie})
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
