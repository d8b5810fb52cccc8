"""Priority: how soon an alert asks a practitioner to act (docs/rules.md, "Priority").

Every rule of the catalogue carries one of three tiers, with the reason for it and the
published guidance or procedure behind it; every alert carries its rule's tier. Queues put
the most urgent first and, within a tier, the alert that has waited longest (fired
earliest) first.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Case, IntegerField, QuerySet, Value, When

from joinedup.errors import RuleError


class Priority(models.TextChoices):
    URGENT = "urgent", "Urgent"
    HIGH = "high", "High"
    ROUTINE = "routine", "Routine"


ASKS: dict[str, str] = {
    Priority.URGENT: "act the same working day",
    Priority.HIGH: "act within 5 working days",
    Priority.ROUTINE: "act in the course of the case's ordinary work",
}
"""What each tier asks of the practitioner, in the order the queues show them."""

TIERS = tuple(p.value for p in Priority)
"""The tiers, most urgent first."""

PRIORITY_FIELDS = ("priority", "priority_reason", "priority_source")
"""The rule fields that say its tier, why, and on whose guidance."""


def rank() -> Case:
    """0 for urgent, 1 for high, 2 for routine: the order of the queues."""
    return Case(*(When(priority=tier, then=Value(i)) for i, tier in enumerate(TIERS)),
                default=Value(len(TIERS)), output_field=IntegerField())


def in_queue_order(query: QuerySet[Any], *, newest_first: bool = False) -> QuerySet[Any]:
    """Most urgent first; within a tier the longest-waiting (fired earliest) first."""
    fired = "-fired_on" if newest_first else "fired_on"
    return query.alias(priority_rank=rank()).order_by("priority_rank", fired, "rule", "id")


def counts_by_tier(query: QuerySet[Any]) -> dict[str, int]:
    """How many of these alerts are in each tier, in one statement."""
    return query.aggregate(**{tier: models.Count("id", filter=models.Q(priority=tier))
                              for tier in TIERS})


def check_priority(rule_id: str, fields: dict[str, Any], *, overriding: bool) -> dict[str, str]:
    """The priority fields of one rule, checked. A rule in the catalogue must give all three;
    an override may give any of them."""
    found: dict[str, str] = {}
    for name in PRIORITY_FIELDS:
        if name not in fields:
            if not overriding:
                raise RuleError(f"Rule {rule_id}, field {name}: is required"
                                + (f"; it is one of {', '.join(TIERS)}" if name == "priority"
                                   else ": plain words for the people who read alerts"))
            continue
        value = fields[name]
        if name == "priority" and value not in TIERS:
            raise RuleError(f"Rule {rule_id}, field priority: {value!r} is not a tier; the "
                            f"tiers are {', '.join(TIERS)}"
                            + (" (in the overrides file)" if overriding else ""))
        if not isinstance(value, str) or not value.strip():
            raise RuleError(f"Rule {rule_id}, field {name}: must be plain words"
                            + (" (in the overrides file)" if overriding else ""))
        found[name] = value
    return found
