"""Linkage review: the uncertain pairs waiting for a person to decide, one pair explained
field by field with the decision (same person, or different people), and splitting records
off a person. Each goes through :mod:`joinedup.people.linking`, as `joinedup link` does,
and each decision is written to the audit trail with its reason.

These pages show personal identifiers (names, dates of birth, NHS numbers, postcodes) of
people who may be adults or children: deciding who is who is the data steward's job, and
only data stewards see them. Each page asks for the steward's reason once a sitting and
writes its look to the audit trail under every child concerned (``sitting.py``). A sealed
person shows as "Sealed record", and their records are neither joined nor split, unless a
safeguarding lead has approved this steward's access to them (``access/sealed_approval.py``).

The queue is worked through as ``pair_review.py`` describes: filters, blind mode, the next
pair and "Not sure"; ``pair_words.py`` says what each comparison's finding means."""

from __future__ import annotations

from typing import Any, NoReturn

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from joinedup.access import AuditAction, Role, audit, hidden_from, unseen_by
from joinedup.errors import JoinedUpError
from joinedup.people import (
    REVIEW_BAND,
    THRESHOLD,
    LinkDecision,
    Person,
    PersonRecord,
    decide,
    explain_family,
    explain_pair,
    resolve_record,
    split_person,
    work_queue,
)
from joinedup.web import hints
from joinedup.web.govuk_forms import ErrorSummary
from joinedup.web.paging import paginate
from joinedup.web.permissions import roles_required
from joinedup.web.refusals import Forbidden
from joinedup.web.steward import pair_review
from joinedup.web.steward.forms import DecisionForm, SplitForm
from joinedup.web.steward.pair_words import plain_finding
from joinedup.web.steward.sitting import audit_look, reason_required, sitting_reason

RECORD_VALUES = {  # comparison -> what the steward reads on each record
    "nhs_number": lambda r: r.nhs_number or (
        f"{r.nhs_number_text} (as written: not a valid NHS number)" if r.nhs_number_text else ""),
    "given_name": lambda r: r.given_name,
    "family_name": lambda r: " / ".join([r.family_name or "(none recorded)",
                                         *(r.other_names or [])]),
    "date_of_birth": lambda r: r.date_of_birth or (
        f"{r.date_of_birth_text} (as written: not a date)" if r.date_of_birth_text else None),
    "postcode": lambda r: r.postcode,
    "address": lambda r: " ".join(filter(None, [r.address, f"(UPRN {r.uprn})" if r.uprn else ""])),
    "sex": lambda r: r.sex,
}


def _problem(request: HttpRequest, title: str, message: str, status: int) -> HttpResponse:
    return render(request, "steward/problem.html", {"title": title, "message": message},
                  status=status)


def sealed_message(person_ids: set[int]) -> str:
    which = " and ".join(f"person {p}" for p in sorted(person_ids))
    return (f"The record of {which} is sealed. A data steward sees a sealed person's details, "
            "and joins or splits their records, only when a safeguarding lead has approved "
            f"it: ask a safeguarding lead to approve your access to {which}.")


def _refuse_sealed(request: HttpRequest, hidden: set[int], what: str) -> NoReturn:
    """Refuse a change to a sealed person's records: the refusal is written under each of
    them, and :class:`Forbidden` answers with the "refused" page."""
    for person in sorted(hidden):
        audit.record(request.user, AuditAction.ACCESS_REFUSED, object_type=what,
                     object_id=person, child_id=person, reason=sitting_reason(request) or "",
                     details={"address": request.get_full_path()[:500], "sealed": True})
    raise Forbidden(sealed_message(hidden))


def _context(request: HttpRequest) -> dict[str, Any]:
    return {"sitting_reason": sitting_reason(request), "here": request.get_full_path()}


def effect(weight: float) -> str:
    """What a field's weight means, in words (as `joinedup link explain` says it)."""
    if weight > 0.5:
        return "points to the same person"
    if weight < -0.5:
        return "points to different people"
    return "makes little difference"


@roles_required(Role.DATA_STEWARD)
@reason_required
def linkage_queue(request: HttpRequest) -> HttpResponse:
    filters, blind = pair_review.filters_from(request.GET)
    queue = work_queue(filters, unseen_by(request.user))
    shown, pagination = paginate(queue.waiting, request.GET)  # type: ignore[arg-type]
    page = list(shown)
    records = [r for pair in page + queue.set_aside for r in (pair.record_a, pair.record_b)]
    persons = {r.person_id for r in records if r.person_id is not None}
    hidden, approvals = hidden_from(request.user, persons)
    audit_look(request, persons - hidden, sealed_hidden=hidden, approvals=approvals,
               unlinked_records=[r.pk for r in records if r.person_id is None])
    query = pair_review.carried(filters, blind)
    first = queue.in_order[0] if queue.in_order else None
    return render(request, "steward/linkage.html", {
        **_context(request), "hidden": hidden,
        "pairs": page, "pagination": pagination, "total": len(queue.waiting),
        "set_aside": queue.set_aside, "unfiltered": queue.unfiltered,
        "filters": filters, "blind": blind, "query": query,
        "agency_items": pair_review.choices(queue.agencies, filters.agency, "Any agency"),
        "reason_items": pair_review.choices(queue.reasons, filters.reason,
                                            "Any reason, or none"),
        "bands": pair_review.band_choices(filters),
        "narrowed": bool(filters.agency or filters.band or filters.reason),
        "first": pair_review.pair_address(first, query) if first else "",
        "low": REVIEW_BAND[0], "high": REVIEW_BAND[1],
        "recent": LinkDecision.objects.order_by("-decided_at", "-id")[:10],
    })


def _comparisons(a: PersonRecord, b: PersonRecord, explanation: Any) -> list[dict[str, Any]]:
    rows = []
    for c in explanation.comparisons:
        value = RECORD_VALUES.get(c.comparison, lambda r: "")
        rows.append({"field": c.field, "a": value(a), "b": value(b), "level": c.level,
                     "finding": plain_finding(c.comparison, c.level, c.match_weight, a, b),
                     "weight": c.match_weight, "effect": effect(c.match_weight)})
    return rows


def _live_decision(a: PersonRecord, b: PersonRecord) -> LinkDecision | None:
    low, high = sorted((a.pk, b.pk))
    return LinkDecision.objects.filter(record_a_id=low, record_b_id=high,
                                       withdrawn_at__isnull=True).first()


def _record_decision(request: HttpRequest, made: LinkDecision, a: PersonRecord,
                     b: PersonRecord, persons: set[int]) -> None:
    audit.record(request.user, AuditAction.CHANGE, object_type="link_decision",
                 object_id=made.pk, reason=made.why,
                 details={"decision": made.decision, "record_a": a.pk, "record_b": b.pk,
                          "persons": sorted(persons),
                          "sitting_reason": sitting_reason(request)})
    same = made.decision == LinkDecision.MUST_LINK
    messages.success(request, f"Recorded: {a.agency.code}:{a.source_id} and "
                              f"{b.agency.code}:{b.source_id} are "
                              f"{'the same person' if same else 'different people'}.")


@roles_required(Role.DATA_STEWARD)
@reason_required
def linkage_pair(request: HttpRequest, a: str, b: str) -> HttpResponse:
    try:
        record_a, record_b, explanation = explain_pair(a, b)
    except JoinedUpError as exc:
        return _problem(request, "These records cannot be compared", hints.refusal(exc), 404)
    persons = {r.person_id for r in (record_a, record_b) if r.person_id is not None}
    hidden, approvals = hidden_from(request.user, persons)
    if hidden and request.method == "POST":
        _refuse_sealed(request, hidden, "link_decision")
    filters, blind = pair_review.filters_from(request.GET)
    query, queue = (pair_review.carried(filters, blind),
                    work_queue(filters, unseen_by(request.user)))
    if request.method == "POST" and request.POST.get("action") == "defer":
        return pair_review.set_aside(request, record_a, record_b, queue, query, persons)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    problem = None
    if request.method == "POST" and form.is_valid():
        try:
            made = decide(str(record_a.pk), str(record_b.pk), form.cleaned_data["decision"],
                          form.cleaned_data["why"], request.user.get_username())
        except JoinedUpError as exc:
            problem = hints.refusal(exc)
        else:
            _record_decision(request, made, record_a, record_b, persons)
            if request.POST.get("then") == "next":
                return pair_review.onwards(queue, record_a, record_b, query)
            return redirect(reverse("linkage") + query)
    errors = ErrorSummary(form, anchors={"decision": "decision"})
    if problem:
        errors.add_general(problem)
    audit_look(request, persons - hidden, sealed_hidden=hidden, approvals=approvals,
               unlinked_records=[r.pk for r in (record_a, record_b) if r.person_id is None])
    return render(request, "steward/linkage_pair.html", {
        **_context(request), "hidden": hidden,
        "sealed_message": sealed_message(hidden) if hidden else "",
        "a": record_a, "b": record_b, "explanation": explanation,
        "comparisons": _comparisons(record_a, record_b, explanation),
        "family": explain_family(record_a, record_b),
        "rows": pair_review.record_rows(record_a, record_b),
        **pair_review.place_in_queue(queue, record_a, record_b, query), "blind": blind,
        "scored_query": pair_review.carried(filters, False),
        "decision": _live_decision(record_a, record_b), "threshold": THRESHOLD,
        "form": form, "errors": errors.summary(),
        "decision_error": errors.message("decision"), "why_error": errors.message("why"),
    }, status=400 if errors else 200)


@roles_required(Role.DATA_STEWARD)
@reason_required
def person_split(request: HttpRequest, person_id: int) -> HttpResponse:
    person = Person.objects.filter(pk=person_id, retired_at__isnull=True).first()
    if person is None:
        return _problem(request, "There is no such person",
                        f"There is no current person {person_id}: it may have been merged "
                        "or split already. Find the records from the linkage review.", 404)
    hidden, approvals = hidden_from(request.user, [person.pk])
    if hidden:
        if request.method == "POST":
            _refuse_sealed(request, hidden, "person")
        audit_look(request, [], sealed_hidden=hidden)
        return render(request, "steward/person_split.html", {
            **_context(request), "person": person, "sealed": sealed_message(hidden),
            "records": [], "errors": [], "record_count": person.records.count()})
    records = list(person.records.select_related("agency").order_by("agency__code",
                                                                      "source_id"))
    form = SplitForm(request.POST if request.method == "POST" else None,
                     record_ids=[r.pk for r in records])
    problem = None
    if request.method == "POST" and form.is_valid():
        leaving = [int(pk) for pk in form.cleaned_data["records"]]
        try:
            made = split_person(person_id, [str(pk) for pk in leaving],
                                form.cleaned_data["why"], request.user.get_username())
        except JoinedUpError as exc:
            problem = hints.refusal(exc)
        else:
            new_person = resolve_record(str(leaving[0])).person_id
            staying = next(r.pk for r in records if r.pk not in leaving)
            kept_as = resolve_record(str(staying)).person_id or person_id
            audit.record(request.user, AuditAction.CHANGE, object_type="person",
                         object_id=person_id, reason=form.cleaned_data["why"],
                         details={"split_off_records": leaving, "decisions": made,
                                  "now_person": new_person,
                                  "sitting_reason": sitting_reason(request)})
            messages.success(request, f"Split person {person_id}: {len(leaving)} "
                                      f"record{'s' if len(leaving) != 1 else ''} now "
                                      f"person {new_person}.")
            return redirect("person-split", kept_as)
    errors = ErrorSummary(form, anchors={"records": "records"})
    if problem:
        errors.add_general(problem)
    audit_look(request, [person.pk], approvals=approvals)
    return render(request, "steward/person_split.html", {
        **_context(request), "sealed": "", "record_count": len(records),
        "person": person, "records": records, "form": form, "errors": errors.summary(),
        "chosen": set(request.POST.getlist("records")),
        "records_error": errors.message("records"), "why_error": errors.message("why"),
    }, status=400 if errors else 200)
