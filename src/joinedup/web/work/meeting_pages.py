"""Professionals meetings: the meetings about children the reader may open (newest first),
one meeting with its decisions and agreed actions (mark an action done) or, planned, its
invitations and agenda (call it off), and recording a meeting held about a child, or a
planned one as held. Everything goes through the domain's services, as
`joinedup meetings ...` does. Who came or was invited is shown through the visibility gate
(a perpetrator-side reader is not told of victim-support services)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from joinedup.access import AuditAction, reader_for, readers_for
from joinedup.alerts import cancel_planned, record_planned
from joinedup.errors import JoinedUpError, NotFoundError
from joinedup.information_requests import (
    ActionStatus,
    MeetingStatus,
    ProfessionalsMeeting,
    services,
)
from joinedup.visibility import Reader
from joinedup.web.case.child_context import ChildPage, child_page
from joinedup.web.govuk_forms import ErrorSummary
from joinedup.web.paging import paginate
from joinedup.web.permissions import open_child
from joinedup.web.work import forms, queries
from joinedup.web.work.changes import may_change, record_change
from joinedup.web.work.child_finder import choose_child
from joinedup.web.work.child_param import child_param
from joinedup.web.work.meeting_plan_pages import agenda_context
from joinedup.web.work.pages import names_of, page
from joinedup.web.work.sharing import meeting_texts, organiser_name
from joinedup.web.work.viewer import viewer_of


def meeting_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    child_id = child_param(request)
    if child_id is not None:
        # the record is opened (audited) first, so the list needs no access subquery: with
        # it, the counting query nested too deep for SQLite's parser (a server error)
        open_child(request, child_id, AuditAction.VIEW_CHILD, list="meetings")
        found = queries.meetings_of(child_id)
    else:
        found = queries.meetings(request.user)
    found = found.annotate(
        open_actions=Count("actions", filter=Q(actions__status=ActionStatus.OPEN)),
        overdue_actions=Count("actions", filter=Q(actions__status=ActionStatus.OPEN,
                                                  actions__due_on__lt=today)),
    ).order_by("-held_on", "-id")
    shown, pagination = paginate(found.prefetch_related("invited"), request.GET)
    meetings = list(shown)
    readers = readers_for(request.user, {m.child_id for m in meetings})
    return page(request, "work/meetings.html", {
        "meetings": [_row(readers.get(m.child_id, Reader()), m) for m in meetings],
        "pagination": pagination, "total": shown.paginator.count,
        "child_id": child_id,
        "names": names_of({m.child_id for m in meetings}
                          | ({child_id} if child_id else set()), request.user),
    })


def _row(reader: Reader, meeting: ProfessionalsMeeting) -> tuple[Any, list[str], str]:
    """The meeting, the codes of the agencies that came (or, planned, are invited) and the
    organiser's name, as far as the reader may be told of them."""
    agencies = (meeting.invited if meeting.status == MeetingStatus.PLANNED
                else meeting.attending).all()
    return (meeting, sorted(a.code for a in agencies if reader.shows_agency(a.code)),
            organiser_name(reader, meeting))


def _meeting(meeting_id: int) -> ProfessionalsMeeting:
    try:
        return services.get_meeting(meeting_id)
    except NotFoundError:
        raise Http404(f"There is no professionals meeting {meeting_id}.") from None


def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(meeting_id)
    if request.method == "POST":
        return _act(request, meeting)
    return _show(child_page(request, meeting.child_id, AuditAction.VIEW_CHILD,
                            meeting=meeting.pk), meeting)


def _show(opened: ChildPage, meeting: ProfessionalsMeeting, *,
          errors: ErrorSummary | None = None, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    request = opened.request
    texts = meeting_texts(opened.reader, meeting)
    actions: list[dict[str, Any]] = [
        {"action": a, "overdue": a.status == ActionStatus.OPEN and today > a.due_on,
         "description": description} for a, description in texts.actions]
    planned = meeting.status == MeetingStatus.PLANNED
    return page(request, "work/meeting.html", {
        "meeting": meeting, "attending": texts.attending, "invited": texts.invited,
        "purpose": texts.purpose, "planned": planned, "organiser": texts.organiser,
        **(agenda_context(opened.reader, meeting) if planned else {}),
        "decisions": texts.decisions, "actions": actions, "today": today,
        "names": names_of([meeting.child_id], request.user), "errors": errors or ErrorSummary(),
        "alerts": list(meeting.alerts.order_by("fired_on", "id")),  # type: ignore[attr-defined]
    }, status=status)


def _cancel(request: HttpRequest, meeting: ProfessionalsMeeting) -> HttpResponse:
    reasons = may_change(request, meeting.child_id, meeting=meeting.pk,
                         attempted="cancel planned meeting")
    form = forms.CancelForm(request.POST)
    errors = ErrorSummary(form)
    if form.is_valid():
        try:
            cancel_planned(meeting.pk, who=viewer_of(request).username,
                           reason=form.cleaned_data["cancel_reason"])
        except JoinedUpError as exc:
            errors.add("cancel_reason", str(exc))
    if errors:
        opened = child_page(request, meeting.child_id, AuditAction.VIEW_CHILD,
                            meeting=meeting.pk)
        return _show(opened, _meeting(meeting.pk), errors=errors, status=400)
    record_change(request, reasons, object_type="professionals_meeting", object_id=meeting.pk,
                  child_id=meeting.child_id, what="cancelled",
                  note=form.cleaned_data["cancel_reason"])
    messages.success(request, "The meeting is called off. Its alerts are back in the open "
                              "queue.")
    return redirect("meeting", meeting.pk)


def _act(request: HttpRequest, meeting: ProfessionalsMeeting) -> HttpResponse:
    if request.POST.get("action") == "cancel":
        return _cancel(request, meeting)
    reasons = may_change(request, meeting.child_id, meeting=meeting.pk, attempted="action done")
    form = forms.ActionDoneForm(request.POST, actions={a.pk for a in meeting.actions.all()})
    errors = ErrorSummary(form, anchors={"action_id": "actions"})
    if form.is_valid():
        try:
            done = services.complete_action(form.cleaned_data["action_id"],
                                            who=viewer_of(request).username)
        except JoinedUpError as exc:
            errors.add("actions", str(exc))
    if errors:
        opened = child_page(request, meeting.child_id, AuditAction.VIEW_CHILD,
                            meeting=meeting.pk)
        return _show(opened, _meeting(meeting.pk), errors=errors, status=400)
    record_change(request, reasons, object_type="meeting_action", object_id=done.pk,
                  child_id=meeting.child_id, what="action done", note=done.description)
    messages.success(request, f"Action {done.pk} is marked done.")
    return redirect("meeting", meeting.pk)


def _planned_for(request: HttpRequest, child_id: int) -> ProfessionalsMeeting | None:
    """The planned meeting (``?planned=<id>``) about this child being recorded as held."""
    raw = (request.GET.get("planned") or "").strip()
    if not raw.isdigit():
        return None
    meeting = _meeting(int(raw))
    if meeting.child_id != child_id or meeting.status != MeetingStatus.PLANNED:
        raise Http404(f"There is no planned meeting {raw} about this child.")
    return meeting


def _record(child_id: int, who: str, form: forms.MeetingForm,
            planned: ProfessionalsMeeting | None) -> ProfessionalsMeeting:
    if planned is None:
        return services.record_meeting(child_id=child_id, who=who, **form.arguments())
    return record_planned(planned.pk, child_id=child_id, who=who, **form.arguments())


def meeting_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    child_id = child_param(request)
    if child_id is None:
        return choose_child(request, "Record a professionals meeting", "meeting-new")
    if request.method == "POST":
        reasons = may_change(request, child_id, attempted="record professionals meeting")
    else:
        reasons = open_child(request, child_id, AuditAction.VIEW_CHILD,
                             form="professionals meeting")
    planned = _planned_for(request, child_id)
    values = forms.blank_meeting(viewer.agency_code, timezone.localdate())
    if planned is not None:
        reader = reader_for(request.user, child_id)
        values.update(agency=planned.agency.code,
                      attending=[a.code for a in planned.invited.all()
                                 if reader.shows_agency(a.code)],
                      decisions=str((planned.agenda or {}).get("purpose") or ""))
    errors = ErrorSummary()
    if request.method == "POST":
        form = forms.MeetingForm(request.POST)
        values, errors = form.values(), ErrorSummary(form)
        if form.is_valid():
            try:
                meeting = _record(child_id, viewer.username, form, planned)
            except JoinedUpError as exc:
                errors.add("held_on", str(exc))
            else:
                record_change(request, reasons, object_type="professionals_meeting",
                              object_id=meeting.pk, child_id=child_id, what="recorded",
                              note=form.cleaned_data["decisions"])
                messages.success(request, "The professionals meeting is recorded and on the "
                                          "child's chronology.")
                return redirect("meeting", meeting.pk)
        open_child(request, child_id, AuditAction.VIEW_CHILD,
                   form="professionals meeting")
    return page(request, "work/meeting_new.html", {
        "child_id": child_id, "names": names_of([child_id], request.user), "meeting": values,
        "agencies": forms.agency_choices(), "errors": errors, "planned": planned,
    }, status=400 if errors else 200)
