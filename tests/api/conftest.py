"""Agencies with API keys, and a client that speaks to /api/v1/ as their systems do."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.web.conftest import demo_involvement, signed_in, web_case  # noqa: F401

API = "/api/v1"

PEOPLE = [
    {"person_id": "P1", "given_name": "Jade", "family_name": "Walker",
     "date_of_birth": "2003-03-14", "sex": "F", "nhs_number": "9434765919",
     "postcode": "SK1 3XE"},
    {"person_id": "P2", "given_name": "Baby", "family_name": "Walker",
     "date_of_birth": "2024-11-02", "sex": "F"},
]
EVENTS = [
    {"event_id": "E1", "person_id": "P2", "event_type": "HV_VISIT",
     "occurred_at": "2025-01-10", "recorded_at": "2025-01-12", "summary": "New birth visit"},
    {"event_id": "E2", "person_id": "P2", "event_type": "HV_VIST",
     "occurred_at": "2025-02-10", "recorded_at": "2025-02-12", "summary": "Typo in the type"},
]
RETURN = {"people": PEOPLE, "events": EVENTS,
          "relationships": [{"person_id": "P1", "related_person_id": "P2",
                             "relationship": "MOTHER_OF"}]}
"""A canonical return as JSON: 4 good rows, 1 event kept back (HV_VIST)."""


def error_of(response: Any) -> dict[str, Any]:
    """The error of a refusal, after checking it has the one documented shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "Traceback" not in response.content.decode()
    return body["error"]  # type: ignore[no-any-return]


@pytest.fixture
def agencies(db: None) -> dict[str, Any]:
    from joinedup.agencies.registry import register_agency

    return {
        "HV": register_agency("HV", "Health Visiting", "HEALTH_VISITING", "E08000007")[0],
        "CSC": register_agency("CSC", "Children's Social Care", "CHILDRENS_SOCIAL_CARE",
                               "E08000007")[0],
    }


@pytest.fixture
def make_key(agencies: dict[str, Any]) -> Callable[..., str]:
    """``make_key("HV", "submit")``: a new API key (the key itself)."""
    from joinedup.api import credentials

    def make(agency: str = "HV", scope: str = "submit", name: str = "Case system") -> str:
        return credentials.create(agency, scope, name, by="steward").key

    return make


@pytest.fixture
def hv_key(make_key: Callable[..., str]) -> str:
    return make_key("HV", "submit", "SystmOne nightly return")


@pytest.fixture
def api() -> Client:
    return Client()


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post_json(client: Client, key: str, document: Any, *, idempotency: str | None = None,
              query: str = "") -> Any:
    headers = bearer(key)
    if idempotency is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = idempotency
    body = document if isinstance(document, bytes | str) else json.dumps(document)
    return client.post(f"{API}/submissions{query}", data=body,
                       content_type="application/json", **headers)
