"""The review workflow: open a review, record each step as it is done, record the decision.

Every change writes a ReviewEvent (who, what, when), because a rapid review is itself
reviewed: the national Panel and inspectors ask when the notification went in, when each
agency's summary arrived and why the partners decided as they did.

Errors carry a message for a person: an unknown review, child or agency raises
:class:`~joinedup.errors.NotFoundError`; something the review's state or the rules forbid (a
decision without reasons, a local review without a criterion, a step recorded twice)
raises :class:`~joinedup.errors.ActionError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from joinedup.agencies.models import Agency
from joinedup.chronology.assembly import assemble
from joinedup.errors import ActionError, NextStep, NotFoundError
from joinedup.information_requests.lookups import find_agency
from joinedup.people.models import Person
from joinedup.reviews import clocks
from joinedup.reviews.models import (
    Decision,
    Review,
    ReviewEvent,
    ReviewStatus,
    Step,
    StepStatus,
)
from joinedup.reviews.panel_access import access_until
from joinedup.workdays import add_working_days

CRITERIA = {
    "a": "highlights improvements needed, including ones identified before",
    "b": "highlights recurrent themes",
    "c": "concerns about two or more agencies working together",
    "d": "the national Panel has concluded a local review is more appropriate",
}
"""Regulation 11 criteria for a local review (SI 2018/789), in short."""

RECURRING_KINDS = {clocks.PANEL_MEETING}
"""Steps that may happen more than once: a panel can meet again."""

_KIND_WORDS = {"PUBLISHED": clocks.PUBLICATION, "NOTICE": clocks.PUBLICATION_NOTICE,
               "PANEL": clocks.PANEL_MEETING, "SUMMARY": clocks.AGENCY_SUMMARY}


def today() -> dt.date:
    """Today in England (the date a practitioner means by "today")."""
    return timezone.localdate()


def get_review(review_id: int) -> Review:
    review = Review.objects.select_related("child").filter(pk=review_id).first()
    if review is None:
        raise NotFoundError(f"There is no review {review_id}.",
                            next_step=NextStep.LIST_REVIEWS)
    return review


def log(review: Review, who: str, what: str, note: str = "") -> None:
    ReviewEvent.objects.create(review=review, who=who, what=what, note=note)


def require_text(value: str | None, what: str, how: str, detail: str = "") -> str:
    """``value`` stripped; refused when empty. ``detail`` names it for the next step."""
    text = (value or "").strip()
    if not text:
        raise ActionError(f"{what} is required: {how}.",
                          next_step=NextStep.GIVE_DETAIL(detail=detail) if detail else None)
    return text


def require_who(who: str) -> str:
    return require_text(who, "Who did this", "it is kept in the review's history")


def _not_future(day: dt.date, what: str) -> dt.date:
    if day > today():
        raise ActionError(f"The {what} {day.isoformat()} is in the future; give the date it "
                          "actually happened.")
    return day


def agencies_known_on(child_id: int, aware_on: dt.date) -> list[str]:
    """Codes of the agencies with an event in the child's chronology as it was known on the
    day of awareness: the agencies a rapid review asks for a summary."""

    chronology = assemble(child_id, as_of=aware_on, known_by=aware_on, today=aware_on)
    return sorted({entry.agency for entry in chronology.entries})


@transaction.atomic
def open_review(child_id: int, aware_on: dt.date, incident_on: dt.date, what_happened: str,
                pseudonym: str, who: str,
                timetable: clocks.Timetable = clocks.DEFAULT) -> Review:
    """Open a review of a serious incident and create its timetable of steps."""

    who = require_who(who)
    what_happened = require_text(what_happened, "What happened",
                                 "give a short pseudonymised summary", "what_happened")
    pseudonym = require_text(pseudonym, "A pseudonym",
                      'give how the child will be named outside the panel, e.g. "Baby S"')
    if not Person.objects.filter(pk=child_id, retired_at__isnull=True).exists():
        raise NotFoundError(f"There is no person {child_id}.",
                            next_step=NextStep.FIND_PERSON)
    _not_future(aware_on, "date of awareness")
    if incident_on > aware_on:
        raise ActionError(f"The incident date {incident_on.isoformat()} is after the date the "
                          f"local authority became aware ({aware_on.isoformat()}); check "
                          "both dates.")
    review = Review.objects.create(child_id=child_id, pseudonym=pseudonym,
                                   incident_on=incident_on, aware_on=aware_on,
                                   what_happened=what_happened, opened_by=who)
    codes = agencies_known_on(child_id, aware_on)
    agencies = dict(Agency.objects.filter(code__in=codes).values_list("code", "pk"))
    Step.objects.bulk_create([
        Step(review=review, kind=p.kind, due_on=p.due_on,
             agency_id=agencies[p.agency] if p.agency else None)
        for p in clocks.rapid_review_steps(aware_on, codes, timetable)])
    log(review, who, "opened",
        f"Aware on {aware_on.isoformat()}; agency summaries requested from "
        f"{', '.join(codes) or 'no agency (none in the chronology)'}.")
    return review


def step_kind(text: str) -> str:
    """A step kind as typed (``sin``, ``agency-summary``, ``published``) as its code."""
    code = text.strip().upper().replace("-", "_").replace(" ", "_")
    code = _KIND_WORDS.get(code, code)
    if code not in clocks.STEP_KINDS:
        raise ActionError(f"{text!r} is not a review step. Use one of "
                          f"{', '.join(k.lower() for k in clocks.STEP_KINDS)} "
                          "(or 'published' for the publication).")
    return code


@transaction.atomic
def record_step(review_id: int, kind: str, who: str, *, done_on: dt.date | None = None,
                note: str = "", agency: str | None = None) -> Step:
    """Record that a step was done: the notification sent, an agency's summary received
    (``note`` holds its text), a panel meeting held, the rapid review complete, sent to the
    Panel, the publication notice given, the report published."""

    who = require_who(who)
    review = get_review(review_id)
    code = step_kind(kind)
    done_on = _not_future(done_on or today(), "date it was done")
    if done_on < review.aware_on:
        raise ActionError(f"{done_on.isoformat()} is before the local authority became aware "
                          f"({review.aware_on.isoformat()}); give the date the step was done.")
    steps = review.steps.filter(kind=code).select_related("agency")
    if code == clocks.AGENCY_SUMMARY:
        if not agency:
            raise ActionError("Say whose summary it is: the agency's code.",
                              next_step=NextStep.GIVE_DETAIL(detail="agency"))
        found = find_agency(agency)
        note = require_text(note, "The agency's summary", "give its text", "note")
        step = steps.filter(agency=found).first()
        if step is None:
            step = Step(review=review, kind=code, agency=found, due_on=add_working_days(
                review.aware_on, clocks.DEFAULT.summaries_due))
            log(review, who, "summary_requested",
                f"{found.code} was not in the chronology when the review opened; its summary "
                "was added to the timetable.")
    else:
        if agency:
            raise ActionError("An agency is named only for an agency summary "
                              "(agency_summary).")
        if code in (clocks.PUBLICATION_NOTICE, clocks.PUBLICATION) and not steps.exists():
            raise ActionError(f"Review {review.pk} has no publication steps: they come with a "
                              "decision to hold a local review.",
                              next_step=NextStep.DECIDE_REVIEW(review=review.pk))
        step = steps.filter(status=StepStatus.DUE).first()
        if step is None:
            if code not in RECURRING_KINDS:
                done = steps.first()
                when = done.done_on.isoformat() if done and done.done_on else "earlier"
                raise ActionError(f"{clocks.STEP_LABELS[code]} was already recorded as done "
                                  f"on {when} for review {review.pk}.")
            step = Step(review=review, kind=code)  # another panel meeting
    if step.status == StepStatus.DONE:
        assert step.agency is not None  # noqa: S101 - narrows the type: only an agency's summary step can be done here
        raise ActionError(f"The summary from {step.agency.code} was already recorded as "
                          f"received on {step.done_on} for review {review.pk}.")
    step.status, step.done_on, step.recorded_by = StepStatus.DONE, done_on, who
    step.note = note.strip()
    step.save()
    if code == clocks.PUBLICATION:
        review.status = ReviewStatus.PUBLISHED
        review.save(update_fields=["status"])
    whose = f" from {step.agency.code}" if step.agency else ""
    late = " (after its due date)" if step.due_on and done_on > step.due_on else ""
    log(review, who, f"step_{code.lower()}",
        f"{clocks.STEP_LABELS[code]}{whose} done on {done_on.isoformat()}{late}.")
    return step


def _criteria(criteria: Mapping[str, str]) -> dict[str, str]:
    """The four criteria as {"a": reason or "", ...}; unknown letters refused."""
    unknown = [k for k in criteria if k.strip().lower() not in CRITERIA]
    if unknown:
        raise ActionError(f"{', '.join(repr(k) for k in unknown)}: the regulation 11 criteria "
                          "are a, b, c and d.",
                          next_step=NextStep.GIVE_DETAIL(detail="criterion"))
    given = {k.strip().lower(): (v or "").strip() for k, v in criteria.items()}
    return {letter: given.get(letter, "") for letter in CRITERIA}


@transaction.atomic
def decide(review_id: int, decision: str, criteria: Mapping[str, str], reasons: str, who: str,
           *, decided_on: dt.date | None = None,
           timetable: clocks.Timetable = clocks.DEFAULT) -> Review:
    """Record the partners' decision against the regulation 11 criteria, with reasons. A
    local review adds the publication notice and publication steps (6 months)."""
    who = require_who(who)
    review = get_review(review_id)
    if decision not in Decision.values:
        raise ActionError(f"{decision!r} is not a decision; use one of "
                          f"{', '.join(Decision.values)}.")
    if review.decision:
        raise ActionError(f"Review {review.pk} was already decided ({review.decision}) on "
                          f"{review.decided_on}; a decision is recorded once.")
    reasons = require_text(reasons, "The reasons for the decision", "give them", "reasons")
    checked = _criteria(criteria)
    if decision == Decision.LOCAL_CSPR and not any(checked.values()):
        raise ActionError("A local review needs at least one regulation 11 criterion with "
                          "the reason it is met, e.g. criterion c: \"health and children's "
                          "social care did not share ...\".",
                          next_step=NextStep.GIVE_DETAIL(detail="criterion"))
    decided_on = _not_future(decided_on or today(), "decision date")
    if decided_on < review.aware_on:
        raise ActionError(f"The decision date {decided_on.isoformat()} is before the local "
                          f"authority became aware ({review.aware_on.isoformat()}).")
    review.decision, review.criteria, review.decision_reasons = decision, checked, reasons
    review.decided_on = decided_on
    review.status = (ReviewStatus.CSPR if decision == Decision.LOCAL_CSPR
                     else ReviewStatus.DECIDED)
    review.save(update_fields=["decision", "criteria", "decision_reasons", "decided_on",
                               "status"])
    met = ", ".join(f"({k})" for k, v in checked.items() if v) or "none"
    log(review, who, "decided", f"{decision} on {decided_on.isoformat()}; criteria met: {met}.")
    if decision == Decision.LOCAL_CSPR:
        planned = clocks.publication_steps(decided_on, timetable)
        Step.objects.bulk_create([Step(review=review, kind=p.kind, due_on=p.due_on)
                                  for p in planned])
        log(review, who, "publication_scheduled",
            f"Publication due by {planned[-1].due_on.isoformat()}, notice to the Panel by "
            f"{planned[0].due_on.isoformat()}.")
    return review


@transaction.atomic
def close_review(review_id: int, reason: str, who: str, on: dt.date | None = None) -> Review:
    """Close a review (on ``on``, default today) with the reason it is closed. Its panel keeps
    access to the child's record for the grace period after that day, then loses it
    (``reviews/panel_access.py``); the business unit and safeguarding leads still read it."""
    who = require_who(who)
    review = Review.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        get_review(review_id)  # the usual "there is no review" error
    assert review is not None  # noqa: S101 - narrows the type: get_review raised just above if there is none
    if review.closed_on is not None or review.status == ReviewStatus.CLOSED:
        when = f" on {review.closed_on.isoformat()}" if review.closed_on else ""
        raise ActionError(f"Review {review.pk} was already closed{when}; a review is closed "
                          "once.")
    reason = (reason or "").strip()
    if not reason:
        raise ActionError(f"Say why review {review.pk} is being closed: the reason is kept in "
                          "the review's history.")
    closed_on = _not_future(on or today(), "closing date")
    if closed_on < review.aware_on:
        raise ActionError(f"The closing date {closed_on.isoformat()} is before the local "
                          f"authority became aware ({review.aware_on.isoformat()}); give the "
                          "day the review was closed.")
    review.status, review.closed_on = ReviewStatus.CLOSED, closed_on
    review.save(update_fields=["status", "closed_on"])
    until = access_until(closed_on)
    assert until is not None  # noqa: S101 - narrows the type: access_until gives a day for a closing day
    log(review, who, "closed", f"Closed on {closed_on.isoformat()}; the panel's access to "
                               f"the child's record ends after {until.isoformat()}. Reason: "
                               f"{reason}")
    return review


def list_reviews() -> QuerySet[Review]:
    return Review.objects.select_related("child").prefetch_related("steps__agency")


def overdue_steps(review: Review, on: dt.date) -> list[Step]:
    """The review's steps not done and past their due day on ``on``."""
    return [s for s in review.steps.all()
            if clocks.is_overdue(s.status != StepStatus.DUE, s.due_on, on)]
