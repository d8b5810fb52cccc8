"""Data stewards' looks at people's identifiers, written to the audit trail per child.

Working out who is who (linkage review, splitting a person, fixing rows kept back) means
seeing names, dates of birth, NHS numbers and postcodes of adults and children. Each look
is accountable like a look at a child's record: :func:`record_look` writes one
``view_identifiers`` entry for every child the people shown concern, so the look appears
under "who looked at this child" (``audit.who_looked_at``), with the reason the steward
gave for the sitting. A child concerned is:

- the person shown, when they are a child (under 18 by some agency's date of birth today,
  or with no date of birth recorded: an unborn or newly born baby);
- every child in whose family network the person shown appears (``people/network.py``: a
  parent, carer, grandparent, sibling, household member, a parent's partner or former
  partner, ...).

One more entry, about no child, records the page itself: its address, every person shown,
the sealed persons kept hidden, and the children concerned.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.access import audit
from joinedup.access.models import AuditAction
from joinedup.people.directory import children_only
from joinedup.people.models import Person
from joinedup.people.network import RelationIndex, load_relations


def children_among(person_ids: Iterable[int], today: dt.date | None = None) -> set[int]:
    """Which of these persons are children today (``people.directory.children_only``: under
    18 by some agency's date of birth, or with no date of birth recorded by any agency)."""

    wanted = set(person_ids)
    if not wanted:
        return set()
    return {int(pid) for pid in children_only(Person.objects.filter(pk__in=wanted),
                                              today or timezone.localdate())
            .values_list("pk", flat=True)}


def children_concerned(person_ids: Iterable[int], today: dt.date | None = None
                       ) -> dict[int, set[int]]:
    """For each person: the children whose family network they appear in, and themselves
    when a child. Three queries whatever the number of persons: the relationships of the
    persons, those of everyone related to them (a child's parent is one step from the
    child's other relatives), and the dates of birth of everyone met."""
    shown = {int(p) for p in person_ids}
    found: dict[int, set[int]] = {p: set() for p in shown}
    if not shown:
        return found
    near = load_relations(shown)
    related = {p for r in near for p in (r.person_id, r.related_id)} - shown
    relations = set(near) | (set(load_relations(related)) if related else set())
    index = RelationIndex(relations)
    met = shown | {p for r in relations for p in (r.person_id, r.related_id)}
    for child in children_among(met, today):
        if child in shown:
            found[child].add(child)
        # only the relationships around the persons shown are loaded, which is enough to
        # tell whether each of them is in this child's network (directly, or through a
        # parent of the child, whose relationships are loaded)
        members = {m.person_id for m in index.network(child).members} & shown
        for person in members:
            found[person].add(child)
    return found


def record_look(actor: Any, *, reason: str, address: str, persons: Iterable[int],
                sealed_hidden: Iterable[int] = (), approvals: dict[int, int] | None = None,
                unlinked_records: Iterable[int] = ()) -> int:
    """Audit a steward's page showing the identifiers of ``persons``: one entry per child
    concerned, one for the page. Returns the number of entries written."""
    shown = sorted({int(p) for p in persons})
    approvals = approvals or {}
    by_child: dict[int, list[int]] = defaultdict(list)
    for person, children in children_concerned(shown).items():
        for child in children:
            by_child[child].append(person)
    where = address[:500]
    with transaction.atomic():
        audit.record(actor, AuditAction.VIEW_IDENTIFIERS, object_type="page",
                     object_id=address.split("?")[0][:100], reason=reason,
                     details={"address": where, "persons": shown,
                              "children": sorted(by_child),
                              "sealed_hidden": sorted(set(sealed_hidden)),
                              "sealed_approvals": sorted(set(approvals.values())),
                              "unlinked_records": sorted(set(unlinked_records))})
        for child in sorted(by_child):
            people = sorted(by_child[child])
            audit.record(actor, AuditAction.VIEW_IDENTIFIERS, object_type="person",
                         object_id=",".join(map(str, people))[:100], child_id=child,
                         reason=reason,
                         details={"address": where, "persons": people,
                                  "sealed_approvals": sorted(
                                      approvals[p] for p in people if p in approvals)})
    return 1 + len(by_child)
