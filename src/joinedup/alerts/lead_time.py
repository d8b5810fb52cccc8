"""The lead time before the injury, on generated data (issue 16's target for the concerning
families, docs/alerts.md).

Each concerning family of the population generator ends with an infant's injury: an
``INJURY`` entry whose ``explanation`` is "none offered" (docs/population-generator.md; a
child's everyday injuries carry an explanation). For each concerning family's child with such
an injury, the lead time is the days from the first urgent or high alert on that child that
the records showed, to the day the injury happened:

    lead time = injury's occurred date - the earliest day an urgent or high alert was
                visible on the records (``held_back.visible_on``), over the alerts
                visible before the injury

"Visible on the records" is the day the records made the alert true (its ``fired_on``, or
later when an entry it needed was recorded after that), not merely the day it became true on
what had happened: a warning nobody could see was no warning. Every stored alert counts,
whatever its status: it was raised. A child whose first urgent or high alert came only on
the day of the injury or after had no warning, and is counted apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from statistics import median, quantiles

from joinedup.alerts.held_back import ASKING_SOON, visible_on
from joinedup.alerts.models import Alert
from joinedup.chronology.models import Event

UNEXPLAINED = "none offered"
"""The generator's explanation on the concerning pattern's injury."""


@dataclass(frozen=True)
class LeadTime:
    injured: int  # concerning families' children with the injury on the records
    days: tuple[int, ...]  # sorted: each warned child's lead time, in days

    @property
    def warned(self) -> int:
        return len(self.days)

    @property
    def median(self) -> float | None:
        return float(median(self.days)) if self.days else None

    @property
    def quartiles(self) -> tuple[float, float] | None:
        """The lower and upper quartiles (inclusive method); None under two children."""
        if len(self.days) < 2:
            return None
        low, _, high = quantiles(self.days, n=4, method="inclusive")
        return float(low), float(high)

    def as_dict(self) -> dict[str, object]:
        quartiles = self.quartiles
        return {"injured_children": self.injured, "warned_before_the_injury": self.warned,
                "median_days": self.median,
                "quartiles_days": list(quartiles) if quartiles else None,
                "shortest_days": self.days[0] if self.days else None,
                "longest_days": self.days[-1] if self.days else None}


def injuries(children: set[int]) -> dict[int, dt.date]:
    """The day of each child's first injury with no explanation offered, by person."""
    found: dict[int, dt.date] = {}
    rows = (Event.objects.filter(event_type="INJURY", is_current=True,
                                 subject__person_id__in=children)
            .values_list("subject__person_id", "occurred_on", "details"))
    for person, day, details in rows.iterator(chunk_size=2_000):
        if isinstance(details, dict) and str(details.get("explanation", "")).strip().lower() \
                == UNEXPLAINED and (person not in found or day < found[person]):
            found[person] = day
    return found


def measure(concerning: set[int]) -> LeadTime:
    """The lead time before the injury of each concerning family's injured child."""
    injured = injuries(concerning)
    alerts = list(Alert.objects.filter(child_id__in=list(injured), priority__in=ASKING_SOON))
    visible = visible_on(alerts)
    first: dict[int, dt.date] = {}
    for alert in alerts:
        day = visible[alert.pk]
        if day < injured[alert.child_id] and (alert.child_id not in first
                                               or day < first[alert.child_id]):
            first[alert.child_id] = day
    return LeadTime(len(injured), tuple(sorted((injured[child] - day).days
                                               for child, day in first.items())))
