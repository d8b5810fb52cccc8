"""The review's forms: an agency summary received, a step of the timetable done, the
decision, a finding, an action, an action done, the review closed.

Each is a page of its own (GET shows the form, POST saves and goes back to the review, or
shows the form again with what is wrong). The review services keep the review's own history;
every change is also written to the audit trail here (they do not write it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from joinedup.access import AuditAction, audit
from joinedup.agencies import Agency
from joinedup.errors import JoinedUpError
from joinedup.reviews import (
    ActionStatus,
    Decision,
    Review,
    StepStatus,
    Theme,
    access_until,
    clocks,
    ensure_default_themes,
    findings,
    panel_grace_days,
    workflow,
)
from joinedup.web import hints
from joinedup.web.govuk_forms import ErrorSummary
from joinedup.web.jinja import long_date
from joinedup.web.permissions import roles_required
from joinedup.web.refusals import Forbidden
from joinedup.web.reviewing import forms
from joinedup.web.reviewing.access import (
    REVIEW_ROLES,
    can_record_steps,
    can_write_learning,
    is_business_unit,
    who,
)
from joinedup.web.reviewing.display import open_steps, step_label
from joinedup.web.reviewing.review_views import find_review

STEPS_ONLY = ("The review's timetable and decision are recorded by the partnership business "
              "unit.")
LEARNING_ONLY = ("Findings and actions are written by the review's panel and the partnership "
                 "business unit.")

Form = Callable[[Review, Any], django_forms.Form]
"""Makes the page's form for the review, bound to the data posted (or None)."""
Save = Callable[[Review, Any], str]
"""Saves a valid form; returns the message to show on the review page."""


def _review_for_change(request: HttpRequest, review_id: int, learning: bool) -> Review:
    """The review if this user may change it; a user who may read it but not make this
    change is refused (:class:`Forbidden`, the 403 page saying who makes it)."""
    review = find_review(request, review_id)
    allowed = can_write_learning(request, review) if learning else can_record_steps(request)
    if not allowed:
        raise Forbidden(LEARNING_ONLY if learning else STEPS_ONLY)
    return review


def _audit(request: HttpRequest, review: Review, what: str, **details: Any) -> None:
    basis = ("partnership business unit" if is_business_unit(request)
             else f"on the panel of review {review.pk}")
    audit.record(request.user, AuditAction.CHANGE, object_type="review", object_id=review.pk,
                 child_id=review.child_id, reason=basis,
                 details={"change": what, "address": request.path, **details})


def _form_page(request: HttpRequest, review_id: int, *, learning: bool, template: str,
               context: Callable[[Review], dict[str, Any]], form: Form, save: Save,
               anchor: str) -> HttpResponse:
    """GET: the form. POST: the form checked, and when it is valid saved through ``save``;
    back to the review with a message, or the form again with its errors (status 400)."""
    review = _review_for_change(request, review_id, learning)
    errors = ErrorSummary()
    if request.method == "POST":
        posted = form(review, request.POST)
        errors = ErrorSummary(posted)
        try:
            with transaction.atomic():
                done = save(review, posted.cleaned_data) if posted.is_valid() else None
        except JoinedUpError as exc:
            errors.add_general(hints.refusal(exc))
            done = None
        if done is not None and not errors:
            messages.success(request, done)
            return redirect(reverse("review", args=[review.pk]) + anchor)
    page = {"review": review, "errors": errors,
            "data": request.POST if request.method == "POST" else None,
            "today": workflow.today(), "date_values": forms.date_values, **context(review)}
    return render(request, template, page, status=400 if errors else 200)


def _agency_choices() -> list[tuple[str, str]]:
    return list(Agency.objects.order_by("code").values_list("code", "name"))


@roles_required(*REVIEW_ROLES)
def record_summary(request: HttpRequest, review_id: int) -> HttpResponse:
    def context(review: Review) -> dict[str, Any]:
        waiting = set(review.steps.filter(kind=clocks.AGENCY_SUMMARY, status=StepStatus.DUE)
                      .values_list("agency__code", flat=True))
        return {"agencies": _agency_choices(), "waiting": waiting}

    def form(review: Review, data: Any) -> django_forms.Form:
        return forms.SummaryForm(data, agencies=[c for c, _ in _agency_choices()])

    def save(review: Review, data: dict[str, Any]) -> str:
        agency, received = data["agency"], data["received_on"]
        step = workflow.record_step(review.pk, "agency_summary", who(request),
                                    done_on=received, note=data["summary"], agency=agency)
        _audit(request, review, "agency_summary_received", agency=agency,
               step=step.pk, received_on=received.isoformat())
        return f"The summary from {agency} is recorded as received."

    return _form_page(request, review_id, learning=False, context=context, form=form,
                      save=save, template="reviewing/summary_form.html",
                      anchor="#agency-summaries")


@roles_required(*REVIEW_ROLES)
def record_step(request: HttpRequest, review_id: int) -> HttpResponse:
    def choices(review: Review) -> list[tuple[str, str]]:
        kinds = list(dict.fromkeys(s.kind for s in sorted(
            open_steps(review), key=lambda s: clocks.STEP_KINDS.index(s.kind)
            if s.kind in clocks.STEP_KINDS else 99)))
        if clocks.PANEL_MEETING not in kinds:
            kinds.append(clocks.PANEL_MEETING)  # a panel may meet again
        return [(k, step_label(k)) for k in kinds]

    def form(review: Review, data: Any) -> django_forms.Form:
        return forms.StepForm(data, kinds=[k for k, _ in choices(review)])

    def save(review: Review, data: dict[str, Any]) -> str:
        kind, done_on = data["kind"], data["done_on"]
        step = workflow.record_step(review.pk, kind, who(request), done_on=done_on,
                                    note=data["note"])
        _audit(request, review, "step_done", step=step.pk, kind=kind,
               done_on=done_on.isoformat())
        return f"{step_label(kind)} is recorded as done."

    return _form_page(request, review_id, learning=False,
                      context=lambda review: {"choices": choices(review)}, form=form,
                      save=save, template="reviewing/step_form.html", anchor="#clocks")


@roles_required(*REVIEW_ROLES)
def record_decision(request: HttpRequest, review_id: int) -> HttpResponse:
    def save(review: Review, data: dict[str, Any]) -> str:
        decision, decided_on = data["decision"], data["decided_on"]
        criteria = {letter: data[f"criterion-{letter}"] for letter in workflow.CRITERIA}
        workflow.decide(review.pk, decision, criteria, data["reasons"], who(request),
                        decided_on=decided_on)
        _audit(request, review, "decided", decision=decision,
               criteria=[k for k, v in criteria.items() if v], decided_on=decided_on.isoformat())
        return f"The decision is recorded: {Decision(decision).label}."

    review = find_review(request, review_id)
    if review.decision and request.method == "GET":
        messages.info(request, "The decision is already recorded; a decision is recorded "
                               "once.")
        return redirect(reverse("review", args=[review.pk]) + "#decision")
    return _form_page(request, review_id, learning=False,
                      context=lambda review: {"decisions": Decision.choices,
                                              "criteria": workflow.CRITERIA},
                      form=lambda review, data: forms.DecisionForm(data),
                      save=save, template="reviewing/decision_form.html", anchor="#decision")


@roles_required(*REVIEW_ROLES)
def close_review(request: HttpRequest, review_id: int) -> HttpResponse:
    """The business unit closes the review; its panel keeps the child's record for the grace
    period (``reviews/panel_access.py``)."""
    def context(review: Review) -> dict[str, Any]:
        return {"grace_days": panel_grace_days()}

    def save(review: Review, data: dict[str, Any]) -> str:
        closed_on = data["closed_on"]
        closed = workflow.close_review(review.pk, data["reason"], who(request), on=closed_on)
        until = access_until(closed.closed_on)
        _audit(request, review, "closed", closed_on=closed_on.isoformat(),
               panel_access_until=until.isoformat() if until else None)
        return (f"The review is closed. Its panel may open the child's record until "
                f"{long_date(until)}.")

    review = find_review(request, review_id)
    if review.closed_on and request.method == "GET":
        messages.info(request, "The review is already closed; a review is closed once.")
        return redirect(reverse("review", args=[review.pk]))
    return _form_page(request, review_id, learning=False, context=context,
                      form=lambda review, data: forms.CloseForm(data), save=save,
                      template="reviewing/close_form.html", anchor="")


@roles_required(*REVIEW_ROLES)
def add_finding(request: HttpRequest, review_id: int) -> HttpResponse:
    def context(review: Review) -> dict[str, Any]:
        ensure_default_themes()
        return {"themes": list(Theme.objects.order_by("label").values_list("code", "label"))}

    def save(review: Review, data: dict[str, Any]) -> str:
        themes, refs = data["themes"], data["evidence"]
        finding = findings.add_finding(review.pk, data["title"], data["narrative"], themes,
                                       refs, who(request),
                                       remember=data["remember"].splitlines())
        _audit(request, review, "finding_added", finding=finding.number, themes=themes,
               evidence=refs)
        return f"Finding {finding.number} is added."

    return _form_page(request, review_id, learning=True, context=context,
                      form=lambda review, data: forms.FindingForm(data, review=review),
                      save=save, template="reviewing/finding_form.html", anchor="#findings")


@roles_required(*REVIEW_ROLES)
def add_action(request: HttpRequest, review_id: int) -> HttpResponse:
    def context(review: Review) -> dict[str, Any]:
        return {"agencies": _agency_choices(),
                "findings": list(review.findings.values_list("number", "title"))}

    def form(review: Review, data: Any) -> django_forms.Form:
        numbers = [str(n) for n in review.findings.values_list("number", flat=True)]
        return forms.ActionForm(data, agencies=[c for c, _ in _agency_choices()],
                                numbers=numbers)

    def save(review: Review, data: dict[str, Any]) -> str:
        owner, due_on, finding = data["owner"], data["due_on"], data["finding"]
        action = findings.add_action(review.pk, data["description"], owner, due_on,
                                     who(request),
                                     finding_number=int(finding) if finding else None,
                                     owner_agency=data["owner_agency"] or None)
        _audit(request, review, "action_added", action=action.pk, owner=owner,
               due_on=due_on.isoformat())
        return f"The action for {owner} is added."

    return _form_page(request, review_id, learning=True, context=context, form=form,
                      save=save, template="reviewing/action_form.html", anchor="#actions")


@roles_required(*REVIEW_ROLES)
def action_done(request: HttpRequest, review_id: int, action_id: int) -> HttpResponse:
    def context(review: Review) -> dict[str, Any]:
        return {"action": review.actions.filter(pk=action_id).first()}

    def save(review: Review, data: dict[str, Any]) -> str:
        done_on = data["done_on"]
        action = findings.complete_action(action_id, who(request), done_on=done_on)
        _audit(request, review, "action_done", action=action.pk, done_on=done_on.isoformat())
        return f"Action {action.pk} is marked done."

    review = find_review(request, review_id)
    action = review.actions.filter(pk=action_id).first()
    if action is None:
        raise Http404(f"Review {review.pk} has no action {action_id}.")
    if action.status != ActionStatus.OPEN and request.method == "GET":
        messages.info(request, f"Action {action.pk} is already {action.status}.")
        return redirect(reverse("review", args=[review.pk]) + "#actions")
    return _form_page(request, review_id, learning=True, context=context,
                      form=lambda review, data: forms.ActionDoneForm(data), save=save,
                      template="reviewing/action_done.html", anchor="#actions")
