"""Information requests on the Baby S case: what the chronology and the lists show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from joinedup.chronology.models import Event
from joinedup.errors import ActionError, NotFoundError
from joinedup.information_requests.models import InformationRequest
from joinedup.information_requests.services import (
    overdue_requests,
    receive_response,
    send_request,
    withdraw_request,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

D = dt.date


def _ask_probation(baby_s: dict[str, Any], **changes: Any) -> InformationRequest:
    args = {"from_agency": "CSC", "to_agency": "PROBATION", "person_id": baby_s["father"],
            "child_id": baby_s["child"], "reason": "risk_adult",
            "question": "Licence conditions and risk assessment of the father",
            "who": "a.social.worker", "requested_on": D(2024, 3, 1), "due_working_days": 5}
    return send_request(**{**args, **changes})


def _event(agency: str, source_id: str) -> Event:
    return Event.objects.select_related("subject__agency", "related_person", "submission").get(
        agency__code=agency, source_id=source_id, is_current=True)


def test_sending_puts_the_request_on_the_chronology_of_the_person_asked_about(
        baby_s: dict[str, Any], db: None) -> None:
    request = _ask_probation(baby_s)
    assert request.status == "sent"
    assert request.due_on == D(2024, 3, 8)  # Friday 1 March + 5 working days
    event = _event("CSC", f"JU-REQ-{request.pk}-SENT")
    assert event.event_type == "INFO_REQUEST_SENT"
    # CSC files it under its own record of the father, related to its record of the baby
    assert (event.subject.agency.code, event.subject.person_id) == ("CSC", baby_s["father"])
    assert event.related_person is not None
    assert event.related_person.person_id == baby_s["child"]
    assert event.occurred_on == event.recorded_on == D(2024, 3, 1)
    assert not event.occurred_time_known
    assert event.details == {"request_id": request.pk, "to": "PROBATION",
                             "reason": "RISK_ADULT", "due_on": "2024-03-08"}
    assert "Information requested from" in event.summary and "08/03/2024" in event.summary
    assert event.submission.file_name == "joinedup: information requests"
    assert len(event.content_hash) == 40 and event.loaded_at is not None
    assert [(c.what, c.who, c.on) for c in request.changes.all()] == [
        ("sent", "a.social.worker", D(2024, 3, 1))]
    # a second request from the same agency re-uses its system submission
    again = _ask_probation(baby_s, to_agency="POLICE")
    assert _event("CSC", f"JU-REQ-{again.pk}-SENT").submission_id == event.submission_id


def test_the_reply_is_recorded_by_the_agency_that_answered(
        baby_s: dict[str, Any], db: None) -> None:
    request = _ask_probation(baby_s)
    receive_response(request.pk, response="MAPPA level 2; licence ends June 2025",
                     who="p.officer", received_on=D(2024, 3, 5))
    request.refresh_from_db()
    assert (request.status, request.received_on) == ("received", D(2024, 3, 5))
    event = _event("PROBATION", f"JU-REQ-{request.pk}-RECEIVED")
    assert event.event_type == "INFO_RECEIVED" and event.occurred_on == D(2024, 3, 5)
    assert event.subject.source_id == "X482915"  # probation's own record of the father
    assert "MAPPA level 2" in event.summary
    assert request.received_event_id == event.pk
    assert [c.what for c in request.changes.all()] == ["sent", "received"]


def test_a_reply_from_another_area_is_recorded_by_the_agency_that_asked(
        baby_s: dict[str, Any], db: None) -> None:
    request = send_request(from_agency="CSC", to_area="e08000003", person_id=baby_s["mother"],
                           child_id=baby_s["child"], reason="CARE_HISTORY",
                           question="Her records while looked after in Manchester",
                           who="a.social.worker", requested_on=D(2024, 2, 12))
    assert request.recipient == "E08000003"
    receive_response(request.pk, response="Looked after 2016-2021; leaving care support",
                     who="a.social.worker", received_on=D(2024, 3, 1))
    event = _event("CSC", f"JU-REQ-{request.pk}-RECEIVED")
    assert event.subject.person_id == baby_s["mother"]
    assert "Reply received from Manchester (E08000003) to request" in event.summary
    sent = _event("CSC", f"JU-REQ-{request.pk}-SENT")
    assert sent.summary.startswith("Information requested from Manchester (E08000003) (")


def test_an_area_is_asked_by_its_name_or_by_the_code_of_an_area_outside_england(
        baby_s: dict[str, Any], db: None) -> None:
    by_name = _ask_probation(baby_s, to_agency=None, to_area="  st. helens ")
    assert by_name.recipient == "E08000013"
    assert by_name.recipient_label == "St Helens (E08000013)"
    wales = _ask_probation(baby_s, to_agency=None, to_area="w06000015")
    assert (wales.recipient, wales.recipient_label) == ("W06000015", "W06000015 (Wales)")


def test_overdue_the_working_day_after_the_due_date_and_not_once_answered(
        baby_s: dict[str, Any], db: None) -> None:
    request = _ask_probation(baby_s)  # due Friday 8 March 2024
    assert overdue_requests(D(2024, 3, 8)) == []
    assert overdue_requests(D(2024, 3, 11)) == [request]
    receive_response(request.pk, response="Sent", who="p.officer", received_on=D(2024, 3, 12))
    assert overdue_requests(D(2024, 3, 12)) == []


def test_due_date_over_christmas_2026(baby_s: dict[str, Any], db: None,
                                      set_today: Callable[[D], None]) -> None:
    set_today(D(2027, 1, 20))
    request = _ask_probation(baby_s, requested_on=D(2026, 12, 18))
    assert request.due_on == D(2026, 12, 29)  # 25 and 28 December are bank holidays
    assert overdue_requests(D(2026, 12, 29)) == []
    assert overdue_requests(D(2026, 12, 30)) == [request]
    assert overdue_requests() == [request]  # "today", 20 January 2027


def test_withdrawing_needs_a_reason_and_keeps_the_sent_event(
        baby_s: dict[str, Any], db: None) -> None:
    request = _ask_probation(baby_s)
    with pytest.raises(ActionError, match="reason for withdrawing"):
        withdraw_request(request.pk, why="  ", who="a.social.worker")
    request.refresh_from_db()
    assert request.status == "sent"
    withdraw_request(request.pk, why="Father's offender manager attended the meeting",
                     who="a.social.worker")
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert request.withdrawn_reason == "Father's offender manager attended the meeting"
    versions = list(Event.objects.filter(source_id=f"JU-REQ-{request.pk}-SENT")
                    .order_by("version").values_list("version", "is_current", "summary"))
    assert [(v, current) for v, current, _ in versions] == [(1, False), (2, True)]
    assert "Withdrawn on" in versions[1][2] and "offender manager" in versions[1][2]
    assert overdue_requests(D(2024, 6, 1)) == []
    with pytest.raises(ActionError, match="was withdrawn"):
        receive_response(request.pk, response="late reply", who="p.officer")


def test_an_answered_request_cannot_be_withdrawn(baby_s: dict[str, Any], db: None) -> None:
    request = _ask_probation(baby_s)
    receive_response(request.pk, response="Sent", who="p.officer", received_on=D(2024, 3, 4))
    with pytest.raises(ActionError, match="cannot be withdrawn"):
        withdraw_request(request.pk, why="not needed", who="a.social.worker")
    with pytest.raises(ActionError, match="already has a reply"):
        receive_response(request.pk, response="again", who="p.officer")


@pytest.mark.parametrize("changes,error,message", [
    ({"from_agency": "NOPE"}, NotFoundError, "no agency with code 'NOPE'"),
    ({"to_agency": "NOPE"}, NotFoundError, "no agency with code 'NOPE'"),
    ({"person_id": 999_999}, NotFoundError, "no person with person id 999999"),
    ({"child_id": 999_999}, NotFoundError, "no child with person id 999999"),
    ({"reason": ""}, ActionError, "A reason is required"),
    ({"reason": "CURIOSITY"}, ActionError, "not a reason"),
    ({"to_agency": None}, ActionError, "Say who is asked"),
    ({"to_agency": None, "to_area": "Manchestr"}, ActionError,
     "'Manchestr' is not an area in England or an area code: give the name"),
    ({"to_agency": None, "to_area": "E0800003"}, ActionError, "a letter and eight digits"),
    ({"to_agency": "CSC"}, ActionError, "cannot send a request to itself"),
    ({"question": ""}, ActionError, "question"),
    ({"requested_on": D(2099, 1, 1)}, ActionError, "in the future"),
])
def test_wrong_requests_are_refused_and_nothing_is_stored(
        baby_s: dict[str, Any], db: None, changes: dict[str, Any], error: type[Exception],
        message: str) -> None:
    with pytest.raises(error, match=message):
        _ask_probation(baby_s, **changes)
    assert not InformationRequest.objects.exists()
    assert not Event.objects.filter(source_id__startswith="JU-").exists()


def test_unknown_request(db: None) -> None:
    with pytest.raises(NotFoundError, match="no information request 404"):
        receive_response(404, response="x", who="someone")
    with pytest.raises(NotFoundError, match="no information request 404"):
        withdraw_request(404, why="x", who="someone")
