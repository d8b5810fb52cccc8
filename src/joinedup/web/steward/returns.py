"""The returns received: every submission with what happened to its rows, one submission
with its warnings and the rows kept back, and the whole quarantine.

Rows kept back are shown with their raw values, which are personal data: these pages are
for data stewards only (their job is to get the rows fixed and sent again). A submission's
page and the quarantine ask for the steward's reason once a sitting and audit each look
under the children concerned (``sitting.py``); a row about a sealed person (found by the
agency's person id in the row) shows as "Sealed record" without its values or reasons,
unless a safeguarding lead has approved this steward's access to that person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.access import Role, hidden_from
from joinedup.agencies import Agency, Submission
from joinedup.ingest import QuarantinedRow, RowWarning
from joinedup.people import PersonRecord, review_queue_count
from joinedup.web.paging import paginate
from joinedup.web.permissions import roles_required
from joinedup.web.steward.sitting import audit_look, reason_required, sitting_reason

TABLES = ("people", "events", "relationships")
PERSON_COLUMNS = ("person_id", "related_person_id", "child", "lachildid")
"""Columns of a kept-back row naming the agency's person (canonical returns, SSDA903, CIN)."""
COUNTS = ("read", "new", "corrected", "unchanged", "quarantined", "warnings")


@dataclass(frozen=True)
class Status:
    """Where a submission stands, in words (the tag's colour only repeats them)."""

    text: str
    tag: str  # a govuk-tag modifier


def status_of(submission: Submission) -> Status:
    if submission.rows_quarantined and not submission.rows_loaded:
        return Status("Nothing loaded", "govuk-tag--red")
    if submission.rows_quarantined:
        return Status("Some rows kept back", "govuk-tag--orange")
    if submission.warnings:
        return Status("Loaded with warnings", "govuk-tag--yellow")
    if not submission.rows_loaded:
        return Status("No change", "govuk-tag--grey")
    return Status("Loaded", "govuk-tag--green")


def _agency_filter(request: HttpRequest) -> Agency | None:
    code = (request.GET.get("agency") or "").strip().upper()
    return Agency.objects.filter(code=code).first() if code else None


def _agency_items(chosen: Agency | None) -> list[dict[str, Any]]:
    return [{"value": "", "text": "Any agency"}] + [
        {"value": a.code, "text": f"{a.name} ({a.code})", "selected": a == chosen}
        for a in Agency.objects.order_by("name")]


@roles_required(Role.DATA_STEWARD)
def submission_list(request: HttpRequest) -> HttpResponse:
    agency = _agency_filter(request)
    found = Submission.objects.select_related("agency").order_by("-received_at", "-id")
    if agency is not None:
        found = found.filter(agency=agency)
    shown, pagination = paginate(found, request.GET)
    return render(request, "steward/submissions.html", {
        "rows": [{"submission": s, "status": status_of(s)} for s in shown],
        "pagination": pagination, "total": shown.paginator.count,
        "agency": agency, "agency_items": _agency_items(agency),
        "in_quarantine": QuarantinedRow.objects.count(),
        "pairs_waiting": review_queue_count(),
    })


def _raw_items(raw: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(k), "" if v is None else str(v)) for k, v in raw.items()]


def persons_of_rows(rows: list[QuarantinedRow]) -> dict[int, set[int]]:
    """The persons each kept-back row is about (row id -> person ids): the agency's person
    ids in the row, matched to that agency's records already loaded."""
    wanted: dict[int, set[str]] = {}
    named: dict[int, set[tuple[int, str]]] = {}
    for q in rows:
        raw = q.raw if isinstance(q.raw, dict) else {}
        for key, value in raw.items():
            text = "" if value is None else str(value).strip()
            if str(key).strip().lower() in PERSON_COLUMNS and text:
                agency = q.submission.agency_id
                wanted.setdefault(agency, set()).add(text)
                named.setdefault(q.pk, set()).add((agency, text))
    if not wanted:
        return {}
    where = Q()
    for agency, source_ids in wanted.items():
        where |= Q(agency_id=agency, source_id__in=sorted(source_ids))
    person_of = {(a, source): p for a, source, p in PersonRecord.objects.filter(where)
                 .filter(person__isnull=False).values_list("agency_id", "source_id",
                                                           "person_id")}
    return {row: {person_of[n] for n in names if n in person_of}
            for row, names in named.items()}


def quarantine_rows(rows: QuerySet[QuarantinedRow] | list[QuarantinedRow],
                    sealed_rows: set[int] | None = None) -> list[dict[str, Any]]:
    """What a steward needs to fix each row: where, every reason, the fix, the raw values
    (none of them for a row about a sealed person: ``sealed_rows``)."""
    sealed_rows = sealed_rows or set()
    return [{"row": q, "sealed": q.pk in sealed_rows,
             "reasons": [] if q.pk in sealed_rows
             else [r for r in q.reason.splitlines() if r.strip()],
             "fixes": [] if q.pk in sealed_rows
             else [f for f in q.fix.splitlines() if f.strip()],
             "raw": [] if q.pk in sealed_rows
             else _raw_items(q.raw if isinstance(q.raw, dict) else {})} for q in rows]


def shown_rows(request: HttpRequest, rows: list[QuarantinedRow]) -> list[dict[str, Any]]:
    """The kept-back rows as the steward may see them, the look written to the audit trail
    under the children concerned."""
    about = persons_of_rows(rows)
    persons = {p for found in about.values() for p in found}
    hidden, approvals = hidden_from(request.user, persons)
    sealed_rows = {row for row, found in about.items() if found & hidden}
    audit_look(request, persons - hidden, sealed_hidden=hidden, approvals=approvals)
    return quarantine_rows(rows, sealed_rows)


def _table_counts(submission: Submission) -> list[dict[str, Any]]:
    counts = submission.counts or {}
    return [{"table": t, **{c: int(counts.get(t, {}).get(c, 0)) for c in COUNTS}}
            for t in TABLES if counts.get(t, {}).get("read")]


@roles_required(Role.DATA_STEWARD)
@reason_required
def submission_page(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = (Submission.objects.select_related("agency")
                  .filter(pk=submission_id).first())
    if submission is None:
        raise Http404("no such submission")
    show = "warnings" if request.GET.get("show") == "warnings" else "quarantine"
    context: dict[str, Any] = {
        "sitting_reason": sitting_reason(request), "here": request.get_full_path(),
        "submission": submission, "status": status_of(submission), "show": show,
        "tables": _table_counts(submission),
        "quarantined_total": submission.quarantine.count(),
        "warnings_total": submission.row_warnings.count(),
    }
    if show == "warnings":
        warnings: QuerySet[RowWarning] = submission.row_warnings.order_by(
            "table", "row_number", "id")
        shown, context["pagination"] = paginate(warnings, request.GET)
        context["warnings"] = list(shown)
        audit_look(request, [])  # single values without a person: the page, with the reason
    else:
        shown, context["pagination"] = paginate(
            submission.quarantine.order_by("table", "row_number", "id"), request.GET)
        context["quarantined"] = shown_rows(request, list(shown.object_list))
    return render(request, "steward/submission.html", context)


@roles_required(Role.DATA_STEWARD)
@reason_required
def quarantine(request: HttpRequest) -> HttpResponse:
    agency = _agency_filter(request)
    raw_submission = (request.GET.get("submission") or "").strip()
    submission_id = int(raw_submission) if raw_submission.isdigit() else None
    found = QuarantinedRow.objects.select_related("submission__agency").order_by(
        "-submission__received_at", "-submission_id", "table", "row_number", "id")
    if agency is not None:
        found = found.filter(submission__agency=agency)
    if submission_id is not None:
        found = found.filter(submission_id=submission_id)
    shown, pagination = paginate(found, request.GET)
    return render(request, "steward/quarantine.html", {
        "sitting_reason": sitting_reason(request), "here": request.get_full_path(),
        "rows": shown_rows(request, list(shown.object_list)),
        "pagination": pagination, "total": shown.paginator.count,
        "agency": agency, "agency_items": _agency_items(agency),
        "submission_id": submission_id,
        "submission_error": bool(raw_submission) and submission_id is None,
    })
