"""Signing in and out, lockout, deny by default, security headers and the audit of each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.access.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse(db: None) -> Any:
    from joinedup.access.users import add_user
    from joinedup.ingest.agencies import register_agency

    register_agency("HV", "Health Visiting", "HEALTH_VISITING", "E08000007")
    return add_user("nurse", "HV", ["practitioner"], password="a long enough password")[0]


def test_every_page_needs_signing_in_first() -> None:
    response = Client().get("/children/1/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/children/1/"


def test_sign_in_page_is_plain_and_carries_a_strict_content_security_policy() -> None:
    response = Client().get("/sign-in/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sign in to joinedup" in page
    assert "GOV.UK" not in page
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_signing_in_and_out_is_audited(nurse: Any) -> None:
    client = Client()
    response = client.post("/sign-in/", {"username": "nurse",
                                         "password": "a long enough password"})
    assert response.status_code == 302
    assert response["Location"] == "/work/"
    client.post("/sign-out/")
    actions = list(AuditEntry.objects.filter(actor="nurse").values_list("action", flat=True))
    assert actions[0] == "sign_in" and actions[-1] == "sign_out"
    assert client.get("/work/").status_code == 302  # signed out: back to the sign-in page


def test_a_wrong_password_is_refused_audited_and_locks_after_five(nurse: Any) -> None:
    client = Client()
    for _ in range(5):
        response = client.post("/sign-in/", {"username": "nurse", "password": "wrong"})
    assert AuditEntry.objects.filter(action="failed_sign_in", object_id="nurse").count() == 5
    response = client.post("/sign-in/", {"username": "nurse",
                                         "password": "a long enough password"})
    assert response.status_code == 429
    assert "This account is locked" in response.content.decode()
    assert not AuditEntry.objects.filter(action="sign_in", actor="nurse").exists()


def test_sign_out_is_a_post_with_a_csrf_token(nurse: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(nurse)
    assert client.post("/sign-out/").status_code == 403  # no token: refused


def _session(client: Client) -> Any:
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_idle_for_30_minutes_has_ended(nurse: Any) -> None:
    client = Client()
    client.force_login(nurse)
    assert client.get("/work/").status_code != 302
    session = _session(client)
    assert session.expire_date - timezone.now() > dt.timedelta(minutes=29)
    session.expire_date = timezone.now() - dt.timedelta(seconds=1)  # 30 idle minutes later
    session.save()
    assert client.get("/work/")["Location"] == "/sign-in/?next=/work/"


def test_activity_renews_the_session_at_most_once_a_minute(nurse: Any) -> None:
    client = Client()
    client.force_login(nurse)
    client.get("/work/")
    first = _session(client).expire_date
    client.get("/work/")
    assert _session(client).expire_date == first  # within the minute: no write
    session = client.session
    session["_joinedup_seen"] = int(session["_joinedup_seen"]) - 61
    session.save()
    stale = _session(client)
    stale.expire_date = first - dt.timedelta(minutes=5)
    stale.save()
    client.get("/work/")
    assert _session(client).expire_date > first - dt.timedelta(minutes=5)


def test_the_error_page_never_fails_itself() -> None:
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/work/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with joinedup" in response.content.decode()
