"""A professionals meeting planned about a child's open alerts, and what it does to them.

The agenda of a planned meeting is pre-filled with the child's open (and acknowledged)
alerts and each agency's entries behind them: their evidence. Planning the meeting
acknowledges those alerts ("meeting planned", with the date), so they leave the open queue
while the meeting is pending; recording it as held actions them; calling it off puts them
back in the open queue ("meeting cancelled", with the reason). Each is a move of
``states`` written in the alert's history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.alerts import states
from joinedup.alerts.models import Alert, AlertChange, AlertStatus
from joinedup.alerts.priority import TIERS
from joinedup.chronology.models import Event
from joinedup.information_requests.meeting_plans import cancel_meeting
from joinedup.information_requests.meetings import record_meeting
from joinedup.information_requests.models import ProfessionalsMeeting

UNANSWERED = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


@dataclass(frozen=True)
class Agenda:
    """What a planned meeting is to look at: alerts (most urgent first) and the ids of the
    entries behind them."""

    alert_ids: list[int]
    event_ids: list[int]


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def unanswered_alerts(child_id: int) -> list[Alert]:
    """The child's open and acknowledged alerts, most urgent first, then the oldest."""
    found = list(Alert.objects.filter(child_id=child_id, status__in=UNANSWERED))
    return sorted(found, key=lambda a: (TIERS.index(a.priority), a.fired_on, a.pk))


def meeting_agenda(child_id: int, alert_ids: list[int] | None = None) -> Agenda:
    """The agenda for a meeting about the child: the chosen alerts (all the child's open and
    acknowledged alerts when ``alert_ids`` is None; ids of other children's alerts, or of
    alerts already closed, are left out) and their evidence."""
    alerts = unanswered_alerts(child_id)
    if alert_ids is not None:
        chosen = set(alert_ids)
        alerts = [a for a in alerts if a.pk in chosen]
    through = Alert.evidence.through
    events = (through.objects.filter(alert_id__in=[a.pk for a in alerts])
              .values_list("event_id", flat=True).distinct())
    return Agenda([a.pk for a in alerts], sorted(events))


def agenda_entries(child_id: int, alert_ids: list[int], event_ids: list[int],
                   ) -> tuple[list[Alert], list[Event]]:
    """A planned meeting's agenda as stored: its alerts (only the child's, most urgent
    first) and the entries behind them (the versions in force, oldest first), ready for
    the visibility gate."""
    alerts = sorted(Alert.objects.filter(pk__in=alert_ids, child_id=child_id),
                    key=lambda a: (TIERS.index(a.priority), a.fired_on, a.pk))
    events = list(Event.objects.filter(pk__in=event_ids, is_current=True)
                  .select_related("agency", "subject", "related_person")
                  .order_by("occurred_at", "agency__code", "source_id"))
    return alerts, events


def _move(alert: Alert, kind: str, who: str, note: str, **links: Any) -> None:
    alert.status = states.after(alert.pk, alert.status, kind)
    for name, value in links.items():
        setattr(alert, name, value)
    alert.updated_at = timezone.now()
    alert.save(update_fields=["status", "updated_at", *links])
    AlertChange.objects.create(alert=alert, who=who, kind=kind, note=note)


def link_planned(meeting: ProfessionalsMeeting, alert_ids: list[int], who: str) -> int:
    """Acknowledge the agenda's alerts that are still unanswered, linked to the planned
    meeting. Returns how many."""
    note = f"Professionals meeting {meeting.pk} planned for {_day(meeting.held_on)}"
    alerts = (Alert.objects.select_for_update()
              .filter(pk__in=alert_ids, child_id=meeting.child_id, status__in=UNANSWERED))
    count = 0
    for alert in alerts:
        _move(alert, "meeting planned", who, note, meeting=meeting)
        count += 1
    return count


def record_planned(meeting_id: int, *, child_id: int, who: str, **held: Any,
                   ) -> ProfessionalsMeeting:
    """Record a planned meeting as held (``held``: record_meeting's keyword arguments) and
    mark the alerts it was planned about actioned."""
    with transaction.atomic():
        meeting = record_meeting(child_id=child_id, who=who, planned_id=meeting_id, **held)
        note = f"Professionals meeting {meeting.pk} held on {_day(meeting.held_on)}"
        for alert in Alert.objects.select_for_update().filter(meeting=meeting,
                                                             status__in=UNANSWERED):
            _move(alert, "actioned", who, note)
    return meeting


def cancel_planned(meeting_id: int, *, who: str, reason: str) -> ProfessionalsMeeting:
    """Call off a planned meeting; its alerts go back to the open queue, unlinked."""
    with transaction.atomic():
        meeting = cancel_meeting(meeting_id, who=who, reason=reason)
        note = f"Professionals meeting {meeting.pk} cancelled: {meeting.cancelled_reason}"
        for alert in Alert.objects.select_for_update().filter(
                meeting=meeting, status=AlertStatus.ACKNOWLEDGED):
            _move(alert, "meeting cancelled", who, note, meeting=None)
    return meeting
