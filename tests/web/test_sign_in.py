"""Signing in and out, lockout, deny by default, security headers and the audit of each."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

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


def test_sessions_end_after_idle_minutes(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
