"""Recording a learning activity: a team used a published briefing (any signed-in user who
presented it or led the discussion)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from joinedup.access import AuditAction, Membership, audit
from joinedup.agencies import Agency
from joinedup.briefings import Briefing, BriefingStatus, record_activity
from joinedup.errors import JoinedUpError
from joinedup.web import hints
from joinedup.web.govuk_forms import ErrorSummary
from joinedup.web.reviewing import forms
from joinedup.web.reviewing.access import user_pk, who
from joinedup.web.reviewing.briefing_views import find_briefing


def _save(request: HttpRequest, briefing: Briefing, data: dict[str, Any]) -> str:
    agency, team, held_on = data["agency"], data["team"], data["held_on"]
    attendees = data["attendees"]
    activity = record_activity(briefing.pk, agency=agency, team=team, held_on=held_on,
                               attendees=attendees, facilitator=data["facilitator"],
                               who=who(request), reflections=data["reflections"],
                               changes=data["changes"])
    audit.record(request.user, AuditAction.CHANGE, object_type="learning_activity",
                 object_id=activity.pk, reason="recorded a team's use of a briefing",
                 details={"briefing": briefing.pk, "agency": agency, "team": team,
                          "held_on": held_on.isoformat(), "address": request.path})
    return f"Recorded: {team} ({agency}) used this briefing with {attendees} people."


def record_activity_page(request: HttpRequest, briefing_id: int) -> HttpResponse:
    briefing = find_briefing(request, briefing_id)
    if briefing.status != BriefingStatus.PUBLISHED:
        messages.info(request, "Teams use published briefings: record an activity once this "
                               "one is published.")
        return redirect("briefing", briefing.pk)
    choices = list(Agency.objects.order_by("name").values_list("code", "name"))
    errors = ErrorSummary()
    if request.method == "POST":
        form = forms.ActivityForm(request.POST, agencies=[c for c, _ in choices])
        errors = ErrorSummary(form)
        try:
            with transaction.atomic():
                done = _save(request, briefing, form.cleaned_data) if form.is_valid() \
                    else None
        except JoinedUpError as exc:
            errors.add_general(hints.refusal(exc))
            done = None
        if done and not errors:
            messages.success(request, done)
            return redirect(reverse("briefing", args=[briefing.pk]) + "#activities")
    own: Any = (Membership.objects.filter(user_id=user_pk(request))
                .values_list("agency__code", flat=True).first())
    return render(request, "reviewing/activity_form.html", {
        "briefing": briefing, "agencies": choices, "own_agency": own, "errors": errors,
        "data": request.POST if request.method == "POST" else None,
        "date_values": forms.date_values,
    }, status=400 if errors else 200)
