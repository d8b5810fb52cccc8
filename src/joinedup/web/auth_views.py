"""Signing in and out. Passwords are checked by Django (Argon2); repeated failures lock the
account (django-axes); every sign-in, failed sign-in and sign-out is audited (signals.py)."""

from __future__ import annotations

from typing import Any

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
