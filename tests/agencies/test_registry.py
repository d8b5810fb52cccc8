"""Registering agencies, and the move of agencies and submissions into their own app
(decision 0010): a database set up before the move keeps every row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from joinedup.agencies.models import Agency, Submission
from joinedup.agencies.registry import register_agency
from joinedup.errors import AgencyError

pytestmark = pytest.mark.postgres


@pytest.mark.django_db
def test_registering_again_with_the_same_details_changes_nothing() -> None:
    first, created = register_agency("hv", " Health Visiting ", "health_visiting", "e08000007")
    assert created and (first.code, first.name, first.kind, first.area_code) == (
        "HV", "Health Visiting", "HEALTH_VISITING", "E08000007")
    again, created_again = register_agency("HV", "Health Visiting", "HEALTH_VISITING",
                                           "E08000007")
    assert not created_again and again.pk == first.pk
    assert Agency.objects.count() == 1


@pytest.mark.django_db
def test_an_agency_registered_again_with_other_details_is_refused_and_named() -> None:
    register_agency("HV", "Health Visiting", "HEALTH_VISITING", "E08000007")
    with pytest.raises(AgencyError, match="HV is already registered as 'Health Visiting'"):
        register_agency("HV", "Health Visitors", "HEALTH_VISITING", "E08000007")
    assert Agency.objects.get(code="HV").name == "Health Visiting"


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "kind", "area", "said"), [
    ("HV", "NURSERY", "E08000007", "'NURSERY' is not an agency kind"),
    ("H V", "HEALTH_VISITING", "E08000007", "code: An agency code is up to 32 capital"),
    ("HV", "HEALTH_VISITING", "Leeds", "area_code: An area is an ONS GSS code"),
])
def test_wrong_details_are_refused_saying_which(code: str, kind: str, area: str,
                                                 said: str) -> None:
    with pytest.raises(AgencyError, match=said):
        register_agency(code, "Somewhere", kind, area)
    assert not Agency.objects.exists()


BEFORE_THE_MOVE = [
    ("ingest", "0002_domestic_abuse_service_kind"),
    ("agencies", None),
    ("access", "0003_sealed_record_approval"),
    ("api", "0001_initial"),
    ("briefings", "0001_initial"),
    ("chronology", "0003_event_submission_not_indexed"),
    ("information_requests", "0001_initial"),
    ("people", "0004_pseudonymised_marker"),
    ("reviews", "0002_review_closed_on"),
]


@pytest.mark.django_db(transaction=True)
def test_a_database_set_up_before_the_move_keeps_its_agencies_and_submissions() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE_THE_MOVE)
    try:
        with connection.cursor() as cursor:  # the tables as ingest made them
            cursor.execute("INSERT INTO ingest_agency (code, name, kind, area_code, created_at) "
                           "VALUES (%s, %s, %s, %s, CURRENT_TIMESTAMP)",
                           ["GP", "General Practice", "GP", "E08000007"])
            cursor.execute("SELECT id FROM ingest_agency WHERE code = %s", ["GP"])
            agency_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO ingest_submission (agency_id, file_name, sha256, format, "
                "received_at, received_by, rows_read, rows_loaded, rows_unchanged, "
                "rows_quarantined, warnings, counts) VALUES (%s, %s, %s, %s, "
                "CURRENT_TIMESTAMP, %s, 3, 3, 0, 0, 0, %s)",
                [agency_id, "gp-return.csv", "0" * 64, "canonical", "steward", "{}"])
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    agency = Agency.objects.get(code="GP")
    assert (agency.pk, agency.name) == (agency_id, "General Practice")
    submission = Submission.objects.get(agency=agency)
    assert (submission.file_name, submission.rows_loaded) == ("gp-return.csv", 3)
    assert [s.pk for s in agency.submissions.all()] == [submission.pk]
