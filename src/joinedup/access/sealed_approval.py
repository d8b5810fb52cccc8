"""A safeguarding lead's approval for a data steward to see a sealed person's identifiers.

On the data steward's pages (linkage review, splitting a person, rows kept back) a sealed
person shows as "Sealed record": no name, date of birth, NHS number, address or postcode,
and their records cannot be joined to or split from anyone. When linkage work needs them, a
safeguarding lead approves one steward for one sealed person, with a reason, for some hours
(:func:`approve`). The approval is written to the audit trail under the sealed person, and
every page the steward then opens showing them is audited as usual (``stewardship.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from joinedup.access import audit
from joinedup.access.models import AuditAction, SealedRecord, SealedRecordApproval
from joinedup.access.roles import Role, has_role
from joinedup.errors import ActionError

DEFAULT_HOURS = 8
"""How long an approval lasts unless the lead says otherwise: a working day."""
MAX_HOURS = 72
"""The longest approval a lead can give; a longer piece of work is approved again."""


def sealed_among(person_ids: Iterable[int | None]) -> set[int]:
    """Which of these persons are sealed now."""
    wanted = {int(p) for p in person_ids if p is not None}
    if not wanted:
        return set()
    return set(SealedRecord.objects.filter(child_id__in=wanted, unsealed_at__isnull=True)
               .values_list("child_id", flat=True))


def approvals_for(steward: Any, person_ids: Iterable[int]) -> dict[int, int]:
    """The steward's approvals in force now for these persons: person id -> approval id."""
    wanted = set(person_ids)
    if not wanted or not getattr(steward, "pk", None):
        return {}
    now = timezone.now()
    found: dict[int, int] = {}
    for person, approval in (SealedRecordApproval.objects
                             .filter(steward=steward, person_id__in=wanted,
                                     approved_at__lte=now, expires_at__gt=now)
                             .order_by("expires_at", "id")
                             .values_list("person_id", "id")):
        found[int(person)] = int(approval)  # the one lasting longest wins
    return found


def hidden_from(steward: Any, person_ids: Iterable[int | None]) -> tuple[set[int],
                                                                        dict[int, int]]:
    """(sealed persons the steward may not see, approvals for the sealed ones they may)."""
    sealed = sealed_among(person_ids)
    approved = approvals_for(steward, sealed)
    return sealed - set(approved), approved


def unseen_by(steward: Any) -> set[int]:
    """Every sealed person the steward may not see now: their records say nothing about
    other records either (the review queue's namesakes, ``people/namesake_links.py``)."""
    sealed = SealedRecord.objects.filter(unsealed_at__isnull=True).values_list("child_id",
                                                                              flat=True)
    return hidden_from(steward, sealed)[0]


def approve(person_id: int, steward: Any, lead: Any, reason: str,
            hours: int = DEFAULT_HOURS) -> SealedRecordApproval:
    """Let ``steward`` see the sealed person's identifiers for ``hours``; ``lead`` must be a
    safeguarding lead. Audited as a permission change under the sealed person."""
    reason = reason.strip()
    if not reason:
        raise ActionError("Say why the data steward needs to see this sealed record.")
    if not 1 <= hours <= MAX_HOURS:
        raise ActionError(f"An approval lasts between 1 and {MAX_HOURS} hours; approve "
                          "again when the work takes longer.")
    if not has_role(lead, Role.SAFEGUARDING_LEAD):
        raise ActionError(f"{lead.username} is not a safeguarding lead: only a safeguarding "
                          "lead can approve a data steward's access to a sealed record.")
    if not has_role(steward, Role.DATA_STEWARD):
        raise ActionError(f"{steward.username} is not a data steward: the approval is for "
                          "the data steward's pages only.")
    if lead.pk == steward.pk:
        raise ActionError("Nobody approves their own access to a sealed record: ask another "
                          "safeguarding lead.")
    if person_id not in sealed_among([person_id]):
        raise ActionError(f"The record of person {person_id} is not sealed: a data steward "
                          "sees it without an approval.")
    now = timezone.now()
    approval = SealedRecordApproval.objects.create(
        steward=steward, person_id=person_id, approved_by=lead, reason=reason,
        approved_at=now, expires_at=now + dt.timedelta(hours=hours))
    audit.record(lead, AuditAction.PERMISSION_CHANGE, object_type="sealed_record_approval",
                 object_id=approval.pk, child_id=person_id, reason=reason,
                 details={"steward": steward.username, "hours": hours,
                          "expires_at": approval.expires_at.isoformat()})
    return approval
