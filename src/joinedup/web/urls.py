"""Every address of the web application. Each area of pages keeps its own urls.py."""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import include, path, register_converter

from joinedup.api import api
from joinedup.web import auth_views
from joinedup.web.converters import IdConverter
from joinedup.web.navigation import landing_for

register_converter(IdConverter, "id")
handler404 = "joinedup.web.refusals.not_found"


def home(request: HttpRequest) -> HttpResponse:
    """The page each role lands on (``navigation.LANDINGS``); the sign-in page first."""
    if not request.user.is_authenticated:
        return redirect("sign-in")
    return redirect(landing_for(request.user))


def health(request: HttpRequest) -> JsonResponse:
    """For monitoring: 200 ``ok`` when the database answers, 503 ``unhealthy`` when it does
    not. Anyone may ask, so the answer says nothing more; what went wrong goes to the log."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure is "unhealthy"
        logging.getLogger("joinedup.web.health").exception(
            "Health check: the database did not answer")
        return JsonResponse({"status": "unhealthy"}, status=503)
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", home, name="home"),
    path("health", health, name="health"),
    path("api/v1/", api.urls),
    path("sign-in/", auth_views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", auth_views.SignOutView.as_view(), name="sign-out"),
    path("", include("joinedup.web.work.urls")),
    path("", include("joinedup.web.case.urls")),
    path("", include("joinedup.web.reviewing.urls")),
    path("", include("joinedup.web.steward.urls")),
    path("", include("joinedup.web.access_urls")),
]

from joinedup.web import oidc  # noqa: E402

if oidc.configured():
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
