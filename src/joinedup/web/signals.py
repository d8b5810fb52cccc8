"""Sign-in, failed sign-in and sign-out go to the audit trail. A sign-in also notes its time
in the session, which ends a fixed time later (web/middleware.py session_lifetime)."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from joinedup.access import AuditAction, audit
from joinedup.web.auth_views import client_address
from joinedup.web.middleware import SIGNED_IN_AT


def _address(request: Any) -> str:
    if request is None:
        return ""
    return (client_address(request) or "")[:45]


@receiver(user_logged_in)
def signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())
    audit.record(user, AuditAction.SIGN_IN, object_type="user", object_id=user.username,
                 details={"from": _address(request)})


@receiver(user_logged_out)
def signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        details = {"from": _address(request)}
        reason = getattr(request, "_joinedup_sign_out_reason", None)
        if reason:
            details["why"] = reason
        audit.record(user, AuditAction.SIGN_OUT, object_type="user", object_id=user.username,
                     details=details)


@receiver(user_login_failed)
def sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None,
                   **kwargs: Any) -> None:
    name = str(credentials.get("username", ""))[:100]
    audit.record(name or "unknown", AuditAction.FAILED_SIGN_IN, object_type="user",
                 object_id=name, details={"from": _address(request)})
