"""The NHS number as the consistent identifier for children.

The Children's Wellbeing and Schools Act 2026 adds s16LC to the Children Act 2004: those who
process information about children must use a consistent identifier for them, which will be
the NHS number. joinedup reports how far each agency is from that, and where agencies
disagree:

    nhs_coverage()        each agency's share of its child records with a valid NHS number
    nhs_conflicts()       persons whose records carry two or more different valid NHS numbers
    agreed_nhs_numbers()  per person: the one valid number all its records agree on, if any
    conflicting_numbers() do two records hold valid, different NHS numbers?

A valid NHS number has ten digits and a correct Modulus 11 check digit (the check linkage
uses, ``linkage/features.py``); a number that failed it at loading is kept as written
(``nhs_number_text``) and counted as invalid. A child record is a record of a person who
is a child today (:func:`joinedup.people.directory.children_only`: under 18 by some
agency's date of birth, or with no date of birth at all); a record not linked to a person
yet is not counted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from joinedup.agencies.models import Agency
from joinedup.people.directory import children_only
from joinedup.people.linkage.features import nhs_number as valid_nhs_number
from joinedup.people.models import Person, PersonRecord

__all__ = ["AgencyCoverage", "NhsConflict", "agreed_nhs_numbers", "conflicting_numbers",
           "nhs_conflicts", "nhs_coverage", "valid_nhs_number"]


@dataclass(frozen=True)
class AgencyCoverage:
    """One agency's child records and how many carry a valid NHS number."""

    agency: str
    agency_name: str
    child_records: int
    with_valid_number: int
    with_invalid_number: int

    @property
    def share(self) -> float | None:
        """The share with a valid NHS number; None for an agency with no child records."""
        return self.with_valid_number / self.child_records if self.child_records else None

    @property
    def without_number(self) -> int:
        return self.child_records - self.with_valid_number - self.with_invalid_number


@dataclass(frozen=True)
class ConflictRecord:
    record_id: int
    agency: str
    source_id: str
    nhs_number: str
    """The valid number as written on the record, spaces and hyphens removed."""


@dataclass
class NhsConflict:
    """A person whose agencies hold different valid NHS numbers for them."""

    person_id: int
    records: list[ConflictRecord] = field(default_factory=list)

    @property
    def numbers(self) -> list[str]:
        return sorted({r.nhs_number for r in self.records})

    def holders(self, number: str) -> list[ConflictRecord]:
        return [r for r in self.records if r.nhs_number == number]


def conflicting_numbers(number_a: str | None, number_b: str | None) -> bool:
    """Both records hold a valid NHS number, and the numbers differ."""
    a, b = valid_nhs_number(number_a), valid_nhs_number(number_b)
    return a is not None and b is not None and a != b


def nhs_coverage(on: dt.date) -> list[AgencyCoverage]:
    """Every agency's child records on ``on``, with and without a valid NHS number."""
    children = children_only(Person.objects.filter(retired_at__isnull=True), on)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    rows = PersonRecord.objects.filter(person__in=children.values("id")).values_list(
        "agency_id", "nhs_number", "nhs_number_text")
    for agency_id, number, as_written in rows.iterator(chunk_size=5000):
        tally = counts[agency_id]
        tally[0] += 1
        if valid_nhs_number(number):
            tally[1] += 1
        elif number or as_written:
            tally[2] += 1
    return [
        AgencyCoverage(agency=a.code, agency_name=a.name, child_records=counts[a.pk][0],
                       with_valid_number=counts[a.pk][1], with_invalid_number=counts[a.pk][2])
        for a in Agency.objects.order_by("code") if a.pk in counts
    ]


def _persons_with_several_numbers() -> list[int]:
    """Persons whose records hold more than one NHS number as written (a superset of those
    with more than one valid number: the database finds them, the check digit is ours)."""
    return list(PersonRecord.objects.filter(person__retired_at__isnull=True)
                .exclude(person__isnull=True).exclude(nhs_number="")
                .values("person_id").annotate(numbers=Count("nhs_number", distinct=True))
                .filter(numbers__gt=1).order_by("person_id").values_list("person_id", flat=True))


def nhs_conflicts() -> list[NhsConflict]:
    """Current persons whose records carry two or more distinct valid NHS numbers, by
    person id; each with the records that hold a valid number."""
    candidates = _persons_with_several_numbers()
    found: dict[int, NhsConflict] = {}
    for start in range(0, len(candidates), 900):
        rows = (PersonRecord.objects.filter(person_id__in=candidates[start:start + 900])
                .exclude(nhs_number="").order_by("person_id", "agency__code", "source_id")
                .values_list("person_id", "id", "agency__code", "source_id", "nhs_number"))
        for person_id, record_id, agency, source_id, written in rows:
            number = valid_nhs_number(written)
            if number:
                found.setdefault(person_id, NhsConflict(person_id)).records.append(
                    ConflictRecord(record_id, agency, source_id, number))
    return [c for _, c in sorted(found.items()) if len(c.numbers) > 1]


def agreed_nhs_numbers() -> dict[int, tuple[str | None, bool]]:
    """Person id -> (the agreed NHS number, conflict). The agreed number is the one valid
    number every record of the person that holds a valid number agrees on; None, with
    conflict True, when they disagree; None, False when no record holds a valid number
    (persons with no valid number are left out)."""
    numbers: dict[int, set[str]] = defaultdict(set)
    rows = PersonRecord.objects.filter(person__isnull=False).exclude(nhs_number="").values_list(
        "person_id", "nhs_number")
    for person_id, written in rows.iterator(chunk_size=5000):
        number = valid_nhs_number(written)
        if number:
            numbers[person_id].add(number)
    return {pid: (next(iter(found)), False) if len(found) == 1 else (None, True)
            for pid, found in numbers.items()}
