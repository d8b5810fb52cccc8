"""The lists of this area as queries, each narrowed to the children its reader may open
inside the query itself (``joinedup.access.policy``), so no list or count ever holds a
child its reader may not open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Count, IntegerField, Max, Min, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from joinedup.access import filter_children, visible_children
from joinedup.alerts import Alert, Priority
from joinedup.information_requests import (
    ActionStatus,
    InformationRequest,
    MeetingAction,
    ProfessionalsMeeting,
    RequestStatus,
)
from joinedup.reviews import ActionStatus as ReviewActionStatus
from joinedup.reviews import ReviewAction
from joinedup.web.work.viewer import Viewer


def alerts(user: Any) -> QuerySet[Alert]:
    """Every alert on a child the user may open."""
    return filter_children(Alert.objects.all(), user)


def _tier_rank() -> Case:
    """0 for urgent, 1 for high, 2 for routine."""
    return Case(*(When(priority=p.value, then=Value(i)) for i, p in enumerate(Priority)),
                default=Value(len(Priority) - 1), output_field=IntegerField())


def alerts_by_child(found: QuerySet[Alert]) -> list[dict[str, Any]]:
    """One row per child of these alerts: ``alerts`` (how many), ``rank`` (of the most urgent:
    0 urgent, 1 high, 2 routine), ``waiting_since`` (the oldest fired on) and ``newest_on``;
    the most urgent first, then the longest waiting. Read whole: counting the grouped rows
    would nest the access policy's subqueries deeper than SQLite can parse."""
    grouped = found.order_by().values("child_id").annotate(
        alerts=Count("id"), rank=Min(_tier_rank()), waiting_since=Min("fired_on"),
        newest_on=Max("fired_on")).order_by("rank", "waiting_since", "child_id")
    return [dict(row) for row in grouped]


def alerts_of(found: QuerySet[Alert], child_ids: Iterable[int]) -> list[Alert]:
    """The alerts of ``found`` on these children, newest first."""
    return list(found.filter(child_id__in=list(child_ids)).only(
        "id", "child_id", "rule", "title", "fired_on", "priority", "status",
        "recommended_action").order_by("-fired_on", "-id"))


def requests(user: Any) -> QuerySet[InformationRequest]:
    """Every request about a child the user may open: the request's child, or the person it
    is about when no child is named."""
    # One copy of the policy's subquery, at the shallowest nesting: SQLite's parser refuses
    # statements nested much deeper than the policy's own subqueries already are.
    return (InformationRequest.objects.select_related("from_agency", "to_agency")
            .alias(case_child=Coalesce("child_id", "person_id"))
            .filter(case_child__in=visible_children(user)))


def agency_requests(viewer: Viewer) -> QuerySet[InformationRequest]:
    """Requests the viewer's agency sent or was sent, about children the viewer may open."""
    if viewer.agency_id is None:
        return InformationRequest.objects.none()
    return requests(viewer.user).filter(Q(from_agency_id=viewer.agency_id)
                                        | Q(to_agency_id=viewer.agency_id))


def overdue(query: QuerySet[InformationRequest], on: dt.date
            ) -> QuerySet[InformationRequest]:
    """Waiting for a reply after the due date (``deadlines.is_overdue``), longest first."""
    return query.filter(status=RequestStatus.SENT, due_on__lt=on).order_by("due_on", "id")


def waiting_for_reply(query: QuerySet[InformationRequest]) -> QuerySet[InformationRequest]:
    """Every request still waiting for a reply, from the day it was sent: earliest due
    first, so the overdue ones (due before today) come first, longest overdue first."""
    return query.filter(status=RequestStatus.SENT).order_by("due_on", "requested_on", "id")


def meetings(user: Any) -> QuerySet[ProfessionalsMeeting]:
    return (filter_children(ProfessionalsMeeting.objects.all(), user)
            .select_related("agency").prefetch_related("attending"))


def meetings_of(child_id: int) -> QuerySet[ProfessionalsMeeting]:
    """The meetings about one child, for a reader who has opened the child's record."""
    return (ProfessionalsMeeting.objects.filter(child_id=child_id)
            .select_related("agency").prefetch_related("attending"))


def meeting_actions_owed(viewer: Viewer) -> QuerySet[MeetingAction]:
    """Open actions agreed at meetings, owed by the viewer's agency."""
    if viewer.agency_id is None:
        return MeetingAction.objects.none()
    return (filter_children(MeetingAction.objects.all(), viewer.user, field="meeting__child_id")
            .filter(status=ActionStatus.OPEN, owner_agency_id=viewer.agency_id)
            .select_related("meeting", "owner_agency").order_by("due_on", "id"))


def review_actions_owed(viewer: Viewer) -> QuerySet[ReviewAction]:
    """Open recommended actions of practice reviews, owed by the viewer's agency."""
    if viewer.agency_id is None:
        return ReviewAction.objects.none()
    return (filter_children(ReviewAction.objects.all(), viewer.user, field="review__child_id")
            .filter(status=ReviewActionStatus.OPEN, owner_agency_id=viewer.agency_id)
            .select_related("review", "owner_agency").order_by("due_on", "id"))
