"""Sealed records: children whose records only their allocated workers and review panels see.

A record is sealed, for instance, after an adoption, or when someone who works in the
partnership is a risk to the child. While sealed, agency involvement gives no access, and
break-glass is open only to safeguarding leads (docs/access.md).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from joinedup.access import audit
from joinedup.access.models import AuditAction, SealedRecord
from joinedup.errors import ActionError, NextStep


def is_sealed(child_id: int) -> bool:
    return SealedRecord.objects.filter(child_id=child_id, unsealed_at__isnull=True).exists()


def sealed_children() -> QuerySet[Any]:
    """The person ids of sealed children, as a subquery (``values``)."""
    return SealedRecord.objects.filter(unsealed_at__isnull=True).values("child_id")


def seal(child_id: int, reason: str, by: str) -> SealedRecord:
    if not reason.strip():
        raise ActionError("Say why the record is sealed.",
                          next_step=NextStep.GIVE_DETAIL(detail="reason"))
    if is_sealed(child_id):
        raise ActionError(f"The record of person {child_id} is already sealed.")
    sealed = SealedRecord.objects.create(child_id=child_id, reason=reason.strip(), sealed_by=by)
    audit.record(by, AuditAction.PERMISSION_CHANGE, object_type="sealed_record",
                 object_id=sealed.pk, child_id=child_id, reason=reason.strip(),
                 details={"sealed": True})
    return sealed


def unseal(child_id: int, reason: str, by: str) -> SealedRecord:
    if not reason.strip():
        raise ActionError("Say why the record is unsealed.")
    sealed = SealedRecord.objects.filter(child_id=child_id, unsealed_at__isnull=True).first()
    if sealed is None:
        raise ActionError(f"The record of person {child_id} is not sealed.")
    sealed.unsealed_at, sealed.unsealed_by = timezone.now(), by
    sealed.save(update_fields=["unsealed_at", "unsealed_by"])
    audit.record(by, AuditAction.PERMISSION_CHANGE, object_type="sealed_record",
                 object_id=sealed.pk, child_id=child_id, reason=reason.strip(),
                 details={"sealed": False})
    return sealed
