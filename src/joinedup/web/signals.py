"""Sign-in, failed sign-in and sign-out go to the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from joinedup.access import audit
from joinedup.access.models import AuditAction


def _address(request: Any) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "")[:45]


@receiver(user_logged_in)
def signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(user, AuditAction.SIGN_IN, object_type="user", object_id=user.username,
                 details={"from": _address(request)})


@receiver(user_logged_out)
def signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(user, AuditAction.SIGN_OUT, object_type="user", object_id=user.username,
                     details={"from": _address(request)})


@receiver(user_login_failed)
def sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None,
                   **kwargs: Any) -> None:
    name = str(credentials.get("username", ""))[:100]
    audit.record(name or "unknown", AuditAction.FAILED_SIGN_IN, object_type="user",
                 object_id=name, details={"from": _address(request)})
