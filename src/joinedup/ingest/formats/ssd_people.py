"""People and relationships from an SSD extract.

- ``ssd_person`` gives one ``people`` row per person: ``pers_person_id``, the names where
  the extract has them (``pers_forename``, ``pers_surname``; otherwise the family name
  ``Unknown``, which linkage reads as no name, as for the CIN census), ``pers_dob``, ``pers_sex``
  (or, when empty, ``pers_gender``), and the NHS number from ``pers_common_child_id`` (the
  consistent child identifier).
- ``ssd_linked_identifiers`` adds the NHS number when ``pers_common_child_id`` is empty
  (identifier type "NHS Number"), and the UPN to ``extra``.
- ``ssd_address`` gives the postcode, address and UPRN of the current address (one with
  no end date; else the one that started last).
- ``ssd_family`` adds the person's family identifiers to ``extra`` (no relationship is
  made from them: a family identifier does not say how its members are related).
- ``ssd_cla_episodes``: anyone with a looked-after episode is flagged CARE_EXPERIENCED.
- ``ssd_mother`` gives a MOTHER_OF relationship from ``moth_person_id`` to
  ``moth_childs_person_id``, from the child's date of birth.

The identifier, address and family tables are read first into small indexes (one entry
per person) so each person's row is complete when it is sent on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.ssd_tables import (
    FORMAT_NAME,
    PERSON_TABLE,
    Row,
    SsdTables,
    day,
    json_field,
    unused,
)
from joinedup.ingest.problems import error, warning

GENDER_CODES = {"00": "U", "0": "U", "01": "M", "1": "M", "02": "F", "2": "F", "09": "X",
                "9": "X"}
PERSON_USED = {"pers_person_id", "pers_forename", "pers_surname", "pers_dob", "pers_sex",
               "pers_common_child_id"}
ADDRESS_PARTS = ("ROOM", "FLOOR", "FLAT", "BUILDING", "HOUSE", "STREET", "TOWN")
NHS_TYPES = {"nhs number", "nhs_number", "nhs no", "nhs"}
UPN_TYPES = {"unique pupil number", "upn"}


@dataclass
class Address:
    line: int
    start: str
    end: str
    postcode: str
    text: str
    uprn: str
    problem: str = ""


@dataclass
class PeopleIndex:
    """What the smaller person tables say about each person, by person id."""

    identifiers: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    addresses: dict[str, Address] = field(default_factory=dict)
    families: dict[str, list[str]] = field(default_factory=dict)
    looked_after: set[str] = field(default_factory=set)
    mothers: dict[str, str] = field(default_factory=dict)  # child -> mother

    @classmethod
    def read(cls, tables: SsdTables) -> PeopleIndex:
        index = cls()
        for _line, row in tables.rows("ssd_linked_identifiers"):
            person, kind = row.get("link_person_id", ""), row.get("link_identifier_type", "")
            value = row.get("link_identifier_value", "")
            if person and value and not row.get("link_valid_to_date"):
                index.identifiers.setdefault(person, {}).setdefault(
                    kind.strip().lower(), []).append(value)
        for line, row in tables.rows("ssd_address"):
            index._address(line, row)
        for _line, row in tables.rows("ssd_family"):
            person, family = row.get("fami_person_id", ""), row.get("fami_family_id", "")
            if person and family:
                index.families.setdefault(person, []).append(family)
        for _line, row in tables.rows("ssd_cla_episodes"):
            if row.get("clae_person_id"):
                index.looked_after.add(row["clae_person_id"])
        for _line, row in tables.rows("ssd_mother"):
            mother, child = row.get("moth_person_id", ""), row.get("moth_childs_person_id", "")
            if mother and child:
                index.mothers.setdefault(child, mother)
        return index

    def _address(self, line: int, row: Row) -> None:
        person = row.get("addr_person_id", "")
        if not person:
            return
        raw = row.get("addr_address_json", "")
        parts = json_field(raw)
        problem = ""
        if raw and not isinstance(parts, dict):
            parts, problem = {}, raw
        parts = parts or {}
        text = ", ".join(str(parts[k]).strip() for k in ADDRESS_PARTS
                         if str(parts.get(k) or "").strip())
        found = Address(line, day(row.get("addr_address_start_date", "")),
                        day(row.get("addr_address_end_date", "")),
                        row.get("addr_address_postcode", ""), text,
                        str(parts.get("UPRN") or "").strip(), problem)
        current = self.addresses.get(person)
        if current is None or _later(found, current):
            self.addresses[person] = found


def _later(a: Address, b: Address) -> bool:
    """Is ``a`` a better 'current address' than ``b``: open beats ended, then latest start."""
    if bool(a.end) != bool(b.end):
        return not a.end
    return (a.start, a.end) > (b.start, b.end)


def people_rows(tables: SsdTables, index: PeopleIndex) -> Iterator[SourceRow]:
    for line, row in tables.rows(PERSON_TABLE):
        yield _person(line, row, index, tables)


def _person(line: int, row: Row, index: PeopleIndex, tables: SsdTables) -> SourceRow:
    where = tables.where(PERSON_TABLE)
    pid = row.get("pers_person_id", "")
    ids = index.identifiers.get(pid, {})
    nhs = row.get("pers_common_child_id", "") or _first(ids, NHS_TYPES)
    address = index.addresses.get(pid)
    named = bool(row.get("pers_forename") or row.get("pers_surname"))
    person = SourceRow("people", line, {
        "person_id": pid, "given_name": row.get("pers_forename", ""),
        "family_name": row.get("pers_surname", "") if named else "Unknown", "other_names": "",
        "date_of_birth": day(row.get("pers_dob", "")), "sex": _sex(row),
        "nhs_number": nhs, "postcode": address.postcode if address else "",
        "address": address.text if address else "", "uprn": address.uprn if address else "",
        "flags": "CARE_EXPERIENCED" if pid in index.looked_after else "",
    }, where, holds_names=named)
    extra: dict[str, Any] = {**unused(row, PERSON_USED), "source_format": FORMAT_NAME}
    upn = row.get("pers_upn", "") or _first(ids, UPN_TYPES)
    if upn:
        extra["upn"] = upn
    if pid in index.families:
        extra["family_ids"] = index.families[pid]
    if address is not None:
        extra["address_from"] = f"{tables.where('ssd_address')} row {address.line}"
    person.extra = extra
    _person_problems(person, row, address, line, tables)
    return person


def _person_problems(person: SourceRow, row: Row, address: Address | None, line: int,
                     tables: SsdTables) -> None:
    where = tables.where(PERSON_TABLE)
    if not person.values["person_id"]:
        person.problems.append(error(
            "people", line, "pers_person_id", "pers_person_id is empty",
            "Fill in pers_person_id (the person's identifier in the case management system) "
            f"and {tables.again}.", location=where))
    sex = row.get("pers_sex", "")
    if sex and sex.upper() not in {"M", "F", "U", "X", "MALE", "FEMALE", "UNKNOWN"}:
        person.problems.append(warning(
            "people", line, "pers_sex", "pers_sex is not an SSD sex code",
            "Use F, M or U; the person is imported with sex not recorded.", sex, where))
        person.values["sex"] = ""
    if address is not None and address.problem:
        person.problems.append(warning(
            "people", address.line, "addr_address_json", "addr_address_json is not a JSON "
            "object", 'Write the address as JSON, e.g. {"HOUSE": "1", "STREET": "High '
            'Street", "TOWN": "Anytown"}; the person is imported without the address.',
            address.problem, tables.where("ssd_address")))


def _sex(row: Row) -> str:
    sex = row.get("pers_sex", "")
    if sex:
        return sex
    return GENDER_CODES.get(row.get("pers_gender", ""), "")


def _first(ids: dict[str, list[str]], kinds: set[str]) -> str:
    for kind, values in ids.items():
        if kind in kinds and values:
            return values[0]
    return ""


def mother_rows(tables: SsdTables, births: dict[str, str]) -> Iterator[SourceRow]:
    """MOTHER_OF from each ssd_mother row; ``births`` gives children's dates of birth."""
    where = tables.where("ssd_mother")
    for line, row in tables.rows("ssd_mother"):
        mother, child = row.get("moth_person_id", ""), row.get("moth_childs_person_id", "")
        dob = day(row.get("moth_childs_dob", "")) or births.get(child, "")
        rel = SourceRow("relationships", line, {
            "person_id": mother, "related_person_id": child, "relationship": "MOTHER_OF",
            "valid_from": dob, "valid_to": "",
            "details": {"source_format": FORMAT_NAME,
                        **unused(row, {"moth_person_id", "moth_childs_person_id",
                                       "moth_childs_dob"})},
        }, where)
        for name, value in (("moth_person_id", mother), ("moth_childs_person_id", child)):
            if not value:
                rel.problems.append(error(
                    "relationships", line, name, f"{name} is empty",
                    f"Fill in {name} so the mother and child can be linked.", location=where))
        yield rel
