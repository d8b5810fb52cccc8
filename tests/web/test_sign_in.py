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
    from joinedup.agencies.registry import register_agency

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
    assert response["Location"] == "/"  # then the page of the user's roles (web/urls.py home)
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


@pytest.fixture
def colleague(nurse: Any) -> Any:
    from joinedup.access.users import add_user

    return add_user("colleague", "HV", ["practitioner"], password="another long password")[0]


def _sign_in(client: Client, username: str, password: str) -> int:
    return client.post("/sign-in/", {"username": username, "password": password}).status_code


def test_one_address_trying_many_user_names_is_locked_out(nurse: Any) -> None:
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    for name in ("ann", "bea", "cal", "dee", "eli"):
        _sign_in(guesser, name, "wrong")
    assert _sign_in(guesser, "nurse", "a long enough password") == 429
    # the nurse herself, at her own desk, is not locked out by someone else's guessing
    assert _sign_in(Client(REMOTE_ADDR="198.51.100.20"), "nurse",
                    "a long enough password") == 302


def test_one_user_name_tried_from_many_addresses_is_locked_out(nurse: Any) -> None:
    for last in range(1, 6):
        _sign_in(Client(REMOTE_ADDR=f"203.0.113.{last}"), "nurse", "wrong")
    response = Client(REMOTE_ADDR="198.51.100.20").post(
        "/sign-in/", {"username": "nurse", "password": "a long enough password"})
    assert response.status_code == 429
    assert "This account is locked" in response.content.decode()


def test_signing_in_to_your_own_account_does_not_wipe_your_guesses_at_a_colleagues(
        nurse: Any, colleague: Any) -> None:
    desk = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(4):
        _sign_in(desk, "colleague", "a guess")
    assert _sign_in(desk, "nurse", "a long enough password") == 302
    desk.post("/sign-out/")
    _sign_in(desk, "colleague", "a fifth guess")
    assert _sign_in(Client(REMOTE_ADDR="198.51.100.20"), "colleague",
                    "another long password") == 429


def test_behind_a_reverse_proxy_the_clients_own_address_is_counted(
        nurse: Any, settings: Any) -> None:
    settings.JOINEDUP_PROXY_COUNT = 1  # every request arrives from the proxy, 127.0.0.1
    guesser = Client(REMOTE_ADDR="127.0.0.1",
                     HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7")  # the first is made up
    for name in ("ann", "bea", "cal", "dee", "eli"):
        _sign_in(guesser, name, "wrong")
    assert _sign_in(guesser, "nurse", "a long enough password") == 429
    elsewhere = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert _sign_in(elsewhere, "nurse", "a long enough password") == 302
    signed_in = AuditEntry.objects.get(action="sign_in", actor="nurse")
    assert signed_in.details["from"] == "198.51.100.20"
    failed = AuditEntry.objects.filter(action="failed_sign_in", object_id="ann").get()
    assert failed.details["from"] == "203.0.113.7"


def _signed_in_hours_ago(client: Client, hours: float) -> None:
    import time

    from joinedup.web.middleware import SIGNED_IN_AT

    session = client.session
    session[SIGNED_IN_AT] = int(time.time() - hours * 3600)
    session.save()


def test_a_session_ends_12_hours_after_signing_in_however_active(nurse: Any) -> None:
    client = Client()
    assert _sign_in(client, "nurse", "a long enough password") == 302
    assert client.get("/work/").status_code == 200
    _signed_in_hours_ago(client, 11.9)  # busy all day, never idle
    assert client.get("/work/").status_code == 200
    _signed_in_hours_ago(client, 12)
    response = client.get("/work/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/work/"
    assert client.get("/children/").status_code == 302  # signed out, not only sent away
    signed_out = AuditEntry.objects.filter(action="sign_out", actor="nurse").get()
    assert signed_out.details["why"] == "the session reached its maximum length"
    assert _sign_in(client, "nurse", "a long enough password") == 302  # a fresh 12 hours
    assert client.get("/work/").status_code == 200


def test_the_session_limit_is_a_setting(nurse: Any, settings: Any) -> None:
    settings.JOINEDUP_SESSION_MAX_SECONDS = 2 * 3600
    client = Client()
    client.force_login(nurse)
    assert client.get("/work/").status_code == 200
    _signed_in_hours_ago(client, 2)
    assert client.get("/work/")["Location"] == "/sign-in/?next=/work/"
