"""The practitioner an agency sends with an event (worker_name, worker_contact,
lead_professional): kept with the event, and a wrong value loads without that field and
with a warning naming the row, the column and the fix, the same in the bulk lane for a
large events.csv as in every other format."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from joinedup.chronology.models import Event
from joinedup.ingest.formats.canonical import CsvReturnReader
from joinedup.ingest.loading import _bulk_lane, load_return
from tests.helpers import EVENT, PERSON, write_return

pytestmark = pytest.mark.postgres

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
WORKER = {"worker_role": "health visitor", "worker_name": "Priya Example",
          "worker_contact": "0161 496 0000", "lead_professional": ""}
ROWS = [
    {**EVENT, **WORKER, "event_id": "W1", "lead_professional": "Yes"},
    {**EVENT, **WORKER, "event_id": "W2", "lead_professional": "maybe"},
    {**EVENT, **WORKER, "event_id": "W3", "worker_contact": "x" * 201},
    {**EVENT, **WORKER, "event_id": "W4"},
]


def shape(result):  # type: ignore[no-untyped-def]
    return sorted((p.severity, p.row_number, p.column, p.message) for p in result.problems)


@pytest.mark.django_db
def test_worker_fields_are_kept_and_wrong_ones_warned_of_in_both_lanes(agency,
                                                                        tmp_path: Path) -> None:
    folder = write_return(tmp_path / "csv", people=[PERSON], events=ROWS)
    assert _bulk_lane(CsvReturnReader(folder), NOW) is not None
    json_return = tmp_path / "same.json"
    json_return.write_text(json.dumps({"people": [PERSON], "events": ROWS}))
    python = load_return(json_return, "HV", dry_run=True)
    bulk = load_return(folder, "HV")
    # JSON rows count from 1, CSV rows from 2 (the header is row 1)
    assert [(s, r - 1, c, m) for s, r, c, m in shape(bulk)] == shape(python) == [
        ("warning", 2, "lead_professional", "lead_professional 'maybe' is not yes or no"),
        ("warning", 3, "worker_contact", "worker_contact is longer than 200 characters"),
    ]
    fix = next(p.fix for p in bulk.problems if p.column == "lead_professional")
    assert "Write yes" in fix and "loads without it" in fix
    assert bulk.tables["events"].new == 4  # warnings: every row loads
    assert Event.objects.get(source_id="W1").extra == {
        **{k: v for k, v in WORKER.items() if v}, "lead_professional": "Yes"}
    assert "lead_professional" not in Event.objects.get(source_id="W2").extra
    assert Event.objects.get(source_id="W3").extra["worker_name"] == "Priya Example"
    assert "worker_contact" not in Event.objects.get(source_id="W3").extra
    second = load_return(json_return, "HV")
    assert second.tables["events"].unchanged == 4  # the same values and digests as CSV


@pytest.mark.django_db
def test_json_may_say_yes_with_true(agency, tmp_path: Path) -> None:
    from joinedup.ingest.worker_fields import is_lead

    json_return = tmp_path / "lead.json"
    json_return.write_text(json.dumps({"people": [PERSON], "events": [
        {**EVENT, **WORKER, "event_id": "J1", "lead_professional": True},
        {**EVENT, **WORKER, "event_id": "J2", "lead_professional": False}]}))
    result = load_return(json_return, "HV")
    assert result.problems == []
    assert is_lead(Event.objects.get(source_id="J1").extra["lead_professional"])
    assert not is_lead(Event.objects.get(source_id="J2").extra["lead_professional"])
