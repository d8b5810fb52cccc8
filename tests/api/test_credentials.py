"""Every endpoint refuses a missing, malformed, unknown, expired, revoked or wrong-scope
key, in the one error shape; a key is stored only as a hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import API, RETURN, bearer, error_of, post_json

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

KEY_ENDPOINTS = [
    ("post", "/submissions"),
    ("get", "/submissions"),
    ("get", "/submissions/1"),
    ("get", "/submissions/1/quarantine"),
]
USER_ENDPOINTS = ["/alerts", "/children/1/chronology"]


def call(client: Client, method: str, path: str, **headers: str) -> Any:
    if method == "post":
        return client.post(f"{API}{path}", data=json.dumps(RETURN),
                           content_type="application/json", **headers)
    return client.get(f"{API}{path}", **headers)


def expire(key: str) -> None:
    from joinedup.api.models import ApiCredential

    ApiCredential.objects.filter(prefix=key.split("_")[1]).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1))


def revoke(key: str) -> None:
    from joinedup.api import credentials
    from joinedup.api.models import ApiCredential

    credentials.revoke(ApiCredential.objects.get(prefix=key.split("_")[1]).pk, by="steward")


@pytest.mark.parametrize(("method", "path"), KEY_ENDPOINTS)
def test_every_key_endpoint_refuses_bad_keys(api: Client, make_key: Callable[..., str],
                                             method: str, path: str) -> None:
    from joinedup.agencies.models import Submission

    good = make_key("HV", "submit")
    unknown = "jup_0123456789ab_" + "A" * 43
    expired, revoked = make_key("HV", "submit"), make_key("HV", "submit")
    expire(expired)
    revoke(revoked)
    cases: list[tuple[dict[str, str], int, str]] = [
        ({}, 401, "missing_credentials"),
        ({"HTTP_AUTHORIZATION": f"Basic {good}"}, 401, "malformed_credentials"),
        ({"HTTP_AUTHORIZATION": "Bearer not-a-key"}, 401, "malformed_credentials"),
        ({"HTTP_AUTHORIZATION": f"Bearer {good[:-1]}"}, 401, "malformed_credentials"),
        (bearer(unknown), 401, "unknown_credentials"),
        (bearer(good[:-1] + ("B" if good[-1] != "B" else "C")), 401, "unknown_credentials"),
        (bearer(expired), 401, "expired_credentials"),
        (bearer(revoked), 401, "revoked_credentials"),
    ]
    for headers, status, code in cases:
        response = call(api, method, path, **headers)
        assert response.status_code == status, (headers, response.content)
        assert error_of(response)["code"] == code
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert Submission.objects.count() == 0


def test_a_read_key_cannot_submit(api: Client, make_key: Callable[..., str]) -> None:
    from joinedup.agencies.models import Submission

    reader = make_key("HV", "read", "Dashboard")
    response = post_json(api, reader, RETURN)
    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "wrong_scope" and "read scope" in error["message"]
    assert Submission.objects.count() == 0
    assert api.get(f"{API}/submissions", **bearer(reader)).status_code == 200


@pytest.mark.parametrize("path", USER_ENDPOINTS)
def test_no_key_reads_alerts_or_chronologies(api: Client, make_key: Callable[..., str],
                                             path: str) -> None:
    for scope in ("submit", "read"):
        response = api.get(f"{API}{path}", **bearer(make_key("HV", scope)))
        assert response.status_code == 403
        assert error_of(response)["code"] == "wrong_scope"
    nobody = api.get(f"{API}{path}")
    assert nobody.status_code == 401 and error_of(nobody)["code"] == "not_signed_in"
    expired = make_key("HV")
    expire(expired)
    assert error_of(api.get(f"{API}{path}", **bearer(expired)))["code"] == \
        "expired_credentials"


def test_a_key_is_stored_only_as_its_hash_and_its_use_is_noted(
        api: Client, make_key: Callable[..., str]) -> None:
    from joinedup.access.models import AuditEntry
    from joinedup.api.models import ApiCredential

    key = make_key("HV", "submit", "Mosaic")
    stored = ApiCredential.objects.get()
    assert stored.secret_hash == hashlib.sha256(key.encode()).hexdigest()
    columns = [str(value) for value in vars(stored).values()]
    assert not any(key in value or key[17:] in value for value in columns)
    made = AuditEntry.objects.filter(action="permission_change",
                                     object_type="api_credential").get()
    assert key not in json.dumps(made.details) and made.details["scope"] == "submit"
    assert stored.last_used_at is None
    api.get(f"{API}/submissions", **bearer(key))
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_a_key_revoked_between_requests_is_refused_at_once(
        api: Client, make_key: Callable[..., str]) -> None:
    key = make_key("HV")
    assert api.get(f"{API}/submissions", **bearer(key)).status_code == 200
    revoke(key)
    refused = api.get(f"{API}/submissions", **bearer(key))
    assert refused.status_code == 401 and error_of(refused)["code"] == "revoked_credentials"
