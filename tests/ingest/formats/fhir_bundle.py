"""A synthetic FHIR R4 UK Core Bundle (made-up people only) for the FHIR reader's tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

CHILD_URL = "urn:uuid:0b1d2c4e-0000-4000-8000-000000000001"
SNOMED = "http://snomed.info/sct"
UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/"

PATIENT: dict[str, Any] = {
    "resourceType": "Patient", "id": "child-1",
    "meta": {"lastUpdated": "2025-03-01T10:00:00Z"},
    "identifier": [{
        "system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919",
        "extension": [{
            "url": UK_CORE + "Extension-UKCore-NHSNumberVerificationStatus",
            "valueCodeableConcept": {"coding": [{
                "system": "https://fhir.hl7.org.uk/CodeSystem/"
                          "UKCore-NHSNumberVerificationStatusEngland",
                "code": "01", "display": "Number present and verified"}]}}]}],
    "name": [{"use": "official", "family": "Testwood", "given": ["Ava"],
              "period": {"start": "2024-11-02"}},
             {"use": "old", "family": "Baby", "given": ["Girl"]}],
    "gender": "female", "birthDate": "2024-11-02",
    "address": [
        {"use": "home", "line": ["14 Elm Street"], "city": "Stockport",
         "postalCode": "SK1 3XE", "period": {"start": "2025-01-01"},
         "extension": [{"url": UK_CORE + "Extension-UKCore-AddressKey", "extension": [
             {"url": "type", "valueCoding": {
                 "system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-AddressKeyType",
                 "code": "UPRN"}},
             {"url": "value", "valueString": "100023336956"}]}]},
        {"use": "home", "line": ["2 Old Road"], "city": "Leeds", "postalCode": "LS1 1AA",
         "period": {"start": "2024-11-02", "end": "2024-12-31"}}],
    "generalPractitioner": [{"identifier": {
        "system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "Y12345"},
        "display": "Elm Street Surgery"}],
    "telecom": [{"system": "phone", "value": "0161 496 0000"}],
}
MOTHER: dict[str, Any] = {
    "resourceType": "RelatedPerson", "id": "mum-1", "patient": {"reference": CHILD_URL},
    "relationship": [{"coding": [{
        "system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "MTH",
        "display": "mother"}]}],
    "name": [{"use": "official", "family": "Testwood", "given": ["Jade"]}],
    "birthDate": "2003-03-14", "gender": "female",
}
AE_VISIT: dict[str, Any] = {
    "resourceType": "Encounter", "id": "ae-1", "status": "finished",
    "meta": {"lastUpdated": "2025-02-10T23:00:00Z"},
    "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "EMER"},
    "type": [{"text": "Fall from sofa"}], "subject": {"reference": "Patient/child-1"},
    "period": {"start": "2025-02-10T19:30:00Z", "end": "2025-02-10T22:00:00Z"},
    "participant": [{"individual": {"display": "Dr A Example"}, "type": [{"text": "ED doctor"}]}],
}
MISSED: dict[str, Any] = {
    "resourceType": "Encounter", "id": "dna-1", "status": "cancelled", "class": {"code": "AMB"},
    "reasonCode": [{"coding": [{"system": SNOMED, "code": "281399006",
                                "display": "Did not attend"}]}],
    "type": [{"text": "Hip check clinic"}], "subject": {"reference": "Patient/child-1"},
    "period": {"start": "2025-01-20T09:00:00Z"},
}
INJURY: dict[str, Any] = {
    "resourceType": "Condition", "id": "inj-1", "subject": {"reference": "Patient/child-1"},
    "code": {"coding": [{"system": SNOMED, "code": "125605004", "display": "Fracture of bone"}],
             "text": "Fracture of left femur"},
    "bodySite": [{"coding": [{"system": SNOMED, "code": "48979004", "display": "Left femur"}],
                  "text": "left femur"}],
    "onsetDateTime": "2025-02-10", "recordedDate": "2025-02-11T08:00:00Z",
    "encounter": {"reference": "Encounter/ae-1"},
}
CPIS_FLAG: dict[str, Any] = {
    "resourceType": "Flag", "id": "cpis-1", "status": "active",
    "code": {"text": "Child protection plan"}, "category": [{"text": "Safeguarding"}],
    "subject": {"reference": "Patient/child-1"}, "period": {"start": "2025-02-20"},
    "author": {"display": "Stockport children's social care"},
}
PRACTITIONER: dict[str, Any] = {"resourceType": "Practitioner", "id": "dr-1",
                                "name": [{"family": "Example"}]}
BAD_PATIENT: dict[str, Any] = {"resourceType": "Patient", "id": "bad-1",
                               "birthDate": "2024-13-45", "gendr": "female"}

RESOURCES = [PATIENT, MOTHER, AE_VISIT, MISSED, INJURY, CPIS_FLAG, PRACTITIONER]


def bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    """A collection Bundle of ``resources`` (the good ones when none are given); the
    child's entry has the fullUrl the mother's reference uses."""
    entries = []
    for resource in resources or RESOURCES:
        entry: dict[str, Any] = {"resource": copy.deepcopy(resource)}
        if resource.get("resourceType") == "Patient" and resource.get("id",
                                                                       "child-1") == "child-1":
            entry["fullUrl"] = CHILD_URL
        entries.append(entry)
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def write_bundle(folder: Path, *resources: dict[str, Any], name: str = "health.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(bundle(*resources), indent=1), encoding="utf-8")
    return path


def write_ndjson(folder: Path, *resources: dict[str, Any],
                 name: str = "health.ndjson") -> Path:
    """One resource a line; the mother points at the child as Patient/child-1 (NDJSON has
    no fullUrls)."""
    lines = []
    for resource in resources or RESOURCES:
        resource = copy.deepcopy(resource)
        if resource.get("resourceType") == "RelatedPerson":
            resource["patient"] = {"reference": "Patient/child-1"}
        lines.append(json.dumps(resource))
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
