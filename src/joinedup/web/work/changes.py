"""Changes made from these pages: allowed only to someone who may open the child's record,
and each written once to the audit trail (the alert and request services keep their own
history of who did what, but not the audit trail)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from joinedup.access import AuditAction, audit, policy
from joinedup.people import is_child
from joinedup.web.permissions import open_child


def may_change(request: HttpRequest, child_id: int, **details: Any) -> list[policy.Reason]:
    """The user's reasons to act on this child's record; or :class:`policy.AccessDenied`
    (audited as a refused access, answered with the neutral page). Nothing is written when
    the change is allowed: :func:`record_change` writes the change itself once it is made."""
    from django.utils import timezone

    reasons = policy.legitimate_reasons(request.user, child_id)
    if reasons and is_child(child_id, timezone.localdate()):
        return reasons
    return open_child(request, child_id, AuditAction.CHANGE, **details)


def record_change(request: HttpRequest, reasons: list[policy.Reason], *, object_type: str,
                  object_id: Any, child_id: int, what: str, note: str = "") -> None:
    """One audit row for one change: what was done, to what, about which child, and why."""
    audit.record(request.user, AuditAction.CHANGE, object_type=object_type,
                 object_id=object_id, child_id=child_id, reason=note,
                 details={"change": what, "relationships": [r.kind for r in reasons],
                          "address": request.get_full_path()[:500]})
