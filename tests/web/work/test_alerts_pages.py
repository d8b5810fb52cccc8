"""The alerts list and an alert's page: who sees what, the evidence under the sharing policy,
and the lifecycle actions with their audit rows."""

from __future__ import annotations

import re
from typing import Any

import pytest

from joinedup.access.models import AuditEntry
from joinedup.alerts import lifecycle
from joinedup.alerts.models import Alert, AlertStatus
from joinedup.chronology.models import Event
from joinedup.information_requests.models import InformationRequest, ProfessionalsMeeting

pytestmark = pytest.mark.django_db


def baby_alert(web_case: dict[str, Any], rule: str) -> Alert:
    return Alert.objects.filter(child_id=web_case["child"], rule=rule).order_by("id").first()


def test_the_social_worker_sees_baby_s_alerts_most_urgent_first(web_case: Any, signed_in: Any
                                                                 ) -> None:
    # The run recognised the child protection medical as the fracture alert's action; a
    # person reopens it, so the open queue holds an urgent alert again.
    lifecycle.reopen(baby_alert(web_case, "UNEXPLAINED_FRACTURE").id, who="test",
                     reason="the medical left questions")
    page = signed_in("social.worker").get(f"/alerts/?child={web_case['child']}")
    assert page.status_code == 200
    text = page.content.decode()
    active = Alert.objects.filter(child_id=web_case["child"],
                                  status__in=["open", "acknowledged"]).count()
    assert f"{active} alerts" in text
    # the queue shows each alert's state: the fracture, its day and what it lacks
    assert re.search(r"Fracture on \d+ \w+ 2025 with no suitable explanation</a>",
                     text.split('id="results"')[1])
    assert "Sienna Ashworth" in text
    assert f'href="/children/{web_case["child"]}/"' in text
    assert AuditEntry.objects.filter(actor="social.worker", action="view_child",
                                     child_id=web_case["child"]).exists()
    assert "21 May 2025" in text  # the fracture alert, shown as a GOV.UK date
    results = text.split('id="results"')[1]
    fracture = baby_alert(web_case, "UNEXPLAINED_FRACTURE")
    assert fracture.priority == "urgent" and Alert.objects.filter(
        child_id=web_case["child"], priority="routine", fired_on__lt=fracture.fired_on,
        status__in=["open", "acknowledged"]).exists()
    # urgent above the older routine alerts, with its red tag; grey routine tags below
    tiers = re.findall(r'govuk-tag--(red|orange|grey)">(Urgent|High|Routine)</strong>', results)
    assert tiers[0] == ("red", "Urgent") and ("grey", "Routine") in tiers
    assert [t for _, t in tiers] == sorted((t for _, t in tiers),
                                           key=("Urgent", "High", "Routine").index)
    active = Alert.objects.filter(child_id=web_case["child"],
                                  status__in=["open", "acknowledged"])
    for tier in ("urgent", "high", "routine"):
        assert f"{active.filter(priority=tier).count()} {tier}</strong>" in results


def test_the_list_filters_and_pages(web_case: Any, signed_in: Any) -> None:
    client = signed_in("social.worker")
    child = web_case["child"]
    text = client.get(f"/alerts/?child={child}&rule=WAS_NOT_BROUGHT&status=all"
                      ).content.decode()
    missed = Alert.objects.filter(child_id=child, rule="WAS_NOT_BROUGHT").count()
    assert f"{missed} alert{'s' if missed != 1 else ''}" in text
    assert "Fracture" not in text.split('id="results"')[1]
    text = client.get(f"/alerts/?child={child}&agency=HOSPITAL&status=all").content.decode()
    hospital = Alert.objects.filter(child_id=child, evidence__agency__code="HOSPITAL")
    assert f"{hospital.distinct().count()} alerts" in text
    text = client.get(f"/alerts/?child={child}&fired_from-day=1&fired_from-month=5"
                      "&fired_from-year=2025&fired_to-day=31&fired_to-month=5"
                      "&fired_to-year=2025").content.decode()
    in_may = Alert.objects.filter(child_id=child, fired_on__year=2025, fired_on__month=5,
                                  status__in=["open", "acknowledged"]).count()
    assert f"{in_may} alert{'s' if in_may != 1 else ''}" in text
    # more alerts than a page holds (25): copies of one, each set off by its own day
    sample = baby_alert(web_case, "WAS_NOT_BROUGHT")
    for day in range(26):
        sample.pk, sample.key = None, f"copy-{day}"
        sample.save()
    page_one = client.get(f"/alerts/?child={child}&status=all").content.decode()
    assert "govuk-pagination" in page_one
    page_two = client.get(f"/alerts/?child={child}&status=all&page=2").content.decode()
    assert 'aria-label="Page 2" aria-current="page"' in page_two


def test_a_bad_filter_is_explained_not_a_crash(signed_in: Any) -> None:
    page = signed_in("social.worker").get("/alerts/?child=Sienna&fired_from-day=31"
                                          "&fired_from-month=2&fired_from-year=2025")
    text = page.content.decode()
    assert page.status_code == 200
    assert "<title>Error: Alerts" in text
    assert "Enter the child&#39;s person number, like 6" in text
    assert "The first date must be a real date" in text


def test_the_school_teacher_sees_none_of_them_and_is_refused_the_detail(
        web_case: Any, signed_in: Any) -> None:
    client = signed_in("school.teacher")
    text = client.get("/alerts/?status=all").content.decode()
    assert "0 alerts" in text and "Sienna" not in text
    one_child = client.get(f"/alerts/?child={web_case['child']}&status=all")
    assert one_child.status_code == 404 and "Sienna" not in one_child.content.decode()
    alert = baby_alert(web_case, "UNEXPLAINED_FRACTURE")
    page = client.get(f"/alerts/{alert.id}/")
    assert page.status_code == 404  # as for an alert that does not exist
    none = client.get("/alerts/99999999/").content.decode()
    assert none[none.index("<main"):] .split("</main>")[0] == \
        page.content.decode()[page.content.decode().index("<main"):].split("</main>")[0]
    assert "Fracture" not in page.content.decode()
    assert AuditEntry.objects.filter(actor="school.teacher", action="access_refused",
                                     child_id=web_case["child"]).exists()


def test_the_school_teacher_cannot_dismiss_either(web_case: Any, signed_in: Any) -> None:
    alert = baby_alert(web_case, "JIGSAW_GAP")  # open: one that could be dismissed
    page = signed_in("school.teacher").post(f"/alerts/{alert.id}/", {
        "action": "dismiss", "dismiss_reason": "not my business"})
    assert page.status_code == 404
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
    assert not AuditEntry.objects.filter(actor="school.teacher", action="change").exists()


def test_the_detail_explains_the_rule_and_is_audited_as_a_look(web_case: Any, signed_in: Any
                                                                ) -> None:
    alert = baby_alert(web_case, "UNEXPLAINED_FRACTURE")
    page = signed_in("social.worker").get(f"/alerts/{alert.id}/")
    assert page.status_code == 200
    text = page.content.decode()
    # the title says the state that fired it; the rule's own title is above it
    assert re.search(r'<h1 class="govuk-heading-l">Fracture on \d+ \w+ \d{4} with no suitable '
                     r"explanation</h1>", text)
    assert (f"Alert {alert.id} · Fracture with no suitable explanation "
            "(UNEXPLAINED_FRACTURE)</span>") in text
    assert "NICE CG89" in text  # the source of the learning
    assert "Strategy discussion the same working day" in text  # the recommended action
    assert "Hospital" in text  # the evidence's agency
    assert "Raised" in text  # the history
    assert 'govuk-tag--red">Urgent</strong> <span class="govuk-body-s">act the same working ' \
        'day</span>' in text
    assert "Why it is urgent" in text
    assert "reasonable cause to suspect significant harm" in text  # the tier's reason
    assert "Source: NICE CG89 (child maltreatment: when to suspect); Working Together" in text
    look = AuditEntry.objects.filter(actor="social.worker", action="view_child").last()
    assert look.child_id == web_case["child"] and look.details["alert"] == alert.id
    assert not AuditEntry.objects.filter(actor="social.worker", action="view_page",
                                         object_id=f"/alerts/{alert.id}/").exists()


def test_adult_services_evidence_follows_the_sharing_policy(web_case: Any, signed_in: Any
                                                           ) -> None:
    release = baby_alert(web_case, "RELEASE_NEAR_CHILD")
    summary = release.evidence.get(agency__code="PROBATION").summary
    social = signed_in("social.worker").get(f"/alerts/{release.id}/").content.decode()
    assert "Held by probation: ask Gareth Okafor (0161 496 0730), or the probation officer" \
        in social
    assert summary not in social
    probation = signed_in("probation.officer").get(f"/alerts/{release.id}/").content.decode()
    assert "Held by probation" not in probation
    # routine adult mental health treatment among an alert's evidence: shown to no one
    # outside the service
    attended = Event.objects.filter(agency__kind="ADULT_MENTAL_HEALTH",
                                    event_type="APPOINTMENT_ATTENDED", is_current=True).first()
    withheld = baby_alert(web_case, "WAS_NOT_BROUGHT")
    assert attended is not None and withheld is not None
    withheld.evidence.add(attended)
    text = signed_in("social.worker").get(f"/alerts/{withheld.id}/").content.decode()
    assert re.search(r"1 entry held by [^<]+ is not shown to you", text)
    assert "Appointment attended" not in text


def test_dismissing_without_a_reason_is_refused_and_changes_nothing(
        web_case: Any, signed_in: Any) -> None:
    alert = baby_alert(web_case, "WAS_NOT_BROUGHT")
    before = AuditEntry.objects.filter(action="change").count()
    page = signed_in("social.worker").post(f"/alerts/{alert.id}/", {
        "action": "dismiss", "dismiss_reason": "   "})
    assert page.status_code == 400
    text = page.content.decode()
    assert "<title>Error: " in text
    assert "govuk-error-summary" in text and 'href="#dismiss_reason"' in text
    assert "Enter why no action is needed" in text
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
    assert not alert.changes.filter(kind="dismissed").exists()
    assert AuditEntry.objects.filter(action="change").count() == before


def test_dismissing_with_a_reason_changes_the_status_and_is_audited(
        web_case: Any, signed_in: Any) -> None:
    alert = baby_alert(web_case, "WAS_NOT_BROUGHT")
    client = signed_in("social.worker")
    page = client.post(f"/alerts/{alert.id}/", {
        "action": "dismiss", "dismiss_reason": "Appointments rebooked; both attended."})
    assert page.status_code == 302 and page["Location"] == f"/alerts/{alert.id}/"
    alert.refresh_from_db()
    assert alert.status == AlertStatus.DISMISSED
    change = alert.changes.get(kind="dismissed")
    assert change.who == "social.worker" and change.note == "Appointments rebooked; both attended."
    row = AuditEntry.objects.filter(action="change", actor="social.worker").last()
    assert (row.object_type, row.object_id, row.child_id) == (
        "alert", str(alert.id), web_case["child"])
    assert row.reason == "Appointments rebooked; both attended."
    text = client.get(f"/alerts/{alert.id}/").content.decode()
    assert "You dismissed this alert" in text  # the success banner
    assert "Appointments rebooked; both attended." in text  # the history
    assert "Reopen this alert" in text
    page = client.post(f"/alerts/{alert.id}/", {"action": "reopen",
                                                "reopen_reason": "Missed again on 2 June."})
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_acknowledging_is_audited(web_case: Any, signed_in: Any) -> None:
    alert = baby_alert(web_case, "JIGSAW_GAP")
    page = signed_in("health.visitor").post(f"/alerts/{alert.id}/", {
        "action": "acknowledge", "note": "Looking into it with the GP"})
    assert page.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert AuditEntry.objects.filter(action="change", actor="health.visitor",
                                     object_id=str(alert.id)).count() == 1


def test_convening_a_meeting_from_an_alert(web_case: Any, signed_in: Any) -> None:
    alert = baby_alert(web_case, "DISENGAGEMENT_CLUSTER")
    client = signed_in("social.worker")
    page = client.post(f"/alerts/{alert.id}/", {"action": "meeting", "agency": "CSC"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "Enter the date the meeting was held" in text
    assert "Select the other agencies that attended" in text
    page = client.post(f"/alerts/{alert.id}/", {
        "action": "meeting", "held_on-day": "3", "held_on-month": "3", "held_on-year": "2025",
        "agency": "CSC", "attending": ["HV", "PROBATION"],
        "decisions": "Share the father's missed appointments; joint visit",
        "action-1-description": "Joint home visit", "action-1-owner": "Social worker",
        "action-1-agency": "CSC", "action-1-due-day": "7", "action-1-due-month": "3",
        "action-1-due-year": "2025"})
    assert page.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACTIONED and alert.meeting_id
    meeting = ProfessionalsMeeting.objects.get(pk=alert.meeting_id)
    assert sorted(a.code for a in meeting.attending.all()) == ["CSC", "HV", "PROBATION"]
    assert meeting.actions.get().owner == "Social worker"
    text = client.get(f"/alerts/{alert.id}/").content.decode()
    assert f"Professionals meeting {meeting.pk}" in text
    assert AuditEntry.objects.filter(action="change", object_type="alert",
                                     object_id=str(alert.id)).exists()


def test_sending_a_request_from_an_alert(web_case: Any, signed_in: Any) -> None:
    alert = baby_alert(web_case, "LICENCE_END_CLIFF")
    page = signed_in("social.worker").post(f"/alerts/{alert.id}/", {
        "action": "request", "person": str(web_case["father"]), "to_agency": "PROBATION",
        "reason": "RISK_ADULT", "question": "Risk assessment at the end of the licence",
        "due_days": "10"})
    assert page.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACTIONED
    sent = InformationRequest.objects.get(pk=alert.request_id)
    assert (sent.from_agency.code, sent.to_agency.code, sent.child_id, sent.person_id) == (
        "CSC", "PROBATION", web_case["child"], web_case["father"])
    assert sent.due_working_days == 10


def test_an_action_on_the_record_is_shown_without_a_click(web_case: Any, signed_in: Any
                                                          ) -> None:
    """The child protection medical that found the healing rib fracture was recognised by the
    run as the alert's action: the page names it instead of "Nothing yet"."""
    fracture = baby_alert(web_case, "UNEXPLAINED_FRACTURE")
    assert fracture.status == AlertStatus.ACTIONED
    text = signed_in("social.worker").get(f"/alerts/{fracture.id}/").content.decode()
    assert ("Actioned by Child protection medical on 21 May 2025, recorded 21 May 2025 by "
            "Hospital") in text
    acted = text.split("Acted on by")[1].split("</dd>")[0]
    assert "Nothing yet" not in acted
    assert "Action recognised from the record" in text  # its history
    queue = signed_in("social.worker").get(f"/alerts/?child={web_case['child']}")
    assert "with no suitable explanation" not in queue.content.decode().split(
        'id="results"')[1]
    jigsaw = signed_in("social.worker").get(
        f"/alerts/{baby_alert(web_case, 'JIGSAW_GAP').id}/").content.decode()
    assert "Nothing yet" in jigsaw.split("Acted on by")[1].split("</dd>")[0]
