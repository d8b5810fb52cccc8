"""The SSD folder reader: a small synthetic extract, table by table, and refused folders."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from joinedup.errors import UnreadableFileError
from joinedup.ingest.formats import detect_format, open_reader
from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.ssd import SsdReader
from tests.ingest.formats.ssd_folder import BABY, CHILD, MOTHER, TABLES, write_ssd

pytestmark = pytest.mark.postgres


def read(folder: Path) -> list[SourceRow]:
    return list(SsdReader(folder).rows())


@pytest.fixture
def rows(tmp_path: Path) -> list[SourceRow]:
    return read(write_ssd(tmp_path / "ssd"))


def people(rows: list[SourceRow]) -> dict[str, SourceRow]:
    return {r.values["person_id"]: r for r in rows if r.table == "people"}


def events(rows: list[SourceRow], code: str, person: str = CHILD) -> list[SourceRow]:
    return [r for r in rows if r.table == "events" and r.values["event_type"] == code
            and r.values["person_id"] == person]


def one(rows: list[SourceRow], code: str, person: str = CHILD) -> SourceRow:
    found = events(rows, code, person)
    assert len(found) == 1, (code, person, found)
    return found[0]


def tables(**changes: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    out = copy.deepcopy(TABLES)
    out.update(changes)
    return out


# -- people and relationships -----------------------------------------------------------------

def test_a_folder_with_ssd_person_is_read_as_ssd(tmp_path: Path) -> None:
    folder = write_ssd(tmp_path / "ssd")
    assert detect_format(folder) == "ssd"
    assert open_reader(folder).format_name == "ssd"


def test_people_get_identifiers_address_and_care_history(rows: list[SourceRow]) -> None:
    found = people(rows)
    assert set(found) == {CHILD, BABY, MOTHER}
    child = found[CHILD].values
    # the NHS number from ssd_linked_identifiers, the current (open) address from ssd_address
    assert child["nhs_number"] == "9434765870"
    assert (child["postcode"], child["uprn"]) == ("SK13XE", "100012345678")
    assert child["address"] == "7, New Street, Anytown"
    assert child["date_of_birth"] == "2015-06-15"
    assert found[CHILD].extra["upn"] == "A123456789012"
    assert found[CHILD].extra["family_ids"] == ["F1"]
    assert found[CHILD].extra["pers_ethnicity"] == "WBRI"  # unmapped fields kept
    # the consistent identifier on ssd_person itself; sex from pers_gender when pers_sex is empty
    assert found[BABY].values["nhs_number"] == "9434765919"
    assert found[BABY].values["sex"] == "M"
    # a looked-after episode in ssd_cla_episodes makes the person care experienced
    assert found[MOTHER].values["flags"] == "CARE_EXPERIENCED"
    assert found[CHILD].values["flags"] == ""
    assert not any(r.problems for r in found.values())


def test_names_are_read_where_the_extract_has_them(tmp_path: Path,
                                                  rows: list[SourceRow]) -> None:
    assert people(rows)[CHILD].values["family_name"] == "Unknown"  # no names in the extract
    named = [{**TABLES["ssd_person"][0], "pers_forename": "Testa", "pers_surname": "Example"}]
    found = people(read(write_ssd(tmp_path / "named", tables(ssd_person=named))))
    assert (found[CHILD].values["given_name"], found[CHILD].values["family_name"]) == (
        "Testa", "Example")


def test_ssd_mother_becomes_mother_of_from_the_birth(rows: list[SourceRow]) -> None:
    [rel] = [r for r in rows if r.table == "relationships"]
    assert (rel.values["person_id"], rel.values["relationship"],
            rel.values["related_person_id"], rel.values["valid_from"]) == (
        MOTHER, "MOTHER_OF", BABY, "2024-02-01")


# -- events, table by table -------------------------------------------------------------------

@pytest.mark.parametrize(("code", "date"), [
    ("CONTACT", "2025-01-06"),
    ("EH_EPISODE_START", "2024-03-01"), ("EH_EPISODE_END", "2024-09-30"),
    ("REFERRAL", "2025-01-08"),
    ("STEP_DOWN", "2025-06-30"),  # closure reason RC9: closed after assessment, to early help
    ("ASSESSMENT_START", "2025-01-09"), ("ASSESSMENT_COMPLETE", "2025-02-20"),
    ("STRATEGY_DISCUSSION", "2025-01-10"), ("S47_START", "2025-01-10"),
    ("ICPC", "2025-01-30"),
    ("CP_PLAN_START", "2025-01-30"), ("CP_REVIEW", "2025-04-28"), ("CP_PLAN_END", "2025-05-30"),
    ("CIN_PLAN_START", "2025-05-30"),
])
def test_each_table_gives_its_events_on_their_dates(rows: list[SourceRow], code: str,
                                                    date: str) -> None:
    event = one(rows, code)
    assert event.values["occurred_at"] == date
    # no recording date in the SSD: the event date, so no lateness is invented
    assert event.values["recorded_at"] == date
    assert event.values["details"]["recorded_at_from"] == "event date"
    assert not event.problems


def test_a_review_conference_says_whether_the_plan_continues(rows: list[SourceRow]) -> None:
    review = one(rows, "CP_REVIEW")
    assert review.values["summary"] == "Child protection review conference: the plan ends"
    assert review.values["details"]["plan_continues"] is False


def test_no_cin_plan_end_when_the_plan_is_open(rows: list[SourceRow]) -> None:
    assert events(rows, "CIN_PLAN_END") == []


def test_care_episodes_start_and_end_a_period_of_care(rows: list[SourceRow]) -> None:
    start = one(rows, "LAC_EPISODE_START", MOTHER)
    end = one(rows, "LAC_EPISODE_END", MOTHER)
    assert (start.values["occurred_at"], end.values["occurred_at"]) == (
        "2022-04-01", "2024-03-20")
    assert start.values["details"]["starts_period_of_care"] is True
    assert end.values["details"]["ends_period_of_care"] is True


def test_event_ids_come_from_the_ssd_row_ids(rows: list[SourceRow]) -> None:
    assert one(rows, "CP_PLAN_START").values["event_id"] == "cp-plan/CP1/cp-plan-start"
    assert one(rows, "CONTACT").values["event_id"] == "contact/C1/contact"
    ids = [r.values["event_id"] for r in rows if r.table == "events"]
    assert len(ids) == len(set(ids))


def test_a_family_members_contact_is_read_by_the_family_concern_rule(
        rows: list[SourceRow]) -> None:
    # cont_contact_source_code 1A (family member, relative or carer): the word the rule reads
    assert one(rows, "CONTACT").values["details"]["source"] == "relative"
    assert one(rows, "REFERRAL").values["details"]["source"] == "school"


def test_a_source_description_alone_is_read_in_words(tmp_path: Path) -> None:
    contact = {**TABLES["ssd_contacts"][0], "cont_contact_source_code": "",
               "cont_contact_source_desc": "Grandparent (maternal)"}
    found = read(write_ssd(tmp_path / "ssd", tables(ssd_contacts=[contact])))
    assert one(found, "CONTACT").values["details"]["source"] == "grandparent"


def test_contact_outcome_in_words(rows: list[SourceRow]) -> None:
    details = one(rows, "CONTACT").values["details"]
    assert details["outcome"] == "new referral"
    assert details["outcome_flags"] == {"NEW_REFERRAL_FLAG": "Y", "NFA_FLAG": "N"}


def test_assessment_factors_become_the_concerns_cumulative_risk_counts(
        rows: list[SourceRow]) -> None:
    complete = one(rows, "ASSESSMENT_COMPLETE")
    assert complete.values["details"]["factors"] == ["3A", "4A"]
    # 4A, the child's mental health: a concern on the child, dated when authorised
    concern = one(rows, "MENTAL_HEALTH_CONCERN", CHILD)
    assert concern.values["occurred_at"] == "2025-02-20"
    # domestic violence (3A) is a concern found at assessment: no incident is invented
    assert events(rows, "DA_INCIDENT", CHILD) == []
    abuse = one(rows, "DOMESTIC_ABUSE_CONCERN", CHILD)
    assert abuse.values["occurred_at"] == "2025-02-20"
    # 2B and 4B on the baby's assessment are about the parent: the baby's mother (ssd_mother)
    # carries them, so CUMULATIVE_PARENTAL_RISK sees two categories across the baby's carers;
    # 1B was answered "No" and gives nothing
    substance = one(rows, "SUBSTANCE_MISUSE_CONCERN", MOTHER)
    mental = one(rows, "MENTAL_HEALTH_CONCERN", MOTHER)
    assert substance.values["related_person_id"] == BABY
    assert substance.values["details"]["factors"] == ["2B"]
    assert mental.values["occurred_at"] == "2025-03-20"
    assert events(rows, "SUBSTANCE_MISUSE_CONCERN", BABY) == []


def test_carer_factors_without_a_known_mother_stay_on_the_assessment(tmp_path: Path) -> None:
    found = read(write_ssd(tmp_path / "ssd", tables(ssd_mother=[])))
    assert one(found, "ASSESSMENT_COMPLETE", BABY).values["details"]["factors"] == ["2B", "4B"]
    assert events(found, "MENTAL_HEALTH_CONCERN", MOTHER) == []
    assert events(found, "MENTAL_HEALTH_CONCERN", BABY) == []


def test_the_allocated_worker_comes_with_each_event(rows: list[SourceRow]) -> None:
    plan = one(rows, "CP_PLAN_START").extra
    assert plan["worker_name"] == "Sam Example"
    assert plan["worker_role"] == "Allocated Case Worker"
    assert plan["lead_professional"] == "yes"
    # before the involvement started, nobody is named
    assert "worker_name" not in one(rows, "EH_EPISODE_START").extra


# -- problems ---------------------------------------------------------------------------------

def test_bad_rows_name_table_row_and_field(tmp_path: Path) -> None:
    good = TABLES["ssd_contacts"][0]
    bad = [good, {**good, "cont_contact_id": "C2", "cont_person_id": ""},
           {**good, "cont_contact_id": "C3", "cont_contact_date": "31/02/2025"}]
    found = read(write_ssd(tmp_path / "ssd", tables(ssd_contacts=bad)))
    contacts = {r.values["event_id"]: r for r in found if r.table == "events"
                and r.values["event_type"] == "CONTACT"}
    assert not contacts["contact/C1/contact"].problems
    no_child = contacts["contact/C2/contact"].problems
    assert [(p.location, p.row_number, p.column) for p in no_child] == [
        ("ssd_contacts.csv", 3, "cont_person_id")]
    bad_date = contacts["contact/C3/contact"].problems[0]
    assert (bad_date.location, bad_date.row_number, bad_date.column) == (
        "ssd_contacts.csv", 4, "cont_contact_date")
    assert "31/02/2025" in bad_date.describe() and "YYYY-MM-DD" in bad_date.fix


def test_an_unknown_factor_code_is_a_warning_on_the_assessment(tmp_path: Path) -> None:
    factors = [{**TABLES["ssd_assessment_factors"][0],
                "cinf_assessment_factors_json": '["4A", "ZZ9"]'}]
    found = read(write_ssd(tmp_path / "ssd", tables(ssd_assessment_factors=factors)))
    complete = one(found, "ASSESSMENT_COMPLETE")
    assert complete.values["details"]["factors"] == ["4A"]
    [problem] = complete.problems
    assert (problem.severity, problem.location, problem.column) == (
        "warning", "ssd_assessment_factors.csv", "cinf_assessment_factors_json")
    assert "ZZ9" in problem.message


def test_a_folder_without_ssd_person_is_refused(tmp_path: Path) -> None:
    folder = write_ssd(tmp_path / "ssd", {"ssd_contacts": TABLES["ssd_contacts"]})
    with pytest.raises(UnreadableFileError, match="no ssd_person.csv"):
        read(folder)


def test_a_table_without_its_person_field_is_refused(tmp_path: Path) -> None:
    renamed = [{("child" if k == "cont_person_id" else k): v
                for k, v in TABLES["ssd_contacts"][0].items()}]
    folder = write_ssd(tmp_path / "ssd", tables(ssd_contacts=renamed))
    with pytest.raises(UnreadableFileError, match="ssd_contacts.csv .*cont_person_id"):
        read(folder)


def test_a_file_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ssd_person.csv"
    path.write_text("pers_person_id\nP1\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="folder"):
        open_reader(path, "ssd")


def test_progress_reaches_the_end(tmp_path: Path) -> None:
    reader = SsdReader(write_ssd(tmp_path / "ssd"))
    list(reader.rows())
    assert reader.bytes_done() == reader.total_bytes > 0
