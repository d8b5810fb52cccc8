"""The FHIR mappings the Baby S family's health bundles needed (issue 19): a visit named by
its Encounter type, a visit with no access, a GP registration, information shared and
received (Communication), and a mother who is both a Patient and the baby's RelatedPerson."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.fhir import FhirReader
from tests.ingest.formats.fhir_bundle import AE_VISIT, MOTHER, PATIENT, write_bundle, write_ndjson

pytestmark = pytest.mark.postgres


def read(path: Path) -> list[SourceRow]:
    return list(FhirReader(path).rows())


def encounter(id_: str, type_text: str, klass: str = "HH", status: str = "finished",
              reason: str = "") -> dict[str, Any]:
    found = copy.deepcopy(AE_VISIT)
    found.update({"id": id_, "status": status, "type": [{"text": type_text}]})
    found["class"]["code"] = klass
    if reason:
        found["reasonCode"] = [{"text": reason}]
    return found


def events(rows: list[SourceRow]) -> dict[str, str]:
    return {r.values["event_id"]: r.values["event_type"] for r in rows if r.table == "events"}


def test_the_encounter_type_names_the_visit(tmp_path: Path) -> None:
    rows = read(write_bundle(tmp_path, PATIENT,
                             encounter("nbv", "New birth visit"),
                             encounter("hv", "Health visiting 6-8 week review"),
                             encounter("gp", "GP consultation: postnatal check", "AMB"),
                             encounter("cpm", "Child protection medical", "IMP"),
                             encounter("del", "Delivery: live birth", "IMP"),
                             encounter("imm", "Immunisations (8 weeks)", "AMB"),
                             encounter("noa", "Home visit", status="cancelled",
                                       reason="No access"),
                             encounter("wnb", "Clinic weight check", "AMB", "cancelled",
                                       "Was not brought"),
                             encounter("off", "Home visit", status="cancelled",
                                       reason="Rearranged by the family")))
    assert events(rows) == {
        "Encounter/nbv": "NEW_BIRTH_VISIT", "Encounter/hv": "HV_VISIT",
        "Encounter/gp": "GP_CONSULTATION", "Encounter/cpm": "CP_MEDICAL",
        "Encounter/del": "BIRTH", "Encounter/imm": "APPOINTMENT_ATTENDED",
        "Encounter/noa": "NO_ACCESS_VISIT", "Encounter/wnb": "APPOINTMENT_MISSED"}
    # a visit cancelled for another reason is not an event
    assert all(not r.problems for r in rows)


def test_a_registration_episode_is_a_gp_registration(tmp_path: Path) -> None:
    registration = {"resourceType": "EpisodeOfCare", "id": "reg-1", "status": "active",
                    "type": [{"text": "GP registration"}],
                    "patient": {"reference": "Patient/child-1"},
                    "period": {"start": "2024-11-20"}}
    (row,) = [r for r in read(write_bundle(tmp_path, PATIENT, registration))
              if r.table == "events"]
    assert (row.values["event_type"], row.values["occurred_at"]) == ("GP_REGISTRATION",
                                                                     "2024-11-20")


def test_a_communication_is_information_received_or_shared(tmp_path: Path) -> None:
    base = {"resourceType": "Communication", "status": "completed",
            "subject": {"reference": "Patient/child-1"},
            "payload": [{"contentString": "Antenatal notification"}]}
    received = {**base, "id": "in", "received": "2024-05-14",
                "sender": {"display": "Community midwifery"}}
    shared = {**base, "id": "out", "sent": "2024-05-20",
              "recipient": [{"display": "Children's social care"}]}
    draft = {**base, "id": "draft", "status": "preparation", "sent": "2024-05-21"}
    rows = {r.values["event_id"]: r for r in read(
        write_bundle(tmp_path, PATIENT, received, shared, draft)) if r.table == "events"}
    assert set(rows) == {"Communication/in", "Communication/out"}
    got = rows["Communication/in"].values
    assert (got["event_type"], got["occurred_at"], got["details"]["from"]) == (
        "INFO_RECEIVED", "2024-05-14", "Community midwifery")
    assert "Antenatal notification" in got["summary"]
    sent = rows["Communication/out"].values
    assert (sent["event_type"], sent["details"]["to"]) == ("INFO_SHARED",
                                                           "Children's social care")


def mother_patient(link: bool) -> dict[str, Any]:
    mother = {"resourceType": "Patient", "id": "mum-patient",
              "name": [{"use": "official", "family": "Testwood", "given": ["Jade"]}],
              "birthDate": "2003-03-14", "gender": "female"}
    if link:
        mother["link"] = [{"other": {"reference": "RelatedPerson/mum-1"}, "type": "seealso"}]
    return mother


@pytest.mark.parametrize("order", ["patient first", "related person first"])
def test_a_patient_linked_to_a_related_person_is_one_person(tmp_path: Path,
                                                            order: str) -> None:
    child = {**PATIENT, "id": "child-1"}
    mother_rel = {**MOTHER, "patient": {"reference": "Patient/child-1"}}
    resources = ([child, mother_patient(True), mother_rel] if order == "patient first"
                 else [child, mother_rel, mother_patient(True)])
    rows = read(write_bundle(tmp_path, *resources))
    people = sorted(r.values["person_id"] for r in rows if r.table == "people")
    assert people == ["child-1", "mum-patient"]
    (rel,) = [r.values for r in rows if r.table == "relationships"]
    assert (rel["person_id"], rel["relationship"], rel["related_person_id"]) == (
        "mum-patient", "MOTHER_OF", "child-1")


def test_without_the_link_the_related_person_is_a_person_of_its_own(tmp_path: Path) -> None:
    child = {**PATIENT, "id": "child-1"}
    mother_rel = {**MOTHER, "patient": {"reference": "Patient/child-1"}}
    rows = read(write_ndjson(tmp_path, child, mother_patient(False), mother_rel))
    people = sorted(r.values["person_id"] for r in rows if r.table == "people")
    assert people == ["RelatedPerson/mum-1", "child-1", "mum-patient"]


def test_an_ndjson_export_joins_them_when_the_patient_comes_first(tmp_path: Path) -> None:
    child = {**PATIENT, "id": "child-1"}
    mother_rel = {**MOTHER, "patient": {"reference": "Patient/child-1"}}
    rows = read(write_ndjson(tmp_path, child, mother_patient(True), mother_rel))
    assert sorted(r.values["person_id"] for r in rows if r.table == "people") == [
        "child-1", "mum-patient"]
