"""Workers and teams allocated to a child: the plainest legitimate relationship."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from joinedup.access import audit
from joinedup.access.models import Allocation, AuditAction, Team
from joinedup.errors import ActionError, NextStep, NotFoundError
from joinedup.reviews.models import Review


def allocate(child_id: int, *, user: Any = None, team: Team | None = None,
             valid_from: dt.date | None = None, valid_to: dt.date | None = None,
             by: str = "system") -> Allocation:
    """Allocate a worker or a team (one of them) to a child, from a day (today) to a day
    (open-ended when not given)."""
    if (user is None) == (team is None):
        raise ActionError("Allocate either a worker or a team, not both and not neither.")
    start = valid_from or timezone.localdate()
    if valid_to is not None and valid_to < start:
        raise ActionError(f"The allocation would end ({valid_to:%d/%m/%Y}) before it starts "
                          f"({start:%d/%m/%Y}).")
    allocation = Allocation.objects.create(child_id=child_id, user=user, team=team,
                                           valid_from=start, valid_to=valid_to,
                                           allocated_by=by)
    who = {"user": user.username} if user is not None else \
        {"team": team.name, "agency": team.agency.code}  # type: ignore[union-attr]
    audit.record(by, AuditAction.PERMISSION_CHANGE, object_type="allocation",
                 object_id=allocation.pk, child_id=child_id, reason="allocated",
                 details={**who, "from": start.isoformat(),
                          "to": valid_to.isoformat() if valid_to else None})
    return allocation


def add_panel_member(review_id: int, user: Any, by: str = "system") -> bool:
    """Put a user on a review's panel; False if they were on it already."""
    from joinedup.access.models import ReviewPanelMember

    review = Review.objects.filter(pk=review_id).first()
    if review is None:
        raise NotFoundError(f"There is no review {review_id}.",
                            next_step=NextStep.LIST_REVIEWS)
    _, created = ReviewPanelMember.objects.get_or_create(review=review, user=user,
                                                         defaults={"added_by": by})
    if created:
        audit.record(by, AuditAction.PERMISSION_CHANGE, object_type="review",
                     object_id=review.pk, child_id=review.child_id,
                     reason="added to the review panel", details={"user": user.username})
    return created
