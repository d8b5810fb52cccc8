"""Possible twins at one home (``linkage/home_twins.py``) and each record's NHS number,
read from the database for grouping records into persons (``family_links.cluster``) and
for the review queue's reasons.

    first_look()     every record's birth date, given name, sex, NHS number and agency, once
    twins_at_home()  possible twins at one home among pairs of records
    twins_between()  the same for two records already read
    twins_among()    the same for many pairs of records already read, at once
    nhs_numbers()    each record's valid NHS number
    NamesOnNumbers   the names written with each NHS number, read once per number
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

from joinedup.people import record_rows
from joinedup.people.linkage import features, home_twins, shared_number
from joinedup.people.linkage.births import PossibleTwins
from joinedup.people.linkage.given_names import Name, name_of, names_by_number
from joinedup.people.models import PersonRecord

Look = dict[int, dict[str, Any]]
"""Each record's date of birth (and the date as written where it could not be read), given
name, sex, NHS number and agency as recorded, by record id."""


def first_look() -> Look:
    """Every record's values that the grouping's rules look at first, in one read. A blank
    date of birth is the one linkage compares: from the other records with its NHS number
    (``linkage/shared_number.py``)."""
    rows = PersonRecord.objects.values_list(
        "id", "date_of_birth", "given_name", "sex", "nhs_number", "date_of_birth_text",
        "agency_id").iterator(chunk_size=20000)
    seen: Look = {rid: {"date_of_birth": dob, "given_name": given, "sex": sex, "nhs_number": nhs,
                        "date_of_birth_text": text, "agency": agency}
                  for rid, dob, given, sex, nhs, text, agency in rows}
    for rid, filled in _filled_dates(seen).items():
        seen[rid]["date_of_birth"] = dt.date.fromisoformat(filled)
    return seen


def _filled_dates(seen: Look) -> dict[int, str]:
    """The dates filled through the NHS number, read from the records holding one."""
    numbers = nhs_numbers(seen)
    ids = list(numbers)
    table = pa.table({
        "unique_id": pa.array(ids, pa.int64()),
        "nhs": pa.array([numbers[rid] for rid in ids], pa.string()),
        "dob": pa.array([features.iso_date(seen[rid]["date_of_birth"]) for rid in ids],
                        pa.string()),
        "dob_text": pa.array([seen[rid]["date_of_birth_text"] or None for rid in ids],
                             pa.string())})
    return shared_number.filled_dates(table)


def nhs_numbers(look: Look | None = None) -> dict[int, str]:
    """Each record's valid NHS number, where it holds one."""
    seen = first_look() if look is None else look
    return {rid: number for rid, row in seen.items()
            if row["nhs_number"] and (number := features.nhs_number(row["nhs_number"]))}


class NamesOnNumbers:
    """The names written on every record holding each valid NHS number (what the twins rules
    know a child by: ``linkage/given_names.py``), read from the database once per number."""

    def __init__(self) -> None:
        self._known: dict[str, list[Name]] = {}

    def __call__(self, numbers: Iterable[str | None]) -> dict[str, list[Name]]:
        wanted = {n for n in numbers if n and features.nhs_number(n)}
        self._read(sorted(wanted - self._known.keys()))
        return {number: self._known[number] for number in wanted if self._known[number]}

    def _read(self, numbers: list[str]) -> None:
        for start in range(0, len(numbers), 900):
            chunk = numbers[start:start + 900]
            found = names_by_number(
                (number, name_of(given, family)) for number, given, family in
                PersonRecord.objects.filter(nhs_number__in=chunk).order_by("id").values_list(
                    "nhs_number", "given_name", "family_name"))
            self._known.update({number: found.get(number, []) for number in chunk})


def twins_at_home(pairs: list[tuple[int, int]], look: Look | None = None,
                  numbers: dict[int, str] | None = None,
                  prepared: pa.Table | None = None) -> list[PossibleTwins]:
    """Possible twins at one home (``linkage/home_twins.py``) among these pairs of records:
    a first look at the values as recorded, then the few pairs it leaves read in full, with
    the names written with their NHS numbers (:class:`NamesOnNumbers`). ``numbers``:
    :func:`nhs_numbers`, where already found; ``prepared``: every record as linkage compares
    it (blanks filled through shared NHS numbers), where a linkage run holds them already."""
    if not pairs:
        return []
    seen = first_look() if look is None else look
    maybe = [(a, b) for a, b in pairs if home_twins.might_be_twins(seen[a], seen[b])]
    needed = {record for pair in maybe for record in pair}
    if not needed:
        return []
    held = nhs_numbers(seen) if numbers is None else numbers
    names = NamesOnNumbers()(held[record] for record in needed if record in held)
    return home_twins.home_twins(_prepared_rows(needed, prepared), maybe, names)


def _prepared_rows(needed: set[int], prepared: pa.Table | None) -> dict[int, dict[str, Any]]:
    """These records as linkage compares them: taken from ``prepared`` where given, else read
    and prepared (by id even for half of all records: measured faster than reading all)."""
    if prepared is not None:
        table = features.split(prepared, needed)[0]
    else:
        table = record_rows.prepared(record_rows.records_by_id(needed).values())
    return {row["unique_id"]: row for row in table.to_pylist()}


def twins_between(a: PersonRecord, b: PersonRecord, names: NamesOnNumbers | None = None
                  ) -> PossibleTwins | None:
    """Possible twins at one home between two records (``linkage/home_twins.py``), each
    known by every name written with its NHS number (``names``: those already read)."""
    return twins_among([(a, b)], names)[0]


def twins_among(pairs: Sequence[tuple[PersonRecord, PersonRecord]],
                names: NamesOnNumbers | None = None) -> list[PossibleTwins | None]:
    """:func:`twins_between` for each pair of records already read, in order: the records
    the first look leaves are prepared together, once each (the review queue's pairs)."""
    left = [index for index, (a, b) in enumerate(pairs) if _worth_reading(a, b)]
    needed = {r.pk: r for index in left for r in pairs[index]}
    rows = {row["unique_id"]: row for row in record_rows.prepared(
        record_rows.of_record(r) for r in needed.values()).to_pylist()} if needed else {}
    known = names or NamesOnNumbers()
    found: list[PossibleTwins | None] = [None] * len(pairs)
    for index in left:
        a, b = pairs[index]
        first, second = rows[a.pk], rows[b.pk]
        if _fillable(a, b) and not home_twins.might_be_twins(first, second):
            continue  # the date as compared
        found[index] = home_twins.twins_at_home(first, second,
                                                known((a.nhs_number, b.nhs_number)))
    return found


def _fillable(a: PersonRecord, b: PersonRecord) -> bool:
    """Only a blank date on a record with an NHS number can change by filling."""
    return any(r.date_of_birth is None and r.nhs_number for r in (a, b))


def _worth_reading(a: PersonRecord, b: PersonRecord) -> bool:
    """Whether the pair may be twins: where filling can change nothing, the cheap look at
    the values as recorded decides before anything more is read."""
    return _fillable(a, b) or home_twins.might_be_twins(*(
        {"date_of_birth": r.date_of_birth, "date_of_birth_text": r.date_of_birth_text,
         "given_name": r.given_name, "sex": r.sex, "nhs_number": r.nhs_number,
         "agency": r.agency_id}
        for r in (a, b)))
