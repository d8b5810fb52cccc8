"""The embedded Baby S scenario loads through the real pipeline as its documentation says."""

from __future__ import annotations

import pytest

from joinedup.chronology.models import Event
from joinedup.demo.loader import load_scenario
from joinedup.demo.population import load_agencies
from joinedup.ingest.models import QuarantinedRow, RowWarning
from joinedup.people.models import PersonRecord

pytestmark = pytest.mark.django_db


def test_the_scenario_loads_with_exactly_the_planted_problems() -> None:
    results = []
    load_scenario(results.append)
    assert {r.agency for r in results} == {a.code for a in load_agencies()}
    quarantined = QuarantinedRow.objects.get()
    assert (quarantined.submission.agency.code, quarantined.raw["event_type"]) == (
        "HOSPITAL", "A_AND_E")
    warning = RowWarning.objects.exclude(column="given_name").get()
    assert (warning.submission.agency.code, warning.column) == ("AMH", "nhs_number")
    # the mother's adult mental health record still loads, without a valid number: the
    # number is kept as written, for linkage to compare
    amh = PersonRecord.objects.get(agency__code="AMH", source_id="AMH-300781")
    assert (amh.nhs_number, amh.nhs_number_text) == ("", "9994213785")
    # and the babies recorded before they were named load with a warning each
    unnamed = RowWarning.objects.filter(column="given_name")
    assert sorted(w.submission.agency.code for w in unnamed) == [
        "CSC_PREV", "HOSPITAL", "MIDWIFERY"]
    # the father is known to police and probation as a risk, and released on licence
    assert Event.objects.filter(agency__code="PROBATION", event_type="CUSTODY_RELEASE").exists()
    assert Event.objects.filter(agency__code="HOSPITAL", event_type="INJURY").count() >= 2

    again = []
    load_scenario(again.append)
    assert all(r.already_received is not None for r in again)
