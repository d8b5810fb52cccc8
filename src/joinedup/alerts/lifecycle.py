"""What people do with an alert: acknowledge it, act on it, dismiss it, reopen it.

    open ──► acknowledged ──► actioned (a meeting or an information request)
      │            │
      └────────────┴──► dismissed (a reason is required) ──► open (reopened, with a reason)

Every change is recorded with who, when and why (AlertChange). Acting on an alert creates
the meeting or the request through ``joinedup.information_requests`` and links it, so the
action shows on the child's chronology as well.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.alerts.models import Alert, AlertChange, AlertStatus
from joinedup.errors import ActionError, NotFoundError

_ALLOWED = {
    "acknowledged": {AlertStatus.OPEN},
    "actioned": {AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED},
    "dismissed": {AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED},
    "reopened": {AlertStatus.DISMISSED, AlertStatus.ACTIONED},
}


def get_alert(alert_id: int) -> Alert:
    try:
        return Alert.objects.select_related("child").get(pk=alert_id)
    except Alert.DoesNotExist:
        raise NotFoundError(f"There is no alert {alert_id}. `joinedup alerts list` shows "
                            "them.") from None


def _change(alert: Alert, kind: str, status: str, who: str, note: str) -> Alert:
    if alert.status not in _ALLOWED[kind]:
        raise ActionError(f"Alert {alert.id} is {alert.status}; it cannot be {kind}.")
    alert.status = status
    alert.updated_at = timezone.now()
    alert.save(update_fields=["status", "updated_at", "request", "meeting"])
    AlertChange.objects.create(alert=alert, who=who, kind=kind, note=note)
    return alert


def acknowledge(alert_id: int, *, who: str, note: str = "") -> Alert:
    with transaction.atomic():
        return _change(get_alert(alert_id), "acknowledged", AlertStatus.ACKNOWLEDGED, who,
                       note)


def dismiss(alert_id: int, *, who: str, reason: str) -> Alert:
    if not reason.strip():
        raise ActionError("A reason is required to dismiss an alert: say why no action is "
                          "needed, for whoever reads the alert next.")
    with transaction.atomic():
        return _change(get_alert(alert_id), "dismissed", AlertStatus.DISMISSED, who,
                       reason.strip())


def reopen(alert_id: int, *, who: str, reason: str) -> Alert:
    if not reason.strip():
        raise ActionError("A reason is required to reopen an alert.")
    with transaction.atomic():
        return _change(get_alert(alert_id), "reopened", AlertStatus.OPEN, who, reason.strip())


def act_with_request(alert_id: int, *, who: str, **request: Any) -> Alert:
    """Send an information request for this alert's child and mark the alert actioned.
    ``request`` holds send_request's keyword arguments except who and child_id."""
    from joinedup.information_requests.services import send_request

    with transaction.atomic():
        alert = get_alert(alert_id)
        if alert.status not in _ALLOWED["actioned"]:
            raise ActionError(f"Alert {alert.id} is {alert.status}; it cannot be actioned.")
        sent = send_request(who=who, child_id=alert.child_id, **request)
        alert.request = sent
        return _change(alert, "actioned", AlertStatus.ACTIONED, who,
                       f"Information request {sent.pk} sent to "
                       f"{request.get('to_agency') or request.get('to_area')}")


def act_with_meeting(alert_id: int, *, who: str, agency: str, held_on: dt.date,
                     attending: list[str], decisions: str, chaired_by: str = "",
                     actions: list[dict[str, Any]] | None = None) -> Alert:
    """Record the professionals meeting held for this alert and mark the alert actioned."""
    from joinedup.information_requests.services import record_meeting

    with transaction.atomic():
        alert = get_alert(alert_id)
        if alert.status not in _ALLOWED["actioned"]:
            raise ActionError(f"Alert {alert.id} is {alert.status}; it cannot be actioned.")
        meeting = record_meeting(child_id=alert.child_id, agency=agency, held_on=held_on,
                                 attending=attending, decisions=decisions, who=who,
                                 chaired_by=chaired_by, actions=actions)
        alert.meeting = meeting
        return _change(alert, "actioned", AlertStatus.ACTIONED, who,
                       f"Professionals meeting {meeting.pk} on {held_on:%d/%m/%Y}")
