"""Who in a child's family is protected, and from whom: what the visibility gate
(``visibility.py``) needs to know about one reader and one child, read from the database.

- **Alleged perpetrators** of domestic abuse, as any agency recorded them: a person of the
  family flagged ``DA_PERPETRATOR``; the person of a relationship whose details say
  ``{"da_perpetrator": true}``; the related person (the suspect) of a ``DA_INCIDENT`` or
  ``MARAC_REFERRAL`` about someone of the family.
- **Victims**: a person flagged ``DA_VICTIM``; the related person of a relationship whose
  details say ``{"da_perpetrator": true}``, and the person of one that says
  ``{"da_victim": true}``; the subject of a ``DA_INCIDENT`` or ``MARAC_REFERRAL``; anyone with
  a record at a victim-support agency (a refuge, a domestic abuse service, a programme
  provider for victims).
- **Protected persons**: the victims and the children of each, never an alleged perpetrator.
- **Perpetrator-side reader**: the reader's agency recorded something about the family in
  the involvement period, and every such entry is about an alleged perpetrator or names one
  as its related person (probation supervising the father, victim liaison about the
  father's release), an incident recorded about a victim excepted (the police who answered
  her call). Such an agency learns nothing from joinedup of where the victim went.
- **Allocated children's social care**: the reader works for children's social care and is
  allocated to the child, or their team is.
- **Closed persons**: sealed persons of the family, other than the child in view, whose
  record the reader may not open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from joinedup.access.models import Allocation, Membership, Team
from joinedup.access.sealing import sealed_children
from joinedup.agencies.models import Agency
from joinedup.chronology.models import Event
from joinedup.people.models import PersonRecord, RelationshipRecord
from joinedup.people.names import record_name
from joinedup.people.network import relations_around
from joinedup.visibility import CHILDRENS_SOCIAL_CARE, VICTIM_SUPPORT_KINDS, Reader

PERPETRATOR_FLAG = "DA_PERPETRATOR"
VICTIM_FLAG = "DA_VICTIM"
PARENT_RELATIONSHIPS = ("MOTHER_OF", "FATHER_OF")


def family_of(child_id: int) -> set[int]:
    """The child and everyone the access policy's reach takes in around them."""

    reach = {child_id}
    for relation in relations_around(child_id):
        reach.update((relation.person_id, relation.related_id))
    return reach


INCIDENT_TYPES = ("DA_INCIDENT", "MARAC_REFERRAL")
"""Events recorded about the victim (the subject) with the suspect as related person."""


def domestic_abuse_parties(child_id: int, family: set[int]) -> tuple[set[int], set[int]]:
    """(alleged perpetrators, victims) of the family, as the module docstring says."""

    people = list(family)
    accused: set[int] = set()
    victims: set[int] = set()
    for pid, flags, kind in PersonRecord.objects.filter(person_id__in=people).values_list(
            "person_id", "flags", "agency__kind"):
        if PERPETRATOR_FLAG in (flags or []):
            accused.add(int(pid))
        if VICTIM_FLAG in (flags or []) or kind in VICTIM_SUPPORT_KINDS:
            victims.add(int(pid))
    for r in relations_around(child_id):
        details = r.details or {}
        if details.get("da_perpetrator") is True:
            accused.add(r.person_id)
            victims.add(r.related_id)
        if details.get("da_victim") is True:
            victims.add(r.person_id)
    for subject, suspect in (Event.objects.filter(
            is_current=True, event_type__in=INCIDENT_TYPES, subject__person_id__in=people,
            related_person__person_id__isnull=False)
            .values_list("subject__person_id", "related_person__person_id")):
        victims.add(int(subject))
        accused.add(int(suspect))
    return accused, victims - accused


def protected_persons(child_id: int, accused: set[int], victims: set[int]) -> set[int]:
    """The victims and their children, never an alleged perpetrator."""

    children = {r.related_id for r in relations_around(child_id)
                if r.relationship in PARENT_RELATIONSHIPS and r.person_id in victims}
    return (victims | children) - accused


def _current(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def _allocated(user: Any, child_id: int, on: dt.date) -> bool:
    teams = Team.objects.filter(members__user=user).values("id")
    return Allocation.objects.filter(_current(on), Q(user=user) | Q(team__in=teams),
                                     child_id=child_id).exists()


def perpetrator_side(agency_id: int, family: set[int], accused: set[int],
                     on: dt.date) -> bool:
    """Is every entry the agency recorded about the family, in the involvement period, about
    an alleged perpetrator, or about someone else only because of him (it names him as its
    related person: victim liaison about his release)? An incident recorded about a victim
    (``DA_INCIDENT``, ``MARAC_REFERRAL``) is about her, whoever it names: the police who
    answered her call are on her side of the family. False when it recorded nothing."""
    from joinedup.access.policy import involvement_days

    if not accused:
        return False
    since = on - dt.timedelta(days=involvement_days())
    people = list(family)
    rows = (Event.objects.filter(agency_id=agency_id, is_current=True, recorded_on__gte=since,
                                 recorded_on__lte=on)
            .filter(Q(subject__person_id__in=people) | Q(related_person__person_id__in=people))
            .values_list("subject__person_id", "related_person__person_id", "event_type"))
    seen = False
    for subject, related, event_type in rows.iterator():
        seen = True
        if subject in accused:
            continue
        if related in accused and event_type not in INCIDENT_TYPES:
            continue
        return False
    return seen


def _closed(user: Any, child_id: int, family: set[int], on: dt.date) -> frozenset[int]:
    from joinedup.access.policy import legitimate_reasons

    sealed = {int(p) for p in sealed_children().filter(child_id__in=list(family))
              .values_list("child_id", flat=True)} - {child_id}
    return frozenset(p for p in sealed if not legitimate_reasons(user, p, on))


def _own_names(agency_id: int, persons: set[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for pid, given, family in (PersonRecord.objects.filter(agency_id=agency_id,
                                                           person_id__in=list(persons))
                               .order_by("source_id")
                               .values_list("person_id", "given_name", "family_name")):
        if given or family:
            names.setdefault(int(pid), record_name(given, family))
    return names


def reader(user: Any, child_id: int, on: dt.date | None = None) -> Reader:
    """The :class:`Reader` ``user`` is for the record of ``child_id`` on ``on`` (today)."""

    day = on or timezone.localdate()
    row = (Membership.objects.filter(user=user)
           .values_list("agency_id", "agency__code", "agency__kind").first()
           if getattr(user, "pk", None) else None)
    family = family_of(child_id)
    closed = _closed(user, child_id, family, day) if getattr(user, "pk", None) else frozenset()
    if row is None:
        return Reader(child_id=child_id, closed=closed)
    agency_id, code, kind = row
    allocated_csc = kind == CHILDRENS_SOCIAL_CARE and _allocated(user, child_id, day)
    accused, victims = domestic_abuse_parties(child_id, family)
    protected = protected_persons(child_id, accused, victims)
    side = (not allocated_csc and kind not in VICTIM_SUPPORT_KINDS and bool(protected)
            and perpetrator_side(agency_id, family, accused, day))
    support = frozenset(Agency.objects.filter(kind__in=VICTIM_SUPPORT_KINDS)
                        .values_list("code", flat=True)) if side else frozenset()
    return Reader(agency=code, kind=kind, child_id=child_id, allocated_csc=allocated_csc,
                  perpetrator_side=side, protected=frozenset(protected), closed=closed,
                  own_names=_own_names(agency_id, protected) if side else {},
                  victim_support_agencies=support)


def may_be_protected(person_ids: Iterable[int]) -> set[int]:
    """Of these persons, those the gate might show differently to some reader: anyone
    recorded as a victim of domestic abuse (as :func:`domestic_abuse_parties` reads it), their
    children, and sealed persons. Lists (search results, names on work pages) build a full
    :class:`Reader` only for these: for everyone else every reader sees the same. Six
    queries whatever the number of persons."""

    wanted = {int(p) for p in person_ids}
    if not wanted:
        return set()
    parents = {int(child): int(parent) for child, parent in RelationshipRecord.objects.filter(
        is_current=True, relationship__in=PARENT_RELATIONSHIPS,
        related_person__person_id__in=wanted, person__person_id__isnull=False)
        .values_list("related_person__person_id", "person__person_id")}
    near = wanted | set(parents.values())
    marked = {int(pid) for pid, flags, kind in PersonRecord.objects.filter(person_id__in=near)
              .values_list("person_id", "flags", "agency__kind")
              if VICTIM_FLAG in (flags or []) or kind in VICTIM_SUPPORT_KINDS}
    marked |= {int(pid) for pid in Event.objects.filter(
        is_current=True, event_type__in=INCIDENT_TYPES, subject__person_id__in=near)
        .values_list("subject__person_id", flat=True)}
    marked |= {int(pid) for pid in RelationshipRecord.objects.filter(
        is_current=True, details__da_perpetrator=True, related_person__person_id__in=near)
        .values_list("related_person__person_id", flat=True)}
    marked |= {int(pid) for pid in RelationshipRecord.objects.filter(
        is_current=True, details__da_victim=True, person__person_id__in=near)
        .values_list("person__person_id", flat=True)}
    sealed = {int(p) for p in sealed_children().filter(child_id__in=wanted)
              .values_list("child_id", flat=True)}
    return {p for p in wanted if p in marked or parents.get(p) in marked} | sealed
