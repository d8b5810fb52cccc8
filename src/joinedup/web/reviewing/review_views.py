"""The reviews list and one review's page: clocks, agency summaries, decision, findings,
actions and themes (all written with the pseudonym; the review chronology has its own page,
opened through the access policy)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.access import reader_for
from joinedup.reviews import (
    Review,
    ReviewStatus,
    Theme,
    access_until,
    clocks,
    panel_grace_days,
    review_dict,
    review_row,
    step_dict,
    theme_analytics,
    workflow,
)
from joinedup.web.permissions import roles_required
from joinedup.web.refusals import refuse
from joinedup.web.reviewing import display
from joinedup.web.reviewing.access import (
    REVIEW_ROLES,
    can_read_review,
    review_rights,
    reviews_for,
)


def find_review(request: HttpRequest, review_id: int) -> Review:
    """The review if this user may read it; else :class:`Http404` when there is none, or the
    audited refusal (``refusals.refuse``), both answered with the neutral page."""
    review = Review.objects.filter(pk=review_id).first()
    if review is None:
        raise Http404(f"There is no review {review_id}.")
    if not can_read_review(request, review):
        refuse(request, object_type="review", object_id=review.pk, child_id=review.child_id,
               reason="not on the review's panel, the business unit or a safeguarding lead")
    return review


@roles_required(*REVIEW_ROLES)
def review_list(request: HttpRequest) -> HttpResponse:
    on = workflow.today()
    rows = []
    for review in reviews_for(request, workflow.list_reviews()):
        row = review_row(review, on)
        steps = [step_dict(s, review, on) for s in review.steps.all()]
        received, requested = display.summaries_received(steps)
        rows.append({**row, "status_label": ReviewStatus(review.status).label,
                     "clocks": display.clock_cells(review, steps),
                     "summaries": {"received": received, "requested": requested},
                     "overdue_text": "; ".join(
                         display.step_label(s["kind"]) + (f" ({s['agency']})" if s["agency"]
                                                          else "")
                         for s in row["overdue_steps"])})
    return render(request, "reviewing/review_list.html", {
        "rows": rows, "on": on, "columns": display.CLOCK_COLUMNS,
        "overdue_count": sum(1 for r in rows if r["overdue"])})


def _themes(row: dict[str, Any], on: Any) -> list[dict[str, Any]]:
    """The themes of this review's findings, each with the findings that carry it and
    whether it recurs across the partnership's reviews (regulation 11 criterion (b))."""
    labels = dict(Theme.objects.values_list("code", "label"))
    found: dict[str, list[int]] = {}
    for finding in row["findings"]:
        for code in finding["themes"]:
            found.setdefault(code, []).append(finding["number"])
    counts = {t.code: t for t in theme_analytics(on)} if found else {}
    return [{"code": code, "label": labels.get(code, code), "findings": numbers,
             "reviews_in_window": len(counts[code].in_window) if code in counts else 0,
             "recurs": bool(code in counts and counts[code].recurs)}
            for code, numbers in sorted(found.items())]


def review_context(request: HttpRequest, review: Review) -> dict[str, Any]:
    """Everything the review page shows; also used to redraw it."""
    on = workflow.today()
    row = review_dict(review, on)
    for item in row["steps"] + row["actions"]:
        item["state"] = display.state(item)
    labels = dict(Theme.objects.values_list("code", "label"))
    reader = reader_for(request.user, review.child_id)
    for finding in row["findings"]:
        finding["theme_labels"] = [labels.get(code, code) for code in finding["themes"]]
        # evidence is cited as AGENCY:EVENT; a reader the gate does not tell of an agency
        # (a victim-support service, to a perpetrator-side reader) is not told here either
        finding["evidence"] = [ref for ref in finding["evidence"]
                               if reader.shows_agency(ref.partition(":")[0])]
    return {
        "review": review, "row": row, "on": on,
        "status_label": ReviewStatus(review.status).label,
        "clocks": [s for s in row["steps"] if s["kind"] != clocks.AGENCY_SUMMARY],
        "summaries": [s for s in row["steps"] if s["kind"] == clocks.AGENCY_SUMMARY],
        "criteria": workflow.CRITERIA, "themes": _themes(row, on),
        "open_actions": [a for a in row["actions"] if a["status"] == "open"],
        "rights": review_rights(request, review),
        "grace_days": panel_grace_days(), "panel_until": access_until(review.closed_on),
    }


@roles_required(*REVIEW_ROLES)
def review_page(request: HttpRequest, review_id: int) -> HttpResponse:
    review = find_review(request, review_id)
    return render(request, "reviewing/review.html", review_context(request, review))
