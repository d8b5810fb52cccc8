"""Finding linked persons and summarising what the agencies hold about each.

A person (after linkage) has one record at each agency that knows them. Commands and pages
name a person either by joinedup's person id (``5``) or by one agency's record
(``HV:HV-5510871``); :func:`resolve_person` accepts both. :func:`summaries` gives the name
most agencies use, the date of birth most agencies agree on, and every flag with the
agencies that set it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from joinedup.errors import NextStep, NotFoundError
from joinedup.people.models import Person, PersonRecord
from joinedup.people.names import record_name

ADULT_YEARS = 18


def _adult_cutoff(day: dt.date) -> dt.date:
    """Born on or before this day: 18 or over on ``day``."""
    if day.month == 2 and day.day == 29:
        return dt.date(day.year - ADULT_YEARS, 2, 28)
    return day.replace(year=day.year - ADULT_YEARS)


def children_only(persons: QuerySet[Person], on: dt.date) -> QuerySet[Person]:
    """The persons who are children on ``on``: under 18 by some agency's date of birth, or
    with no date of birth recorded at all (an unborn baby, a newborn not yet registered)."""
    young = PersonRecord.objects.filter(date_of_birth__gt=_adult_cutoff(on),
                                        person__isnull=False).values("person_id")
    dated = PersonRecord.objects.filter(date_of_birth__isnull=False,
                                        person__isnull=False).values("person_id")
    return persons.filter(Q(id__in=young) | ~Q(id__in=dated))


def is_child(person_id: int, on: dt.date) -> bool:
    """Is ``person_id`` a current person who is a child on ``on``? The child routes of
    every surface open only children; an adult appears only inside a child's record."""
    return children_only(Person.objects.filter(pk=person_id, retired_at__isnull=True),
                         on).exists()


@dataclass(frozen=True)
class RecordRef:
    agency: str
    source_person_id: str


@dataclass
class PersonSummary:
    person_id: int
    name: str
    date_of_birth: dt.date | None
    sex: str
    flags: dict[str, list[str]] = field(default_factory=dict)  # flag -> agencies
    records: list[RecordRef] = field(default_factory=list)
    other_names: list[str] = field(default_factory=list)

    def age_on(self, day: dt.date) -> int | None:
        """Whole years on ``day``; None when no date of birth is known."""
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def resolve_person(ref: str) -> int:
    """A person id from ``"5"`` or ``"AGENCY:SOURCE_PERSON_ID"``; NotFoundError otherwise."""
    text = ref.strip()
    if text.isdigit():
        if not Person.objects.filter(pk=int(text), retired_at__isnull=True).exists():
            raise NotFoundError(
                f"There is no person {text}.",
                next_step=NextStep.FIND_PERSON,
            )
        return int(text)
    agency, sep, source_id = text.partition(":")
    if not sep or not agency or not source_id:
        raise NotFoundError(
            f"{ref!r} is not a person. Give a person id (e.g. 5) or an agency's record as "
            "AGENCY:SOURCE_PERSON_ID (e.g. HV:HV-5510871)."
        )
    record = (PersonRecord.objects.filter(agency__code=agency.upper(), source_id=source_id)
              .values("person_id").first())
    if record is None:
        raise NotFoundError(
            f"Agency {agency.upper()} has no person record {source_id!r}. Check the agency "
            "code and the id as the agency sent it."
        )
    if record["person_id"] is None:
        raise NotFoundError(
            f"{agency.upper()}:{source_id} has not been linked yet. Link the agencies' "
            "records first.",
            next_step=NextStep.LINK_RECORDS,
        )
    return int(record["person_id"])


def summaries(person_ids: Iterable[int]) -> dict[int, PersonSummary]:
    """One summary per person id, from all of that person's records."""
    wanted = list(set(person_ids))
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for start in range(0, len(wanted), 500):
        rows = PersonRecord.objects.filter(person_id__in=wanted[start:start + 500]).values(
            "person_id", "agency__code", "source_id", "given_name", "family_name",
            "other_names", "date_of_birth", "sex", "flags",
        ).order_by("agency__code", "source_id")
        for row in rows:
            grouped[int(row["person_id"])].append(dict(row))
    return {pid: summarise(pid, rows) for pid, rows in grouped.items()}


def summarise(person_id: int, rows: list[dict[str, Any]]) -> PersonSummary:
    """Pure: the summary of one person's record rows (as from ``summaries``)."""
    names = Counter(  # a record with both names first; then a family name alone, then any
        record_name(r["given_name"], r["family_name"]) for r in rows
        if r["given_name"] and r["family_name"]
    ) or Counter(str(r["family_name"]) for r in rows if r["family_name"]) or Counter(
        record_name(r["given_name"], r["family_name"], r["other_names"], r["agency__code"],
                    r["source_id"]) for r in rows)
    births = Counter(r["date_of_birth"] for r in rows if r["date_of_birth"])
    sexes = Counter(str(r["sex"]) for r in rows if r["sex"] in ("M", "F", "X"))
    flags: dict[str, list[str]] = defaultdict(list)
    others: list[str] = []
    for r in rows:
        for flag in r["flags"] or []:
            if r["agency__code"] not in flags[flag]:
                flags[flag].append(str(r["agency__code"]))
        for other in r["other_names"] or []:
            if other not in others:
                others.append(str(other))
    # Most common first; ties go to the earliest in (agency, id) order, so output is stable.
    name = names.most_common(1)[0][0] if names else record_name("", "")
    born = births.most_common(1)[0][0] if births else None
    return PersonSummary(
        person_id=person_id,
        name=name,
        date_of_birth=born,
        sex=sexes.most_common(1)[0][0] if sexes else "U",
        flags=dict(sorted(flags.items())),
        records=[RecordRef(str(r["agency__code"]), str(r["source_id"])) for r in rows],
        other_names=others,
    )
