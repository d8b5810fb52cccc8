"""Information requests and professionals meetings: sending, the child's list, overdue in
working days, replies, withdrawals, meetings and their actions; and nothing of it for a user
with no relationship with the child."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from joinedup.access.models import AuditEntry
from joinedup.information_requests.models import (
    InformationRequest,
    MeetingAction,
    ProfessionalsMeeting,
    RequestStatus,
)
from joinedup.information_requests.services import record_meeting, send_request

pytestmark = pytest.mark.django_db


def overdue_request(web_case: dict[str, Any]) -> InformationRequest:
    """Health visiting asked children's social care 60 days ago, with 15 working days."""
    return send_request(from_agency="HV", to_agency="CSC", person_id=web_case["mother"],
                        child_id=web_case["child"], reason="CARE_HISTORY",
                        question="The mother's care history while looked after",
                        requested_on=dt.date.today() - dt.timedelta(days=60), who="hv")


def test_sending_a_request_puts_it_on_the_childs_list(web_case: Any, signed_in: Any) -> None:
    client = signed_in("social.worker")
    child = web_case["child"]
    form = client.get(f"/requests/new/?child={child}")
    assert form.status_code == 200
    text = form.content.decode()
    assert "Send an information request" in text and "Daniel Kerrigan, father" in text
    page = client.post(f"/requests/new/?child={child}", {
        "person": str(web_case["father"]), "to_agency": "POLICE", "reason": "RISK_ADULT",
        "question": "Domestic abuse history of the father", "due_days": "15"})
    assert page.status_code == 302
    sent = InformationRequest.objects.get(question="Domestic abuse history of the father")
    assert page["Location"] == f"/requests/{sent.pk}/"
    assert (sent.from_agency.code, sent.created_by, sent.child_id) == ("CSC", "social.worker",
                                                                       child)
    row = AuditEntry.objects.filter(action="change", object_type="information_request").last()
    assert (row.actor, row.object_id, row.child_id) == ("social.worker", str(sent.pk), child)
    detail = client.get(f"/requests/{sent.pk}/").content.decode()
    assert f"Information request {sent.pk} is sent and on the chronology" in detail  # banner
    assert "Domestic abuse history of the father" in detail
    listed = client.get(f"/requests/?child={child}").content.decode()
    assert f'href="/requests/{sent.pk}/"' in listed and "Waiting for a reply" in listed
    ours = client.get("/requests/?direction=sent").content.decode()
    assert f"Request {sent.pk}" in ours


def test_an_empty_request_form_shows_every_problem(web_case: Any, signed_in: Any) -> None:
    page = signed_in("social.worker").post(f"/requests/new/?child={web_case['child']}",
                                           {"due_days": "soon"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "<title>Error: Send an information request" in text
    for message in ("Select who the request is about",
                    "Select the agency you are asking, or the area whose children&#39;s "
                    "services you are asking",
                    "Select why you are asking", "Enter what you are asking for",
                    "Enter the number of working days to reply, like 15"):
        assert message in text
    assert not InformationRequest.objects.exists()


def test_overdue_requests_come_first_with_working_days_late(web_case: Any, signed_in: Any
                                                           ) -> None:
    late = overdue_request(web_case)
    fresh = send_request(from_agency="HV", to_agency="CSC", person_id=web_case["child"],
                         reason="HEALTH_HISTORY", question="Anything recent", who="hv")
    client = signed_in("social.worker")
    text = client.get("/requests/").content.decode()
    assert "2 information requests, 1 overdue" in text
    assert text.index(f"Request {late.pk}<") < text.index(f"Request {fresh.pk}<")
    assert "Overdue" in text and "working days late" in text
    work = client.get("/work/").content.decode()
    assert "2 requests waiting for your agency's reply, 1 overdue" in work
    assert f'href="/requests/{late.pk}/"' in work
    hv = signed_in("health.visitor").get("/work/").content.decode()
    assert "1 overdue reply your agency is waiting for" in hv


def test_recording_the_reply_is_audited_and_ends_the_overdue(web_case: Any, signed_in: Any
                                                            ) -> None:
    late = overdue_request(web_case)
    client = signed_in("social.worker")
    text = client.get(f"/requests/{late.pk}/").content.decode()
    assert "Record the reply" in text and "working days overdue" in text
    assert "Withdraw the request" not in text  # only the sender withdraws
    today = dt.date.today()
    page = client.post(f"/requests/{late.pk}/", {
        "action": "receive", "response": "Care records sent by secure email",
        "received_on-day": str(today.day), "received_on-month": str(today.month),
        "received_on-year": str(today.year)})
    assert page.status_code == 302
    late.refresh_from_db()
    assert late.status == RequestStatus.RECEIVED and late.received_event_id
    assert AuditEntry.objects.filter(action="change", actor="social.worker",
                                     object_type="information_request",
                                     object_id=str(late.pk)).count() == 1
    assert "0 requests waiting for your agency's reply, 0 overdue" \
        in client.get("/work/").content.decode()


def test_withdrawing_needs_a_reason(web_case: Any, signed_in: Any) -> None:
    late = overdue_request(web_case)
    client = signed_in("health.visitor")
    page = client.post(f"/requests/{late.pk}/", {"action": "withdraw", "why": ""})
    assert page.status_code == 400
    assert "Enter why the request is no longer needed" in page.content.decode()
    late.refresh_from_db()
    assert late.status == RequestStatus.SENT
    client.post(f"/requests/{late.pk}/", {"action": "withdraw", "why": "Found in our records"})
    late.refresh_from_db()
    assert late.status == RequestStatus.WITHDRAWN


def test_the_school_teacher_sees_no_request_and_may_send_none(web_case: Any, signed_in: Any
                                                             ) -> None:
    late = overdue_request(web_case)
    client = signed_in("school.teacher")
    assert "0 information requests" in client.get("/requests/").content.decode()
    assert client.get(f"/requests/{late.pk}/").status_code == 404
    assert client.get(f"/requests/?child={web_case['child']}").status_code == 404
    assert client.get(f"/requests/new/?child={web_case['child']}").status_code == 404
    page = client.post(f"/requests/new/?child={web_case['child']}", {
        "person": str(web_case["child"]), "to_agency": "CSC", "reason": "OTHER",
        "question": "What do you know?", "due_days": "15"})
    assert page.status_code == 404
    assert InformationRequest.objects.count() == 1
    page = client.post(f"/requests/{late.pk}/", {"action": "receive", "response": "x"})
    assert page.status_code == 404
    late.refresh_from_db()
    assert late.status == RequestStatus.SENT
    assert "0 meetings" in client.get("/meetings/").content.decode()
    assert client.get(f"/meetings/new/?child={web_case['child']}").status_code == 404


def test_recording_a_meeting_and_marking_its_action_done(web_case: Any, signed_in: Any
                                                        ) -> None:
    client = signed_in("health.visitor")
    child = web_case["child"]
    page = client.post(f"/meetings/new/?child={child}", {"agency": "HV"})
    assert page.status_code == 400
    assert "Enter what the meeting was for and what it decided" in page.content.decode()
    assert not ProfessionalsMeeting.objects.exists()
    page = client.post(f"/meetings/new/?child={child}", {
        "held_on-day": "2", "held_on-month": "9", "held_on-year": "2024", "agency": "HV",
        "attending": ["CSC", "PROBATION"], "chaired_by": "Health visiting lead",
        "decisions": "Share the father's release date with the health visitor",
        "action-1-description": "Tell HV the release date", "action-1-owner": "Offender manager",
        "action-1-agency": "PROBATION", "action-1-due-day": "4", "action-1-due-month": "9",
        "action-1-due-year": "2024"})
    assert page.status_code == 302
    meeting = ProfessionalsMeeting.objects.get()
    assert page["Location"] == f"/meetings/{meeting.pk}/"
    assert AuditEntry.objects.filter(action="change", object_type="professionals_meeting",
                                     object_id=str(meeting.pk), child_id=child).exists()
    text = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "2 September 2024" in text and "Tell HV the release date" in text
    assert "Overdue" in text
    listed = client.get(f"/requests/?child={child}").content.decode()
    assert f'href="/meetings/{meeting.pk}/"' in listed
    assert "1 meeting" in client.get("/meetings/").content.decode()
    action = meeting.actions.get()
    page = client.post(f"/meetings/{meeting.pk}/", {"action": "done", "action_id": action.pk})
    assert page.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    assert AuditEntry.objects.filter(action="change", object_type="meeting_action",
                                     object_id=str(action.pk)).exists()


def test_actions_owed_by_my_agency_show_on_my_work(web_case: Any, signed_in: Any) -> None:
    meeting = record_meeting(child_id=web_case["child"], agency="CSC",
                             held_on=dt.date(2025, 3, 3), attending=["HV"],
                             decisions="Joint visit", who="sw",
                             actions=[{"description": "Joint visit with HV", "owner": "HV",
                                       "owner_agency": "HV", "due_on": "2025-03-10"}])
    text = signed_in("health.visitor").get("/work/").content.decode()
    assert "Joint visit with HV" in text and f'href="/meetings/{meeting.pk}/"' in text
    assert "Overdue" in text
    assert MeetingAction.objects.count() == 1
    assert "Joint visit with HV" not in signed_in("school.teacher").get("/work/").content.decode()
