"""Information requests: those the reader's agency sent or was sent (overdue first), one
child's requests, one request with its history and what can be done with it (record the
reply, withdraw it), and a new request about a child. Everything goes through
``joinedup.information_requests.services``, as the command line does."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from joinedup.access import AuditAction
from joinedup.errors import JoinedUpError, NotFoundError
from joinedup.information_requests import (
    InformationRequest,
    RequestStatus,
    services,
    working_days_overdue,
)
from joinedup.web.case.child_context import ChildPage, child_page
from joinedup.web.govuk_forms import ErrorSummary, date_parts, typed_parts
from joinedup.web.paging import paginate
from joinedup.web.permissions import open_child
from joinedup.web.work import forms, queries
from joinedup.web.work.changes import may_change, record_change
from joinedup.web.work.child_finder import choose_child
from joinedup.web.work.child_param import child_param
from joinedup.web.work.information_request_form import RequestForm, area_choices, blank_request
from joinedup.web.work.pages import names_of, page
from joinedup.web.work.sharing import request_texts
from joinedup.web.work.viewer import Viewer, viewer_of

DIRECTIONS = {"all": "Sent or received by your agency", "sent": "Sent by your agency",
              "received": "Sent to your agency"}
STATUSES = {"all": "Any status", "sent": "Waiting for a reply", "overdue": "Overdue",
            "received": "Reply received", "withdrawn": "Withdrawn"}


def child_of(item: InformationRequest) -> int:
    """The child whose record a request belongs to: its child, or whom it is about."""
    return item.child_id or item.person_id


def _rows(items: list[InformationRequest], today: Any) -> list[dict[str, Any]]:
    return [{"request": r, "child_id": child_of(r),
             "late": working_days_overdue(r.status, r.due_on, today)} for r in items]


def request_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    today = timezone.localdate()
    child_id = child_param(request)
    direction = request.GET.get("direction", "all")
    status = request.GET.get("status", "all")
    direction = direction if direction in DIRECTIONS else "all"
    status = status if status in STATUSES else "all"
    if child_id is not None:
        open_child(request, child_id, AuditAction.VIEW_CHILD, list="requests")
        found = queries.requests(request.user).filter(Q(child_id=child_id)
                                                     | Q(person_id=child_id))
    else:
        found = queries.agency_requests(viewer)
        if direction == "sent":
            found = found.filter(from_agency_id=viewer.agency_id)
        elif direction == "received":
            found = found.filter(to_agency_id=viewer.agency_id)
    if status == "overdue":
        found = queries.overdue(found, today)
    elif status != "all":
        found = found.filter(status=status)
    overdue_count = queries.overdue(found, today).count()
    found = found.annotate(late=Case(
        When(status=RequestStatus.SENT, due_on__lt=today, then=Value(0)),
        default=Value(1), output_field=IntegerField(),
    )).order_by("late", "due_on", "-requested_on", "-id")
    shown, pagination = paginate(found, request.GET)
    rows = _rows(list(shown), today)
    meetings = (list(queries.meetings(request.user).filter(child_id=child_id)
                     .order_by("-held_on", "-id")) if child_id is not None else [])
    return page(request, "work/requests.html", {
        "rows": rows, "pagination": pagination, "total": shown.paginator.count,
        "overdue_count": overdue_count, "today": today, "child_id": child_id,
        "direction": direction, "status": status, "directions": DIRECTIONS,
        "statuses": STATUSES, "meetings": meetings,
        "names": names_of({r["child_id"] for r in rows}
                          | ({child_id} if child_id else set()), request.user),
    })


def _request(request_id: int) -> InformationRequest:
    try:
        return services.get_request(request_id)
    except NotFoundError:
        raise Http404(f"There is no information request {request_id}.") from None


def _is_party(viewer: Viewer, item: InformationRequest) -> bool:
    return viewer.agency_id is not None and viewer.agency_id in (item.from_agency_id,
                                                                 item.to_agency_id)


def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    item = _request(request_id)
    if request.method == "POST":
        return _act(request, item)
    return _show(child_page(request, child_of(item), AuditAction.VIEW_CHILD,
                            information_request=item.pk), item)


def _show(opened: ChildPage, item: InformationRequest, *, action: str = "",
          errors: ErrorSummary | None = None, status: int = 200) -> HttpResponse:
    request = opened.request
    viewer = viewer_of(request)
    today = timezone.localdate()
    party = _is_party(viewer, item)
    question = item.question
    response = item.response
    if not party:
        question, response = request_texts(opened.reader, item)
    waiting = item.status == RequestStatus.SENT
    return page(request, "work/request.html", {
        "item": item, "question": question, "response": response, "today": today,
        "late": working_days_overdue(item.status, item.due_on, today),
        "overdue": waiting and today > item.due_on,
        "names": names_of({item.person_id, child_of(item)}, request.user),
        "child_id": child_of(item),
        "history": list(item.changes.order_by("at", "id")),
        "can_receive": waiting and party,
        "can_withdraw": waiting and viewer.agency_id == item.from_agency_id,
        "action": action, "errors": errors or ErrorSummary(),
        "values": request.POST if action else {},
        "received_on": (typed_parts(request.POST, "received_on") if action
                        else date_parts(today)),
    }, status=status)


def _act(request: HttpRequest, item: InformationRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    reasons = may_change(request, child_of(item), information_request=item.pk,
                         attempted=action)
    viewer = viewer_of(request)
    errors = ErrorSummary()
    note = done = ""
    try:
        if action == "receive":
            reply = forms.ReplyForm(request.POST)
            errors = ErrorSummary(reply)
            if not _is_party(viewer, item):
                errors.add("response", "Only the agency that asked or the agency asked can "
                                       "record the reply")
            note = forms.text(request.POST, "response")
            if not errors:
                services.receive_response(item.pk, response=note, who=viewer.username,
                                          received_on=reply.cleaned_data["received_on"])
                done = "The reply is recorded and on the chronology."
        elif action == "withdraw":
            withdrawal = forms.WithdrawForm(request.POST)
            errors = ErrorSummary(withdrawal)
            note = forms.text(request.POST, "why")
            if viewer.agency_id != item.from_agency_id:
                errors.add("why", "Only the agency that sent the request can withdraw it")
            elif withdrawal.is_valid():
                services.withdraw_request(item.pk, why=note, who=viewer.username)
                done = "The request is withdrawn. The chronology keeps that it was sent."
        else:
            errors.add("response", "Choose what to do with the request")
    except JoinedUpError as exc:
        errors.add("response" if action == "receive" else "why", str(exc))
    if errors:
        opened = child_page(request, child_of(item), AuditAction.VIEW_CHILD,
                            information_request=item.pk)
        return _show(opened, _request(item.pk), action=action, errors=errors, status=400)
    record_change(request, reasons, object_type="information_request", object_id=item.pk,
                  child_id=child_of(item), what=action, note=note)
    messages.success(request, done)
    return redirect("request", item.pk)


def request_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    child_id = child_param(request)
    if child_id is None:
        return choose_child(request, "Send an information request", "request-new")
    if request.method == "POST":
        reasons = may_change(request, child_id, attempted="send information request")
    else:
        reasons = open_child(request, child_id, AuditAction.VIEW_CHILD,
                             form="information request")
    people = forms.person_choices(child_id, ChildPage(request, child_id, reasons).reader)
    values = blank_request(child_id)
    form = RequestForm(request.POST if request.method == "POST" else None,
                             people={pid for pid, _ in people})
    errors = ErrorSummary(form)
    if viewer.agency_id is None:
        errors.add("person", "Your account is not linked to an agency, so you cannot send a "
                             "request. Ask your system administrator.")
    if request.method == "POST":
        values = form.values()
        if not errors:
            try:
                sent = services.send_request(from_agency=viewer.agency_code, child_id=child_id,
                                             who=viewer.username, **form.arguments())
            except JoinedUpError as exc:
                errors.add("person", str(exc))
            else:
                record_change(request, reasons, object_type="information_request",
                              object_id=sent.pk, child_id=child_id, what="sent",
                              note=form.cleaned_data["question"])
                messages.success(request, f"Information request {sent.pk} is sent and on the "
                                          "chronology.")
                return redirect("request", sent.pk)
        open_child(request, child_id, AuditAction.VIEW_CHILD,
                   form="information request")
    return page(request, "work/request_new.html", {
        "child_id": child_id, "names": names_of([child_id], request.user), "form": values,
        "people": people, "agencies": forms.agency_choices(), "areas": area_choices(),
        "reasons": forms.reason_choices(), "errors": errors,
    }, status=400 if errors and request.method == "POST" else 200)
