"""Loads on SQLite skip per-row foreign-key checks, and every reference still holds
(docs/decisions/0007)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from joinedup.ingest import merge
from joinedup.ingest.loading import load_return
from tests.helpers import EVENT, PERSON, write_return

# the load's own transaction, not one around the test (where the pragma cannot change)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def _foreign_keys_on() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        return bool(cursor.fetchone()[0])


def _broken_references() -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_key_check")
        return list(cursor.fetchall())


def _return(folder: Path, summary: str) -> Path:
    people = [PERSON, {**PERSON, "person_id": "P2", "given_name": "Kai"},
              {**PERSON, "person_id": "", "family_name": ""}]
    events = [
        {**EVENT, "summary": summary},
        {**EVENT, "event_id": "E2", "person_id": "P2", "related_person_id": "P1",
         "event_type": "DA_INCIDENT", "details": json.dumps({"dash_score": 12})},
        {**EVENT, "event_id": "E3", "person_id": "NOBODY"},
        {**EVENT, "event_id": "E4", "related_person_id": "NOBODY"},
        {**EVENT, "event_id": "E2"},
        {**EVENT, "event_id": "E5", "occurred_at": "31/02/2025"},
    ]
    relationships = [{"person_id": "P1", "related_person_id": "P2", "relationship": "PARENT"},
                     {"person_id": "P1", "related_person_id": "NOBODY",
                      "relationship": "PARENT"}]
    return write_return(folder, people=people, events=events, relationships=relationships)


@pytest.mark.sqlite_only
def test_every_reference_a_load_writes_holds(agency: Any, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL checks every foreign key as rows are written")
    seen: list[bool] = []
    merge_events = merge.merge_events

    def watched(*args: Any, **kwargs: Any) -> merge.MergeCounts:
        seen.append(_foreign_keys_on())
        return merge_events(*args, **kwargs)

    monkeypatch.setattr(merge, "merge_events", watched)
    first = load_return(_return(tmp_path / "first", "Visit at home"), "HV")
    second = load_return(_return(tmp_path / "second", "Visit at home, corrected"), "HV")
    load_return(_return(tmp_path / "dry", "Visit again"), "HV", dry_run=True)
    assert first.rows_quarantined and first.warnings  # refused rows and warnings written too
    assert second.tables["events"].corrected == 1
    assert seen == [False, False, False]  # the loads ran without per-row checks ...
    assert _broken_references() == []  # ... and every reference holds
    assert _foreign_keys_on()  # switched back on for whatever the connection does next
