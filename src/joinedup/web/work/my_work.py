"""My work: the page a practitioner lands on after signing in. What needs them today: open
alerts on the children allocated to them (or their team), then on other children they may
see, each child once with one suggested next step (``case_view``); every request waiting
for their agency's reply (from the day it is sent, overdue first); the replies their agency
is waiting for that are overdue; professionals meetings planned that the user's agency is
invited to or organises; actions from meetings coming due; recent professionals
meetings; and, for a safeguarding lead, the break-glass accesses waiting for review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from joinedup.access import Role, pending_reviews, readers_for
from joinedup.alerts import AlertStatus, counts_by_tier
from joinedup.information_requests import MeetingStatus, working_days_overdue
from joinedup.reviews import working_days_overdue as review_days_overdue
from joinedup.web.jinja import long_date
from joinedup.web.navigation import SECTIONS
from joinedup.web.permissions import user_roles
from joinedup.web.work import case_view, queries
from joinedup.web.work.pages import names_of, page, review_href
from joinedup.web.work.sharing import organiser_name
from joinedup.web.work.viewer import Viewer, allocated_children, viewer_of

SHOWN = 10
"""Items shown in each section; the heading counts them all and links to the full list."""
DUE_SOON_DAYS = 14
RECENT_MEETING_DAYS = 90


def _request_rows(query: Any, today: dt.date) -> list[dict[str, Any]]:
    return [{"request": r, "child_id": r.child_id or r.person_id,
             "late": working_days_overdue(r.status, r.due_on, today)} for r in query[:SHOWN]]


def _requests(viewer: Viewer, today: dt.date) -> dict[str, Any]:
    """Requests sent to the viewer's agency and still waiting for its reply, from the day
    they are sent, overdue first; and the replies it asked for that are overdue (it need
    chase only those)."""
    ours = queries.agency_requests(viewer)
    to_answer = queries.waiting_for_reply(ours.filter(to_agency_id=viewer.agency_id))
    waiting = queries.overdue(ours.filter(from_agency_id=viewer.agency_id), today)
    return {"to_answer": _request_rows(to_answer, today), "to_answer_count": to_answer.count(),
            "to_answer_overdue": to_answer.filter(due_on__lt=today).count(),
            "waiting": _request_rows(waiting, today), "waiting_count": waiting.count()}


def _planned_meetings(viewer: Viewer, today: dt.date) -> list[dict[str, Any]]:
    """Planned meetings the viewer's agency is invited to or organises, soonest first: a
    date already passed means the meeting is still to be recorded as held."""
    if viewer.agency_id is None:
        return []
    planned = list(queries.meetings(viewer.user)
                   .filter(Q(invited=viewer.agency_id) | Q(agency_id=viewer.agency_id),
                           status=MeetingStatus.PLANNED)
                   .distinct().order_by("held_on", "id"))
    readers = readers_for(viewer.user, {m.child_id for m in planned})
    return [{"meeting": m, "organiser": organiser_name(readers[m.child_id], m),
             "ours": m.agency_id == viewer.agency_id, "passed": m.held_on < today}
            for m in planned]


def _break_glass_to_review(request: HttpRequest) -> dict[str, Any]:
    """For a safeguarding lead: break-glass accesses no lead has reviewed yet, by staff of
    every agency, oldest first (the review page holds the reasons)."""
    if Role.SAFEGUARDING_LEAD not in user_roles(request):
        return {"glass": None, "glass_count": 0}
    pending = pending_reviews()
    return {"glass": list(pending[:SHOWN]), "glass_count": pending.count()}


def _may_open_reviews(request: HttpRequest) -> bool:
    section = next(s for s in SECTIONS if s.url_name == "reviews")
    return section.roles is None or bool(user_roles(request) & section.roles)


def _actions_due(request: HttpRequest, viewer: Viewer, today: dt.date) -> list[dict[str, Any]]:
    """Review and meeting actions the user's agency owes, due within DUE_SOON_DAYS or
    overdue, soonest first."""
    review_actions = queries.review_actions_owed(viewer).filter(
        due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    meeting_actions = queries.meeting_actions_owed(viewer).filter(
        due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    actions: list[dict[str, Any]] = (
        [{"kind": "review", "item": a, "overdue": a.due_on < today,
          "late": review_days_overdue(False, a.due_on, today),
          "href": review_href(a.review_id) if _may_open_reviews(request) else None,
          "source": f"Practice review {a.review_id} ({a.review.pseudonym})"}
         for a in review_actions]
        + [{"kind": "meeting", "item": a, "overdue": a.due_on < today,
            "late": review_days_overdue(False, a.due_on, today),
            "href": None, "meeting_id": a.meeting_id,
            "source": f"Professionals meeting on {long_date(a.meeting.held_on)}"}
           for a in meeting_actions])
    actions.sort(key=lambda row: (row["item"].due_on, row["kind"], row["item"].pk))
    return actions


def _open_href(child_id: int) -> str:
    return f"{reverse('alerts')}?status=open&child={child_id}"


def _queue(open_alerts: QuerySet[Any], today: dt.date) -> dict[str, Any]:
    """The first SHOWN children of these alerts, each once (``case_view``), the most urgent
    first, then the longest waiting, children of one household together; with how many
    alerts and children there are, and of each tier."""
    groups = queries.alerts_by_child(open_alerts)
    rows = case_view.child_rows(open_alerts, groups[:SHOWN], _open_href, suggest=True)
    return {"households": case_view.households(rows, today),
            "alerts": sum(g["alerts"] for g in groups), "children": len(groups),
            "tiers": counts_by_tier(open_alerts),
            "child_tiers": case_view.children_by_tier(groups),
            "ids": [row.child_id for row in rows]}


def _open_alerts(user: Any, allocated: Any, today: dt.date) -> dict[str, Any]:
    """Open alerts on the children allocated to the user, then on the other children they
    may see: each child once, the most urgent first and, within a tier, the longest
    waiting first."""
    open_alerts = queries.alerts(user).filter(status=AlertStatus.OPEN)
    return {"mine": _queue(open_alerts.filter(child_id__in=allocated), today),
            "others": _queue(open_alerts.exclude(child_id__in=allocated), today)}


def my_work(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    user = request.user
    today = timezone.localdate()
    allocated = allocated_children(user)
    alerts = _open_alerts(user, allocated, today)

    owed = _requests(viewer, today)
    planned = _planned_meetings(viewer, today)

    actions = _actions_due(request, viewer, today)

    recent = (queries.meetings(user).filter(
        status=MeetingStatus.HELD, child_id__in=allocated,
        held_on__gte=today - dt.timedelta(days=RECENT_MEETING_DAYS))
        .order_by("-held_on", "-id"))

    recent_shown = list(recent[:SHOWN])
    people = (set(alerts["mine"]["ids"]) | set(alerts["others"]["ids"])
              | {r["child_id"] for r in owed["to_answer"] + owed["waiting"]}
              | {m.child_id for m in recent_shown}
              | {row["meeting"].child_id for row in planned})
    return page(request, "work/my_work.html", {
        "today": today,
        **alerts,
        **_break_glass_to_review(request),
        **owed,
        "actions": actions[:2 * SHOWN], "actions_count": len(actions),
        "actions_overdue": sum(1 for a in actions if a["overdue"]),
        "planned": planned,
        "recent": recent_shown, "recent_count": recent.count(),
        "names": names_of(people, request.user), "shown": SHOWN, "due_soon_days": DUE_SOON_DAYS,
        "recent_days": RECENT_MEETING_DAYS,
    })
