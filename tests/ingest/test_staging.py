"""Staging tables leave nothing behind on the connection after a load."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from joinedup.ingest import staging
from joinedup.ingest.loading import load_return
from tests.helpers import EVENT, PERSON

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite_only]


def _attached() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        return {row[1] for row in cursor.fetchall()}


def _stage_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name FROM {staging.SQLITE_STAGE_DB}.sqlite_master "
                       "WHERE type = 'table'")
        return [row[0] for row in cursor.fetchall()]


def test_a_load_detaches_its_scratch_database(agency: Any, make_return: Any) -> None:
    for summary in ("Visit at home", "Visit at home, corrected"):
        result = load_return(make_return(people=[PERSON], events=[{**EVENT, "summary": summary}]),
                             "HV")
        assert result.rows_loaded
        assert staging.SQLITE_STAGE_DB not in _attached()


def test_a_load_inside_a_callers_transaction_drops_its_tables(agency: Any,
                                                              make_return: Any) -> None:
    with transaction.atomic():  # as the API loads: SQLite cannot detach in a transaction
        assert load_return(make_return(people=[PERSON], events=[EVENT]), "HV").rows_loaded == 2
    assert _stage_tables() == []  # the scratch database is empty, and ...
    load_return(make_return(people=[PERSON], events=[{**EVENT, "event_id": "E2"}]), "HV")
    assert staging.SQLITE_STAGE_DB not in _attached()  # ... the next load detaches it
