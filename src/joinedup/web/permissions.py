"""What views call before showing anything: the roles a page needs, and the child's record
opened through the access policy (which writes the look to the audit trail)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from joinedup.access import AuditAction, Role, policy, roles_of
from joinedup.web.middleware import mark_audited
from joinedup.web.refusals import Forbidden


def user_roles(request: HttpRequest) -> set[str]:
    if not hasattr(request, "_joinedup_roles"):
        request._joinedup_roles = roles_of(request.user)  # type: ignore[attr-defined]
    return request._joinedup_roles  # type: ignore[attr-defined, no-any-return]


def roles_required(*roles: Role) -> Callable[[Callable[..., HttpResponse]],
                                             Callable[..., HttpResponse]]:
    """Only users holding one of ``roles`` may use the view; anyone else gets
    :class:`Forbidden` (the audited "refused" page, ``web/refusals.py``)."""
    wanted = {r.value for r in roles}

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not (user_roles(request) & wanted):
                names = " or ".join(r.label.lower() for r in roles)
                raise Forbidden(f"This page is for a {names}. Ask your system "
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
