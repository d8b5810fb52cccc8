"""Sending, answering and withdrawing information requests.

Published reviews keep finding that history was lost when a family moved area, or that risk
held by adult services never reached the people around a baby. A request is the
practitioner's way of closing that gap, and an unanswered request is itself a warning sign,
so each one has a due date in working days and appears as overdue the day after.

Every action runs in one transaction: the request, its history entry and its chronology
event are stored together or not at all.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from joinedup.agencies.areas import area_for
from joinedup.agencies.models import Agency
from joinedup.errors import ActionError, NextStep, NotFoundError
from joinedup.information_requests.chronology_entries import (
    Entry,
    record_event,
    revise_event,
    sentence,
    subject_record,
    system_submission,
)
from joinedup.information_requests.deadlines import DEFAULT_DUE_WORKING_DAYS, due_date
from joinedup.information_requests.lookups import (
    find_agency,
    find_person,
    not_in_future,
    require_text,
    require_who,
    today,
)
from joinedup.information_requests.models import (
    InformationRequest,
    Reason,
    RequestChange,
    RequestStatus,
)

SUBMISSION_LABEL = "information requests"
MAX_DUE_WORKING_DAYS = 260  # about a year: anything longer is a typing mistake


def reason_code(reason: str) -> str:
    """The reason code for ``reason`` (any case); ActionError listing the codes otherwise."""
    code = (reason or "").strip().upper()
    choices = "; ".join(f"{c.value} ({c.label})" for c in Reason)
    if not code:
        raise ActionError(f"A reason is required; use one of: {choices}.")
    if code not in Reason.values:
        raise ActionError(f"{reason.strip()!r} is not a reason for a request; use one of: "
                          f"{choices}.")
    return code


def _recipient(sender: Agency, to_agency: str | None,
               to_area: str | None) -> tuple[Agency | None, str]:
    agency = find_agency(to_agency) if to_agency and to_agency.strip() else None
    typed = (to_area or "").strip()
    if agency is None and not typed:
        raise ActionError("Say who is asked: an agency or, for an agency that is not "
                          "registered here, its area (by name, or its GSS code).",
                          next_step=NextStep.GIVE_DETAIL(detail="recipient"))
    if agency is not None and typed:
        raise ActionError("Give the agency asked or the area asked, not both.")
    area = area_for(typed) if typed else ""
    if area is None:
        raise ActionError(f"{typed!r} is not an area in England or an area code: give the "
                          "name of a council with children's services in England, e.g. "
                          "Manchester, or the area's ONS GSS code, a letter and eight "
                          "digits, e.g. W06000015 for Cardiff.")
    if agency is not None and agency.pk == sender.pk:
        raise ActionError(f"{sender.code} cannot send a request to itself.")
    return agency, area


def _to_label(request: InformationRequest) -> str:
    if request.to_agency is not None:
        return f"{request.to_agency.name} ({request.to_agency.code})"
    return request.to_area_label


def send_request(*, from_agency: str, person_id: int, reason: str, question: str, who: str,
                 to_agency: str | None = None, to_area: str | None = None,
                 child_id: int | None = None, requested_on: dt.date | None = None,
                 due_working_days: int = DEFAULT_DUE_WORKING_DAYS) -> InformationRequest:
    """Record that ``from_agency`` asked for information about a person, and put an
    INFO_REQUEST_SENT event on that person's chronology (related to the child, if named)."""
    who = require_who(who)
    sender = find_agency(from_agency)
    recipient, area = _recipient(sender, to_agency, to_area)
    code = reason_code(reason)
    question = require_text(question, "question (what the agency is asked)")
    person = find_person(person_id)
    child = find_person(child_id, "child") if child_id is not None else None
    requested_on = not_in_future(requested_on or today(), "request date")
    if not 0 <= due_working_days <= MAX_DUE_WORKING_DAYS:
        raise ActionError(f"The reply can be due 0 to {MAX_DUE_WORKING_DAYS} working days "
                          f"after the request, not {due_working_days}.")
    now = timezone.now()
    with transaction.atomic():
        request = InformationRequest.objects.create(
            from_agency=sender, to_agency=recipient, to_area=area, person=person, child=child,
            reason=code, question=question, requested_on=requested_on,
            due_working_days=due_working_days,
            due_on=due_date(requested_on, due_working_days), status=RequestStatus.SENT,
            created_by=who, created_at=now, updated_by=who, updated_at=now,
        )
        related = (subject_record(child.pk, sender)
                   if child is not None and child.pk != person.pk else None)
        entry = Entry(
            agency=sender, subject=subject_record(person.pk, sender),
            event_type="INFO_REQUEST_SENT", source_id=f"JU-REQ-{request.pk}-SENT",
            on=requested_on, related=related,
            summary=(f"Information requested from {_to_label(request)} "
                     f"({Reason(code).label}): {sentence(question)} "
                     f"Reply due by {request.due_on:%d/%m/%Y}."),
            details={"request_id": request.pk, "to": request.recipient, "reason": code,
                     "due_on": request.due_on.isoformat()},
        )
        request.sent_event = record_event(entry, system_submission(sender, SUBMISSION_LABEL),
                                          now)
        request.save(update_fields=["sent_event"])
        RequestChange.objects.create(
            request=request, at=now, on=requested_on, who=who, what=RequestStatus.SENT,
            note=f"Reply due by {request.due_on.isoformat()} "
                 f"({due_working_days} working days).",
        )
    return request


def get_request(request_id: int) -> InformationRequest:
    request = (InformationRequest.objects
               .select_related("from_agency", "to_agency", "sent_event", "received_event")
               .filter(pk=request_id).first())
    if request is None:
        raise NotFoundError(f"There is no information request {request_id}.",
                            next_step=NextStep.LIST_REQUESTS)
    return request


def _for_update(request_id: int) -> InformationRequest:
    """The request, locked until the transaction ends (two people answering at once)."""
    get_request(request_id)
    # Lock only the request's own row: PostgreSQL cannot lock the nullable side of the
    # outer joins select_related makes (to_agency, sent_event).
    return (InformationRequest.objects.select_for_update(of=("self",))
            .select_related("from_agency", "to_agency", "sent_event").get(pk=request_id))


def receive_response(request_id: int, *, response: str, who: str,
                     received_on: dt.date | None = None) -> InformationRequest:
    """Record the reply and put an INFO_RECEIVED event on the person's chronology, as
    recorded by the agency that replied (or by the asking agency, when an area replied)."""
    who = require_who(who)
    with transaction.atomic():
        request = _for_update(request_id)
        if request.status == RequestStatus.WITHDRAWN:
            raise ActionError(
                f"Request {request_id} was withdrawn on {request.withdrawn_on:%d/%m/%Y}, so a "
                "reply cannot be recorded against it. Send a new request if the information "
                "is still needed."
            )
        if request.status == RequestStatus.RECEIVED:
            raise ActionError(f"Request {request_id} already has a reply, received on "
                              f"{request.received_on:%d/%m/%Y}.")
        response = require_text(response, "response (what the reply said)")
        received_on = not_in_future(received_on or today(), "date the reply was received")
        if received_on < request.requested_on:
            raise ActionError(f"The reply cannot be received ({received_on:%d/%m/%Y}) before "
                              f"the request was sent ({request.requested_on:%d/%m/%Y}).")
        recorder = request.to_agency or request.from_agency
        if request.to_agency is not None:
            summary = (f"Replied to {request.from_agency.code}'s request {request.pk} "
                       f"({request.get_reason_display()}): {sentence(response)}")
        else:
            summary = (f"Reply received from {request.to_area_label} to request {request.pk} "
                       f"({request.get_reason_display()}): {sentence(response)}")
        now = timezone.now()
        entry = Entry(
            agency=recorder, subject=subject_record(request.person_id, recorder),
            event_type="INFO_RECEIVED", source_id=f"JU-REQ-{request.pk}-RECEIVED",
            on=received_on, summary=summary,
            related=(subject_record(request.child_id, recorder)
                     if request.child_id and request.child_id != request.person_id else None),
            details={"request_id": request.pk, "to": request.recipient,
                     "from": request.from_agency.code, "reason": request.reason,
                     "requested_on": request.requested_on.isoformat()},
        )
        request.received_event = record_event(
            entry, system_submission(recorder, SUBMISSION_LABEL), now)
        request.status = RequestStatus.RECEIVED
        request.response = response
        request.received_on = received_on
        request.updated_by, request.updated_at = who, now
        request.save()
        RequestChange.objects.create(request=request, at=now, on=received_on, who=who,
                                     what=RequestStatus.RECEIVED)
    return request


def withdraw_request(request_id: int, *, why: str, who: str) -> InformationRequest:
    """Mark a request no longer needed. The INFO_REQUEST_SENT event stays on the chronology
    (it was sent); a new version of it notes the withdrawal and why."""
    who = require_who(who)
    with transaction.atomic():
        request = _for_update(request_id)
        if request.status == RequestStatus.RECEIVED:
            raise ActionError(f"Request {request_id} was answered on "
                              f"{request.received_on:%d/%m/%Y}; a request with a reply cannot "
                              "be withdrawn.")
        if request.status == RequestStatus.WITHDRAWN:
            raise ActionError(f"Request {request_id} was already withdrawn on "
                              f"{request.withdrawn_on:%d/%m/%Y}.")
        why = require_text(why, "reason for withdrawing the request", "why")
        now = timezone.now()
        withdrawn_on = today()
        if request.sent_event is not None:
            sent = request.sent_event
            request.sent_event = revise_event(
                sent,
                summary=f"{sent.summary} Withdrawn on {withdrawn_on:%d/%m/%Y}: {sentence(why)}",
                details={**sent.details, "withdrawn_on": withdrawn_on.isoformat()}, now=now)
        request.status = RequestStatus.WITHDRAWN
        request.withdrawn_on = withdrawn_on
        request.withdrawn_reason = why
        request.updated_by, request.updated_at = who, now
        request.save()
        RequestChange.objects.create(request=request, at=now, on=withdrawn_on, who=who,
                                     what=RequestStatus.WITHDRAWN, note=why)
    return request


def list_requests(*, status: str | None = None) -> QuerySet[InformationRequest]:
    requests = InformationRequest.objects.select_related("from_agency", "to_agency")
    if status:
        if status not in RequestStatus.values:
            raise ActionError(f"{status!r} is not a request status; use one of: "
                              f"{', '.join(RequestStatus.values)}.")
        requests = requests.filter(status=status)
    return requests.order_by("-requested_on", "-id")


def overdue_requests(on: dt.date | None = None) -> list[InformationRequest]:
    """Requests still waiting for a reply after their due date, as of ``on`` (default
    today), the longest overdue first."""
    on = on or today()
    return list(InformationRequest.objects.select_related("from_agency", "to_agency")
                .filter(status=RequestStatus.SENT, due_on__lt=on).order_by("due_on", "id"))
