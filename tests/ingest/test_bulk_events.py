"""The DuckDB bulk lane for events.csv agrees exactly with the row-at-a-time checks."""

from __future__ import annotations

import csv
import datetime as dt
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.chronology.models import Event
from joinedup.ingest.bulk_events import BulkEvents
from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.canonical import CsvReturnReader
from joinedup.ingest.loading import _bulk_lane, load_return
from joinedup.ingest.models import QuarantinedRow
from joinedup.ingest.staging import StageWriter
from joinedup.ingest.validation import RowChecker
from tests.helpers import EVENT, PERSON, write_return

pytestmark = pytest.mark.postgres

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
GOOD_SEEN: list[int] = []
HEADER = ["event_id", "person_id", "event_type", "occurred_at", "recorded_at", "summary",
          "related_person_id", "details", "worker_role"]

VARIED = [
    {**EVENT, "event_id": "A1"},
    {**EVENT, "event_id": "A2", "occurred_at": "2025-07-01T23:30:00",
     "recorded_at": "2025-07-02T00:10:00"},                       # summer time, across midnight
    {**EVENT, "event_id": "A3", "occurred_at": "14/03/2025", "recorded_at": "20/03/2025"},
    {**EVENT, "event_id": "A4", "event_type": "da_incident", "related_person_id": "P2",
     "details": json.dumps({"dash_score": 15, "victim": "P1"})},
    {**EVENT, "event_id": "A5", "summary": "Café visit, “quotes”, 2 children", "worker_role": "HV"},
    {**EVENT, "event_id": "A6", "occurred_at": "2024-10-27", "recorded_at": "2024-10-27"},
    {**EVENT, "event_id": "A7", "related_person_id": "NOBODY"},     # warning, from the merge
]


@pytest.fixture
def two_people() -> list[dict[str, str]]:
    return [PERSON, {**PERSON, "person_id": "P2", "given_name": "Dan", "family_name": "Crane"}]


@pytest.mark.django_db
def test_a_simple_events_file_takes_the_bulk_lane(tmp_path: Path) -> None:
    folder = write_return(tmp_path / "r", events=VARIED)
    assert _bulk_lane(CsvReturnReader(folder), NOW) is not None


@pytest.mark.django_db
def test_the_same_events_as_csv_then_json_are_unchanged(agency, tmp_path: Path,
                                                        two_people) -> None:
    csv_return = write_return(tmp_path / "csv", people=two_people, events=VARIED)
    first = load_return(csv_return, "HV")
    assert first.tables["events"].new == len(VARIED)
    json_return = tmp_path / "same.json"
    json_return.write_text(json.dumps({"people": two_people, "events": VARIED}))
    second = load_return(json_return, "HV")
    assert second.tables["events"].unchanged == len(VARIED)
    assert second.tables["events"].corrected == 0
    assert Event.objects.count() == len(VARIED)
    summer = Event.objects.get(source_id="A2")
    assert summer.occurred_on == dt.date(2025, 7, 1) and summer.recorded_on == dt.date(2025, 7, 2)
    assert Event.objects.get(source_id="A4").details == {"dash_score": 15, "victim": "P1"}
    assert Event.objects.get(source_id="A5").extra == {"worker_role": "HV"}
    assert Event.objects.get(source_id="A7").related_person is None


@pytest.mark.django_db
def test_odd_rows_get_the_same_messages_as_the_python_lane(agency, tmp_path: Path) -> None:
    rows = [EVENT, {**EVENT, "event_id": "B2", "event_type": "HV_VIST"},
            {**EVENT, "event_id": "B3", "occurred_at": "31/02/2025"},
            {**EVENT, "event_id": " B4 "},
            {**EVENT, "event_id": "B5", "details": "[1, 2]"},
            {**EVENT, "event_id": "B6", "summary": 'a NUL\x00, a "quote", \\ and \u2028'},
            {**EVENT, "event_id": "B7", "summary": "\x00" * 3, "event_type": "NOPE"}]
    folder = write_return(tmp_path / "bulk", people=[PERSON], events=rows)
    assert _bulk_lane(CsvReturnReader(folder), NOW) is not None
    bulk = load_return(folder, "HV", dry_run=True)
    json_return = tmp_path / "same.json"
    json_return.write_text(json.dumps({"people": [PERSON], "events": rows}))
    python = load_return(json_return, "HV", dry_run=True)

    def shape(result):  # type: ignore[no-untyped-def]
        return sorted((p.severity, p.row_number, p.column, p.message, str(p.raw_value))
                      for p in result.problems)

    # JSON rows count from 1, CSV rows from 2 (the header is row 1)
    assert [(s, r - 1, c, m, v) for s, r, c, m, v in shape(bulk)] == shape(python)
    assert bulk.tables["events"].new == python.tables["events"].new == 3


@pytest.mark.django_db
def test_a_cell_over_several_lines_falls_back_and_keeps_row_numbers(agency,
                                                                    tmp_path: Path) -> None:
    rows = [{**EVENT, "summary": "line one\nline two"},
            {**EVENT, "event_id": "C2", "event_type": "NOPE"}]
    folder = write_return(tmp_path / "r", people=[PERSON], events=rows)
    assert _bulk_lane(CsvReturnReader(folder), NOW) is None
    load_return(folder, "HV")
    assert QuarantinedRow.objects.get().row_number == 3


cells = st.one_of(
    st.sampled_from(["", "E1", "P1", "HV_VISIT", "hv_visit", "NOPE", "2025-01-10",
                     "2025-01-10T09:30:00", "10/01/2025", "2025-13-01", "31/02/2025",
                     "2099-01-01", "1899-12-31", "2025-03-30T01:30:00", "2024-10-27T01:30:00",
                     '{"a": 1}', "[]", "{bad", " P1", "P1 ", "x" * 101, "Zoë\u00a0", "="]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"),
            max_size=12),
)


plausible = st.fixed_dictionaries({
    "event_id": st.sampled_from(["E1", "E2", "e-3", "E1 "]),
    "person_id": st.sampled_from(["P1", "P2"]),
    "event_type": st.sampled_from(["HV_VISIT", "hv_visit", "Da_Incident", "NOPE"]),
    "occurred_at": st.dates(dt.date(1899, 12, 25), dt.date(2027, 1, 5)).map(str),
    "recorded_at": st.one_of(
        st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
        st.datetimes(dt.datetime(2024, 1, 1), dt.datetime(2026, 12, 31)).map(
            lambda d: d.strftime("%Y-%m-%dT%H:%M:%S"))),
    "summary": cells, "related_person_id": st.sampled_from(["", "P2", "GHOST"]),
    "details": st.sampled_from(["", '{"b": 2, "a": [1, "é"]}', "{}", "null", '"x"']),
    "worker_role": st.sampled_from(["", "HV", "x,y"]),
})


@settings(max_examples=40, deadline=None, derandomize=True,  # the same examples every run
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(plausible, st.fixed_dictionaries({c: cells for c in HEADER})),
                min_size=1, max_size=12))
@pytest.mark.sqlite_only  # compares staged values as SQLite takes them; the CSV-then-JSON
@pytest.mark.django_db     # test above checks the same agreement on PostgreSQL
def test_every_row_the_bulk_lane_passes_is_identical_in_the_python_lane(rows) -> None:
    """Over random rows: a row the bulk lane passes gives no problem and the same values,
    and a row it does not pass reaches the Python checks with the file's values."""
    checker = RowChecker(NOW)
    writer = StageWriter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            out = csv.DictWriter(handle, fieldnames=HEADER)
            out.writeheader()
            out.writerows(rows)
        bulk = BulkEvents(path, NOW)
        if not bulk.fits():
            return
        for good, item in bulk.rows():
            number = item[0] if good else item.row_number
            raw = rows[number - 2]
            source = SourceRow("events", number, {k: v for k, v in raw.items()
                                                  if k != "worker_role"}, "events.csv",
                               {"worker_role": raw["worker_role"]} if raw["worker_role"] else {})
            if not good:  # handed to the Python checks exactly as the file has it
                assert (item.values, item.extra) == (source.values, source.extra)
                continue
            GOOD_SEEN.append(1)
            checked = checker.check(source)
            assert checked.problems == []
            assert checked.clean is not None
            assert tuple(writer._tuple(checked.clean, "events.csv")) == tuple(item)


@pytest.mark.sqlite_only
def test_the_property_test_saw_plainly_good_rows() -> None:
    # runs after the property test in file order: it must have compared real good rows
    assert len(GOOD_SEEN) >= 20


@pytest.mark.django_db
def test_row_numbers_stay_right_in_a_large_file(agency, tmp_path: Path) -> None:
    rows = [{**EVENT, "event_id": f"R{i}"} for i in range(40_000)]
    rows[25_000]["event_type"] = "NOPE"
    rows[39_999]["occurred_at"] = "2025-02-30"
    folder = write_return(tmp_path / "r", people=[PERSON], events=rows)
    assert _bulk_lane(CsvReturnReader(folder), NOW) is not None
    load_return(folder, "HV")
    bad = {(q.row_number, q.raw["event_id"]) for q in QuarantinedRow.objects.all()}
    assert bad == {(25_002, "R25000"), (40_001, "R39999")}
    assert Event.objects.count() == 39_998


@pytest.mark.django_db
def test_the_bulk_lane_can_be_switched_off(monkeypatch, tmp_path: Path) -> None:
    folder = write_return(tmp_path / "r", events=VARIED)
    monkeypatch.setenv("JOINEDUP_BULK_LANE", "0")
    assert _bulk_lane(CsvReturnReader(folder), NOW) is None


@pytest.mark.django_db
def test_a_vertical_tab_around_a_value_is_stripped_as_in_the_python_lane(agency,
                                                                           tmp_path: Path) -> None:
    # RE2's \s has no vertical tab, but Python's strip() removes it: such a row must not
    # count as plainly good, or the bulk lane would store the id with the tab
    rows = [{**EVENT, "event_id": "V1\x0b"}]
    folder = write_return(tmp_path / "r", people=[PERSON], events=rows)
    assert _bulk_lane(CsvReturnReader(folder), NOW) is not None
    load_return(folder, "HV")
    assert Event.objects.get().source_id == "V1"
