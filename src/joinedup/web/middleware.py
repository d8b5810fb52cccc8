"""Deny by default: every page needs a signed-in user, and every page a user opens is written
to the audit trail. Also: idle sessions end, every session ends a fixed time after signing
in, and a page that only reads works out each child's family network once."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from joinedup.access import AuditAction, audit
from joinedup.people import networks_remembered

# what may be opened without signing in
# (/api/ checks its own credentials: API keys, or the session for users' endpoints)
PUBLIC_PREFIXES = ("/sign-in/", "/health", "/oidc/", "/api/", settings.STATIC_URL)

Handler = Callable[[HttpRequest], HttpResponse]


def sign_in_required(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated or request.path.startswith(PUBLIC_PREFIXES):
            return get_response(request)
        return redirect(f"{settings.LOGIN_URL}?next={request.get_full_path()}"
                        if request.path != "/" else settings.LOGIN_URL)

    return middleware


SIGNED_IN_AT = "_joinedup_signed_in_at"
"""The session key holding when its user signed in (seconds since the epoch)."""


def session_lifetime(get_response: Handler) -> Handler:
    """A session ends JOINEDUP_SESSION_MAX_HOURS (12 unless set) after signing in, however
    active its user: the next request signs them out (audited as a sign-out) and, for a
    page, sends them to the sign-in page (sign_in_required). The time is noted in the
    session at signing in (web/signals.py), or for a session older than this rule on its
    next request."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            if started is None:
                request.session[SIGNED_IN_AT] = int(time.time())
            elif time.time() - int(started) >= settings.JOINEDUP_SESSION_MAX_SECONDS:
                request._joinedup_sign_out_reason = (  # type: ignore[attr-defined]
                    "the session reached its maximum length")  # for the audit (signals.py)
                logout(request)  # empties the session; the user is anonymous from here on
        return get_response(request)

    return middleware


IDLE_RENEWAL_SECONDS = 60
"""A signed-in user's session is renewed (its idle timeout starts again) at most once a minute:
saving it on every request would add a database write to every page."""


def idle_sessions(get_response: Handler) -> Handler:
    """Sessions end after SESSION_COOKIE_AGE seconds without a request (30 minutes unless
    JOINEDUP_SESSION_IDLE_MINUTES says otherwise), to within a minute."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            if now - int(request.session.get("_joinedup_seen", 0)) >= IDLE_RENEWAL_SECONDS:
                request.session["_joinedup_seen"] = now  # modified: saved with a new expiry
        return get_response(request)

    return middleware


def remember_while_reading(get_response: Handler) -> Handler:
    """A page that only reads (GET, HEAD) works out each child's family network once."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return get_response(request)
        with networks_remembered():
            return get_response(request)

    return middleware


def mark_audited(request: HttpRequest) -> None:
    """A view that wrote its own, more precise audit entry (a child's record viewed, a
    download) marks the request so the page view is not written twice."""
    request._joinedup_audited = True  # type: ignore[attr-defined]


def audit_page_views(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user: Any = request.user
        if (user.is_authenticated and request.method in ("GET", "HEAD")
                and not request.path.startswith(PUBLIC_PREFIXES)
                and not getattr(request, "_joinedup_audited", False)):
            audit.record(user, AuditAction.VIEW_PAGE, object_type="page",
                         object_id=request.path[:100],
                         details={"address": request.get_full_path()[:500],
                                  "status": response.status_code})
        return response

    return middleware
