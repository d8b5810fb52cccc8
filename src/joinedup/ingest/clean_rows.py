"""A row of a return once checked: the clean values each table's row becomes
(:mod:`joinedup.ingest.validation` makes them; staging stores them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class CleanPerson:
    row_number: int
    source_id: str
    given_name: str
    family_name: str
    other_names: list[str]
    date_of_birth: dt.date | None
    sex: str
    nhs_number: str
    postcode: str
    address: str
    flags: list[str]
    extra: dict[str, Any]
    content_hash: str = ""
    content_json: str = ""
    date_of_birth_text: str = ""  # as written, when it could not be read as a date
    nhs_number_text: str = ""  # as written, when not valid (in content() only if kept)
    uprn: str = ""  # in content() only if sent, so records without one keep their hash

    def content(self) -> dict[str, Any]:
        content = {
            "person_id": self.source_id, "given_name": self.given_name,
            "family_name": self.family_name, "other_names": self.other_names,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None,
            "sex": self.sex, "nhs_number": self.nhs_number, "postcode": self.postcode,
            "address": self.address, "flags": self.flags, "extra": self.extra,
        }
        content.update({key: getattr(self, key) for key in ("date_of_birth_text",
                        "nhs_number_text", "uprn") if getattr(self, key)})
        return content


@dataclass(slots=True)
class CleanEvent:
    row_number: int
    source_id: str
    person_id: str
    event_type: str
    occurred_at: dt.datetime
    occurred_time_known: bool
    recorded_at: dt.datetime
    summary: str
    related_person_id: str
    details: dict[str, Any]
    extra: dict[str, Any]
    content_hash: str = ""


@dataclass(slots=True)
class CleanRelationship:
    row_number: int
    person_id: str
    related_person_id: str
    relationship: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    details: dict[str, Any]
    content_hash: str = ""

    @property
    def source_key(self) -> str:
        return f"{self.person_id}|{self.related_person_id}|{self.relationship}"


Clean = CleanPerson | CleanEvent | CleanRelationship
