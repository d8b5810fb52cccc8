"""SSD mappings the Baby S family's extract needed (issue 19): visits to a child in need
(ssd_cin_visits) and an assessment authorised before the child was born."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.ssd import SsdReader
from tests.ingest.formats.ssd_folder import BABY, TABLES, write_ssd

pytestmark = pytest.mark.postgres


def read(folder: Path) -> list[SourceRow]:
    return list(SsdReader(folder).rows())


def test_a_visit_to_a_child_in_need_is_a_home_visit(tmp_path: Path) -> None:
    tables = {**TABLES, "ssd_cin_visits": [
        {"cinv_cin_visit_id": "V1", "cinv_person_id": BABY,
         "cinv_cin_visit_date": "2024-06-13 00:00:00.000", "cinv_cin_visit_seen": "Y",
         "cinv_cin_visit_seen_alone": "N", "cinv_cin_visit_bedroom": ""},
        {"cinv_cin_visit_id": "V2", "cinv_person_id": BABY, "cinv_cin_visit_date": "",
         "cinv_cin_visit_seen": "N", "cinv_cin_visit_seen_alone": "",
         "cinv_cin_visit_bedroom": ""}]}
    found = [r for r in read(write_ssd(tmp_path, tables)) if r.location == "ssd_cin_visits.csv"]
    visit, undated = found
    assert visit.values["event_id"] == "cin-visit/V1/home-visit"
    assert (visit.values["event_type"], visit.values["person_id"],
            visit.values["occurred_at"]) == ("HOME_VISIT", BABY, "2024-06-13")
    assert visit.values["details"]["child_seen"] is True
    assert visit.values["details"]["child_seen_alone"] is False
    assert "bedroom_seen" not in visit.values["details"]
    assert visit.values["summary"] == "Visit to a child in need: child seen"
    assert [p.column for p in undated.problems] == ["cinv_cin_visit_date"]


def assessment_completed(tmp_path: Path, authorised: str) -> SourceRow:
    tables = copy.deepcopy(TABLES)
    tables["ssd_cin_assessments"] = [{
        "cina_assessment_id": "A9", "cina_person_id": BABY, "cina_referral_id": "",
        "cina_assessment_start_date": "2023-11-01", "cina_assessment_auth_date": authorised,
        "cina_assessment_outcome_json": "", "cina_assessment_outcome_nfa": "N",
        "cina_assessment_worker_id": ""}]
    tables["ssd_assessment_factors"] = []
    return next(r for r in read(write_ssd(tmp_path, tables))
                if r.values.get("event_id") == "assessment/A9/assessment-complete")


def test_an_assessment_authorised_before_the_birth_is_a_pre_birth_assessment(
        tmp_path: Path) -> None:
    before = assessment_completed(tmp_path / "before", "2024-01-10")  # born 2024-02-01
    assert before.values["event_type"] == "PRE_BIRTH_ASSESSMENT"
    assert before.values["summary"].startswith("Pre-birth assessment completed")
    after = assessment_completed(tmp_path / "after", "2024-03-10")
    assert after.values["event_type"] == "ASSESSMENT_COMPLETE"
