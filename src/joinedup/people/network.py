"""The family network: for each child, the adults (and other children) around them.

Every agency records relationships between its own records ("Daniel is the father of
Sienna"). After linkage those records belong to persons, so the statements of all agencies
can be put together. For a child this gives each person around them, their role, which
agencies know each relationship and its dates, and where agencies disagree.

Roles (docs/data-contract.md), worked out from a relationship ``A REL B`` ("A is the REL of B"):

- about the child C: ``X MOTHER_OF C`` mother, ``FATHER_OF`` father, ``CARER_OF`` kinship or
  foster carer (``{"foster": true}``), ``GRANDPARENT_OF`` grandparent, ``SIBLING_OF`` (either
  way) sibling, ``X HOUSEHOLD_MEMBER_OF C`` (or C of X) adult household member, or regular
  visitor when the details say ``{"regular_visitor": true}``;
- through a parent P: ``PARTNER_OF`` (either way) partner of a parent, ``EX_PARTNER_OF``
  ex-partner, ``X HOUSEHOLD_MEMBER_OF P`` household member, ``X MOTHER_OF/FATHER_OF P``
  grandparent, ``SIBLING_OF`` other relative (aunt or uncle), and another child of P a
  (half-)sibling.

A person can hold several roles: the father who is also the mother's ex-partner and, later,
her partner again. Men around the baby are listed exactly like mothers: nothing about a
father depends on him being recorded by children's social care.

Disagreements shown (each with the agencies and records that say so):

- different persons recorded as the child's mother, or as the child's father;
- the same two people recorded as partners by one agency and as former partners by another
  over overlapping dates;
- the same relationship with different "lives with" or "parental responsibility" details.

This module is pure computation over :class:`Relation` values; :func:`load_relations` reads
them from the database. The same roles for every child at once, in SQL, are
:mod:`joinedup.people.network_sql`'s.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

ROLE_LABELS: dict[str, str] = {
    "CHILD_SUBJECT": "child",
    "MOTHER": "mother",
    "FATHER": "father",
    "PARTNER_OF_PARENT": "partner of a parent",
    "EX_PARTNER": "former partner of a parent",
    "ADULT_HOUSEHOLD_MEMBER": "lives in the household",
    "REGULAR_VISITOR": "regular visitor",
    "GRANDPARENT": "grandparent",
    "OTHER_RELATIVE": "relative",
    "KINSHIP_CARER": "kinship carer",
    "FOSTER_CARER": "foster carer",
    "SIBLING": "brother or sister",
}
"""Plain words for each role, in order of precedence (a father who is also an ex-partner is
shown first as the father)."""

CARER_ROLES = frozenset({"MOTHER", "FATHER", "PARTNER_OF_PARENT", "ADULT_HOUSEHOLD_MEMBER",
                         "KINSHIP_CARER", "FOSTER_CARER"})
"""Roles of people who care for the child or live with them: the "carers" of the rules."""


@dataclass(frozen=True)
class Relation:
    """One agency's statement ``person_id REL related_id``, with persons already linked."""

    agency: str
    relationship: str
    person_id: int
    related_id: int
    person_record: str
    related_record: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    details: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def overlaps(self, other: Relation) -> bool:
        start = max(self.valid_from or dt.date.min, other.valid_from or dt.date.min)
        end = min(self.valid_to or dt.date.max, other.valid_to or dt.date.max)
        return start <= end


@dataclass
class Link:
    """Why a member has a role: the role and the agency statement behind it."""

    role: str
    relation: Relation


@dataclass
class Member:
    person_id: int
    links: list[Link] = field(default_factory=list)

    @property
    def roles(self) -> list[str]:
        found = {link.role for link in self.links}
        return [role for role in ROLE_LABELS if role in found]

    @property
    def role(self) -> str:
        return self.roles[0]

    @property
    def agencies(self) -> list[str]:
        return sorted({link.relation.agency for link in self.links})

    @property
    def since(self) -> dt.date | None:
        dates = [link.relation.valid_from for link in self.links]
        return None if any(d is None for d in dates) else min(d for d in dates if d)

    @property
    def until(self) -> dt.date | None:
        dates = [link.relation.valid_to for link in self.links]
        return None if any(d is None for d in dates) else max(d for d in dates if d)

    def current_on(self, day: dt.date) -> bool:
        """True if any statement of the member's role holds on ``day``."""
        return any((r.valid_from is None or r.valid_from <= day)
                   and (r.valid_to is None or day <= r.valid_to)
                   for r in (link.relation for link in self.links))


@dataclass
class Conflict:
    kind: str
    text: str
    relations: list[Relation]


@dataclass
class Network:
    child_id: int
    members: list[Member]
    conflicts: list[Conflict]

    def with_role(self, *roles: str) -> list[Member]:
        return [m for m in self.members if set(m.roles) & set(roles)]


_DIRECT = {"MOTHER_OF": "MOTHER", "FATHER_OF": "FATHER", "GRANDPARENT_OF": "GRANDPARENT"}


def _says(details: dict[str, Any], key: str) -> bool:
    """A yes/no detail: JSON true, or the words true, yes or 1 (as
    :mod:`joinedup.people.network_sql` reads it)."""
    return str(details.get(key, "")).strip().lower() in ("true", "yes", "1")


def _direct_role(rel: Relation) -> str | None:
    """The role of ``rel.person_id`` towards the child ``rel.related_id``."""
    if rel.relationship in _DIRECT:
        return _DIRECT[rel.relationship]
    if rel.relationship == "CARER_OF":
        return "FOSTER_CARER" if _says(rel.details, "foster") else "KINSHIP_CARER"
    if rel.relationship == "SIBLING_OF":
        return "SIBLING"
    if rel.relationship == "HOUSEHOLD_MEMBER_OF":
        return "REGULAR_VISITOR" if _says(rel.details, "regular_visitor") \
            else "ADULT_HOUSEHOLD_MEMBER"
    return None


def _via_parent_role(rel: Relation, parent: int) -> tuple[int, str] | None:
    """(other person, role) for a statement involving a parent of the child."""
    other = rel.related_id if rel.person_id == parent else rel.person_id
    kind = rel.relationship
    if kind == "PARTNER_OF":
        return other, "PARTNER_OF_PARENT"
    if kind == "EX_PARTNER_OF":
        return other, "EX_PARTNER"
    if kind == "SIBLING_OF":
        return other, "OTHER_RELATIVE"
    if kind == "HOUSEHOLD_MEMBER_OF" and rel.person_id == other:
        return other, "REGULAR_VISITOR" if _says(rel.details, "regular_visitor") \
            else "ADULT_HOUSEHOLD_MEMBER"
    if kind in ("MOTHER_OF", "FATHER_OF") and rel.related_id == parent:
        return other, "GRANDPARENT"
    return None


class RelationIndex:
    """Relations by the persons they mention, to build many networks quickly."""

    def __init__(self, relations: Iterable[Relation]) -> None:
        self.by_person: dict[int, list[Relation]] = defaultdict(list)
        for rel in relations:
            if rel.person_id == rel.related_id:
                continue  # both records linked to one person: nothing to say
            self.by_person[rel.person_id].append(rel)
            self.by_person[rel.related_id].append(rel)

    def children(self) -> set[int]:
        """Persons someone is recorded as mother, father or carer of."""
        return {rel.related_id for rels in self.by_person.values() for rel in rels
                if rel.relationship in ("MOTHER_OF", "FATHER_OF", "CARER_OF")}

    def network(self, child_id: int) -> Network:
        members: dict[int, Member] = {}

        def add(person: int, role: str, rel: Relation) -> None:
            if person == child_id:
                return
            member = members.setdefault(person, Member(person))
            if not any(link.role == role and link.relation == rel for link in member.links):
                member.links.append(Link(role, rel))

        for rel in self.by_person.get(child_id, []):
            if rel.related_id == child_id:
                role = _direct_role(rel)
                if role:
                    add(rel.person_id, role, rel)
            elif rel.relationship == "SIBLING_OF":
                add(rel.related_id, "SIBLING", rel)
            elif rel.relationship == "HOUSEHOLD_MEMBER_OF":
                add(rel.related_id, "ADULT_HOUSEHOLD_MEMBER", rel)
        parents = [p for p, m in members.items() if {"MOTHER", "FATHER"} & set(m.roles)]
        for parent in parents:
            for rel in self.by_person.get(parent, []):
                if child_id in (rel.person_id, rel.related_id):
                    continue
                if rel.person_id == parent and rel.relationship in ("MOTHER_OF", "FATHER_OF"):
                    add(rel.related_id, "SIBLING", rel)  # another child of this parent
                    continue
                found = _via_parent_role(rel, parent)
                if found:
                    add(*found, rel)
        ordered = sorted(members.values(),
                         key=lambda m: (list(ROLE_LABELS).index(m.role), m.person_id))
        return Network(child_id, ordered, _conflicts(child_id, ordered))


def _conflicts(child_id: int, members: list[Member]) -> list[Conflict]:
    found: list[Conflict] = []
    for role, word in (("MOTHER", "mother"), ("FATHER", "father")):
        holders = [m for m in members if any(
            link.role == role and link.relation.related_id == child_id for link in m.links)]
        if len(holders) > 1:
            rels = [link.relation for m in holders for link in m.links if link.role == role
                    and link.relation.related_id == child_id]
            says = "; ".join(f"{r.agency} says person {r.person_id}" for r in rels)
            found.append(Conflict(f"two_{word}s", f"Agencies disagree about who the {word} "
                                  f"is: {says}.", rels))
    for member in members:
        rels = [link.relation for link in member.links]
        partners = [r for r in rels if r.relationship == "PARTNER_OF"]
        former = [r for r in rels if r.relationship == "EX_PARTNER_OF"]
        clashing = [(p, f) for p in partners for f in former
                    if {p.person_id, p.related_id} == {f.person_id, f.related_id}
                    and p.overlaps(f)]
        if clashing:
            involved = list(dict.fromkeys(r for pair in clashing for r in pair))
            now = sorted({p.agency for p, _ in clashing})
            before = sorted({f.agency for _, f in clashing})
            found.append(Conflict(
                "partner_status",
                f"Person {member.person_id}: {', '.join(now)} record a current partner; "
                f"{', '.join(before)} record a former partner, over the same dates.",
                involved))
        for key, words in (("lives_with", "lives with the child"),
                           ("parental_responsibility", "has parental responsibility")):
            stated = [r for r in rels if r.related_id == child_id and key in r.details]
            values = {bool(r.details[key]) for r in stated}
            if len(values) > 1:
                yes = sorted({r.agency for r in stated if r.details[key]})
                no = sorted({r.agency for r in stated if not r.details[key]})
                found.append(Conflict(
                    key, f"Person {member.person_id}: {', '.join(yes)} say they {words}; "
                    f"{', '.join(no)} say not.", stated))
    return found


def touching(person_ids: Iterable[int], one: str = "person_id",
             other: str = "related_person_id") -> Any:
    """A filter for rows whose ``one`` or ``other`` person record belongs to one of
    ``person_ids``. The records are looked up first (an indexed query) and matched by id: an
    OR across two joins to the person records can use no index, and made every case page
    scan all the partnership's relationships (docs/benchmarks.md, web pages under load)."""
    from django.db.models import Q

    from joinedup.people.models import PersonRecord

    records = list(PersonRecord.objects.filter(person_id__in=list(person_ids))
                   .values_list("id", flat=True))
    return Q(**{f"{one}__in": records}) | Q(**{f"{other}__in": records})


def load_relations(person_ids: Iterable[int] | None = None) -> list[Relation]:
    """Current relationship records whose two records are both linked to persons; only
    those mentioning one of ``person_ids`` when given."""
    from joinedup.people.models import RelationshipRecord

    query = RelationshipRecord.objects.filter(
        is_current=True, person__person__isnull=False, related_person__person__isnull=False)
    if person_ids is not None:
        query = query.filter(touching(person_ids))
    rows = (query.values_list("agency__code", "relationship", "person__person_id",
                              "related_person__person_id", "person__source_id",
                              "related_person__source_id", "valid_from", "valid_to", "details")
            .order_by("agency__code", "id"))
    return [Relation(a, rel, int(p), int(r), pr, rr, vf, vt, d or {})
            for a, rel, p, r, pr, rr, vf, vt, d in rows]


_remembered: ContextVar[dict[tuple[str, int], Any] | None] = ContextVar("networks",
                                                                       default=None)


@contextmanager
def networks_remembered() -> Iterator[None]:
    """Inside the block each child's network is read once (:func:`relations_around`,
    :func:`network_for`): a page, its access check and the words of its reasons all ask for
    it. Only around work that reads (the web server uses it for GET requests): a change to
    relationships inside the block would not be seen."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def _remember(kind: str, child_id: int, read: Any) -> Any:
    remembered = _remembered.get()
    if remembered is None:
        return read(child_id)
    if (kind, child_id) not in remembered:
        remembered[kind, child_id] = read(child_id)
    return remembered[kind, child_id]


def network_for(child_id: int) -> Network:
    """The network of one child, from the relationships two steps around them."""
    return _remember("network", child_id, lambda child: RelationIndex(
        relations_around(child)).network(child))  # type: ignore[no-any-return]


def relations_around(child_id: int) -> list[Relation]:
    """The current relationships (between linked records) that mention the child, and those
    that mention one of the child's parents, in a fixed order: what :func:`network_for` is
    worked out from, and the reach of the access policy (``access/policy.py``)."""
    return _remember("relations", child_id, _read_relations)  # type: ignore[no-any-return]


def _read_relations(child_id: int) -> list[Relation]:
    near = load_relations([child_id])
    parents = {r.person_id for r in near
               if r.related_id == child_id and r.relationship in ("MOTHER_OF", "FATHER_OF")}
    relations = set(near) | set(load_relations(parents)) if parents else set(near)
    return sorted(relations, key=lambda r: (r.agency, r.person_record, r.related_record,
                                            r.relationship))
