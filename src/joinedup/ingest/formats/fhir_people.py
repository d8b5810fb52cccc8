"""FHIR UK Core Patient and RelatedPerson resources as canonical people and relationships.

A Patient is one ``people`` row. A RelatedPerson (the child's mother, father, a carer) is a
``people`` row of its own, with the person id ``RelatedPerson/<id>``, and one
``relationships`` row per relationship code joinedup reads, from the related person to the
patient (``MOTHER_OF`` and so on). The mapping is documented in docs/formats/fhir.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.fhir_elements import (
    NHS_NUMBER_SYSTEM,
    coded,
    codings,
    extension_value,
    is_current,
    plain,
    reference_id,
    reference_summary,
    sub_extensions,
    unused,
    when,
    words,
)
from joinedup.ingest.formats.fhir_entry import Entry
from joinedup.ingest.problems import error, warning

SEXES = {"male": "M", "female": "F", "other": "X", "unknown": "U"}
"""FHIR's administrative gender as the canonical sex."""

NAME_RANK = {"official": 0, "usual": 1, None: 2, "temp": 3, "nickname": 4, "anonymous": 5}
"""Which current name becomes given_name and family_name: official first, then usual."""
FORMER_NAMES = ("old", "maiden")

ADDRESS_RANK = {"home": 0, None: 1, "temp": 2, "work": 3, "billing": 4}

RELATIONSHIPS: dict[str, str] = {
    **dict.fromkeys(("MTH", "NMTH", "GESTM", "NMTHF", "ADOPTM"), "MOTHER_OF"),
    **dict.fromkeys(("FTH", "NFTH", "NFTHF", "ADOPTF"), "FATHER_OF"),
    **dict.fromkeys(("MTHFOST", "FTHFOST", "PRNFOST", "GUARD", "ADOPTP", "PRN", "CAREGIVER"),
                    "CARER_OF"),
    **dict.fromkeys(("STPMTH", "STPFTH", "STPPRN", "ROOM"), "HOUSEHOLD_MEMBER_OF"),
    **dict.fromkeys(("SIB", "BRO", "SIS", "HSIB", "HBRO", "HSIS", "NSIB", "NBRO", "NSIS",
                     "STPSIB", "STPBRO", "STPSIS", "TWIN", "TWINBRO", "TWINSIS", "FTWIN",
                     "ITWIN"), "SIBLING_OF"),
    **dict.fromkeys(("GRPRN", "GRMTH", "GRFTH", "MGRMTH", "MGRFTH", "PGRMTH", "PGRFTH",
                     "MGRPRN", "PGRPRN"), "GRANDPARENT_OF"),
    **dict.fromkeys(("SPS", "HUSB", "WIFE", "DOMPART", "SIGOTHR"), "PARTNER_OF"),
    "FMRSPS": "EX_PARTNER_OF",
}
"""HL7 v3 RoleCode (the codes UK Core's RelatedPerson relationship takes): what the related
person is to the patient, as a canonical relationship from the related person."""


def related_links(raw: dict[str, Any]) -> list[str]:
    """The RelatedPersons a Patient (as sent) says are the same person: its ``link`` to
    ``RelatedPerson/<id>`` (FHIR's way to say a patient is also someone's related person).
    Gives their ids."""
    found = []
    for link in raw.get("link") or []:
        other = link.get("other") if isinstance(link, dict) else None
        text = str(other.get("reference") or "") if isinstance(other, dict) else ""
        if "RelatedPerson/" in text:
            found.append(text.split("/_history/")[0].rstrip("/").rsplit("/", 1)[-1])
    return found


def patient_rows(entry: Entry) -> Iterator[SourceRow]:
    """One people row for a Patient."""
    patient = entry.resource
    for related in related_links(entry.raw):
        entry.same_person.setdefault(related, entry.resource_id)
    row = _person_row(entry, entry.person_id(), patient)
    row.extra.update(unused(entry.raw, {
        "identifier", "name", "birthDate", "gender", "address", "generalPractitioner",
        "deceasedDateTime", "deceasedBoolean"}))
    practices = [reference_summary(r) for r in patient.generalPractitioner or []]
    if practices:
        row.extra["general_practitioner"] = practices
    deceased = when(patient.deceasedDateTime) or (
        "yes" if patient.deceasedBoolean else "")
    if deceased:
        row.extra["deceased"] = deceased
    ethnicity = plain(extension_value(patient.extension, "Extension-UKCore-EthnicCategory"))
    if ethnicity:
        row.extra["ethnic_category"] = ethnicity
    yield row


def related_person_rows(entry: Entry) -> Iterator[SourceRow]:
    """A people row for the related person and a relationships row per code read."""
    related = entry.resource
    found = {RELATIONSHIPS[c] for c in _codes(related.relationship) if c in RELATIONSHIPS}
    patient_as = entry.same_person.get(entry.resource_id, "")
    person_id = patient_as if patient_as and found else entry.person_id()
    row = _person_row(entry, person_id, related)
    row.extra.update(unused(entry.raw, {
        "identifier", "name", "birthDate", "gender", "address", "patient", "relationship",
        "period"}))
    if person_id != patient_as:  # a Patient's link names this RelatedPerson: that person
        yield row
    patient_id = reference_id(related.patient, entry.full_urls)
    if not found:
        said = words(related.relationship) or "none"
        row.problems.append(warning(
            "people", entry.number, "relationship",
            f"the relationship ({said}) is not one joinedup reads",
            "Send an HL7 v3 RoleCode such as MTH (mother), FTH (father), GUARD (guardian) or "
            "PRNFOST (foster parent) (docs/formats/fhir.md lists them); the related person "
            "loads without a relationship to the patient.", said, entry.location))
        return
    details = {"source_format": "fhir", "fhir_relationship": words(related.relationship),
               "role_codes": coded(related.relationship)}
    for code in sorted(found):
        rel = SourceRow("relationships", entry.number, {
            "person_id": person_id, "related_person_id": patient_id, "relationship": code,
            "valid_from": when(related.period.start) if related.period else "",
            "valid_to": when(related.period.end) if related.period else "",
            "details": details}, entry.location)
        if not patient_id:
            rel.problems.append(error(
                "relationships", entry.number, "patient",
                "RelatedPerson.patient names no patient",
                "Give the reference to the patient (Patient/<id>) and send it again.",
                location=entry.location))
        yield rel


def _codes(concepts: Any) -> list[str]:
    return [(c.code or "").strip().upper() for c in codings(concepts) if c.code]


def _person_row(entry: Entry, person_id: str, person: Any) -> SourceRow:
    given, family, others = _names(person.name or [], entry.today)
    postcode, address, uprn, other_addresses = _addresses(person.address or [], entry.today)
    row = SourceRow("people", entry.number, {
        "person_id": person_id, "given_name": given, "family_name": family,
        "other_names": "; ".join(others), "date_of_birth": when(person.birthDate),
        "sex": SEXES.get(person.gender or "", ""), "nhs_number": "", "postcode": postcode,
        "address": address, "uprn": uprn, "flags": ""}, entry.location)
    row.extra["source_format"] = "fhir"
    if other_addresses:
        row.extra["other_addresses"] = other_addresses
    _identifiers(person.identifier or [], row)
    return row


def _identifiers(identifiers: list[Any], row: SourceRow) -> None:
    others = []
    for identifier in identifiers:
        if (identifier.system or "").rstrip("/") == NHS_NUMBER_SYSTEM and not \
                row.values["nhs_number"]:
            row.values["nhs_number"] = identifier.value or ""
            status = plain(extension_value(identifier.extension,
                                           "Extension-UKCore-NHSNumberVerificationStatus"))
            if status:
                row.extra["nhs_number_verification"] = status
        elif identifier.value:
            others.append(f"{identifier.system or ''}|{identifier.value}")
    if others:
        row.extra["identifiers"] = others


def _name_text(name: Any) -> str:
    if name.given or name.family:
        return " ".join([*(name.given or []), name.family or ""]).strip()
    return (name.text or "").strip()


def _names(names: list[Any], today: dt.date) -> tuple[str, str, list[str]]:
    """given_name, family_name (the current official or usual name) and the other names."""
    if not names:
        return "", "", []
    current = [n for n in names if is_current(n.period, today) and n.use not in FORMER_NAMES
               and (n.given or n.family)]
    pool = current or [n for n in names if n.given or n.family]
    chosen = min(pool, key=lambda n: NAME_RANK.get(n.use, 9)) if pool else None
    given = " ".join(chosen.given or []) if chosen else ""
    family = (chosen.family or "") if chosen else ""
    others = [_name_text(n) for n in names if n is not chosen]
    mine = _name_text(chosen) if chosen else ""
    return given, family, [o for o in dict.fromkeys(others) if o and o != mine]


def _addresses(addresses: list[Any], today: dt.date) -> tuple[str, str, str, list[str]]:
    """postcode, address and UPRN of the current address, and the others in words."""
    current = [a for a in addresses if is_current(a.period, today) and a.use != "old"]
    latest_first = sorted(current, key=lambda a: when(a.period.start if a.period else None),
                          reverse=True)
    chosen = min(latest_first, key=lambda a: ADDRESS_RANK.get(a.use, 9), default=None)
    others = [_address_words(a) for a in addresses if a is not chosen]
    if chosen is None:
        return "", "", "", [o for o in others if o]
    uprn = ""
    for key in sub_extensions(chosen.extension, "Extension-UKCore-AddressKey"):
        kind = plain(key.get("type"))
        if str(kind or "").upper() == "UPRN" and key.get("value"):
            uprn = str(plain(key["value"]))
    line = ", ".join(p for p in [*(chosen.line or []), chosen.city or ""] if p)
    return chosen.postalCode or "", line or (chosen.text or ""), uprn, [o for o in others if o]


def _address_words(address: Any) -> str:
    """An address that is not the current one, in words, with its period."""
    parts = [*(address.line or []), address.city or "", address.postalCode or ""]
    text = ", ".join(p for p in parts if p) or (address.text or "")
    if text and address.period is not None:
        start, end = when(address.period.start)[:10], when(address.period.end)[:10]
        if start or end:
            text += f" ({start or 'unknown'} to {end or 'now'})"
    return text
