"""A load bigger than the stored events builds the event table's ordinary indexes afresh
on SQLite, and leaves them exactly as they were declared (docs/decisions/0009)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from joinedup.chronology.models import Event
from joinedup.ingest import merge
from joinedup.ingest.loading import load_return
from tests.helpers import EVENT, PERSON, write_return

pytestmark = [pytest.mark.django_db(transaction=True, reset_sequences=True), pytest.mark.postgres]

EVENTS = Event._meta.db_table


def _indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                       "AND tbl_name = %s AND sql IS NOT NULL ORDER BY name", [EVENTS])
        return list(cursor.fetchall())


def _return(folder: Path, first: int, count: int, summary: str = "Seen at home") -> Path:
    people = [PERSON, {**PERSON, "person_id": "P2", "given_name": "Kai"}]
    events = [
        {**EVENT, "event_id": f"E{n}", "person_id": "P1" if n % 2 else "P2",
         "related_person_id": "P2" if n % 3 == 0 else "", "summary": summary,
         "occurred_at": f"2025-01-{1 + n % 28:02d}T10:00:00",
         "recorded_at": f"2025-01-{1 + n % 28:02d}T12:00:00"}
        for n in range(first, first + count)
    ]
    return write_return(folder, people=people, events=events)


def _dropped(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the names of the indexes each load sets aside."""
    seen: list[str] = []
    set_aside = merge._set_aside_indexes

    def watched(table: str, adding: int) -> list[str]:
        creates = set_aside(table, adding)
        seen.extend(sql.split('"')[1] for sql in creates)
        return creates

    monkeypatch.setattr(merge, "_set_aside_indexes", watched)
    return seen


@pytest.mark.sqlite_only
def test_a_large_first_load_rebuilds_the_indexes_as_declared(
        agency: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(merge, "REBUILD_FROM", 50)
    declared = _indexes()
    dropped = _dropped(monkeypatch)
    result = load_return(_return(tmp_path / "big", 1, 120), "HV")
    assert result.tables["events"].new == 120
    # the two ordinary indexes were set aside, and are back exactly as declared
    assert sorted(dropped) == sorted(name for name, sql in declared
                                     if not sql.startswith("CREATE UNIQUE"))
    assert len(dropped) == 2
    assert _indexes() == declared
    with connection.cursor() as cursor:  # and hold every event
        cursor.execute("PRAGMA integrity_check")
        assert cursor.fetchall() == [("ok",)]
        subject_index = next(n for n, _ in declared if "subject" in n)
        cursor.execute(f'SELECT COUNT(*) FROM {EVENTS} INDEXED BY "{subject_index}" '
                       "WHERE subject_id > 0")
        assert cursor.fetchone()[0] == 120
    # a chronology still reads through its index
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN SELECT id FROM {EVENTS} WHERE subject_id = 1 "
                       "ORDER BY occurred_at")
        assert subject_index in " ".join(str(row) for row in cursor.fetchall())


@pytest.mark.sqlite_only
def test_smaller_loads_and_dry_runs_keep_the_indexes(
        agency: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(merge, "REBUILD_FROM", 50)
    declared = _indexes()
    dropped = _dropped(monkeypatch)
    load_return(_return(tmp_path / "small", 1, 40), "HV")
    assert dropped == []  # fewer events than the threshold
    load_return(_return(tmp_path / "first", 100, 60), "HV")
    assert len(dropped) == 2  # more than stored: rebuilt
    dropped.clear()
    load_return(_return(tmp_path / "second", 200, 60), "HV")
    assert dropped == []  # fewer than the events already stored: kept in order row by row
    dry = load_return(_return(tmp_path / "dry", 1000, 400), "HV", dry_run=True)
    assert dry.tables["events"].new == 400 and len(dropped) == 2
    assert _indexes() == declared  # the dry run's rollback put the dropped indexes back
    assert Event.objects.count() == 160


@pytest.mark.sqlite_only
def test_a_large_correction_keeps_every_version(
        agency: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(merge, "REBUILD_FROM", 50)
    load_return(_return(tmp_path / "first", 1, 60), "HV")
    dropped = _dropped(monkeypatch)
    again = load_return(_return(tmp_path / "corrected", 1, 60, "Seen at clinic"), "HV")
    assert again.tables["events"].corrected == 60 and len(dropped) == 2
    assert Event.objects.filter(is_current=True, summary="Seen at clinic").count() == 60
    assert Event.objects.filter(is_current=False, summary="Seen at home").count() == 60


@pytest.mark.postgres_only
def test_postgresql_keeps_its_indexes(agency: Any, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL side of decision 0009 (run by the PostgreSQL pass)")
    monkeypatch.setattr(merge, "REBUILD_FROM", 50)
    dropped = _dropped(monkeypatch)
    assert load_return(_return(tmp_path / "big", 1, 120), "HV").tables["events"].new == 120
    assert dropped == []  # dropping an index there would lock readers out until the commit
