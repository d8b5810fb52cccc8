"""Stored person records as linkage reads them: one dict per record with the input columns
of ``linkage/features.py`` (``unique_id`` is the record's id). ``linking.py`` reads every
record this way, a chunk at a time (:func:`in_chunks`), to train and score;
``family_links.py`` reads the few it needs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from joinedup.people.linkage import features, shared_number
from joinedup.people.models import PersonRecord

RECORD_FIELDS = ("id", "agency__code", "given_name", "family_name", "other_names",
                 "date_of_birth", "sex", "nhs_number", "postcode", "address", "uprn")


def as_input(row: dict[str, Any]) -> dict[str, Any]:
    """One row of ``PersonRecord.objects.values(*RECORD_FIELDS, *WRITTEN_COLUMNS)``."""
    dob = row["date_of_birth"]
    return {
        "unique_id": row["id"], "agency": row["agency__code"],
        **{column: row[column] for column in features.WRITTEN_COLUMNS},
        "given_name": row["given_name"], "family_name": row["family_name"],
        "other_names": list(row["other_names"] or []),
        "date_of_birth": dob.isoformat() if dob else None, "sex": row["sex"],
        "nhs_number": row["nhs_number"], "postcode": row["postcode"],
        "address": row["address"], "uprn": row["uprn"],
    }


def _rows(query: Any = None) -> Iterator[dict[str, Any]]:
    """Every record of ``query`` (all records by default) in id order, as linkage's input;
    read through Django's iterator, so it does not keep every row it read as well."""
    rows = (query if query is not None else PersonRecord.objects).values(
        *RECORD_FIELDS, *features.WRITTEN_COLUMNS)
    return (as_input(r) for r in rows.order_by("id").iterator(chunk_size=5000))


def records(query: Any = None) -> list[dict[str, Any]]:
    """Every record of ``query`` (all records by default), in id order."""
    return list(_rows(query))


def in_chunks(size: int = 100_000) -> Iterator[list[dict[str, Any]]]:
    """Every record in id order, ``size`` at a time: for preparing a million records
    without holding them all as read (a gigabyte) at once."""
    rows = _rows()
    while chunk := list(islice(rows, size)):
        yield chunk


def records_by_id(ids: Iterable[int], size: int = 900) -> dict[int, dict[str, Any]]:
    """The records with these ids, by id, read a few hundred at a time."""
    wanted = sorted(set(ids))
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(wanted), size):
        for row in records(PersonRecord.objects.filter(id__in=wanted[start:start + size])):
            found[row["unique_id"]] = row
    return found


def of_record(record: PersonRecord) -> dict[str, Any]:
    """One record already read, as linkage's input."""
    row = {name: getattr(record, name) for name in RECORD_FIELDS if "__" not in name}
    row["id"], row["agency__code"] = record.pk, record.agency.code
    row.update({column: getattr(record, column) for column in features.WRITTEN_COLUMNS})
    return as_input(row)


def same_numbers(rows: Iterable[dict[str, Any]], size: int = 900) -> list[dict[str, Any]]:
    """The other records holding the NHS numbers of these records (linkage's input dicts):
    what fills their blanks (``linkage/shared_number.py``)."""
    given = list(rows)
    ids = {r["unique_id"] for r in given}
    numbers = sorted({r["nhs_number"] for r in given if r["nhs_number"]})
    found: list[dict[str, Any]] = []
    for start in range(0, len(numbers), size):
        found += [r for r in records(PersonRecord.objects.filter(
            nhs_number__in=numbers[start:start + size])) if r["unique_id"] not in ids]
    return found


def prepared(rows: Iterable[dict[str, Any]]) -> Any:
    """These records prepared as linkage compares them: blanks filled from the other records
    holding their NHS numbers (``linkage/shared_number.py``)."""
    given = list(rows)
    others = same_numbers(given)
    return shared_number.fill(features.prepare(given),
                              features.prepare(others) if others else None)
