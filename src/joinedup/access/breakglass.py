"""Break-glass: opening a child's record without a legitimate relationship, in an emergency.

The user states why; access lasts the minutes asked for (60 by default, at most
``MAX_MINUTES``); it is written to the audit trail at once and waits in the safeguarding
lead's list (:func:`pending_reviews`) until a lead records whether it was justified
(:func:`review_break_glass`). A sealed record can be opened this way only by a safeguarding
lead (docs/access.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from joinedup.access import audit
from joinedup.access.models import AuditAction, BreakGlass, BreakGlassOutcome, Membership
from joinedup.access.roles import Role, roles_of
from joinedup.access.sealing import is_sealed
from joinedup.errors import ActionError, NotFoundError
from joinedup.people.models import Person

DEFAULT_MINUTES = 60
MAX_MINUTES = 8 * 60
"""A working shift: anything longer needs an allocation, not break-glass."""


def break_glass(user: Any, child_id: int, reason: str, minutes: int = DEFAULT_MINUTES
                ) -> BreakGlass:
    """Open one child's record to ``user`` for ``minutes``, with their stated reason."""
    text = (reason or "").strip()
    if not text:
        raise ActionError("Say why you need this child's record now: break-glass without a "
                          "reason is refused.")
    if not getattr(user, "is_active", False):
        raise ActionError(f"{user} is not an active user.")
    if not 1 <= minutes <= MAX_MINUTES:
        raise ActionError(f"Break-glass lasts from 1 to {MAX_MINUTES} minutes, not {minutes}.")
    if is_sealed(child_id) and Role.SAFEGUARDING_LEAD.value not in roles_of(user):
        raise ActionError("This child's record is sealed: only a safeguarding lead can break "
                          "the glass. Ask your safeguarding lead.")

    if not Person.objects.filter(pk=child_id).exists():
        raise NotFoundError(f"There is no person {child_id}.")
    now = timezone.now()
    with transaction.atomic():
        glass = BreakGlass.objects.create(user=user, child_id=child_id, reason=text,
                                          started_at=now,
                                          expires_at=now + dt.timedelta(minutes=minutes))
        audit.record(user, AuditAction.BREAK_GLASS, object_type="break_glass",
                     object_id=glass.pk, child_id=child_id, reason=text,
                     details={"minutes": minutes, "expires_at": glass.expires_at.isoformat()})
    return glass


def pending_reviews(agency_code: str | None = None) -> QuerySet[BreakGlass]:
    """Break-glass accesses no safeguarding lead has reviewed yet, oldest first; only those
    by staff of one agency when given (each agency's lead reviews their own staff)."""
    query = BreakGlass.objects.filter(reviewed_at__isnull=True).select_related("user")
    if agency_code:
        users = Membership.objects.filter(agency__code=agency_code.strip().upper()) \
            .values("user_id")
        query = query.filter(user_id__in=users)
    return query.order_by("started_at", "id")


def review_break_glass(glass_id: int, reviewer: Any, outcome: str, note: str = ""
                       ) -> BreakGlass:
    """A safeguarding lead's verdict on one break-glass access: justified, or not (then a
    note saying what happens next is required)."""
    glass = BreakGlass.objects.select_related("user").filter(pk=glass_id).first()
    if glass is None:
        raise NotFoundError(f"There is no break-glass access {glass_id}.")
    if Role.SAFEGUARDING_LEAD.value not in roles_of(reviewer):
        raise ActionError(f"Only a safeguarding lead can review break-glass access; "
                          f"{audit.actor_name(reviewer)} is not one.")
    if reviewer.pk == glass.user_id:
        raise ActionError("Nobody reviews their own break-glass access: ask another "
                          "safeguarding lead.")
    if glass.reviewed_at is not None:
        raise ActionError(f"Break-glass access {glass_id} was already reviewed by "
                          f"{glass.reviewed_by}.")
    if outcome not in BreakGlassOutcome.values:
        raise ActionError(f"{outcome!r} is not an outcome: use "
                          f"{' or '.join(BreakGlassOutcome.values)}.")
    if outcome == BreakGlassOutcome.NOT_JUSTIFIED and not note.strip():
        raise ActionError("Say what happens next when an access was not justified (a note).")
    with transaction.atomic():
        glass.reviewed_by = audit.actor_name(reviewer)
        glass.reviewed_at = timezone.now()
        glass.outcome = outcome
        glass.review_note = note.strip()
        glass.save(update_fields=["reviewed_by", "reviewed_at", "outcome", "review_note"])
        audit.record(reviewer, AuditAction.BREAK_GLASS_REVIEW, object_type="break_glass",
                     object_id=glass.pk, child_id=glass.child_id, reason=note.strip(),
                     details={"outcome": outcome, "user": glass.user.username})
    return glass
