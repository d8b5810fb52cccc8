"""Requests and meetings as plain dictionaries: the stable JSON of ``--format json``.

Kept apart from the commands so the web pages and the API can show exactly what the
command line shows. Keys are only ever added (docs/cli.md); dates are ISO 8601.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from joinedup.agencies.areas import area_name, is_english_area
from joinedup.information_requests.deadlines import is_overdue, working_days_overdue
from joinedup.information_requests.models import (
    ActionStatus,
    InformationRequest,
    MeetingAction,
    ProfessionalsMeeting,
)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def request_summary(request: InformationRequest, on: dt.date,
                    history: bool = False) -> dict[str, Any]:
    """One request as seen on ``on`` (overdue depends on the date it is looked at)."""
    row: dict[str, Any] = {
        "id": request.pk,
        "from_agency": request.from_agency.code,
        "to_agency": request.to_agency.code if request.to_agency is not None else None,
        "to_area": request.to_area or None,
        "to_area_name": (area_name(request.to_area) if is_english_area(request.to_area)
                         else None),
        "person_id": request.person_id,
        "child_id": request.child_id,
        "reason": request.reason,
        "reason_label": request.get_reason_display(),
        "question": request.question,
        "requested_on": _iso(request.requested_on),
        "due_working_days": request.due_working_days,
        "due_on": _iso(request.due_on),
        "status": request.status,
        "as_of": on.isoformat(),
        "overdue": is_overdue(request.status, request.due_on, on),
        "working_days_overdue": working_days_overdue(request.status, request.due_on, on),
        "response": request.response or None,
        "received_on": _iso(request.received_on),
        "withdrawn_on": _iso(request.withdrawn_on),
        "withdrawn_reason": request.withdrawn_reason or None,
        "sent_event_id": request.sent_event_id,
        "received_event_id": request.received_event_id,
        "created_by": request.created_by,
        "updated_by": request.updated_by,
        "updated_at": request.updated_at.isoformat(),
    }
    if history:
        row["history"] = [
            {"at": c.at.isoformat(), "on": c.on.isoformat(), "who": c.who, "what": c.what,
             "note": c.note}
            for c in request.changes.order_by("at", "id")
        ]
    return row


def action_summary(action: MeetingAction, on: dt.date) -> dict[str, Any]:
    return {
        "id": action.pk,
        "meeting_id": action.meeting_id,
        "description": action.description,
        "owner": action.owner,
        "owner_agency": action.owner_agency.code if action.owner_agency else None,
        "due_on": action.due_on.isoformat(),
        "status": action.status,
        "overdue": action.status == ActionStatus.OPEN and on > action.due_on,
        "done_on": _iso(action.done_on),
        "updated_by": action.updated_by,
    }


def meeting_summary(meeting: ProfessionalsMeeting, on: dt.date) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "child_id": meeting.child_id,
        "agency": meeting.agency.code,
        "status": meeting.status,
        "held_on": meeting.held_on.isoformat(),
        "chaired_by": meeting.chaired_by or None,
        "attending": sorted(a.code for a in meeting.attending.all()),
        "invited": sorted(a.code for a in meeting.invited.all()),
        "purpose": str((meeting.agenda or {}).get("purpose") or "") or None,
        "agenda_alerts": list((meeting.agenda or {}).get("alerts") or []),
        "planned_by": meeting.planned_by or None,
        "cancelled_reason": meeting.cancelled_reason or None,
        "decisions": meeting.decisions,
        "event_id": meeting.event_id,
        "recorded_by": meeting.recorded_by,
        "recorded_at": meeting.recorded_at.isoformat(),
        "actions": [action_summary(a, on) for a in
                    sorted(meeting.actions.all(), key=lambda a: (a.due_on, a.pk))],
    }
