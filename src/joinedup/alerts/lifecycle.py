"""What people do with an alert: acknowledge it, act on it, dismiss it, reopen it.

Which of these may happen from which state is ``joinedup.alerts.states`` (the web page and
the command line both come here, so both follow it). Each change reads the alert's row with
a lock (``select_for_update``) inside its transaction, so two people acting on the same
alert at once are taken one after the other, and the second sees what the first did.

Every change is recorded with who, when and why (AlertChange). Acting on an alert creates
the meeting or the request through ``joinedup.information_requests`` and links it, so the
action shows on the child's chronology as well.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.alerts import states
from joinedup.alerts.models import Alert, AlertChange
from joinedup.errors import ActionError, NextStep, NotFoundError
from joinedup.information_requests.services import record_meeting, send_request


def _not_found(alert_id: int) -> NotFoundError:
    return NotFoundError(f"There is no alert {alert_id}.", next_step=NextStep.LIST_ALERTS)


def get_alert(alert_id: int) -> Alert:
    try:
        return Alert.objects.select_related("child").get(pk=alert_id)
    except Alert.DoesNotExist:
        raise _not_found(alert_id) from None


def _locked(alert_id: int) -> Alert:
    """The alert's row, locked until the transaction ends. No select_related: PostgreSQL
    refuses FOR UPDATE across a nullable outer join."""
    try:
        return Alert.objects.select_for_update().get(pk=alert_id)
    except Alert.DoesNotExist:
        raise _not_found(alert_id) from None


def _change(alert: Alert, kind: str, who: str, note: str) -> Alert:
    alert.status = states.after(alert.id, alert.status, kind)
    alert.updated_at = timezone.now()
    alert.save(update_fields=["status", "updated_at", "request", "meeting"])
    AlertChange.objects.create(alert=alert, who=who, kind=kind, note=note)
    return alert


def acknowledge(alert_id: int, *, who: str, note: str = "") -> Alert:
    with transaction.atomic():
        return _change(_locked(alert_id), "acknowledged", who, note)


def dismiss(alert_id: int, *, who: str, reason: str) -> Alert:
    if not reason.strip():
        raise ActionError("A reason is required to dismiss an alert: say why no action is "
                          "needed, for whoever reads the alert next.")
    with transaction.atomic():
        return _change(_locked(alert_id), "dismissed", who, reason.strip())


def reopen(alert_id: int, *, who: str, reason: str) -> Alert:
    if not reason.strip():
        raise ActionError("A reason is required to reopen an alert.")
    with transaction.atomic():
        return _change(_locked(alert_id), "reopened", who, reason.strip())


def act_with_request(alert_id: int, *, who: str, **request: Any) -> Alert:
    """Send an information request for this alert's child and mark the alert actioned.
    ``request`` holds send_request's keyword arguments except who and child_id."""

    with transaction.atomic():
        alert = _locked(alert_id)
        states.after(alert.id, alert.status, "actioned")  # refused before anything is made
        sent = send_request(who=who, child_id=alert.child_id, **request)
        alert.request = sent
        return _change(alert, "actioned", who,
                       f"Information request {sent.pk} sent to "
                       f"{request.get('to_agency') or request.get('to_area')}")


def act_with_meeting(alert_id: int, *, who: str, agency: str, held_on: dt.date,
                     attending: list[str], decisions: str, chaired_by: str = "",
                     actions: list[dict[str, Any]] | None = None) -> Alert:
    """Record the professionals meeting held for this alert and mark the alert actioned."""

    with transaction.atomic():
        alert = _locked(alert_id)
        states.after(alert.id, alert.status, "actioned")  # refused before anything is made
        meeting = record_meeting(child_id=alert.child_id, agency=agency, held_on=held_on,
                                 attending=attending, decisions=decisions, who=who,
                                 chaired_by=chaired_by, actions=actions)
        alert.meeting = meeting
        return _change(alert, "actioned", who,
                       f"Professionals meeting {meeting.pk} on {held_on:%d/%m/%Y}")
