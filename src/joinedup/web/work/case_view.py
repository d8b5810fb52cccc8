"""One case view per child: the queues of alerts (the alerts list, My work) show a child once,
with the most urgent of the child's alerts, how many there are, the newest, and one
suggested next step; children of one household are shown together (docs/web/work.md).

A suggested step is the recommended action of the child's one urgent alert, or of the
child's only alert; otherwise one professionals meeting covering all of them.

Children are of one household when they share an adult the family network
(``joinedup.people.network``) says looks after them or lives with them today: their mother,
a kinship or foster carer, an adult recorded as a member of their household, or a father or
a parent's partner recorded as living with them. A relationship recorded as not living with
the child does not count. Only children already in the list are grouped, so a group never
holds a child its reader may not see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from joinedup.alerts import Alert, Priority
from joinedup.people import network_for
from joinedup.web.work import queries

TIERS = tuple(p.value for p in Priority)
HOUSEHOLD_ROLES = frozenset({"MOTHER", "KINSHIP_CARER", "FOSTER_CARER",
                             "ADULT_HOUSEHOLD_MEMBER"})
"""Roles of an adult who, by that role, lives with the child."""
LIVING_WITH_ROLES = frozenset({"FATHER", "PARTNER_OF_PARENT"})
"""Roles of an adult who counts only where a record says they live with the child."""


@dataclass(frozen=True)
class Step:
    """The one thing to do next for a child: words and where to do it."""

    text: str
    href: str
    meeting: bool


@dataclass
class ChildRow:
    child_id: int
    alerts: int
    priority: str
    waiting_since: dt.date
    newest: Alert
    list_href: str
    step: Step | None


@dataclass
class Household:
    """Consecutive rows of the queue; ``shared`` when two or more children share a home."""

    rows: list[ChildRow] = field(default_factory=list)

    @property
    def shared(self) -> bool:
        return len(self.rows) > 1


def next_step(child_id: int, alerts: list[Alert]) -> Step:
    """The recommended action of the single urgent alert (or the only alert); otherwise
    one professionals meeting about the child covering every alert."""
    urgent = [a for a in alerts if a.priority == Priority.URGENT]
    if len(urgent) == 1 or len(alerts) == 1:
        one = urgent[0] if urgent else alerts[0]
        return Step(one.recommended_action, reverse("alert", args=[one.id]), meeting=False)
    return Step(f"One professionals meeting covering all {len(alerts)} alerts",
                f"{reverse('meeting-plan')}?child={child_id}", meeting=True)


def child_rows(found: QuerySet[Alert], groups: list[dict[str, Any]],
               list_href: Callable[[int], str], *, suggest: bool) -> list[ChildRow]:
    """A row for each child of ``groups`` (``queries.alerts_by_child``), in their order,
    from the alerts of ``found`` (already narrowed to the children the reader may see)."""
    ids = [g["child_id"] for g in groups]
    by_child: dict[int, list[Alert]] = defaultdict(list)
    for alert in queries.alerts_of(found, ids):
        by_child[alert.child_id].append(alert)
    rows = []
    for group in groups:
        child_id = group["child_id"]
        alerts = by_child[child_id]
        if not alerts:
            continue  # changed between the two reads: gone from this list
        newest = max(alerts, key=lambda a: (a.fired_on, a.id))
        rows.append(ChildRow(child_id, group["alerts"], TIERS[group["rank"]],
                             group["waiting_since"], newest, list_href(child_id),
                             next_step(child_id, alerts) if suggest else None))
    return rows


def children_by_tier(groups: Iterable[dict[str, Any]]) -> dict[str, int]:
    """How many children have each tier as their most urgent."""
    counts = dict.fromkeys(TIERS, 0)
    for group in groups:
        counts[TIERS[group["rank"]]] += 1
    return counts


def _current(relation: Any, day: dt.date) -> bool:
    return ((relation.valid_from is None or relation.valid_from <= day)
            and (relation.valid_to is None or day <= relation.valid_to))


def _lives_with(relation: Any, child_id: int) -> bool | None:
    """What the record says about living with the child: yes, no, or None (not said)."""
    if relation.related_id != child_id or "lives_with" not in relation.details:
        return None
    return str(relation.details["lives_with"]).strip().lower() in ("true", "yes", "1")


def household_adults(child_id: int, day: dt.date) -> set[int]:
    """The adults the child lives with on ``day``, by the family network."""
    found: set[int] = set()
    for member in network_for(child_id).members:
        for link in member.links:
            rel = link.relation
            lives = _lives_with(rel, child_id)
            if not _current(rel, day) or lives is False:
                continue
            if link.role in HOUSEHOLD_ROLES or (link.role in LIVING_WITH_ROLES and lives):
                found.add(member.person_id)
    return found


def households(rows: list[ChildRow], day: dt.date) -> list[Household]:
    """The rows in their order, with the children of one household pulled up to the first
    of them, so they are consecutive under one heading."""
    adults = {row.child_id: household_adults(row.child_id, day) for row in rows}
    home_of: dict[int, Household] = {}  # an adult's household
    placed: list[Household] = []
    for row in rows:
        home = next((home_of[a] for a in sorted(adults[row.child_id]) if a in home_of), None)
        if home is None:
            home = Household()
            placed.append(home)
        home.rows.append(row)
        for adult in adults[row.child_id]:
            home_of.setdefault(adult, home)
    return placed
