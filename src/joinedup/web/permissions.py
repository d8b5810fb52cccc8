"""What views call before showing anything: the roles a page needs, and the child's record
opened through the access policy (which writes the look to the audit trail)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.access import audit, policy
from joinedup.access.models import AuditAction
from joinedup.access.roles import Role, roles_of
from joinedup.web.middleware import mark_audited


def user_roles(request: HttpRequest) -> set[str]:
    if not hasattr(request, "_joinedup_roles"):
        request._joinedup_roles = roles_of(request.user)  # type: ignore[attr-defined]
    return request._joinedup_roles  # type: ignore[attr-defined, no-any-return]


def refused(request: HttpRequest, message: str, *, child_id: int | None = None,
            status: int = 403) -> HttpResponse:
    """The page a user sees when their role may not do something they know exists (a page
    for another role, a change they may not make): what and why, written to the audit
    trail as a refusal. Anything the user may not know exists gets the neutral 404 instead
    (``web/refusals.py``)."""
    user: Any = request.user
    if user.is_authenticated:
        audit.record(user, AuditAction.ACCESS_REFUSED, object_type="page",
                     object_id=request.path[:100], child_id=child_id, reason=message[:200],
                     details={"address": request.get_full_path()[:500], "status": status})
        mark_audited(request)
    return render(request, "errors/refused.html",
                  {"message": message, "child_id": child_id}, status=status)


def roles_required(*roles: Role) -> Callable[[Callable[..., HttpResponse]],
                                             Callable[..., HttpResponse]]:
    """Only users holding one of ``roles`` may use the view."""
    wanted = {r.value for r in roles}

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not (user_roles(request) & wanted):
                names = " or ".join(r.label.lower() for r in roles)
                return refused(request, f"This page is for a {names}. Ask your system "
                                        "administrator if you need it for your work.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def open_child(request: HttpRequest, child_id: int, action: str = AuditAction.VIEW_CHILD,
               **details: Any) -> list[policy.Reason]:
    """The user's reasons to open this child's record (the look is audited); or, when there
    is none, :class:`policy.AccessDenied` (the refusal is audited), which
    ``web/refusals.py`` answers with the one neutral "not found" page."""
    mark_audited(request)
    return policy.open_child_record(request.user, child_id, action,
                                    details={"address": request.get_full_path()[:500],
                                             **details})
