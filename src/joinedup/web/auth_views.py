"""Signing in and out. Passwords are checked by Django (Argon2); repeated failures, per user
name and per address, lock signing in (django-axes); every sign-in, failed sign-in and
sign-out is audited (signals.py)."""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.web import oidc


class SignInView(auth.LoginView):
    template_name = "auth/sign_in.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc"] = oidc.configured()
        context["idle_minutes"] = settings.SESSION_COOKIE_AGE // 60
        return context


class SignOutView(auth.LogoutView):
    template_name = "auth/signed_out.html"


def locked_out(request: HttpRequest, credentials: dict[str, Any] | None = None,
               *args: Any, **kwargs: Any) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "auth/locked_out.html",
                  {"minutes": minutes, "failures": settings.AXES_FAILURE_LIMIT}, status=429)


def client_address(request: HttpRequest) -> str | None:
    """The address a request came from, for lockout and the audit trail.

    The connection's own address, unless JOINEDUP_PROXY_COUNT reverse proxies stand in front
    of the application: each appends the address it was reached from to X-Forwarded-For, so
    the entry that many places from the end is the one the outermost proxy saw. Entries
    before it were written by the client and are never trusted. A request with fewer entries
    did not come through the proxies, and its connection's address is used."""
    proxies = settings.JOINEDUP_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in
                     request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:45]
    return request.META.get("REMOTE_ADDR")


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """django-axes' database handler, except that a successful sign-in clears the failures
    of its own user name only. Axes would clear every failure matching the sign-in's user
    name or address, and failures are counted per address too: someone could then guess at
    colleagues' passwords from one computer and sign in to their own account before each
    fifth guess, and never be locked out."""

    def reset_user_attempts(self, request: HttpRequest,
                            credentials: dict[str, Any] | None = None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return int(count)
