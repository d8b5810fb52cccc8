"""Planning a professionals meeting about a child: a date to come, the agencies to invite
(only those with a legitimate relationship with the child: ``joinedup.access``'s
``invitable_agencies``), what it is for, and the open alerts it is to look at, all ticked to
begin with. The entries behind those alerts join the agenda; each invitee sees them through
the visibility gate on the meeting's page. Planning goes through ``joinedup.access``'s
``plan_meeting``, as `joinedup meetings plan` does."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from joinedup.access import AuditAction, invitable_agencies, plan_meeting
from joinedup.alerts import agenda_entries, unanswered_alerts
from joinedup.errors import JoinedUpError
from joinedup.web.case.child_context import child_page
from joinedup.web.govuk_forms import ErrorSummary
from joinedup.web.work import forms
from joinedup.web.work.changes import may_change, record_change
from joinedup.web.work.child_finder import choose_child
from joinedup.web.work.child_param import child_param
from joinedup.web.work.pages import names_of, page
from joinedup.web.work.sharing import evidence_lines
from joinedup.web.work.viewer import viewer_of


def meeting_plan(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    child_id = child_param(request)
    if child_id is None:
        return choose_child(request, "Plan a professionals meeting", "meeting-plan")
    if request.method == "POST":
        reasons = may_change(request, child_id, attempted="plan professionals meeting")
    opened = child_page(request, child_id, AuditAction.VIEW_CHILD, form="plan meeting")
    reader = opened.reader
    invitable = [a for a in invitable_agencies(child_id)
                 if a.code != viewer.agency_code and reader.shows_agency(a.code)]
    alerts = unanswered_alerts(child_id)
    values = forms.blank_plan([a.pk for a in alerts])
    errors = ErrorSummary()
    if request.method == "POST":
        form = forms.PlanForm(request.POST, invitable={a.code for a in invitable},
                              alert_ids={a.pk for a in alerts})
        values, errors = form.values(), ErrorSummary(form)
        if not viewer.agency_code:
            errors.add("on", "Only a member of an agency can plan a meeting.")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                meeting = plan_meeting(child_id=child_id, agency=viewer.agency_code,
                                       on=data["on"], invited=data["invited"],
                                       who=viewer.username, purpose=data["purpose"],
                                       alert_ids=data["alerts"])
            except JoinedUpError as exc:
                errors.add_general(str(exc))
            else:
                record_change(request, reasons, object_type="professionals_meeting",
                              object_id=meeting.pk, child_id=child_id, what="planned",
                              note=data["purpose"])
                messages.success(request, "The meeting is planned. The agencies invited see "
                                          "it on their My work page.")
                return redirect("meeting", meeting.pk)
    return page(request, "work/meeting_plan.html", {
        "child_id": child_id, "names": names_of([child_id], request.user), "plan": values,
        "invitable": [(a.code, a.name) for a in invitable], "alerts": alerts,
        "organiser": viewer.agency_name, "errors": errors, "today": timezone.localdate(),
    }, status=400 if errors else 200)


def agenda_context(reader: Any, meeting: Any) -> dict[str, Any]:
    """What the reader sees of a planned meeting's agenda: its alerts (this child's, still
    held) and each agency's entries behind them, through the gate."""
    agenda = meeting.agenda or {}
    alerts, events = agenda_entries(meeting.child_id, agenda.get("alerts", []),
                                    agenda.get("events", []))
    shown, withheld = evidence_lines(events, reader)
    by_agency: dict[str, list[Any]] = {}
    for line in shown:
        by_agency.setdefault(line.agency_name, []).append(line)
    return {"agenda_alerts": alerts, "agenda_entries": sorted(by_agency.items()),
            "agenda_withheld": withheld}
