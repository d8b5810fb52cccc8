"""Reviews as plain data: the stable JSON of `joinedup review status` and `review list`.

Keys are only ever added, never renamed or removed (docs/cli.md), because the business unit
builds its tracking spreadsheets on them. Dates are ISO 8601. Overdue is worked out "as on"
a date (today unless asked), so a report can be reproduced for a past date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from joinedup.reviews import clocks
from joinedup.reviews.models import ActionStatus, Review, ReviewAction, Step, StepStatus


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _sorted_steps(review: Review) -> list[Step]:
    """Timetable order: by due date (a step with none, e.g. an extra panel meeting, by the
    day it was held), statutory steps before agency summaries due the same day."""
    def key(step: Step) -> tuple[dt.date, int, str, int]:
        day = step.due_on or step.done_on or review.aware_on
        return (day, clocks.STEP_KINDS.index(step.kind) if step.kind in clocks.STEP_KINDS
                else 99, step.agency.code if step.agency else "", step.pk)
    return sorted(review.steps.all(), key=key)


def step_dict(step: Step, review: Review, on: dt.date) -> dict[str, Any]:
    done = step.status != StepStatus.DUE
    start = clocks.planned_from(step.kind, review.aware_on) if step.due_on else None
    return {
        "id": step.pk, "kind": step.kind, "label": clocks.STEP_LABELS.get(step.kind, step.kind),
        "agency": step.agency.code if step.agency else None,
        "agency_name": step.agency.name if step.agency else None,
        "planned_from": _iso(start), "due_on": _iso(step.due_on), "status": step.status,
        "done_on": _iso(step.done_on), "late": bool(step.done_on and step.due_on
                                                    and step.done_on > step.due_on),
        "overdue": clocks.is_overdue(done, step.due_on, on),
        "working_days_overdue": clocks.working_days_overdue(done, step.due_on, on),
        "note": step.note, "recorded_by": step.recorded_by,
    }


def action_dict(action: ReviewAction, on: dt.date) -> dict[str, Any]:
    done = action.status != ActionStatus.OPEN
    return {
        "id": action.pk, "review_id": action.review_id,
        "finding": action.finding.number if action.finding else None,
        "description": action.description, "owner": action.owner,
        "owner_agency": action.owner_agency.code if action.owner_agency else None,
        "due_on": _iso(action.due_on), "status": action.status, "done_on": _iso(action.done_on),
        "overdue": clocks.is_overdue(done, action.due_on, on),
    }


def review_row(review: Review, on: dt.date) -> dict[str, Any]:
    """One review in a list: what it is, where it stands, what is next and what is late."""
    steps = [step_dict(s, review, on) for s in _sorted_steps(review)]
    waiting = [s for s in steps if s["status"] == StepStatus.DUE and s["due_on"]]
    overdue = [s for s in steps if s["overdue"]]
    return {
        "id": review.pk, "child_id": review.child_id, "pseudonym": review.pseudonym,
        "incident_on": _iso(review.incident_on), "aware_on": _iso(review.aware_on),
        "status": review.status, "decision": review.decision or None,
        "decided_on": _iso(review.decided_on), "closed_on": _iso(review.closed_on),
        "as_of": on.isoformat(),
        "next_due": ({k: waiting[0][k] for k in ("kind", "label", "agency", "due_on")}
                     if waiting else None),
        "overdue": bool(overdue),
        "overdue_steps": [{k: s[k] for k in ("kind", "label", "agency", "due_on",
                                              "working_days_overdue")} for s in overdue],
    }


def review_dict(review: Review, on: dt.date) -> dict[str, Any]:
    """Everything about one review: the list row plus the timetable, the decision,
    findings, actions and history."""
    from joinedup.reviews.models import Decision

    row = review_row(review, on)
    row.update({
        "what_happened": review.what_happened,
        "decision_label": Decision(review.decision).label if review.decision else None,
        "criteria": review.criteria or {}, "decision_reasons": review.decision_reasons,
        "opened_by": review.opened_by, "opened_at": review.opened_at.isoformat(),
        "steps": [step_dict(s, review, on) for s in _sorted_steps(review)],
        "findings": [{
            "number": f.number, "title": f.title, "narrative": f.narrative,
            "remember": [line for line in f.remember.splitlines() if line.strip()],
            "themes": sorted(t.code for t in f.themes.all()),
            "evidence": sorted(f"{e.agency.code}:{e.source_id}"
                               for e in f.evidence.select_related("agency")),
        } for f in review.findings.prefetch_related("themes")],
        "actions": [action_dict(a, on) for a in
                    review.actions.select_related("finding", "owner_agency")],
        "history": [{"at": h.at.isoformat(), "who": h.who, "what": h.what, "note": h.note}
                    for h in review.history.all()],
    })
    return row
