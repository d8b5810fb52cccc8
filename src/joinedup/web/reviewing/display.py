"""How a review's clocks and actions read on a page: a state in words and a tag colour.

The colour only repeats the words ("Overdue by 3 working days" in a red tag), so nothing is
said by colour alone. Input is the plain data of ``joinedup.reviews.listing``.
"""

from __future__ import annotations

from typing import Any

from joinedup.reviews import Review, Step, clocks
from joinedup.web.jinja import long_date

CLOCK_COLUMNS = (
    (clocks.SIN, "Notification to the national Panel", "5 working days"),
    (clocks.RAPID_REVIEW, "Rapid review", "15 working days"),
    (clocks.PUBLICATION, "Publication", "6 months from a local review decision"),
)
"""The statutory clocks shown for each review in the list."""


def state(item: dict[str, Any]) -> dict[str, str]:
    """A step or an action (``listing.step_dict`` / ``action_dict``) as words and a tag."""
    if item["overdue"]:
        days = item.get("working_days_overdue") or 0
        words = (f"Overdue by {days} working day{'s' if days != 1 else ''}" if days
                 else "Overdue")
        return {"text": words, "tag": "govuk-tag--red", "overdue": "yes"}
    if item["status"] == "done":
        late = " (late)" if item.get("late") else ""
        return {"text": f"Done {long_date(item['done_on'])}{late}",
                "tag": "govuk-tag--yellow" if late else "govuk-tag--green", "overdue": ""}
    if item["status"] in ("not_needed", "dropped"):
        return {"text": "Not needed" if item["status"] == "not_needed" else "Dropped",
                "tag": "govuk-tag--grey", "overdue": ""}
    return {"text": "Due" if item.get("due_on") else "To do", "tag": "govuk-tag--blue",
            "overdue": ""}


def clock_cells(review: Review, steps: list[dict[str, Any]]
                ) -> list[dict[str, Any] | None]:
    """The review's statutory clocks for the list, one cell per :data:`CLOCK_COLUMNS`
    (None where the review has no such step, e.g. publication before a decision)."""
    by_kind: dict[str, dict[str, Any]] = {}
    for item in steps:
        by_kind.setdefault(item["kind"], item)
    cells = []
    for kind, _label, _rule in CLOCK_COLUMNS:
        step: dict[str, Any] | None = by_kind.get(kind)
        cells.append(None if step is None else {**step, "state": state(step)})
    return cells


def summaries_received(steps: list[dict[str, Any]]) -> tuple[int, int]:
    """(received, requested) agency summaries."""
    asked = [s for s in steps if s["kind"] == clocks.AGENCY_SUMMARY]
    return sum(1 for s in asked if s["status"] == "done"), len(asked)


def open_steps(review: Review) -> list[Step]:
    """The timetable steps still to record (not agency summaries, which have their own form),
    plus a further panel meeting, which may always be added."""
    return [s for s in review.steps.all()
            if s.kind != clocks.AGENCY_SUMMARY and s.status == "due"]


def step_label(kind: str) -> str:
    return clocks.STEP_LABELS.get(kind, kind.replace("_", " ").capitalize())
