"""The FHIR R4 (UK Core) reader: a synthetic Bundle and NDJSON export, as a data steward
would load them, bad resources kept back with the element named, and files that are not
FHIR refused whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from joinedup.errors import UnreadableFileError
from joinedup.ingest.formats import detect_format, open_reader
from joinedup.ingest.formats.base import COLUMNS, SourceRow
from joinedup.ingest.formats.fhir import FhirReader
from tests.ingest.formats.fhir_bundle import (
    AE_VISIT,
    BAD_PATIENT,
    CPIS_FLAG,
    INJURY,
    MISSED,
    MOTHER,
    PATIENT,
    write_bundle,
    write_ndjson,
)

pytestmark = pytest.mark.postgres


def read(path: Path) -> list[SourceRow]:
    return list(FhirReader(path).rows())


def by_id(rows: list[SourceRow], table: str, key: str, value: str) -> SourceRow:
    return next(r for r in rows if r.table == table and r.values.get(key) == value)


def test_the_bundle_becomes_people_relationships_and_events(tmp_path: Path) -> None:
    path = write_bundle(tmp_path)
    reader = FhirReader(path)
    rows = list(reader.rows())
    assert reader.bytes_done() == reader.total_bytes == path.stat().st_size
    assert [(r.table, r.row_number) for r in rows] == [
        ("people", 1), ("people", 2), ("relationships", 2), ("events", 3), ("events", 4),
        ("events", 5), ("events", 6)]  # entry 7, a Practitioner, is not read
    assert all(r.problems == [] for r in rows)

    child = by_id(rows, "people", "person_id", "child-1")
    assert set(child.values) == set(COLUMNS["people"])
    assert child.location == "health.json, entry 1 (Patient/child-1)"
    assert (child.values["given_name"], child.values["family_name"]) == ("Ava", "Testwood")
    assert child.values["other_names"] == "Girl Baby"
    assert (child.values["date_of_birth"], child.values["sex"]) == ("2024-11-02", "F")
    assert child.values["nhs_number"] == "9434765919"
    assert (child.values["postcode"], child.values["address"], child.values["uprn"]) == (
        "SK1 3XE", "14 Elm Street, Stockport", "100023336956")
    assert child.extra["other_addresses"] == ["2 Old Road, Leeds, LS1 1AA (2024-11-02 to "
                                              "2024-12-31)"]
    assert child.extra["nhs_number_verification"] == "Number present and verified"
    assert child.extra["general_practitioner"][0]["identifier"] == "Y12345"
    assert child.extra["fhir_telecom"] == [{"system": "phone", "value": "0161 496 0000"}]

    mother = by_id(rows, "people", "person_id", "RelatedPerson/mum-1")
    assert (mother.values["given_name"], mother.values["date_of_birth"]) == ("Jade",
                                                                             "2003-03-14")
    relationship = next(r for r in rows if r.table == "relationships")
    assert (relationship.values["person_id"], relationship.values["relationship"],
            relationship.values["related_person_id"]) == (
        "RelatedPerson/mum-1", "MOTHER_OF", "child-1")  # the urn:uuid resolved

    events = {r.values["event_id"]: r.values for r in rows if r.table == "events"}
    assert {k: (v["event_type"], v["person_id"]) for k, v in events.items()} == {
        "Encounter/ae-1": ("ED_ATTENDANCE", "child-1"),
        "Encounter/dna-1": ("APPOINTMENT_MISSED", "child-1"),
        "Condition/inj-1": ("INJURY", "child-1"),
        "Flag/cpis-1": ("CPIS_ALERT", "child-1"),
    }
    attendance = events["Encounter/ae-1"]
    assert attendance["occurred_at"] == "2025-02-10T19:30:00+00:00"
    assert attendance["recorded_at"] == "2025-02-10T23:00:00+00:00"
    assert attendance["details"]["recorded_at_from"] == "meta.lastUpdated"
    injury = events["Condition/inj-1"]["details"]
    assert (injury["type"], injury["site"], injury["recorded_at_from"]) == (
        "fracture", "left femur", "recordedDate")
    assert events["Condition/inj-1"]["recorded_at"] == "2025-02-11T08:00:00+00:00"
    assert events["Flag/cpis-1"]["details"]["plan"] == "Child protection plan"
    worker = by_id(rows, "events", "event_id", "Encounter/ae-1").extra
    assert (worker["worker_name"], worker["worker_role"]) == ("Dr A Example", "ED doctor")


def test_a_resource_the_model_refuses_names_entry_resource_element_and_fix(
        tmp_path: Path) -> None:
    rows = read(write_bundle(tmp_path, PATIENT, BAD_PATIENT, AE_VISIT))
    bad = next(r for r in rows if r.problems)
    assert (bad.table, bad.row_number) == ("people", 2)
    described = {p.column: p.describe() for p in bad.problems}
    assert set(described) == {"birthDate", "gendr"}
    assert described["birthDate"].startswith("health.json, entry 2 (Patient/bad-1), row 2, "
                                             "column birthDate: the Patient does not follow "
                                             "FHIR R4: birthDate is not a valid FHIR date")
    assert "YYYY-MM-DD" in described["birthDate"]
    assert "Correct the spelling of gendr" in described["gendr"]
    assert all(p.severity == "error" for p in bad.problems)
    assert [r.values.get("event_id") for r in rows if r.table == "events"] == [
        "Encounter/ae-1"]  # the others still come through


def test_ndjson_gives_the_same_rows(tmp_path: Path) -> None:
    from_bundle = read(write_bundle(tmp_path))
    path = write_ndjson(tmp_path)
    reader = FhirReader(path)
    from_lines = list(reader.rows())
    assert reader.bytes_done() == reader.total_bytes == path.stat().st_size
    assert [(r.table, r.values) for r in from_lines] == [(r.table, r.values)
                                                         for r in from_bundle]
    assert from_lines[0].location == "health.ndjson, line 1 (Patient/child-1)"


def test_a_bad_ndjson_line_is_one_row_problem(tmp_path: Path) -> None:
    path = write_ndjson(tmp_path, PATIENT, AE_VISIT)
    path.write_text(path.read_text() + '{"resourceType": "Encounter", "id": "cut\n',
                    encoding="utf-8")
    rows = read(path)
    assert [r.table for r in rows] == ["people", "events", "events"]
    (problem,) = rows[-1].problems
    assert problem.describe().startswith("health.ndjson, line 3, row 3: the line is not JSON")


def test_event_resources_that_are_not_safeguarding_events_are_left_out(
        tmp_path: Path) -> None:
    planned = {**MISSED, "id": "booked", "status": "planned", "reasonCode": []}
    cancelled = {**MISSED, "id": "cancelled-by-clinic", "reasonCode": [{"text": "clinic"}]}
    pressure = {**INJURY, "resourceType": "Observation", "id": "bp", "status": "final",
                "code": {"text": "Blood pressure"}, "effectiveDateTime": "2025-02-10"}
    for key in ("onsetDateTime", "recordedDate", "bodySite"):
        pressure.pop(key)
    other_flag = {**CPIS_FLAG, "id": "parking", "code": {"text": "Needs parking space"}}
    rows = read(write_bundle(tmp_path, PATIENT, planned, cancelled, pressure, other_flag))
    assert [r.table for r in rows] == ["people"]


def test_an_unknown_relationship_loads_the_person_with_a_warning(tmp_path: Path) -> None:
    neighbour = {**MOTHER, "id": "n-1", "relationship": [{"coding": [{"code": "NBOR"}]}]}
    rows = read(write_bundle(tmp_path, PATIENT, neighbour))
    assert [r.table for r in rows] == ["people", "people"]
    (problem,) = rows[1].problems
    assert problem.severity == "warning" and problem.column == "relationship"
    assert "NBOR" in problem.describe()


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("health.json", '{"resourceType": "Bundle", "type": "collection", "entry": []}', "fhir"),
    ("health.ndjson", '{"resourceType": "Patient", "id": "a"}\n', "fhir"),
    ("return.json", '{"people": [{"person_id": "P1"}]}', "json"),
])
def test_auto_tells_fhir_from_canonical_json(tmp_path: Path, name: str, content: str,
                                             expected: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert detect_format(path) == expected
    assert open_reader(path).format_name == expected


@pytest.mark.parametrize(("name", "content", "said"), [
    ("a.json", '{"people": []}', "is not FHIR"),
    ("a.json", "[1, 2]", "is not FHIR"),
    ("a.json", '{"resourceType": "Bundle", "entry": [', "cut short"),
    ("a.json", '{"resourceType": "Bundle", "type": 7}', "the Bundle itself does not follow"),
    ("a.ndjson", "person_id,given_name\nP1,Ava\n", "line 1 is not a FHIR resource"),
    ("a.ndjson", '{"people": []}\n', "line 1 is not a FHIR resource"),
])
def test_a_file_that_is_not_fhir_is_refused_whole(tmp_path: Path, name: str, content: str,
                                                  said: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UnreadableFileError, match=said):
        list(open_reader(path, "fhir").rows())


def test_a_single_resource_and_a_json_named_ndjson_file_are_read(tmp_path: Path) -> None:
    single = tmp_path / "patient.json"
    single.write_text(json.dumps(PATIENT), encoding="utf-8")
    assert [r.values["person_id"] for r in read(single)] == ["child-1"]
    lines = write_ndjson(tmp_path, PATIENT, AE_VISIT, name="export.json")
    assert [r.table for r in read(lines)] == ["people", "events"]


def test_visits_episodes_findings_and_a_no_show(tmp_path: Path) -> None:
    home = {**AE_VISIT, "id": "hv-1", "class": {"code": "HH"}, "type": [{"text": "Visit"}]}
    clinic = {**AE_VISIT, "id": "gp-1", "class": {"code": "AMB"}, "meta": {}}
    maternity = {"resourceType": "EpisodeOfCare", "id": "mat-1", "status": "finished",
                 "type": [{"text": "Maternity care"}], "patient": {"reference": "Patient/child-1"},
                 "period": {"start": "2024-05-01", "end": "2024-11-20"}}
    early_help = {**maternity, "id": "eh-1", "type": [{"text": "Early help"}]}
    caseload = {**maternity, "id": "hv-caseload", "type": [{"text": "Health visiting"}]}
    low_mood = {"resourceType": "Observation", "id": "mood-1", "status": "final",
                "code": {"text": "Anxiety and low mood"}, "subject": {"reference":
                                                                   "Patient/child-1"},
                "effectiveDateTime": "2025-01-05", "issued": "2025-01-06T09:00:00Z"}
    no_show = {"resourceType": "Appointment", "id": "appt-1", "status": "noshow",
               "start": "2025-01-15T10:00:00Z", "end": "2025-01-15T10:20:00Z",
               "description": "Immunisations", "participant": [
                   {"actor": {"reference": "Patient/child-1"}, "status": "accepted"}]}
    disclosed = {**low_mood, "id": "da-1", "code": {"text": "Victim of domestic abuse"}}
    rows = read(write_bundle(tmp_path, PATIENT, home, clinic, maternity, early_help,
                             caseload, low_mood, disclosed, no_show))
    events = {r.values["event_id"]: r.values for r in rows if r.table == "events"}
    assert {k: v["event_type"] for k, v in events.items()} == {
        "Encounter/hv-1": "HOME_VISIT", "Encounter/gp-1": "APPOINTMENT_ATTENDED",
        "EpisodeOfCare/mat-1": "ANTENATAL_BOOKING",
        "EpisodeOfCare/eh-1/start": "EH_EPISODE_START",
        "EpisodeOfCare/eh-1/end": "EH_EPISODE_END",
        "EpisodeOfCare/hv-caseload/start": "HV_CASELOAD_START",
        "EpisodeOfCare/hv-caseload/end": "HV_CASELOAD_END",
        "Observation/mood-1": "MENTAL_HEALTH_CONCERN",
        "Observation/da-1": "DOMESTIC_ABUSE_CONCERN",  # a finding, not an incident
        "Appointment/appt-1": "APPOINTMENT_MISSED",
    }
    assert events["EpisodeOfCare/eh-1/end"]["occurred_at"] == "2024-11-20"
    assert events["Observation/mood-1"]["recorded_at"] == "2025-01-06T09:00:00+00:00"
    assert events["Encounter/gp-1"]["details"]["recorded_at_from"] == "event date"
    assert events["Appointment/appt-1"]["summary"] == (
        "Appointment missed (was not brought / did not attend): Immunisations")
    assert all(r.problems == [] for r in rows)


@pytest.mark.parametrize(("codes", "expected"), [
    (["NMTH"], ["MOTHER_OF"]), (["FTH"], ["FATHER_OF"]), (["PRNFOST"], ["CARER_OF"]),
    (["GRMTH"], ["GRANDPARENT_OF"]), (["STPFTH"], ["HOUSEHOLD_MEMBER_OF"]),
    (["MTH", "GUARD"], ["CARER_OF", "MOTHER_OF"]),
])
def test_relationship_codes(tmp_path: Path, codes: list[str], expected: list[str]) -> None:
    related = {**MOTHER, "period": {"start": "2024-11-02"},
               "relationship": [{"coding": [{"code": c} for c in codes]}]}
    rows = read(write_bundle(tmp_path, PATIENT, related))
    found = [r.values for r in rows if r.table == "relationships"]
    assert [v["relationship"] for v in found] == expected
    assert {v["valid_from"] for v in found} == {"2024-11-02"}


def test_a_patient_without_an_id_takes_its_full_url(tmp_path: Path) -> None:
    nameless = {k: v for k, v in PATIENT.items() if k != "id"}
    rows = read(write_bundle(tmp_path, nameless, MOTHER))
    assert rows[0].values["person_id"] == "0b1d2c4e-0000-4000-8000-000000000001"
    assert rows[2].values["related_person_id"] == "0b1d2c4e-0000-4000-8000-000000000001"
    rows = read(write_ndjson(tmp_path, nameless))
    assert [p.column for p in rows[0].problems] == ["id"]
