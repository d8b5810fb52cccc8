"""Loading FHIR returns into the database: what a data steward sees stored, kept back and
left unchanged; and arbitrary Patient and Encounter resources never crash the load."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.chronology.models import Event
from joinedup.errors import IngestError
from joinedup.ingest.formats.fhir import FhirReader
from joinedup.ingest.loading import load_return
from joinedup.ingest.models import QuarantinedRow
from joinedup.ingest.validation import RowChecker
from joinedup.people.models import PersonRecord, RelationshipRecord
from tests.ingest.formats.fhir_bundle import (
    AE_VISIT,
    BAD_PATIENT,
    PATIENT,
    RESOURCES,
    write_bundle,
    write_ndjson,
)

pytestmark = pytest.mark.postgres


@pytest.mark.django_db
def test_a_bundle_loads_and_a_bad_resource_is_quarantined(agency: Any,
                                                          tmp_path: Path) -> None:
    path = write_bundle(tmp_path, *RESOURCES, BAD_PATIENT)
    result = load_return(path, "HV")
    assert result.format == "fhir"
    people = {p.source_id: p for p in PersonRecord.objects.all()}
    assert set(people) == {"child-1", "RelatedPerson/mum-1"}
    child = people["child-1"]
    assert (child.given_name, child.family_name, child.nhs_number, child.postcode,
            child.uprn) == ("Ava", "Testwood", "9434765919", "SK1 3XE", "100023336956")
    assert child.date_of_birth == dt.date(2024, 11, 2) and child.sex == "F"
    assert child.other_names == ["Girl Baby"]
    assert child.extra["general_practitioner"][0]["display"] == "Elm Street Surgery"
    (mother_of,) = RelationshipRecord.objects.all()
    assert (mother_of.person.source_id, mother_of.relationship,
            mother_of.related_person.source_id) == ("RelatedPerson/mum-1", "MOTHER_OF",
                                                    "child-1")
    events = {e.source_id: e for e in Event.objects.all()}
    assert {k: e.event_type for k, e in events.items()} == {
        "Encounter/ae-1": "ED_ATTENDANCE", "Encounter/dna-1": "APPOINTMENT_MISSED",
        "Condition/inj-1": "INJURY", "Flag/cpis-1": "CPIS_ALERT"}
    assert events["Condition/inj-1"].details["site"] == "left femur"
    assert events["Encounter/ae-1"].extra["worker_name"] == "Dr A Example"

    (kept,) = QuarantinedRow.objects.all()
    assert (kept.table, kept.row_number, kept.location) == (
        "people", 8, "health.json, entry 8 (Patient/bad-1)")
    assert kept.column == "birthDate"
    assert "the Patient does not follow FHIR R4: birthDate is not a valid FHIR date" in \
        kept.reason
    assert "gendr is not an element FHIR R4 has here" in kept.reason
    assert result.tables["people"].quarantined == 1


@pytest.mark.django_db
def test_a_refused_encounter_is_told_once(agency: Any, tmp_path: Path) -> None:
    """The refusal is the whole message: nothing about the values the reader could not
    read ("person_id is missing", "event_type is missing"...)."""
    bad = {**AE_VISIT, "id": "ae-bad", "period": {"start": "2025-02-31T19:30:00Z"}}
    load_return(write_bundle(tmp_path, PATIENT, bad), "HV")
    (kept,) = QuarantinedRow.objects.filter(table="events")
    assert "the Encounter does not follow FHIR R4" in kept.reason
    assert "is missing" not in kept.reason
    assert len(kept.problems) == 1


@pytest.mark.django_db
def test_the_same_file_twice_changes_nothing(agency: Any, tmp_path: Path) -> None:
    path = write_bundle(tmp_path)
    first = load_return(path, "HV")
    stored = (PersonRecord.objects.count(), Event.objects.count(),
              RelationshipRecord.objects.count())
    again = load_return(path, "HV")
    assert again.already_received == first.submission_id
    # sent again as a new export (other bytes, same resources): every row unchanged
    resent = write_ndjson(tmp_path)
    third = load_return(resent, "HV")
    assert third.rows_loaded == 0
    assert sum(t.unchanged for t in third.tables.values()) == third.rows_read == 7
    assert (PersonRecord.objects.count(), Event.objects.count(),
            RelationshipRecord.objects.count()) == stored == (2, 4, 1)


@pytest.mark.django_db
def test_ndjson_loads(agency: Any, tmp_path: Path) -> None:
    result = load_return(write_ndjson(tmp_path), "HV")
    assert result.rows_quarantined == 0 and result.rows_loaded == 7
    assert Event.objects.filter(event_type="INJURY", subject__source_id="child-1").exists()


# -- arbitrary resources ----------------------------------------------------------------------

CHECKER = RowChecker(dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

texts = st.one_of(st.text(max_size=12), st.sampled_from(
    ["2025-02-10", "2025-02", "2025", "2025-02-10T19:30:00Z", "2025-13-40", "EMER", "HH",
     "finished", "cancelled", "official", "old", "female", "Patient/child-1",
     "urn:uuid:1", "281399006", "fracture", "\x00"]))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), texts)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(texts, inner, max_size=3), max_leaves=12)
coding = st.fixed_dictionaries({}, optional={"system": texts, "code": texts, "display": texts})
concept = st.fixed_dictionaries({}, optional={"coding": st.lists(coding, max_size=2),
                                              "text": texts})
period = st.fixed_dictionaries({}, optional={"start": texts, "end": texts})
reference = st.fixed_dictionaries({}, optional={"reference": texts, "display": texts})
name = st.fixed_dictionaries({}, optional={"use": texts, "family": texts, "period": period,
                                           "given": st.lists(texts, max_size=2)})
address = st.fixed_dictionaries({}, optional={"use": texts, "line": st.lists(texts, max_size=2),
                                              "postalCode": texts, "period": period})
patients = st.fixed_dictionaries({"resourceType": st.just("Patient")}, optional={
    "id": texts, "birthDate": texts, "gender": texts, "name": st.lists(name, max_size=3),
    "address": st.lists(address, max_size=2), "meta": st.fixed_dictionaries(
        {}, optional={"lastUpdated": texts}),
    "identifier": st.lists(st.fixed_dictionaries({}, optional={
        "system": st.sampled_from(["https://fhir.nhs.uk/Id/nhs-number", "x"]),
        "value": texts}), max_size=2),
    "generalPractitioner": st.lists(reference, max_size=2), "telecom": json_values,
    "extension": json_values, "deceasedBoolean": scalars})
encounters = st.fixed_dictionaries({"resourceType": st.just("Encounter")}, optional={
    "id": texts, "status": texts, "class": coding, "subject": reference, "period": period,
    "type": st.lists(concept, max_size=2), "reasonCode": st.lists(concept, max_size=2),
    "participant": st.lists(st.fixed_dictionaries({}, optional={
        "individual": reference, "type": st.lists(concept, max_size=1)}), max_size=2),
    "location": json_values, "hospitalization": json_values, "serviceType": concept,
    "extension": json_values, "meta": json_values})

# resources the model mostly accepts, so the mappings themselves meet odd but valid values
dates = st.sampled_from(["2025-02-10", "2025-02", "2025", "2025-02-10T19:30:00Z",
                         "2024-11-02T10:00:00+01:00", "2031-01-01", "1890-01-01"])
ids = st.from_regex(r"[A-Za-z0-9\-.]{1,20}", fullmatch=True)
words = st.sampled_from(["Did not attend", "fracture", "bruising", "anxiety", "x"])
valid_concept = st.fixed_dictionaries({}, optional={
    "text": words, "coding": st.lists(st.fixed_dictionaries(
        {"code": st.sampled_from(["281399006", "125605004", "EMER", "MTH"])}), max_size=2)})
valid_period = st.fixed_dictionaries({}, optional={"start": dates, "end": dates})
valid_reference = st.fixed_dictionaries({}, optional={"reference": st.sampled_from(
    ["Patient/child-1", "urn:uuid:1", "RelatedPerson/mum-1", "Patient/", "#contained",
     "https://x.example/fhir/Patient/7/_history/2"]), "display": words})
plausible_patients = st.fixed_dictionaries({"resourceType": st.just("Patient"), "id": ids},
                                           optional={
    "birthDate": dates.map(lambda d: d[:10]), "gender": st.sampled_from(
        ["male", "female", "other", "unknown"]),
    "name": st.lists(st.fixed_dictionaries({}, optional={
        "use": st.sampled_from(["official", "usual", "old", "maiden", "nickname"]),
        "family": words, "given": st.lists(words, max_size=2), "text": words,
        "period": valid_period}), max_size=3),
    "address": st.lists(st.fixed_dictionaries({}, optional={
        "use": st.sampled_from(["home", "old", "temp", "work"]), "line": st.lists(
            words, max_size=2), "postalCode": st.sampled_from(["SK1 3XE", "nowhere", ""]),
        "period": valid_period, "text": words}), max_size=3),
    "meta": st.fixed_dictionaries({"lastUpdated": st.sampled_from(
        ["2025-03-01T10:00:00Z", "2024-01-01T00:00:00+01:00"])}),
    "generalPractitioner": st.lists(valid_reference, max_size=2)})
plausible_encounters = st.fixed_dictionaries({
    "resourceType": st.just("Encounter"), "id": ids,
    "status": st.sampled_from(["planned", "arrived", "finished", "cancelled",
                               "entered-in-error", "unknown", "in-progress"]),
    "class": st.fixed_dictionaries({"code": st.sampled_from(["EMER", "IMP", "HH", "AMB",
                                                             "X"])})}, optional={
    "subject": valid_reference, "period": valid_period,
    "type": st.lists(valid_concept, max_size=2), "reasonCode": st.lists(valid_concept,
                                                                         max_size=2),
    "participant": st.lists(st.fixed_dictionaries({}, optional={
        "individual": valid_reference, "type": st.lists(valid_concept, max_size=1)}),
        max_size=2),
    "meta": st.fixed_dictionaries({"lastUpdated": st.sampled_from(
        ["2025-03-01T10:00:00Z", "2020-01-01T00:00:00Z"])})})


def _read_all(path: Path) -> list[str]:
    """Every problem the reader and the row checks report; an IngestError for the whole file
    counts as a refusal with a message."""
    said = []
    try:
        for row in FhirReader(path).rows():
            checked = CHECKER.check(row)
            assert checked.clean is not None or any(p.severity == "error"
                                                    for p in checked.problems)
            said += [p.describe() for p in [*row.problems, *checked.problems]]
    except IngestError as exc:
        said.append(str(exc))
    assert all(said)
    return said


@SETTINGS
@given(st.lists(st.one_of(patients, encounters, plausible_patients, plausible_encounters),
                min_size=1, max_size=4), st.booleans())
def test_arbitrary_patients_and_encounters_load_or_are_refused_with_a_message(
        resources: list[dict[str, Any]], as_ndjson: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        if as_ndjson:
            path = write_ndjson(Path(folder), *resources)
        else:
            path = write_bundle(Path(folder), *resources)
        _read_all(path)


@SETTINGS
@given(json_values)
def test_any_json_is_read_or_refused_with_a_message(document: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "health.json"
        path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                    "entry": [{"resource": document}, {"resource": PATIENT},
                                              {"resource": AE_VISIT}]}), encoding="utf-8")
        said = _read_all(path)
        if document is None:  # an entry with no resource (as a DELETE has) adds nothing
            assert said == []
        elif not isinstance(document, dict) or document.get("resourceType") is None:
            assert said[0].startswith("health.json, entry 1, row 1, column resource")
            assert not [s for s in said if "entry 2" in s or "entry 3" in s]
