"""The alert burden: how many alerts the rules raise for practitioners to read, per 1,000
children a month, by rule and priority (issue 16), and how many stay open.

    alerts raised per 1,000 children a month
        = alerts raised in the months / children on the last day / months * 1,000

"Children" are the current persons who are children on the last day (under 18 by some
agency's date of birth, or with none recorded). The months end with the month of the latest
alert raised (or a month given) and go back ``months`` calendar months. An alert is open
while it is open or acknowledged.

On generated data (``joinedup demo``, docs/population-generator.md) the ground truth says
which children belong to the families with the concerning pattern: the burden then also
says what share of the alerts fall on them, and, for the targets in docs/alerts.md, what
share of each group's children have an urgent or high alert open, and how long before the
injury the first urgent or high alert was on the records (``lead_time.py``).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count, Max
from django.utils import timezone

from joinedup.alerts.lead_time import LeadTime
from joinedup.alerts.lead_time import measure as measure_lead_time
from joinedup.alerts.models import Alert, AlertStatus
from joinedup.alerts.priority import TIERS
from joinedup.errors import UnreadableFileError
from joinedup.people.directory import children_only
from joinedup.people.models import Person, PersonRecord

OPEN = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
CHILD_ROLES = frozenset({"CHILD", "UNBORN"})
"""Roles of the generator's ground truth that are the children of a family."""
ASKING_SOON = ("urgent", "high")


@dataclass(frozen=True)
class RuleBurden:
    """One rule's share of the load."""

    rule: str
    priority: str
    raised: int  # alerts raised in the months
    per_thousand: float  # alerts raised per 1,000 children a month
    open_now: int
    on_concerning: float | None  # share of the raised alerts on concerning families' children


@dataclass(frozen=True)
class Burden:
    start: dt.date
    end: dt.date
    months: int
    children: int
    rules: list[RuleBurden]
    concerning_children: int | None = None
    soon_open_concerning: float | None = None  # share with an urgent or high alert open
    soon_open_other: float | None = None
    lead_time: LeadTime | None = None  # before the concerning families' injuries

    def tier(self, priority: str) -> tuple[int, float, int]:
        """Raised, raised per 1,000 children a month, and open now, for one priority."""
        rows = [r for r in self.rules if r.priority == priority]
        return (sum(r.raised for r in rows), round(sum(r.per_thousand for r in rows), 1),
                sum(r.open_now for r in rows))


def concerning_children(ground_truth: Path) -> set[int]:
    """The persons who are the children of the generator's concerning families: read from
    ``ground_truth.csv`` and ``concerning_families.csv`` in a generated population's folder,
    through the agencies' records of them (as linkage joined them)."""
    try:
        with (ground_truth / "concerning_families.csv").open(encoding="utf-8") as handle:
            families = {row["family_id"] for row in csv.DictReader(handle)}
        with (ground_truth / "ground_truth.csv").open(encoding="utf-8") as handle:
            records = {(row["agency"], row["source_person_id"])
                       for row in csv.DictReader(handle)
                       if row["family_id"] in families and row["role"] in CHILD_ROLES}
    except (OSError, KeyError, csv.Error) as exc:
        raise UnreadableFileError(
            f"The ground truth of a generated population cannot be read from {ground_truth}: "
            f"{exc}. It is the folder the demo wrote its families to, holding "
            "ground_truth.csv and concerning_families.csv.") from None
    agencies = {agency for agency, _ in records}
    found = (PersonRecord.objects.filter(agency__code__in=agencies, person__isnull=False)
             .values_list("agency__code", "source_id", "person_id"))
    return {person for agency, source, person in found.iterator(chunk_size=5_000)
            if (agency, source) in records}


def last_month(end: dt.date | None) -> dt.date:
    if end is not None:
        return end
    latest = Alert.objects.aggregate(latest=Max("fired_on"))["latest"]
    return latest or timezone.localdate()


def measure(*, months: int = 12, end: dt.date | None = None,
            concerning: set[int] | None = None) -> Burden:
    """The burden over ``months`` calendar months to the month of ``end``."""
    last = last_month(end)
    stop = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    first = _months_back(last.replace(day=1), months - 1)
    children = set(children_only(Person.objects.filter(retired_at__isnull=True), stop)
                   .values_list("id", flat=True))
    raised = Alert.objects.filter(fired_on__range=(first, stop))
    counts = Counter(dict(((rule, tier), n) for rule, tier, n in raised.values_list(
        "rule", "priority").annotate(n=Count("id")).order_by()))
    open_now = Counter(dict(((rule, tier), n) for rule, tier, n in Alert.objects.filter(
        status__in=OPEN).values_list("rule", "priority").annotate(n=Count("id")).order_by()))
    on_concerning: Counter[tuple[str, str]] = Counter()
    if concerning is not None:
        on_concerning.update(raised.filter(child_id__in=concerning)
                             .values_list("rule", "priority").iterator())
    rows = [RuleBurden(rule, tier, counts[(rule, tier)],
                       round(counts[(rule, tier)] * 1000 / max(len(children), 1) / months, 1),
                       open_now[(rule, tier)],
                       (round(on_concerning[(rule, tier)] / counts[(rule, tier)], 3)
                        if concerning is not None and counts[(rule, tier)] else None))
            for rule, tier in sorted(set(counts) | set(open_now),
                                     key=lambda key: (TIERS.index(key[1]), key[0]))]
    burden = Burden(first, stop, months, len(children), rows)
    if concerning is None:
        return burden
    return _with_targets(burden, children, concerning)


def _with_targets(burden: Burden, children: set[int], concerning: set[int]) -> Burden:
    """The share of each group's children with an urgent or high alert open now."""
    asking = set(Alert.objects.filter(status__in=OPEN, priority__in=ASKING_SOON)
                 .values_list("child_id", flat=True))
    ours = concerning & children
    others = children - concerning
    return Burden(burden.start, burden.end, burden.months, burden.children, burden.rules,
                  len(ours), _share(asking & ours, ours), _share(asking & others, others),
                  measure_lead_time(concerning))


def _share(part: set[int], whole: set[int]) -> float | None:
    return round(len(part) / len(whole), 3) if whole else None


def _months_back(first_of_month: dt.date, months: int) -> dt.date:
    index = first_of_month.year * 12 + first_of_month.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)
