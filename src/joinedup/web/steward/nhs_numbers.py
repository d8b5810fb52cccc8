"""NHS numbers, the consistent identifier (Children Act 2004, s16LC, added by the Children's
Wellbeing and Schools Act 2026): each agency's share of its child records with a valid NHS
number, and the persons whose agencies hold different valid NHS numbers for them.

Data stewards only. The queue names people and shows their NHS numbers, so it is gated as
the linkage review is (``linkage.py``): the look is written to the audit trail under each
person shown, with the sitting's reason, and a sealed person shows as "Sealed record" (no
name, agency id or NHS number) unless a safeguarding lead has approved this steward's
access to them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from joinedup.access import Role, hidden_from
from joinedup.people import PersonRecord, nhs_conflicts, nhs_coverage
from joinedup.web.paging import paginate
from joinedup.web.permissions import roles_required
from joinedup.web.steward.sitting import audit_look, reason_required, sitting_reason


def _conflict_rows(conflicts: list[Any], hidden: set[int]) -> list[dict[str, Any]]:
    """Each person: each number with the records that hold it (names for the unsealed)."""
    ids = [r.record_id for c in conflicts for r in c.records]
    records = PersonRecord.objects.select_related("agency").in_bulk(ids)
    return [{"person_id": c.person_id, "sealed": c.person_id in hidden,
             "numbers": [{"number": number, "records": [records[r.record_id]
                                                        for r in c.holders(number)]}
                         for number in c.numbers]}
            for c in conflicts]


@roles_required(Role.DATA_STEWARD)
@reason_required
def nhs_numbers(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    coverage = nhs_coverage(today)
    conflicts = nhs_conflicts()
    shown, pagination = paginate(conflicts, request.GET)  # type: ignore[arg-type]
    page = list(shown)
    persons = {c.person_id for c in page}
    hidden, approvals = hidden_from(request.user, persons)
    audit_look(request, persons - hidden, sealed_hidden=hidden, approvals=approvals)
    child_records = sum(c.child_records for c in coverage)
    valid = sum(c.with_valid_number for c in coverage)
    return render(request, "steward/nhs_numbers.html", {
        "sitting_reason": sitting_reason(request), "here": request.get_full_path(),
        "today": today, "coverage": coverage, "child_records": child_records,
        "share": valid / child_records if child_records else None,
        "conflicts": _conflict_rows(page, hidden), "total": len(conflicts),
        "pagination": pagination,
    })
