"""Finding the agencies, persons and dates an action names, with plain messages.

Requests and meetings are entered by people, so a mistyped agency code or a person id
that linkage has since retired must be refused with a message saying what to do, not a
database error.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from joinedup.agencies.models import Agency
from joinedup.errors import ActionError, NextStep, NotFoundError
from joinedup.people.models import Person


def find_agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code.strip().upper()).first()
    if agency is None:
        known = ", ".join(Agency.objects.values_list("code", flat=True)) or "none yet"
        raise NotFoundError(f"There is no agency with code {code.strip()!r} "
                            f"(registered: {known}).")
    return agency


def find_agencies(codes: list[str]) -> list[Agency]:
    """Every agency named, in the order given, once each; all unknown codes in one message."""
    wanted = list(dict.fromkeys(c.strip().upper() for c in codes if c.strip()))
    found = {a.code: a for a in Agency.objects.filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        known = ", ".join(Agency.objects.values_list("code", flat=True)) or "none yet"
        raise NotFoundError(f"There is no agency with code {', '.join(unknown)} "
                            f"(registered: {known}).")
    return [found[c] for c in wanted]


def find_person(person_id: int, what: str = "person") -> Person:
    person = Person.objects.filter(pk=person_id, retired_at__isnull=True).first()
    if person is None:
        raise NotFoundError(
            f"There is no {what} with person id {person_id}.",
            next_step=NextStep.FIND_PERSON,
        )
    return person


def today() -> dt.date:
    """Today in England (the date a practitioner means by "today")."""
    return timezone.localdate()


def not_in_future(day: dt.date, what: str) -> dt.date:
    """Refuse a date after today: the chronology records what has happened."""
    if day > today():
        raise ActionError(f"The {what} {day.isoformat()} is in the future; give the date it "
                          "actually happened.")
    return day


def require_text(value: str, what: str, detail: str = "") -> str:
    """``value`` stripped; refused when empty. ``detail`` names it for the next step."""
    text = (value or "").strip()
    if not text:
        raise ActionError(f"A {what} is required.",
                          next_step=NextStep.GIVE_DETAIL(detail=detail) if detail else None)
    return text


def require_who(who: str) -> str:
    """Who did it: kept with every change, so it may not be empty."""
    return require_text(who, "name of who did this (who)")


