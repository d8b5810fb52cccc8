"""On PostgreSQL the snapshot reads its rows by COPY (alerts/snapshot_copy.py): the rules
must see exactly what the row-by-row reader gives them, awkward values included."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from joinedup.agencies.models import Agency
from joinedup.alerts import snapshot_copy
from joinedup.alerts.snapshot import Snapshot, from_database
from joinedup.chronology.models import Event

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.postgres_only]

TABLES = ("event_version", "event", "child", "network", "person_flag", "relation", "birth",
          "calendar", "workday")


def _contents(snapshot: Snapshot) -> dict[str, list[tuple[Any, ...]]]:
    return {table: sorted(snapshot.con.execute(f"SELECT * FROM {table}").fetchall(),  # noqa: S608 - our table names
                          key=repr) for table in TABLES}


def _both(monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> tuple[dict[str, Any], ...]:
    with from_database(**kwargs) as snapshot:
        copied = _contents(snapshot)
    monkeypatch.setattr(snapshot_copy, "BULK_VENDORS", frozenset())  # row by row
    with from_database(**kwargs) as snapshot:
        row_by_row = _contents(snapshot)
    return copied, row_by_row


@pytest.fixture
def postgresql(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's (run by the PostgreSQL pass)")
    assert snapshot_copy.reads_in_bulk(connection.vendor)


def test_copy_gives_the_same_snapshot_as_reading_row_by_row(
        baby_s: dict[str, Any], postgresql: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # Values CSV could get wrong: a comma, quotes and a line break in an identifier, an
    # empty text that is not NULL, and the NULL of an event with no related person.
    awkward = Event.objects.filter(subject__person_id=baby_s["child"]).order_by("id").first()
    assert awkward is not None
    Event.objects.filter(pk=awkward.pk).update(source_id='HV-1, "quoted"\nsecond line')
    Agency.objects.filter(pk=awkward.agency_id).update(area_code="")
    copied, row_by_row = _both(monkeypatch)
    for table in TABLES:
        assert copied[table] == row_by_row[table], table
    events = {r[4]: r for r in copied["event_version"]}  # by source_id
    assert events['HV-1, "quoted"\nsecond line'][3] == ""  # the area: empty, not NULL
    assert any(r[6] is None for r in copied["event_version"])  # no related person: NULL
    assert len(copied["event"]) > 1000 and len(copied["child"]) > 100


def test_one_childs_snapshot_is_the_same_too(baby_s: dict[str, Any], postgresql: None,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    copied, row_by_row = _both(monkeypatch, child_ids=[baby_s["child"]])
    assert copied == row_by_row
    assert [c for c, _dob in copied["child"]] == [baby_s["child"]]
