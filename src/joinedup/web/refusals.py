"""One neutral answer for anything a user may not know exists.

A record that does not exist, a sealed record, an adult's record asked for as a child's, and
a record the user has no legitimate relationship with all get the same page, with the same
words and the same status (404), so that no answer reveals that a child exists or that a
record is sealed (which can reveal an adoption). Each is written to the audit trail as a
refusal (``access_refused``).

- :class:`RefusalMiddleware` turns :class:`joinedup.access.policy.AccessDenied`, raised by
  ``open_child`` or :func:`refuse` (which have already audited the refusal), into that page;
  and :class:`Forbidden`, for something the user knows exists but whose role may not do
  it (a page for another role, a change they may not make), into the "refused" page
  (403, what and why, audited by :func:`refused`);
- :func:`not_found` is Django's 404 handler: an address that matches no page (a huge id
  included: ids are at most 18 digits, ``web/converters.py``) or an object that does not
  exist, audited as a refusal when someone is signed in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.access import AccessDenied, AuditAction, audit
from joinedup.web.middleware import mark_audited

TEMPLATE = "errors/not_found.html"


def _child_in_address(request: HttpRequest) -> int | None:
    match = getattr(request, "resolver_match", None)
    value = match.kwargs.get("child_id") if match is not None else None
    return int(value) if isinstance(value, int) else None


def neutral(request: HttpRequest) -> HttpResponse:
    """The one page for "not found or not yours"."""
    mark_audited(request)
    return render(request, TEMPLATE, {"child_id": _child_in_address(request)}, status=404)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 404 handler: audited as a refusal, answered with the neutral page."""
    user: Any = getattr(request, "user", None)
    if user is not None and user.is_authenticated and \
            not getattr(request, "_joinedup_audited", False):
        audit.record(user, AuditAction.ACCESS_REFUSED, object_type="page",
                     object_id=request.path[:100], child_id=_child_in_address(request),
                     reason="not found, or not the user's to see",
                     details={"address": request.get_full_path()[:500]})
    return neutral(request)


def refused(request: HttpRequest, message: str, *, child_id: int | None = None,
            status: int = 403) -> HttpResponse:
    """The page a user sees when their role may not do something they know exists (a page
    for another role, a change they may not make): what and why, written to the audit
    trail as a refusal. Views raise :class:`Forbidden` rather than call this."""
    user: Any = request.user
    if user.is_authenticated:
        audit.record(user, AuditAction.ACCESS_REFUSED, object_type="page",
                     object_id=request.path[:100], child_id=child_id, reason=message[:200],
                     details={"address": request.get_full_path()[:500], "status": status})
        mark_audited(request)
    return render(request, "errors/refused.html",
                  {"message": message, "child_id": child_id}, status=status)


class Forbidden(Exception):
    """The user's role may not do this, on something they know exists (a change to a review
    they may read): answered with the "refused" page, status 403, saying ``message``."""

    def __init__(self, message: str, *, child_id: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.child_id = child_id


class RefusalMiddleware:
    """Answers an :class:`AccessDenied` raised by a view with the neutral page, and a
    :class:`Forbidden` with the "refused" page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest,
                          exception: Exception) -> HttpResponse | None:
        if isinstance(exception, AccessDenied):
            return neutral(request)
        if isinstance(exception, Forbidden):
            return refused(request, exception.message, child_id=exception.child_id)
        return None


def refuse(request: HttpRequest, *, object_type: str, object_id: Any,
           child_id: int | None = None, reason: str) -> None:
    """Write a refusal to the audit trail and raise :class:`AccessDenied`, which the
    middleware answers with the neutral page (for something the user may not know exists)."""
    audit.record(request.user, AuditAction.ACCESS_REFUSED, object_type=object_type,
                 object_id=object_id, child_id=child_id, reason=reason,
                 details={"address": request.get_full_path()[:500]})
    raise AccessDenied(reason)
