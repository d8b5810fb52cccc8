"""Hostile input: column names and values written to break out into SQL, sent in every
format and both lanes of the canonical CSV return.

A column name that is not a plain name is refused with the file, the column's position,
the rule and the fix, and nothing is stored; a hostile value is stored as the text it is,
or its row is quarantined with a reason. No file is written outside the data folder, no
file is read that was not sent, and no SQL engine's error text reaches the message.
(issue 14, finding 1; the API's side is in tests/api/test_submissions.py.)"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from joinedup.chronology.models import Event
from joinedup.errors import UnreadableFileError
from joinedup.ingest.formats.canonical import CsvReturnReader
from joinedup.ingest.loading import _bulk_lane, load_return
from joinedup.ingest.models import QuarantinedRow
from joinedup.people.models import PersonRecord
from tests.helpers import EVENT, PERSON, write_return

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

EVENT_NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
ENGINE_WORDS = ("parser error", "binder error", "catalog error", "permission error",
                "duckdb", "sqlite", "psycopg", "syntax error", "traceback", "line 1:")
HOSTNAME = Path("/etc/hostname")


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A path outside any data folder that a payload tries to write."""
    return tmp_path_factory.mktemp("outside") / "written-by-a-payload.csv"


def hostile_names(outside: Path) -> dict[str, str]:
    """Header cells trying to break out of DuckDB's read_csv(columns = {...}), out of a
    double-quoted name, or to look like a column they are not."""
    return {
        "classic": f"zz': 'VARCHAR'}}); COPY (SELECT 42 AS x) TO '{outside}'; "
                   f"SELECT * FROM read_csv('x', columns = {{'a",
        "read_a_file": "zz': 'VARCHAR'}); SELECT content FROM read_text('/etc/hostname'); --",
        "double_quote": f'zz"; COPY (SELECT 1) TO \'{outside}\'; --',
        "comment": "zz /* x */ --",
        "semicolon": "zz;",
        "braces": "zz{x}",
        "backslash": "zz\\'",
        "nul": "zz\x00",
        "fullwidth": "ｅvent_note",
        "cyrillic_a": "not\u0430s",
        "newline": "zz\nx",
    }


def hostile_values(outside: Path) -> dict[str, str]:
    """Values that would do harm if they were ever SQL text."""
    return {
        "quote": f"'); COPY (SELECT 42) TO '{outside}'; --",
        "double_quote": '"; DROP TABLE chronology_event; --',
        "read_a_file": "' || (SELECT content FROM read_text('/etc/hostname')) || '",
        "braces": "{'a': 'VARCHAR'}",
        "backslash": "C:\\temp\\' OR 1=1 --",
        "semicolon": "a; b; c",
        "fullwidth": "ｈｏｍｅ ｖｉｓｉｔ",
        "cyrillic": "Вizit аt home",
    }


def stored_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()
            if m._meta.app_label in ("ingest", "people", "chronology")}


def plain_message(text: str) -> None:
    lowered = text.lower()
    for word in ENGINE_WORDS:
        assert word not in lowered, text


def nothing_leaked(outside: Path) -> None:
    assert not outside.exists()
    if HOSTNAME.is_file() and (host := HOSTNAME.read_text().strip()):
        everything = json.dumps([list(Event.objects.values_list("summary", "details", "extra")),
                                 list(QuarantinedRow.objects.values_list("raw", flat=True))],
                                default=str)
        assert host not in everything


def refused_whole(path: Path, *expected: str) -> str:
    before = stored_counts()
    with pytest.raises(UnreadableFileError) as caught:
        load_return(path, "HV")
    assert stored_counts() == before
    message = str(caught.value)
    for text in expected:
        assert text in message, message
    plain_message(message)
    return message


@pytest.fixture(params=["bulk", "python"])
def lane(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both lanes of a canonical events.csv: DuckDB's, and Python's (JOINEDUP_BULK_LANE=0)."""
    monkeypatch.setenv("JOINEDUP_BULK_LANE", "1" if request.param == "bulk" else "0")
    return str(request.param)


NAME_IDS = list(hostile_names(Path("/x")))
VALUE_IDS = list(hostile_values(Path("/x")))


# -- canonical CSV -------------------------------------------------------------------------

@pytest.mark.parametrize("which", NAME_IDS)
def test_a_hostile_csv_column_name_is_refused_in_both_lanes(
        agency: Any, lane: str, outside: Path, tmp_path: Path, which: str) -> None:
    name = hostile_names(outside)[which]
    folder = tmp_path / "r"
    folder.mkdir()
    header = ["event_id", "person_id", "event_type", "occurred_at", "recorded_at", name]
    text = io.StringIO()
    csv.writer(text).writerow(header)
    csv.writer(text).writerow(["E1", "P1", "HV_VISIT", "2025-01-10", "2025-01-12", "x"])
    (folder / "events.csv").write_text(text.getvalue(), encoding="utf-8")
    (folder / "people.csv").write_text("person_id,family_name\nP1,Walker\n", encoding="utf-8")
    if which == "nul" and lane == "python":
        # a NUL in the first line: the Python lane takes the file for UTF-16, and says so
        refused_whole(folder, "events.csv", "UTF-16")
    else:
        refused_whole(folder, "events.csv, column 6 (F) of the header", "letters a to z",
                      "send the file again")
    nothing_leaked(outside)


def test_spaces_and_hyphens_in_a_column_name_count_as_underscores(
        agency: Any, lane: str, tmp_path: Path) -> None:
    folder = write_return(tmp_path / "r", people=[PERSON], events=[
        {**EVENT, " Case Worker ": "Ann", "risk--level - now": "high", "": "not read"}])
    load_return(folder, "HV")
    assert Event.objects.get().extra == {"case_worker": "Ann", "risk_level_now": "high"}


@pytest.mark.parametrize("which", VALUE_IDS)
def test_hostile_csv_values_are_stored_as_written_in_both_lanes(
        agency: Any, lane: str, outside: Path, tmp_path: Path, which: str) -> None:
    value = hostile_values(outside)[which]
    folder = write_return(tmp_path / "r", people=[PERSON], events=[
        {**EVENT, "summary": value, "case_note": value,
         "details": json.dumps({value: value})}])
    if lane == "bulk":
        assert _bulk_lane(CsvReturnReader(folder), EVENT_NOW) is not None
    result = load_return(folder, "HV")
    assert result.rows_quarantined == 0
    event = Event.objects.get()
    assert event.summary == value
    assert event.extra == {"case_note": value}
    assert event.details == {value: value}
    nothing_leaked(outside)


def test_a_nul_in_a_value_costs_only_its_row_with_a_plain_reason(
        agency: Any, lane: str, outside: Path, tmp_path: Path) -> None:
    folder = write_return(tmp_path / "r", people=[PERSON], events=[
        {**EVENT, "summary": "before\x00'); COPY (SELECT 1) TO '" + str(outside) + "'; --"},
        {**EVENT, "event_id": "E2", "summary": "fine"}])
    result = load_return(folder, "HV")
    assert result.rows_loaded == 2 and result.rows_quarantined == 1  # P1 and E2
    row = QuarantinedRow.objects.get()
    assert row.row_number == 2
    plain_message(row.reason)
    assert list(Event.objects.values_list("summary", flat=True)) == ["fine"]
    nothing_leaked(outside)


# -- XLSX ----------------------------------------------------------------------------------

def workbook(path: Path, header: list[Any], row: list[Any]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "events"
    sheet.append(header)
    sheet.append(row)
    people = book.create_sheet("people")
    people.append(["person_id", "family_name"])
    people.append(["P1", "Walker"])
    book.save(path)
    return path


@pytest.mark.parametrize("which", [n for n in NAME_IDS if n not in ("nul",)])
def test_a_hostile_workbook_column_name_is_refused(agency: Any, outside: Path, tmp_path: Path,
                                                   which: str) -> None:
    name = hostile_names(outside)[which]
    path = workbook(tmp_path / "return.xlsx",
                    ["event_id", "person_id", "event_type", "occurred_at", "recorded_at", name],
                    ["E1", "P1", "HV_VISIT", "2025-01-10", "2025-01-12", "x"])
    refused_whole(path, "return.xlsx, sheet events, column 6 (F) of the header",
                  "letters a to z")
    nothing_leaked(outside)


@pytest.mark.parametrize("which", VALUE_IDS)
def test_hostile_workbook_values_are_stored_as_written(agency: Any, outside: Path,
                                                       tmp_path: Path, which: str) -> None:
    value = hostile_values(outside)[which]
    path = workbook(tmp_path / "return.xlsx",
                    ["event_id", "person_id", "event_type", "occurred_at", "recorded_at",
                     "summary", "case_note"],
                    ["E1", "P1", "HV_VISIT", "2025-01-10", "2025-01-12", value, value])
    load_return(path, "HV")
    event = Event.objects.get()
    assert (event.summary, event.extra) == (value, {"case_note": value})
    nothing_leaked(outside)


# -- JSON ----------------------------------------------------------------------------------

@pytest.mark.parametrize("which", NAME_IDS)
def test_a_hostile_json_key_is_refused(agency: Any, outside: Path, tmp_path: Path,
                                       which: str) -> None:
    path = tmp_path / "return.json"
    path.write_text(json.dumps({"people": [PERSON],
                                "events": [EVENT, {**EVENT, hostile_names(outside)[which]: 1}]}))
    refused_whole(path, "return.json, events entry 2, key 7", "letters a to z")
    nothing_leaked(outside)


@pytest.mark.parametrize("which", VALUE_IDS)
def test_hostile_json_values_are_stored_as_written(agency: Any, outside: Path, tmp_path: Path,
                                                   which: str) -> None:
    value = hostile_values(outside)[which]
    path = tmp_path / "return.json"
    path.write_text(json.dumps({"people": [PERSON], "events": [
        {**EVENT, "summary": value, "case_note": value, "details": {value: [value]}}]}))
    load_return(path, "HV")
    event = Event.objects.get()
    assert (event.summary, event.extra, event.details) == (
        value, {"case_note": value}, {value: [value]})
    nothing_leaked(outside)


# -- CIN census XML ------------------------------------------------------------------------

def cin_census(path: Path, child_id: str, source: str, odd_element: str = "Note") -> Path:
    from xml.sax.saxutils import escape

    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<Message><Header><Source><LEA>201</LEA></Source>
<CollectionDetails><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header>
<Children><Child>
  <ChildIdentifiers><LAchildID>{escape(child_id)}</LAchildID>
    <PersonBirthDate>2020-01-01</PersonBirthDate></ChildIdentifiers>
  <CINdetails><CINreferralDate>2024-05-01</CINreferralDate>
    <ReferralSource>{escape(source)}</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>
    <{odd_element}>{escape(source)}</{odd_element}></CINdetails>
</Child></Children></Message>""", encoding="utf-8")
    return path


@pytest.mark.parametrize("which", VALUE_IDS)
def test_hostile_cin_census_values_and_element_names_are_stored_as_written(
        agency: Any, outside: Path, tmp_path: Path, which: str) -> None:
    value = hostile_values(outside)[which]
    # an element name with a Cyrillic 'С' (XML allows it) is kept as the key of a JSON
    # value, never a column, never SQL
    path = cin_census(tmp_path / "census.xml", value, value, odd_element="Сomment")
    load_return(path, "HV")
    person = PersonRecord.objects.get()
    assert person.source_id == value
    referral = Event.objects.filter(event_type="REFERRAL").first()
    if referral is None:  # its event_id (the child's id and more) is too long: refused
        reason = QuarantinedRow.objects.get(table="events").reason
        assert "100" in reason, reason
        plain_message(reason)
    else:
        assert referral.details["referral_source"] == value
        assert referral.details["not_mapped"] == {"Сomment": value}
    nothing_leaked(outside)


# -- SSDA903 -------------------------------------------------------------------------------

def ssda903(folder: Path, header: list[str], row: list[str]) -> Path:
    folder.mkdir()
    with (folder / "header.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow(row)
    return folder


@pytest.mark.parametrize("which", [n for n in NAME_IDS if n not in ("nul",)])
def test_a_hostile_ssda903_column_name_is_refused(agency: Any, outside: Path, tmp_path: Path,
                                                  which: str) -> None:
    folder = ssda903(tmp_path / "903", ["CHILD", "SEX", "DOB", hostile_names(outside)[which]],
                     ["C1", "1", "01/01/2015", "x"])
    refused_whole(folder, "header.csv, column 4 (D) of the header", "letters a to z")
    nothing_leaked(outside)


@pytest.mark.parametrize("which", VALUE_IDS)
def test_hostile_ssda903_values_are_stored_as_written(agency: Any, outside: Path,
                                                      tmp_path: Path, which: str) -> None:
    value = hostile_values(outside)[which]
    folder = ssda903(tmp_path / "903", ["CHILD", "SEX", "DOB", "UPN"],
                     ["C1", "1", "01/01/2015", value])
    load_return(folder, "HV")
    person = PersonRecord.objects.get()
    assert person.extra["UPN"] == value.strip()
    nothing_leaked(outside)


# -- the DuckDB connections themselves -----------------------------------------------------

def locked_connections(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    from joinedup.alerts.snapshot import _connect
    from joinedup.ingest.bulk_events import BulkEvents

    folder = write_return(tmp_path / "r", events=[EVENT])
    yield "bulk lane", BulkEvents(folder / "events.csv", EVENT_NOW).db
    yield "alert snapshot", _connect()
    from joinedup.duckdb_sandbox import locked_connection

    yield "linkage model", locked_connection()


STATEMENTS: list[Callable[[Path], str]] = [
    lambda out: f"COPY (SELECT 42 AS x) TO '{out}'",
    lambda out: "SELECT content FROM read_text('/etc/hostname')",
    lambda out: f"ATTACH '{out}.db' AS other",
    lambda out: "INSTALL httpfs",
    lambda out: "LOAD httpfs",
    lambda out: "SET enable_external_access = true",
    lambda out: "SET lock_configuration = false",
    lambda out: "SELECT * FROM read_csv('https://example.invalid/x.csv')",
]


def test_even_injected_sql_could_not_reach_the_disk_or_network(tmp_path: Path,
                                                               outside: Path) -> None:
    """Defence in depth: were a statement ever injected, the connection refuses it."""
    import duckdb

    for label, con in locked_connections(tmp_path):
        for statement in STATEMENTS:
            sql = statement(outside)
            with pytest.raises(duckdb.Error):
                con.execute(sql)
            assert not outside.exists(), (label, sql)
        con.close()


def test_the_bulk_lane_reads_the_file_it_was_given(tmp_path: Path) -> None:
    from joinedup.ingest.bulk_events import BulkEvents

    folder = write_return(tmp_path / "r", events=[EVENT, {**EVENT, "event_id": "E2"}])
    (folder / "secret.csv").write_text("a\n1\n")
    bulk = BulkEvents(folder / "events.csv", EVENT_NOW)
    assert bulk.fits() and bulk.count == 2
    import duckdb

    with pytest.raises(duckdb.Error):  # a file beside it is as far out of reach as any
        bulk.db.execute("SELECT * FROM read_csv(?)", [str(folder / "secret.csv")])
