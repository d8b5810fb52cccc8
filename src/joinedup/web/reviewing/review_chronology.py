"""The review chronology page: the child's multi-agency chronology as known on the day of
awareness, key practice episodes marked, the agencies' summaries after it.

It is the child's record (names included; OFFICIAL-SENSITIVE), so it opens only through the
access policy: a review panel member of this review, an allocated worker or team, an agency
involved with the family, or break-glass. Adult-services events appear under the sharing
policy, as on any chronology, through the one visibility gate (``visibility/gate.py``):
a headline where the detail stays with the agency, nothing where it is withheld.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.access import AuditAction
from joinedup.agencies import Agency
from joinedup.chronology import MARKING
from joinedup.reviews import Review, ReviewChronology, review_chronology
from joinedup.visibility import Held, Reader, sight
from joinedup.web.case.child_context import child_page
from joinedup.web.refusals import refuse
from joinedup.web.reviewing.access import can_read_review


def entries_for(reader: Reader, rc: ReviewChronology) -> list[dict[str, Any]]:
    """The entries as ``reader`` may see them, through the visibility gate."""
    kinds = dict(Agency.objects.values_list("code", "kind"))
    rows = []
    for entry in rc.chronology.entries:
        seen = sight(reader, entry.agency, kinds.get(entry.agency, ""), entry.event_type,
                     (entry.person_id, entry.related_person_id),
                     Held(entry.details, entry.worker_name, entry.worker_contact))
        if not seen.show:
            continue
        mark = rc.mark(entry)
        rows.append({
            "entry": entry,
            "summary": seen.text(entry.summary),
            "headline_only": not seen.full,
            "significance": mark.text if mark else "",
            "key": bool(mark and mark.findings),
        })
    return rows


def review_chronology_page(request: HttpRequest, review_id: int) -> HttpResponse:
    """Two checks: the user may read this review (its panel, the business unit, safeguarding
    leads), and may open the child's record (``open_child``, audited either way)."""
    review = Review.objects.filter(pk=review_id).first()
    if review is None:
        raise Http404(f"There is no review {review_id}.")
    if not can_read_review(request, review):
        refuse(request, object_type="review", object_id=review.pk, child_id=review.child_id,
               reason="not on the review's panel, the business unit or a safeguarding lead")
    opened = child_page(request, review.child_id, AuditAction.VIEW_CHRONOLOGY,
                        review=review.pk, view="review chronology")
    rc = review_chronology(review.pk)
    rows = entries_for(opened.reader, rc)
    return render(request, "reviewing/review_chronology.html", {
        "review": review, "rc": rc, "rows": rows, "reasons": opened.reasons, "marking": MARKING,
        "withheld": len(rc.chronology.entries) - len(rows),
        "key_count": sum(1 for r in rows if r["key"]),
    })
