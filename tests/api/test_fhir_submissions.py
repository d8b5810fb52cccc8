"""An NHS system sends FHIR R4 (UK Core) to the API: a Bundle as application/fhir+json, or
NDJSON as application/fhir+ndjson."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import API, bearer, error_of
from tests.ingest.formats.fhir_bundle import BAD_PATIENT, RESOURCES, bundle

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

FHIR_JSON = "application/fhir+json"


def post(client: Client, key: str, body: Any, content_type: str = FHIR_JSON,
         query: str = "") -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(f"{API}/submissions{query}", data=data, content_type=content_type,
                       **bearer(key))


def test_a_bundle_is_loaded_and_the_same_bundle_again_changes_nothing(
        api: Client, hv_key: str) -> None:
    from joinedup.chronology.models import Event

    response = post(api, hv_key, bundle())
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["format"], body["file_name"]) == ("loaded", "fhir",
                                                                   "return.json")
    assert body["counts"]["rows_loaded"] == 7
    assert sorted(Event.objects.values_list("event_type", flat=True)) == [
        "APPOINTMENT_MISSED", "CPIS_ALERT", "ED_ATTENDANCE", "INJURY"]

    again = post(api, hv_key, bundle())
    assert again.status_code == 200
    assert (again.json()["status"], again.json()["id"]) == ("already_received", body["id"])
    assert Event.objects.count() == 4


def test_a_bad_resource_is_listed_in_quarantine_with_its_element(api: Client,
                                                                 hv_key: str) -> None:
    body = post(api, hv_key, bundle(*RESOURCES, BAD_PATIENT)).json()
    assert body["status"] == "loaded_with_quarantine"
    rows = api.get(body["links"]["quarantine"], **bearer(hv_key)).json()
    (row,) = rows["items"]
    assert (row["table"], row["row"], row["column"]) == ("people", 8, "birthDate")
    assert "entry 8 (Patient/bad-1)" in json.dumps(row)
    assert "birthDate is not a valid FHIR date" in json.dumps(row)


def test_ndjson_and_a_bundle_sent_as_plain_json_with_the_format_named(
        api: Client, hv_key: str) -> None:
    lines = "\n".join(json.dumps(r) for r in RESOURCES[2:4]) + "\n"
    patient = json.dumps(RESOURCES[0])
    sent = post(api, hv_key, patient + "\n" + lines, "application/fhir+ndjson")
    assert sent.status_code == 201, sent.content
    assert (sent.json()["format"], sent.json()["counts"]["rows_loaded"]) == ("fhir", 3)

    plain = post(api, hv_key, bundle(*RESOURCES[4:6]), "application/json", "?format=fhir")
    assert plain.status_code == 201, plain.content
    assert plain.json()["format"] == "fhir"


def test_what_is_not_a_bundle_is_refused_with_a_reason(api: Client, hv_key: str) -> None:
    not_fhir = post(api, hv_key, {"people": []})
    assert not_fhir.status_code == 422
    assert "is not FHIR" in error_of(not_fhir)["message"]

    wrong_format = post(api, hv_key, bundle(), query="?format=csv")
    assert wrong_format.status_code == 400
    assert "FHIR body is a FHIR Bundle, not csv" in error_of(wrong_format)["message"]


def test_an_ndjson_file_uploaded_is_read_as_fhir(api: Client, hv_key: str) -> None:
    import io

    lines = "\n".join(json.dumps(r) for r in RESOURCES[:1] + RESOURCES[2:4]) + "\n"
    handle = io.BytesIO(lines.encode())
    handle.name = "export.ndjson"
    response = api.post(f"{API}/submissions", data={"file": handle}, **bearer(hv_key))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["format"], body["file_name"], body["counts"]["rows_loaded"]) == (
        "fhir", "export.ndjson", 3)
