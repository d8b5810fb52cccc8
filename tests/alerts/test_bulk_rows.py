"""The snapshot reads its rows in bulk (alerts/bulk_rows.py: COPY on PostgreSQL, JSON arrays
on SQLite): the rules must see exactly what the row-by-row reader gives them, awkward values
included. Run by both passes: on SQLite, and on the PostgreSQL pass's server."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection

from joinedup.agencies.models import Agency
from joinedup.alerts import bulk_rows
from joinedup.alerts.snapshot import Snapshot, from_database
from joinedup.chronology.models import Event
from joinedup.people.models import PersonRecord

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

TABLES = ("event_version", "event", "child", "network", "person_flag", "relation", "birth",
          "calendar", "workday")
AWKWARD_ID = 'HV-1, "quoted"\nsecond line é \x01'


def _contents(snapshot: Snapshot) -> dict[str, list[tuple[Any, ...]]]:
    return {table: sorted(snapshot.con.execute(f"SELECT * FROM {table}").fetchall(),  # noqa: S608 - our table names
                          key=repr) for table in TABLES}


def _both(monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> tuple[dict[str, Any], ...]:
    assert bulk_rows.reads_in_bulk(connection.vendor)
    with from_database(**kwargs) as snapshot:
        in_bulk = _contents(snapshot)
    monkeypatch.setattr(bulk_rows, "BULK_VENDORS", frozenset())  # row by row
    with from_database(**kwargs) as snapshot:
        row_by_row = _contents(snapshot)
    return in_bulk, row_by_row


def test_a_bulk_read_gives_the_same_snapshot_as_reading_row_by_row(
        baby_s: dict[str, Any], db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # Values CSV or JSON could get wrong: a comma, quotes, a line break, an accent and a
    # control character in an identifier; an empty text that is not NULL; a flag list; the
    # NULL of an event with no related person.
    awkward = Event.objects.filter(subject__person_id=baby_s["child"]).order_by("id").first()
    assert awkward is not None
    Event.objects.filter(pk=awkward.pk).update(source_id=AWKWARD_ID,
                                               details={"note": 'a "b",\nc'})
    Agency.objects.filter(pk=awkward.agency_id).update(area_code="")
    PersonRecord.objects.filter(person_id=baby_s["mother"]).update(flags=["DA_VICTIM"])
    monkeypatch.setattr(bulk_rows, "BATCH_ROWS", 1000)  # several batches from SQLite
    in_bulk, row_by_row = _both(monkeypatch)
    for table in TABLES:
        assert in_bulk[table] == row_by_row[table], table
    events = {r[4]: r for r in in_bulk["event_version"]}  # by source_id
    assert events[AWKWARD_ID][3] == ""  # its area: empty, not NULL
    assert json.loads(events[AWKWARD_ID][12]) == {"note": 'a "b",\nc'}
    assert any(r[6] is None for r in in_bulk["event_version"])  # no related person: NULL
    assert (baby_s["mother"], "DA_VICTIM") in in_bulk["person_flag"]
    assert len(in_bulk["event"]) > 1000 and len(in_bulk["child"]) > 100


def test_one_childs_snapshot_is_the_same_too(baby_s: dict[str, Any], db: None,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    in_bulk, row_by_row = _both(monkeypatch, child_ids=[baby_s["child"]])
    assert in_bulk == row_by_row
    assert [c for c, _dob in in_bulk["child"]] == [baby_s["child"]]


def test_reading_ahead_keeps_every_batch_in_order_and_passes_on_a_failure() -> None:
    # The SQLite read fetches the next batch in a thread while DuckDB takes in the last one.
    batches = iter([[1, 2], [3], [4, 5, 6]])
    assert list(bulk_rows.read_ahead(lambda: next(batches, None))) == [[1, 2], [3], [4, 5, 6]]

    def failing() -> list[int] | None:
        raise OSError("disk I/O error")

    with pytest.raises(OSError, match="disk I/O error"):
        list(bulk_rows.read_ahead(failing))


def test_a_snapshot_that_stops_early_leaves_no_reading_thread_behind() -> None:
    import threading
    from contextlib import closing

    endless = iter(range(10**9))
    with closing(bulk_rows.read_ahead(lambda: next(endless))) as batches:
        assert next(batches) == 0
    assert not [t for t in threading.enumerate() if t.name == "snapshot-read-ahead"]
