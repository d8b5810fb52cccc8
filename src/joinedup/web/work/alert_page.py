"""One alert: why it was raised (the rule's explanation, window and the learning behind it),
the evidence as the reader may see it, what has happened to it, and what they can do:
acknowledge, record a professionals meeting, send an information request, dismiss with a
reason, reopen. The page offers the moves ``joinedup.alerts.states`` allows from the alert's
status; each action goes through ``joinedup.alerts.lifecycle`` (as the command line does),
is written to the audit trail, and comes back here with a banner (Post/Redirect/Get).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from joinedup.access import AuditAction
from joinedup.alerts import (
    PRIORITY_ASKS,
    Alert,
    AlertStatus,
    actioned_line,
    held_back_alerts,
    lifecycle,
    load_catalogue,
    priority_note,
    states,
)
from joinedup.errors import JoinedUpError, NotFoundError
from joinedup.visibility import Reader
from joinedup.web.case.child_context import ChildPage, child_page
from joinedup.web.govuk_forms import ErrorSummary
from joinedup.web.held_back_words import held_back_sentence
from joinedup.web.work import forms
from joinedup.web.work.changes import may_change, record_change
from joinedup.web.work.information_request_form import RequestForm, area_choices, blank_request
from joinedup.web.work.pages import names_of, page
from joinedup.web.work.sharing import evidence_lines
from joinedup.web.work.viewer import viewer_of

HISTORY_WORDS = {"raised": "Raised", "updated": "Updated with new evidence",
                 "acknowledged": "Acknowledged", "actioned": "Actioned",
                 "dismissed": "Dismissed", "reopened": "Reopened",
                 "recognised": "Action recognised from the record",
                 "meeting planned": "Professionals meeting planned",
                 "meeting cancelled": "Planned meeting called off"}
STATUS_MEANING = {AlertStatus.OPEN: "nobody has looked at it yet",
                  AlertStatus.ACKNOWLEDGED: "someone is looking into it",
                  AlertStatus.ACTIONED: "a meeting was held, information was requested, or "
                                        "an entry on the record met its action",
                  AlertStatus.DISMISSED: "no action needed, with the reason in its history"}
FIRST_FIELD = {"acknowledge": "note", "dismiss": "dismiss_reason",
               "reopen": "reopen_reason", "meeting": "held_on", "request": "person"}


def _alert(alert_id: int) -> Alert:
    try:
        return lifecycle.get_alert(alert_id)
    except NotFoundError:
        raise Http404(f"There is no alert {alert_id}.") from None


def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = _alert(alert_id)
    if request.method == "POST":
        return _act(request, alert)
    return _show(child_page(request, alert.child_id, AuditAction.VIEW_CHILD, alert=alert_id),
                 alert)


def _show(opened: ChildPage, alert: Alert, *, action: str = "",
          errors: ErrorSummary | None = None, meeting: dict[str, Any] | None = None,
          request_values: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    request = opened.request
    viewer = viewer_of(request)
    events = list(alert.evidence.select_related("agency", "subject", "related_person")
                  .order_by("occurred_at", "agency__code", "source_id"))
    reader = opened.reader
    shown, withheld = evidence_lines(events, reader)
    history = [{"at": c.at, "who": c.who, "what": HISTORY_WORDS.get(c.kind, c.kind),
                "note": c.note} for c in alert.changes.order_by("at", "id")]
    today = timezone.localdate()
    tier, reason, source = priority_note(alert.rule)
    return page(request, "work/alert.html", {
        "alert": alert, "priority_asks": PRIORITY_ASKS.get(alert.priority, ""),
        "priority_reason": reason if tier == alert.priority else "",
        "priority_source": source if tier == alert.priority else "",
        "rule_title": next((r.title for r in load_catalogue() if r.id == alert.rule), ""),
        "status_label": STATUS_MEANING.get(AlertStatus(alert.status), ""),
        "child_name": names_of([alert.child_id], request.user).get(alert.child_id, ""),
        "evidence": shown, "withheld": withheld, "history": history,
        "recognised": _recognised(alert, reader),
        "held_back": held_back_sentence(held_back_alerts([alert]).get(alert.pk), reader),
        "can": {**states.offered(alert.status), "send": viewer.agency_id is not None},
        "action": action, "errors": errors or ErrorSummary(),
        "no_errors": ErrorSummary(),
        "values": request.POST if action else {},
        "meeting": meeting or forms.blank_meeting(viewer.agency_code, today),
        "request_form": request_values or blank_request(alert.child_id),
        "agencies": forms.agency_choices(), "reasons": forms.reason_choices(),
        "areas": area_choices(),
        "people": forms.person_choices(alert.child_id, reader),
    }, status=status)


def _recognised(alert: Alert, reader: Reader) -> str:
    """The entry a run recognised as the alert's action, in words, if the reader may see
    it ("Actioned by Strategy discussion on 5 March 2025, recorded ... by ...")."""
    event = alert.actioned_by
    if event is None:
        return ""
    shown, _ = evidence_lines([event], reader)
    return actioned_line(event) if shown else "An entry that is not shown to you met its action"


@dataclass
class _Outcome:
    """What an action on the alert came to: done (with the words of the banner and the note
    for the audit trail), or refused with the problems to show in the forms."""

    errors: ErrorSummary = field(default_factory=ErrorSummary)
    done: str = ""
    note: str = ""
    meeting_form: forms.MeetingForm | None = None
    request_form: RequestForm | None = None


def _act(request: HttpRequest, alert: Alert) -> HttpResponse:
    """Do what the form asked; back to the alert with a banner, or the page again with the
    problems in an error summary (and nothing changed)."""
    action = request.POST.get("action", "")
    reasons = may_change(request, alert.child_id, alert=alert.pk, attempted=action)
    outcome = _Outcome()
    try:
        _do(request, alert, action, outcome)
    except JoinedUpError as exc:
        outcome.errors.add(FIRST_FIELD.get(action, "note"), str(exc))
    if outcome.errors:
        fresh = lifecycle.get_alert(alert.pk)
        opened = child_page(request, alert.child_id, AuditAction.VIEW_CHILD, alert=alert.pk)
        meeting, asked = outcome.meeting_form, outcome.request_form
        return _show(opened, fresh, action=action, errors=outcome.errors,
                     meeting=meeting.values() if meeting else None,
                     request_values=asked.values() if asked else None,
                     status=400)
    record_change(request, reasons, object_type="alert", object_id=alert.pk,
                  child_id=alert.child_id, what=action, note=outcome.note)
    messages.success(request, outcome.done)
    return redirect("alert", alert.pk)


def _do(request: HttpRequest, alert: Alert, action: str, outcome: _Outcome) -> None:
    """The action itself, through the alert's lifecycle (which may refuse it: ``outcome``
    keeps the forms read so far, to show them again)."""
    who = viewer_of(request).username
    if action == "acknowledge":
        acknowledged = forms.AcknowledgeForm(request.POST)
        acknowledged.is_valid()
        outcome.note = acknowledged.cleaned_data["note"]
        lifecycle.acknowledge(alert.pk, who=who, note=outcome.note)
        outcome.done = "You acknowledged this alert."
    elif action in ("dismiss", "reopen"):
        reason = (forms.DismissForm if action == "dismiss" else forms.ReopenForm)(request.POST)
        outcome.errors = ErrorSummary(reason)
        outcome.note = forms.text(request.POST, f"{action}_reason")
        if not reason.is_valid():
            pass
        elif action == "dismiss":
            lifecycle.dismiss(alert.pk, who=who, reason=outcome.note)
            outcome.done = "You dismissed this alert. Your reason is kept in its history."
        else:
            lifecycle.reopen(alert.pk, who=who, reason=outcome.note)
            outcome.done = "You reopened this alert."
    elif action == "meeting":
        _with_meeting(request, alert, who, outcome)
    elif action == "request":
        _with_request(request, alert, who, outcome)
    else:
        outcome.errors.add("note", "Choose what to do with the alert")


def _with_meeting(request: HttpRequest, alert: Alert, who: str, outcome: _Outcome) -> None:
    meeting_form = forms.MeetingForm(request.POST)
    outcome.meeting_form, outcome.errors = meeting_form, ErrorSummary(meeting_form)
    if not outcome.errors:
        changed = lifecycle.act_with_meeting(alert.pk, who=who, **meeting_form.arguments())
        outcome.note = f"professionals meeting {changed.meeting_id}"
        outcome.done = ("The professionals meeting is recorded and on the child's chronology. "
                        "The alert is now actioned.")


def _with_request(request: HttpRequest, alert: Alert, who: str, outcome: _Outcome) -> None:
    people = {pid for pid, _ in forms.person_choices(alert.child_id)}
    request_form = RequestForm(request.POST, people=people)
    outcome.request_form, outcome.errors = request_form, ErrorSummary(request_form)
    viewer = viewer_of(request)
    if viewer.agency_id is None:
        outcome.errors.add("person", "Your account is not linked to an agency, so you cannot "
                                     "send a request. Ask your system administrator.")
    if not outcome.errors:
        changed = lifecycle.act_with_request(alert.pk, who=who, from_agency=viewer.agency_code,
                                             **request_form.arguments())
        outcome.note = f"information request {changed.request_id}"
        outcome.done = ("Your information request is sent and on the chronology. The alert is "
                        "now actioned.")
