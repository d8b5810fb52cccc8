"""Loading an SSD extract: people, events and relationships stored; bad rows quarantined with
the table, row and field; the same extract sent twice changes nothing."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from joinedup.chronology.models import Event
from joinedup.ingest.loading import load_return
from joinedup.ingest.models import QuarantinedRow
from joinedup.people.models import PersonRecord, RelationshipRecord
from tests.ingest.formats.ssd_folder import BABY, CHILD, MOTHER, TABLES, write_ssd

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

EVENTS = 22
"""Events in the synthetic extract (tests/ingest/formats/test_ssd.py checks them one by one)."""


@pytest.fixture
def csc(db: None) -> Any:
    from joinedup.agencies.registry import register_agency

    return register_agency("CSC", "Children's Social Care", "CHILDRENS_SOCIAL_CARE",
                           "E08000007")[0]


def current(code: str, person: str = CHILD) -> Event:
    return Event.objects.get(event_type=code, subject__source_id=person, is_current=True)


def test_an_extract_loads_people_events_and_relationships(csc: Any, tmp_path: Path) -> None:
    result = load_return(write_ssd(tmp_path / "ssd"), "CSC")
    assert result.format == "ssd"
    assert result.rows_quarantined == 0
    assert set(PersonRecord.objects.values_list("source_id", flat=True)) == {
        CHILD, BABY, MOTHER}
    child = PersonRecord.objects.get(source_id=CHILD)
    assert (child.nhs_number, child.postcode) == ("9434765870", "SK1 3XE")
    assert PersonRecord.objects.get(source_id=MOTHER).flags == ["CARE_EXPERIENCED"]
    mother_of = RelationshipRecord.objects.get()
    assert (mother_of.person.source_id, mother_of.relationship, mother_of.related_person.source_id,
            mother_of.valid_from) == (MOTHER, "MOTHER_OF", BABY, dt.date(2024, 2, 1))
    plan = current("CP_PLAN_START")
    assert plan.occurred_on == dt.date(2025, 1, 30) and plan.recorded_on == plan.occurred_on
    assert plan.extra["worker_name"] == "Sam Example"
    assert current("CONTACT").details["source"] == "relative"
    concern = current("MENTAL_HEALTH_CONCERN", MOTHER)
    assert concern.related_person.source_id == BABY
    assert Event.objects.count() == EVENTS


def test_the_same_extract_twice_changes_nothing(csc: Any, tmp_path: Path) -> None:
    first = load_return(write_ssd(tmp_path / "ssd"), "CSC")
    again = load_return(write_ssd(tmp_path / "ssd"), "CSC")
    assert again.already_received == first.submission_id
    # the next day's extract with the same rows and a table joinedup does not read
    next_day = write_ssd(tmp_path / "next-day")
    (next_day / "ssd_department.csv").write_text("dept_team_id\nT1\n", encoding="utf-8")
    third = load_return(next_day, "CSC")
    assert third.already_received is None
    assert third.rows_loaded == 0
    assert third.tables["events"].unchanged == Event.objects.count() == EVENTS


def test_an_updated_extract_corrects_the_event(csc: Any, tmp_path: Path) -> None:
    load_return(write_ssd(tmp_path / "ssd"), "CSC")
    tables = copy.deepcopy(TABLES)
    tables["ssd_cin_plans"][0]["cinp_cin_plan_end"] = "2025-08-01"
    tables["ssd_cp_plans"][0]["cppl_cp_plan_start_date"] = "2025-01-31"
    result = load_return(write_ssd(tmp_path / "later", tables), "CSC")
    # the plan's start and its end (which cites the start date); the CIN plan's end is new
    assert result.tables["events"].corrected == 2 and result.tables["events"].new == 1
    assert current("CP_PLAN_START").occurred_on == dt.date(2025, 1, 31)
    assert current("CIN_PLAN_END").occurred_on == dt.date(2025, 8, 1)


def test_bad_rows_go_to_quarantine_naming_table_row_and_field(csc: Any,
                                                              tmp_path: Path) -> None:
    tables = copy.deepcopy(TABLES)
    plan = tables["ssd_cp_plans"][0]
    tables["ssd_cp_plans"].append({**plan, "cppl_cp_plan_id": "CP2",
                                   "cppl_cp_plan_start_date": "2025-13-40",
                                   "cppl_cp_plan_end_date": ""})
    tables["ssd_cin_plans"].append({**tables["ssd_cin_plans"][0], "cinp_cin_plan_id": "CIN2",
                                    "cinp_person_id": ""})
    result = load_return(write_ssd(tmp_path / "ssd", tables), "CSC")
    assert result.rows_quarantined == 2
    bad_date = QuarantinedRow.objects.get(location="ssd_cp_plans.csv")
    assert (bad_date.row_number, bad_date.column) == (3, "cppl_cp_plan_start_date")
    assert "2025-13-40" in bad_date.reason
    no_child = QuarantinedRow.objects.get(location="ssd_cin_plans.csv")
    assert (no_child.row_number, no_child.column) == (3, "cinp_person_id")
    assert "Fill in cinp_person_id" in no_child.fix
    # the rest loaded
    assert current("CP_PLAN_START").occurred_on == dt.date(2025, 1, 30)
    assert Event.objects.count() == EVENTS
