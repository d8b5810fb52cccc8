"""Every refusal and failure comes out in the one documented shape, with no stack trace."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import API, bearer, error_of
from tests.helpers import REPO

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_validation_errors_name_the_field(api: Client, hv_key: str) -> None:
    response = api.get(f"{API}/submissions?limit=0&offset=-1", **bearer(hv_key))
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert {d["field"] for d in error["details"]} == {"query.limit", "query.offset"}
    assert "query.limit" in error["message"]
    not_a_number = api.get(f"{API}/submissions/first", **bearer(hv_key))
    assert not_a_number.status_code == 422
    assert error_of(not_a_number)["details"][0]["field"] == "path.submission_id"


def test_unknown_addresses_and_methods_are_refused_in_the_shape(api: Client,
                                                                hv_key: str) -> None:
    unknown = api.get(f"{API}/returns", **bearer(hv_key))
    assert unknown.status_code == 404 and error_of(unknown)["code"] == "not_found"
    posted = api.post(f"{API}/returns", data="{}", content_type="application/json")
    assert posted.status_code == 404  # not a CSRF page
    wrong = api.delete(f"{API}/submissions/1", **bearer(hv_key))
    assert wrong.status_code == 405
    assert error_of(wrong)["code"] == "method_not_allowed" and wrong["Allow"] == "GET"


def test_a_failure_inside_is_a_500_in_the_shape_without_a_trace(
        api: Client, hv_key: str, settings: Any) -> None:
    settings.JOINEDUP_API_RATE_PER_MINUTE = "plenty"
    response = api.get(f"{API}/submissions", **bearer(hv_key))
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "internal_error"
    assert "JOINEDUP_API_RATE_PER_MINUTE must be a whole number" in error["message"]


def test_every_error_code_is_documented() -> None:
    from joinedup.api.errors import CODES

    guide = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    missing = [code for code, (status, _) in CODES.items()
               if f"`{code}`" not in guide or str(status) not in guide]
    assert missing == []


def test_the_index_points_at_the_schema(api: Client) -> None:
    index = api.get(f"{API}/")
    assert index.status_code == 200
    assert index.json()["openapi"].endswith("/api/v1/openapi.json")


def test_something_asked_for_that_does_not_exist_is_a_404_not_a_400(rf: Any) -> None:
    """A NotFoundError from the domain (an id that names nothing) is answered 404
    ``not_found`` with its own message, like an unknown address; other refusals stay 400."""
    from joinedup.api.v1 import api
    from joinedup.errors import ActionError, NotFoundError

    request = rf.get(f"{API}/submissions")
    response = api.on_exception(request, NotFoundError("There is no meeting 99."))
    assert response.status_code == 404
    assert json.loads(response.content) == {"error": {
        "code": "not_found", "message": "There is no meeting 99.", "details": []}}
    refused = api.on_exception(request, ActionError("The request was withdrawn."))
    assert refused.status_code == 400
    assert json.loads(refused.content)["error"]["code"] == "invalid_request"


def test_a_refusal_with_a_next_step_names_it_by_its_stable_name(rf: Any) -> None:
    """The API adds the next step's stable name, never the command a person would type."""
    from joinedup.api.v1 import api
    from joinedup.errors import AgencyError, NextStep

    request = rf.get(f"{API}/submissions")
    response = api.on_exception(request, AgencyError(
        "There is no agency with code 'XX'.", next_step=NextStep.REGISTER_AGENCY(agency="XX")))
    assert response.status_code == 400
    assert json.loads(response.content) == {"error": {
        "code": "invalid_request", "message": "There is no agency with code 'XX'.",
        "details": [], "next_step": "register_agency"}}
