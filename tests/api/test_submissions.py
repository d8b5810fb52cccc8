"""An agency's system sends returns and reads what happened to them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import API, RETURN, bearer, error_of, post_json
from tests.helpers import EVENT, PERSON
from tests.ingest.formats.ssd_folder import write_ssd

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def upload(client: Client, key: str, name: str, content: bytes, *, query: str = "",
           **headers: str) -> Any:
    handle = io.BytesIO(content)
    handle.name = name
    return client.post(f"{API}/submissions{query}", data={"file": handle},
                       **bearer(key), **headers)


def csv_text(rows: list[dict[str, str]]) -> bytes:
    columns = list(rows[0])
    lines = [",".join(columns)] + [",".join(r.get(c, "") for c in columns) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def test_a_json_return_is_loaded_counted_and_audited(api: Client, hv_key: str) -> None:
    from joinedup.access.models import AuditEntry
    from joinedup.agencies.models import Submission
    from joinedup.chronology.models import Event

    response = post_json(api, hv_key, RETURN)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "loaded_with_quarantine"
    assert body["agency"] == "HV" and body["format"] == "json"
    assert body["counts"] == {"rows_read": 5, "rows_loaded": 4, "rows_unchanged": 0,
                              "rows_quarantined": 1, "warnings": 0}
    assert body["tables"]["events"]["quarantined"] == 1
    assert response["Location"] == body["links"]["status"] == f"{API}/submissions/{body['id']}"
    assert Event.objects.count() == 1
    submission = Submission.objects.get()
    assert submission.received_by.startswith("API key ") and "SystmOne" in submission.received_by
    entry = AuditEntry.objects.filter(action="change", object_type="submission").get()
    assert entry.object_id == str(body["id"])
    assert entry.actor == submission.received_by
    assert entry.details["credential_name"] == "SystmOne nightly return"

    status = api.get(body["links"]["status"], **bearer(hv_key))
    assert status.status_code == 200
    assert status.json() == body


def test_the_same_return_again_changes_nothing(api: Client, hv_key: str) -> None:
    from joinedup.agencies.models import Submission

    first = post_json(api, hv_key, RETURN).json()
    again = post_json(api, hv_key, RETURN)
    assert again.status_code == 200
    assert again.json()["status"] == "already_received"
    assert again.json()["id"] == first["id"]
    assert Submission.objects.count() == 1


def test_quarantined_rows_are_listed_with_reasons_and_raw_values(api: Client,
                                                                  hv_key: str) -> None:
    body = post_json(api, hv_key, RETURN).json()
    listed = api.get(body["links"]["quarantine"], **bearer(hv_key))
    assert listed.status_code == 200
    rows = listed.json()
    assert rows["submission"] == body["id"] and rows["total"] == 1
    (row,) = rows["items"]
    assert (row["table"], row["row"], row["column"]) == ("events", 2, "event_type")
    assert "'HV_VIST' is not an event type" in row["reason"]
    assert row["raw"]["event_type"] == "HV_VIST" and row["raw"]["event_id"] == "E2"
    assert row["problems"][0]["severity"] == "error"


def test_files_are_uploaded_as_csv_xlsx_zip_and_cin_xml(api: Client, make_key: Callable[..., str],
                                                        shared_samples: Path) -> None:
    import openpyxl

    hv = make_key("HV")
    people = upload(api, hv, "people.csv", csv_text([PERSON]))
    assert people.status_code == 201, people.content
    assert people.json()["format"] == "csv" and people.json()["counts"]["rows_loaded"] == 1

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "events"
    sheet.append(list(EVENT))
    sheet.append(list(EVENT.values()))
    saved = io.BytesIO()
    book.save(saved)
    workbook = upload(api, hv, "events.xlsx", saved.getvalue())
    assert workbook.status_code == 201, workbook.content
    assert workbook.json()["format"] == "xlsx"
    assert workbook.json()["counts"]["rows_loaded"] == 1

    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("march/people.csv", csv_text([{**PERSON, "person_id": "P9"}]))
        archive.writestr("march/events.csv", csv_text([{**EVENT, "event_id": "E9",
                                                        "person_id": "P9"}]))
        archive.writestr("__MACOSX/march/._people.csv", b"resource fork")
    folder = upload(api, hv, "march.zip", zipped.getvalue())
    assert folder.status_code == 201, folder.content
    assert folder.json()["counts"]["rows_loaded"] == 2
    assert folder.json()["file_name"] == "march"

    csc = make_key("CSC")
    xml = (shared_samples / "cin-census" / "CIN_Census_2021.xml").read_bytes()
    census = upload(api, csc, "census", xml)  # no telling name: recognised by its content
    assert census.status_code == 201, census.content
    assert census.json()["format"] == "cin-census"
    assert census.json()["counts"]["rows_loaded"] > 0


def test_an_ssda903_return_is_sent_as_a_zip(api: Client, make_key: Callable[..., str],
                                            shared_samples: Path) -> None:
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("header.csv", "episodes.csv"):
            archive.write(shared_samples / "ssda903" / name, name.upper())
    response = upload(api, make_key("CSC"), "ssda903-2025.zip", zipped.getvalue(),
                      query="?format=ssda903")
    assert response.status_code == 201, response.content
    assert response.json()["format"] == "ssda903"
    assert response.json()["counts"]["rows_loaded"] > 100


@pytest.mark.parametrize(("content_type", "body", "code", "words"), [
    ("application/json", b"[1, 2]", "unreadable_return", "must be an object"),
    ("application/json", b'{"people": [', "unreadable_return", "not valid JSON"),
    ("application/json", b'{"persons": []}', "unreadable_return", "unexpected key"),
    ("application/json", b"", "invalid_request", "body is empty"),
    ("text/csv", b"person_id\nP1\n", "unsupported_media_type", "multipart/form-data"),
])
def test_a_body_that_is_not_a_return_is_refused_and_stores_nothing(
        api: Client, hv_key: str, content_type: str, body: bytes, code: str,
        words: str) -> None:
    from joinedup.agencies.models import Submission

    response = api.post(f"{API}/submissions", data=body, content_type=content_type,
                        **bearer(hv_key))
    error = error_of(response)
    assert error["code"] == code and words in error["message"]
    assert response.status_code in (400, 415, 422)
    assert Submission.objects.count() == 0


@pytest.mark.parametrize("body", [
    b'{"people": [{"person_id": "P\\ud800", "family_name": "Walker"}]}',
    b'{"people": [{"person_id": "P1", "family_name": "Walker\\u0000"}]}',
    b'{"people": [{"person_id": "P1", "family_name": "Walker", "note\\udc00": "x"}]}',
])
def test_characters_no_text_can_hold_are_refused_not_a_crash(api: Client, hv_key: str,
                                                            body: bytes) -> None:
    from joinedup.agencies.models import Submission

    response = api.post(f"{API}/submissions", data=body, content_type="application/json",
                        **bearer(hv_key))
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "unreadable_return" and "line 1: the escape" in error["message"]
    nul = upload(api, hv_key, "people.csv", b"person_id,family_name\nP1,Wal\x00ker\n")
    assert nul.status_code == 422 and "line 2: the file holds a NUL" in error_of(nul)["message"]
    assert Submission.objects.count() == 0
    emoji = b'{"people": [{"person_id": "P1", "family_name": "Walker \\ud83d\\ude00", ' \
            b'"note": "a backslash then u0000: \\\\u0000"}]}'
    accepted = api.post(f"{API}/submissions", data=emoji, content_type="application/json",
                        **bearer(hv_key))
    assert accepted.status_code == 201, accepted.content


def test_uploads_that_cannot_be_returns_are_refused(api: Client, hv_key: str) -> None:
    from joinedup.agencies.models import Submission

    no_file = api.post(f"{API}/submissions", data={"other": "x"}, **bearer(hv_key))
    assert error_of(no_file)["code"] == "invalid_request"
    assert "field named 'file'" in error_of(no_file)["message"]
    text = api.post(f"{API}/submissions", data={"file": "people.csv"}, **bearer(hv_key))
    assert "holds text, not a file" in error_of(text)["message"]
    unknown = upload(api, hv_key, "notes.bin", b"just some text")
    assert error_of(unknown)["code"] == "unreadable_return"
    assert "cannot tell the format" in error_of(unknown)["message"]
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("people.csv", csv_text([PERSON]))
        archive.writestr("../../etc/cron.d/evil", b"* * * * * root sh")
    sneaky = upload(api, hv_key, "return.zip", zipped.getvalue())
    assert sneaky.status_code == 422
    assert "a path outside the zip's folder" in error_of(sneaky)["message"]
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("people.csv", csv_text([PERSON]))
        archive.writestr("run-me.exe", b"MZ")
    other = upload(api, hv_key, "return.zip", zipped.getvalue())
    assert "holds only CSV tables" in error_of(other)["message"]
    bad_format = upload(api, hv_key, "people.csv", csv_text([PERSON]), query="?format=pdf")
    assert bad_format.status_code == 422
    assert error_of(bad_format)["code"] == "validation_error"
    assert error_of(bad_format)["details"][0]["field"] == "query.format"
    assert Submission.objects.count() == 0


def test_submissions_are_listed_for_the_own_agency_only(api: Client,
                                                       make_key: Callable[..., str]) -> None:
    hv, csc = make_key("HV"), make_key("CSC")
    hv_reader = make_key("HV", "read", "Dashboard")
    mine = post_json(api, hv, RETURN).json()
    theirs = post_json(api, csc, {"people": [PERSON]}).json()
    listed = api.get(f"{API}/submissions", **bearer(hv_reader)).json()
    assert [s["id"] for s in listed["items"]] == [mine["id"]] and listed["total"] == 1
    for address in (f"{API}/submissions/{theirs['id']}",
                    f"{API}/submissions/{theirs['id']}/quarantine"):
        hidden = api.get(address, **bearer(hv_reader))
        assert hidden.status_code == 404
        nowhere = api.get(address.replace(str(theirs["id"]), "999999"), **bearer(hv_reader))
        assert error_of(hidden)["code"] == error_of(nowhere)["code"] == "not_found"
        said = error_of(hidden)["message"].replace(str(theirs["id"]), "N")
        assert said == error_of(nowhere)["message"].replace("999999", "N")
    assert api.get(f"{API}/submissions/{mine['id']}", **bearer(hv)).status_code == 200


def test_reads_are_audited_naming_the_key(api: Client, hv_key: str) -> None:
    from joinedup.access.models import AuditEntry

    body = post_json(api, hv_key, RETURN).json()
    api.get(body["links"]["quarantine"], **bearer(hv_key))
    entry = AuditEntry.objects.filter(action="view_page").latest("id")
    assert entry.object_type == "submission" and entry.object_id == str(body["id"])
    assert entry.actor.startswith("API key ") and entry.details["agency"] == "HV"
    assert entry.details["quarantine"] is True


ENGINE_WORDS = ("parser error", "binder error", "catalog error", "permission error",
                "duckdb", "sqlite", "psycopg", "syntax error", "traceback")


@pytest.mark.parametrize("lane", ["1", "0"])
def test_an_events_header_written_as_sql_is_refused_and_runs_nothing(
        api: Client, hv_key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        lane: str) -> None:
    """The injection of issue 14 (finding 1), sent as an agency's system would send it, in
    DuckDB's lane and in Python's: refused naming the column; no file written."""
    from joinedup.agencies.models import Submission

    monkeypatch.setenv("JOINEDUP_BULK_LANE", lane)
    outside = tmp_path / "written-by-a-payload.csv"
    hostile = (f"zz': 'VARCHAR'}}); COPY (SELECT 42 AS x) TO '{outside}'; "
               f"SELECT * FROM read_text('/etc/hostname'); SELECT * FROM read_csv('x', "
               f"columns = {{'a")
    header = ",".join([*EVENT, '"' + hostile.replace('"', '""') + '"'])
    row = ",".join([*EVENT.values(), "x"])
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("people.csv", csv_text([PERSON]))
        archive.writestr("events.csv", f"{header}\n{row}\n".encode())
    response = upload(api, hv_key, "return.zip", zipped.getvalue())
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "unreadable_return"
    assert "events.csv, column 7 (G) of the header" in error["message"]
    assert "letters a to z" in error["message"]
    assert not any(word in error["message"].lower() for word in ENGINE_WORDS), error
    assert not outside.exists()
    assert Submission.objects.count() == 0


def test_a_json_key_written_as_sql_is_refused(api: Client, hv_key: str) -> None:
    from joinedup.agencies.models import Submission

    response = post_json(api, hv_key, {"people": [PERSON], "events": [
        {**EVENT, "x\"); DROP TABLE chronology_event; --": "1"}]})
    assert response.status_code == 422
    error = error_of(response)
    assert "events entry 1, key 7" in error["message"], error
    assert not any(word in error["message"].lower() for word in ENGINE_WORDS), error
    assert Submission.objects.count() == 0


def test_values_written_as_sql_are_stored_and_answered_as_plain_text(api: Client,
                                                                     hv_key: str) -> None:
    from joinedup.chronology.models import Event

    values = ["'); COPY (SELECT 42) TO '/tmp/x'; --",
              "' || (SELECT content FROM read_text('/etc/hostname')) || '",
              "\\'; {\"a\": 1} -- ｆｕｌｌ Вizit"]
    events = [{**EVENT, "event_id": f"E{i}", "summary": v, "note": v, "details": {v: v}}
              for i, v in enumerate(values)]
    response = post_json(api, hv_key, {"people": [PERSON], "events": events})
    assert response.status_code == 201, response.content
    stored = {e.source_id: e for e in Event.objects.all()}
    for i, value in enumerate(values):
        event = stored[f"E{i}"]
        assert (event.summary, event.extra, event.details) == (value, {"note": value},
                                                               {value: value})
    hostname = Path("/etc/hostname")
    if hostname.is_file() and (host := hostname.read_text().strip()):
        assert host not in response.content.decode()


@pytest.mark.parametrize("query", ["?format=ssd", ""])
def test_an_ssd_extract_is_sent_as_a_zip(api: Client, make_key: Callable[..., str],
                                         tmp_path: Path, query: str) -> None:
    folder = write_ssd(tmp_path / "extract")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in sorted(folder.glob("*.csv")):
            archive.write(table, table.name)
    response = upload(api, make_key("CSC"), "ssd-extract.zip", zipped.getvalue(), query=query)
    assert response.status_code == 201, response.content
    assert response.json()["format"] == "ssd"
    assert response.json()["counts"]["rows_loaded"] > 20
