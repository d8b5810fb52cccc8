"""Planning a professionals meeting before it is held, and calling one off.

A planned meeting has a future date, the agency organising it, the agencies invited and an
agenda: the organiser's purpose and the ids of the open alerts and of the entries it is to
look at. Nothing goes on the child's chronology until the meeting is recorded as held
(``meetings.record_meeting`` with the planned meeting's id), because the chronology records
what happened. Who may be invited, and what of the agenda each invitee sees, are decided
above this module (``joinedup.access.meeting_plans`` and the visibility gate).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from joinedup.errors import ActionError, NextStep, NotFoundError
from joinedup.information_requests.lookups import (
    find_agencies,
    find_agency,
    find_person,
    require_text,
    require_who,
    today,
)
from joinedup.information_requests.models import MeetingStatus, ProfessionalsMeeting

LONGEST_AHEAD_DAYS = 366
"""A date further ahead than a year is taken for a typing slip."""


def _planned_for(on: dt.date) -> dt.date:
    now = today()
    if on < now:
        raise ActionError(f"A planned meeting's date must be today or later, not "
                          f"{on:%d/%m/%Y}. To record a meeting already held, record it as "
                          "held.", next_step=NextStep.GIVE_DETAIL(detail="date"))
    if on > now + dt.timedelta(days=LONGEST_AHEAD_DAYS):
        raise ActionError(f"{on:%d/%m/%Y} is more than a year away: check the year.",
                          next_step=NextStep.GIVE_DETAIL(detail="date"))
    return on


def plan_meeting(*, child_id: int, agency: str, on: dt.date, invited: list[str], who: str,
                 purpose: str, alert_ids: list[int], event_ids: list[int],
                 ) -> ProfessionalsMeeting:
    """Store a planned meeting about a child, organised by ``agency`` on ``on``, with the
    agencies ``invited`` (other than the organiser's) and its agenda."""
    who = require_who(who)
    organiser = find_agency(agency)
    guests = [a for a in find_agencies(invited) if a.pk != organiser.pk]
    if not guests:
        raise ActionError("A professionals meeting brings agencies together: invite at least "
                          "one other agency.", next_step=NextStep.GIVE_DETAIL(detail="invited"))
    purpose = require_text(purpose, "purpose for the meeting (what it is to decide)",
                           "purpose")
    child = find_person(child_id, "child")
    with transaction.atomic():
        meeting = ProfessionalsMeeting.objects.create(
            child=child, agency=organiser, status=MeetingStatus.PLANNED,
            held_on=_planned_for(on), planned_by=who, planned_at=timezone.now(),
            recorded_by=who,
            agenda={"purpose": purpose, "alerts": sorted(set(alert_ids)),
                    "events": sorted(set(event_ids))})
        meeting.invited.set(guests)
    return meeting


def cancel_meeting(meeting_id: int, *, who: str, reason: str) -> ProfessionalsMeeting:
    """Call off a planned meeting, saying why (the invitees see the reason)."""
    who = require_who(who)
    reason = require_text(reason, "reason for cancelling the meeting", "reason")
    with transaction.atomic():
        meeting = ProfessionalsMeeting.objects.select_for_update().filter(pk=meeting_id).first()
        if meeting is None:
            raise NotFoundError(f"There is no professionals meeting {meeting_id}.",
                                next_step=NextStep.LIST_MEETINGS)
        if meeting.status != MeetingStatus.PLANNED:
            raise ActionError(f"Meeting {meeting_id} is {meeting.get_status_display()}; only "
                              "a planned meeting can be cancelled.")
        meeting.status, meeting.cancelled_reason = MeetingStatus.CANCELLED, reason
        meeting.recorded_by, meeting.recorded_at = who, timezone.now()
        meeting.save(update_fields=["status", "cancelled_reason", "recorded_by",
                                    "recorded_at"])
    return meeting
