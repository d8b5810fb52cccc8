"""Break-glass and the audit trail, as pages.

- ``break-glass``: someone with no legitimate relationship states why they need a child's
  record now, and for how long (``access.breakglass.break_glass``, which audits itself);
- ``audit``: the audit trail for auditors, safeguarding leads and system administrators,
  filtered and paged, with its hash chain checked on request (``access.audit.verify``);
- ``audit-child``: who looked at one child's record, and why (``audit.who_looked_at``);
- ``break-glass-reviews``: a safeguarding lead's list of break-glass accesses to review
  (``breakglass.pending_reviews`` and ``review_break_glass``).

Reading the trail is itself written to the trail: the page-view middleware records each
page an auditor opens (``web/middleware.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from joinedup.access import (
    AuditAction,
    AuditEntry,
    BreakGlassOutcome,
    Membership,
    Role,
    audit,
    breakglass,
    is_sealed,
    policy,
)
from joinedup.errors import JoinedUpError
from joinedup.people import is_child
from joinedup.web import hints
from joinedup.web.permissions import roles_required, user_roles

PER_PAGE = 50
CANNOT_BREAK = ("The glass cannot be broken for this record. Check the child's person number, "
                "or ask your safeguarding lead.")
AUDIT_READERS = (Role.AUDITOR, Role.SAFEGUARDING_LEAD, Role.SYSTEM_ADMINISTRATOR)

LOOK_WORDS = {
    AuditAction.VIEW_CHILD: "Viewed the record",
    AuditAction.VIEW_CHRONOLOGY: "Viewed the chronology",
    AuditAction.EXPORT: "Exported",
    AuditAction.DOWNLOAD: "Downloaded",
    AuditAction.ACCESS_REFUSED: "Was refused",
    AuditAction.BREAK_GLASS: "Broke the glass",
}
"""What each kind of look at a child's record was, in the words of "who looked"."""


def child_page(child_id: int) -> str:
    return reverse("child", args=[child_id])


# --- break-glass ----------------------------------------------------------------------------

class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        strip=True, max_length=2000,
        error_messages={"required": "Say why you need this child's record now",
                        "max_length": "Keep your reason to 2,000 characters or fewer"})
    minutes = forms.IntegerField(
        min_value=1, max_value=breakglass.MAX_MINUTES,
        error_messages={
            "required": "Say how many minutes you need the record for",
            "invalid": "Give the minutes as a whole number, like 60",
            "min_value": f"Ask for between 1 and {breakglass.MAX_MINUTES} minutes",
            "max_value": f"Ask for between 1 and {breakglass.MAX_MINUTES} minutes"})


def _return_to(request: HttpRequest, child_id: int) -> str:
    """Where to go once the glass is broken: the page of this child the user was refused
    (only a page of this child's record), else the child's page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted.startswith(f"/children/{child_id}/") and not any(
            bad in wanted for bad in ("//", "..", "\\")):
        return wanted
    return child_page(child_id)


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, child_id: int) -> HttpResponse:
    child = is_child(child_id, timezone.localdate())
    reasons = policy.legitimate_reasons(request.user, child_id) if child else []
    if reasons:
        return render(request, "access/break_glass_not_needed.html",
                      {"child_id": child_id, "reasons": reasons,
                       "child_url": child_page(child_id)})
    # A record that does not exist, an adult's, and a sealed one (for anyone but a
    # safeguarding lead) get the same form and the same refusal: nothing here tells the
    # user whether the child exists or is sealed (docs/security.md).
    openable = child and not (is_sealed(child_id)
                              and Role.SAFEGUARDING_LEAD.value not in user_roles(request))
    form = BreakGlassForm(request.POST or None,
                          initial={"minutes": breakglass.DEFAULT_MINUTES})
    problem = ""
    if request.method == "POST" and form.is_valid() and not openable:
        audit.record(request.user, AuditAction.ACCESS_REFUSED, object_type="break_glass",
                     object_id=child_id, child_id=child_id,
                     reason="break-glass refused: no such child's record open to break-glass",
                     details={"address": request.get_full_path()[:500]})
        problem = CANNOT_BREAK
    elif request.method == "POST" and form.is_valid():
        try:
            breakglass.break_glass(request.user, child_id, form.cleaned_data["reason"],
                                   form.cleaned_data["minutes"])
        except JoinedUpError as exc:
            problem = hints.refusal(exc)
        else:
            messages.success(request, "You broke the glass. This is recorded, and a "
                                      "safeguarding lead will review it.")
            return redirect(_return_to(request, child_id))
    return render(request, "access/break_glass.html", {
        "child_id": child_id, "form": form, "problem": problem,
        "next": _return_to(request, child_id),
        "max_minutes": breakglass.MAX_MINUTES,
        "default_minutes": breakglass.DEFAULT_MINUTES})


# --- the audit trail ------------------------------------------------------------------------

class AuditFilter(forms.Form):
    user = forms.CharField(required=False, max_length=150, strip=True)
    action = forms.ChoiceField(required=False,
                               choices=[("", "Any action"), *AuditAction.choices])
    child = forms.IntegerField(required=False, min_value=1, error_messages={
        "invalid": "Give the child's person number, like 42",
        "min_value": "Give the child's person number, like 42"})
    date_from = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                                error_messages={"invalid": "Give the date like 2025-03-31"})
    date_to = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                              error_messages={"invalid": "Give the date like 2025-03-31"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date")
        return data


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filtered_entries(data: dict[str, Any]) -> QuerySet[AuditEntry]:
    """The trail, newest first, narrowed by the filter form's cleaned data."""
    query = audit.entries(child_id=data.get("child"), actor=data.get("user") or None,
                          action=data.get("action") or None)
    if data.get("date_from"):
        query = query.filter(at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        query = query.filter(at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    return query


def _page(request: HttpRequest, query: QuerySet[Any]) -> Page[Any]:
    return Paginator(query, PER_PAGE).get_page(request.GET.get("page"))


def pagination(request: HttpRequest, page: Page[Any]) -> dict[str, Any] | None:
    """govukPagination parameters keeping the request's other query parameters."""
    if page.paginator.num_pages < 2:
        return None

    def href(number: int) -> str:
        params = {k: v for k, v in request.GET.items() if k not in ("page", "check")}
        params["page"] = str(number)
        return f"?{urlencode(params)}"

    items: list[dict[str, Any]] = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2,
                                                       on_ends=1):
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "href": href(int(number)),
                          "current": number == page.number})
    return {"items": items,
            "previous": {"href": href(page.previous_page_number())}
            if page.has_previous() else None,
            "next": {"href": href(page.next_page_number())} if page.has_next() else None}


@require_http_methods(["GET"])
@roles_required(*AUDIT_READERS)
def audit_trail(request: HttpRequest) -> HttpResponse:
    """The trail, newest first; ``?check=1`` also checks the whole hash chain (slow on a long
    trail, so only when asked)."""
    form = AuditFilter(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = _page(request, filtered_entries(data))
    checked: list[audit.Problem] | None = None
    if request.GET.get("check"):
        checked = audit.verify()
    to_review = None
    if Role.SAFEGUARDING_LEAD.value in user_roles(request):
        to_review = breakglass.pending_reviews(_lead_agency(request)).count()
    return render(request, "access/audit_trail.html", {
        "to_review": to_review,
        "form": form, "page": page, "pagination": pagination(request, page),
        "checked": checked, "total": audit.count(),
        "action_words": dict(AuditAction.choices),
        "filtered": any(data.get(k) for k in AuditFilter.base_fields)})


@require_http_methods(["GET"])
@roles_required(*AUDIT_READERS)
def audit_child(request: HttpRequest, child_id: int) -> HttpResponse:
    looks = audit.who_looked_at(child_id)
    page = _page(request, looks)
    people = looks.values("actor").distinct().count()
    return render(request, "access/audit_child.html", {
        "child_id": child_id, "page": page, "pagination": pagination(request, page),
        "people": people, "look_words": LOOK_WORDS,
        "trail_url": f"{reverse('audit')}?{urlencode({'child': child_id})}"})


# --- safeguarding lead's review of break-glass ----------------------------------------------

def _lead_agency(request: HttpRequest) -> str | None:
    user: Any = request.user
    code = Membership.objects.filter(user=user).values_list("agency__code", flat=True).first()
    return str(code) if code else None


@require_http_methods(["GET", "POST"])
@roles_required(Role.SAFEGUARDING_LEAD)
def break_glass_reviews(request: HttpRequest) -> HttpResponse:
    own_agency = _lead_agency(request)
    everyone = request.GET.get("agency") != "own" or own_agency is None
    errors: dict[int, dict[str, str]] = {}
    entered: dict[int, dict[str, str]] = {}
    if request.method == "POST":
        glass_id = _int(request.POST.get("glass"))
        outcome = request.POST.get("outcome", "")
        note = request.POST.get("note", "").strip()
        if glass_id is None:
            messages.error(request, "That break-glass access was not found: choose one from "
                                    "the list.")
            return redirect(request.get_full_path())
        entered[glass_id] = {"outcome": outcome, "note": note}
        if outcome not in BreakGlassOutcome.values:
            errors[glass_id] = {"outcome": "Say whether the access was justified"}
        elif outcome == BreakGlassOutcome.NOT_JUSTIFIED and not note:
            errors[glass_id] = {"note": "Say what happens next when an access was not "
                                        "justified"}
        else:
            try:
                glass = breakglass.review_break_glass(glass_id, request.user, outcome, note)
            except JoinedUpError as exc:
                errors[glass_id] = {"outcome": str(exc)}
            else:
                messages.success(request, f"Recorded: {glass.user.username}'s break-glass "
                                          f"access was {glass.get_outcome_display().lower()}.")
                return redirect(request.get_full_path())
    pending = list(breakglass.pending_reviews(None if everyone else own_agency))
    return render(request, "access/break_glass_reviews.html", {
        "pending": pending, "errors": errors, "entered": entered,
        "own_agency": own_agency, "everyone": everyone,
        "outcomes": BreakGlassOutcome.choices, "now": timezone.now()})


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None
