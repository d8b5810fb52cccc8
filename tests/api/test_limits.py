"""Rate limits per key, size limits per request, and idempotency keys on submissions."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import API, EVENTS, PEOPLE, RETURN, bearer, error_of, post_json

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_a_key_over_its_rate_is_refused_with_retry_after(
        api: Client, make_key: Callable[..., str], settings: Any) -> None:
    settings.JOINEDUP_API_RATE_PER_MINUTE = 3
    busy, other = make_key("HV"), make_key("HV")
    for _ in range(3):
        assert api.get(f"{API}/submissions", **bearer(busy)).status_code == 200
    refused = api.get(f"{API}/submissions", **bearer(busy))
    assert refused.status_code == 429
    error = error_of(refused)
    assert error["code"] == "rate_limited" and "3 requests in the last minute" in error["message"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert post_json(api, busy, RETURN).status_code == 429  # submissions count too
    assert api.get(f"{API}/submissions", **bearer(other)).status_code == 200


def test_the_rate_window_reopens_after_a_minute(make_key: Callable[..., str],
                                                 settings: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from joinedup.api.errors import ApiError
    from joinedup.api.limits import count_request
    from joinedup.api.models import ApiCredential

    settings.JOINEDUP_API_RATE_PER_MINUTE = 2
    make_key("HV")
    key = ApiCredential.objects.get()
    start = timezone.now()
    count_request(key, start)
    count_request(key, start + dt.timedelta(seconds=10))
    with pytest.raises(ApiError) as refused:
        count_request(key, start + dt.timedelta(seconds=50))
    assert refused.value.headers["Retry-After"] == "10"
    count_request(key, start + dt.timedelta(seconds=61))
    key.refresh_from_db()
    assert key.window_requests == 1


def test_a_request_over_the_size_limit_is_refused_and_stores_nothing(
        api: Client, hv_key: str, settings: Any) -> None:
    from joinedup.agencies.models import Submission

    settings.JOINEDUP_API_MAX_BYTES = 1000
    big = {"people": PEOPLE * 20}
    assert len(json.dumps(big)) > 1000
    refused = post_json(api, hv_key, big)
    assert refused.status_code == 413
    error = error_of(refused)
    assert error["code"] == "too_large" and "the 1,000 bytes the API takes" in error["message"]
    handle = io.BytesIO(b"person_id,family_name\n" + b"P1,Walker\n" * 200)
    handle.name = "people.csv"
    uploaded = api.post(f"{API}/submissions", data={"file": handle}, **bearer(hv_key))
    assert uploaded.status_code == 413 and error_of(uploaded)["code"] == "too_large"
    assert Submission.objects.count() == 0


def test_returns_over_djangos_form_limit_are_taken_up_to_the_api_limit(
        api: Client, hv_key: str) -> None:
    """Django keeps at most 5 MB of a request in memory; the API streams to disk instead."""
    from django.conf import settings as django_settings

    bulky = "Visit at home. " * 70_000  # a little over 1 MB of summary per event
    events = [{**EVENTS[0], "event_id": f"E{i}", "summary": bulky} for i in range(6)]
    body = json.dumps({"people": PEOPLE, "events": events})
    assert len(body) > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    sent = post_json(api, hv_key, body)
    assert sent.status_code == 201, sent.content[:500]
    assert sent.json()["counts"]["rows_read"] == 8
    handle = io.BytesIO(("event_id,person_id,event_type,occurred_at,recorded_at,summary\n"
                         + "".join(f"F{i},P2,HV_VISIT,2025-01-10,2025-01-12,{bulky}\n"
                                   for i in range(6))).encode())
    handle.name = "events.csv"
    uploaded = api.post(f"{API}/submissions", data={"file": handle}, **bearer(hv_key))
    assert uploaded.status_code == 201, uploaded.content[:500]
    assert uploaded.json()["counts"]["rows_read"] == 6


def test_a_zip_that_unpacks_to_too_much_is_refused(api: Client, hv_key: str,
                                                   settings: Any) -> None:
    from joinedup.agencies.models import Submission

    settings.JOINEDUP_API_MAX_BYTES = 100_000
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("people.csv", b"person_id,family_name\n" + b"0" * 5_000_000)
    assert len(bomb.getvalue()) < 100_000
    bomb.seek(0)
    bomb.name = "people.zip"
    refused = api.post(f"{API}/submissions", data={"file": bomb}, **bearer(hv_key))
    assert refused.status_code == 413
    assert "unpacked" in error_of(refused)["message"]
    assert Submission.objects.count() == 0


def test_an_idempotency_key_loads_once_and_answers_the_same(api: Client,
                                                            hv_key: str) -> None:
    from joinedup.agencies.models import Submission
    from joinedup.chronology.models import Event

    first = post_json(api, hv_key, RETURN, idempotency="return-2025-03-01")
    assert first.status_code == 201
    retried = post_json(api, hv_key, RETURN, idempotency="return-2025-03-01")
    assert retried.status_code == 201
    assert retried.json() == first.json()
    assert retried["Idempotent-Replayed"] == "true"
    assert Submission.objects.count() == 1 and Event.objects.count() == 1


def test_an_idempotency_key_with_other_content_is_a_conflict(api: Client,
                                                             hv_key: str) -> None:
    from joinedup.agencies.models import Submission

    post_json(api, hv_key, RETURN, idempotency="k-1")
    other = {"people": PEOPLE, "events": EVENTS[:1]}
    conflict = post_json(api, hv_key, other, idempotency="k-1")
    assert conflict.status_code == 409
    error = error_of(conflict)
    assert error["code"] == "idempotency_key_reused" and "different return" in error["message"]
    assert Submission.objects.count() == 1
    assert post_json(api, hv_key, other, idempotency="k-2").status_code == 201


def test_idempotency_keys_belong_to_one_key_and_survive_a_restart(
        api: Client, make_key: Callable[..., str]) -> None:
    from joinedup.agencies.models import Submission
    from joinedup.api.models import IdempotencyKey

    hv, csc = make_key("HV"), make_key("CSC")
    assert post_json(api, hv, RETURN, idempotency="same").status_code == 201
    assert post_json(api, csc, RETURN, idempotency="same").status_code == 201
    assert Submission.objects.count() == 2
    stored = IdempotencyKey.objects.get(credential__agency__code="HV")
    assert stored.status_code == 201 and stored.submission is not None
    # a new process (a fresh client, nothing in memory) gets the stored answer
    again = post_json(Client(), hv, RETURN, idempotency="same")
    assert again["Idempotent-Replayed"] == "true" and again.json() == stored.response


def test_a_refused_submission_does_not_use_up_its_key(api: Client, hv_key: str) -> None:
    refused = post_json(api, hv_key, b'{"people": [', idempotency="fix-and-retry")
    assert refused.status_code == 422
    assert post_json(api, hv_key, RETURN, idempotency="fix-and-retry").status_code == 201


def test_a_malformed_idempotency_key_is_refused(api: Client, hv_key: str) -> None:
    refused = post_json(api, hv_key, RETURN, idempotency="x" * 256)
    assert refused.status_code == 422
    error = error_of(refused)
    assert error["code"] == "validation_error"
    assert error["details"][0]["field"] == "header.Idempotency-Key"
