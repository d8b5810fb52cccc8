"""What happened to the alerts raised in a span of days: counts only, never a child.

For each group of alerts (by rule, by priority or by the month they were raised) it counts
where they stand now (open, acknowledged, actioned, dismissed) and how long people took to
first look at them: from the moment the alert was raised (``Alert.created_at``) to the
first thing a person did with it, as the alert's history records it (acknowledged, a
meeting planned, actioned or dismissed). What a run did on its own (an action recognised
from the records, an agency measure retired) is not a look: those changes carry their run.

The time to first look is kept as two histograms, so the reader can take any percentile:
working days (England's working days between the two local dates, as every other clock in
joinedup counts) and whole hours.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Min
from django.utils import timezone

from joinedup.alerts.models import Alert, AlertChange, AlertStatus
from joinedup.workdays import ordinal

LOOKS = ("acknowledged", "meeting planned", "actioned", "dismissed")
"""The moves a person makes that show they have looked at an alert."""

GROUPINGS = ("rule", "priority", "month")


@dataclass
class AlertOutcomes:
    """Alerts in one group: where they stand now and how soon they were first looked at."""

    key: str
    raised: int = 0
    status: Counter[str] = field(default_factory=Counter)
    recognised: int = 0  # actioned by a run that found the action in the records
    looked_days: Counter[int] = field(default_factory=Counter)
    looked_hours: Counter[int] = field(default_factory=Counter)

    @property
    def looked(self) -> int:
        """How many of them a person has looked at."""
        return sum(self.looked_days.values())

    def count(self, status: str) -> int:
        return self.status[status]

    def add(self, status: str, recognised: bool, waited: tuple[int, int] | None) -> None:
        """One alert: its status now, whether a run found it actioned in the records, and
        the working days and hours to its first look (None: no one has looked yet)."""
        self.raised += 1
        self.status[status] += 1
        self.recognised += recognised
        if waited is not None:
            self.looked_days[waited[0]] += 1
            self.looked_hours[waited[1]] += 1


def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def _first_looks(start: dt.date, end: dt.date) -> dict[int, dt.datetime]:
    """When a person first looked at each alert raised from ``start`` to ``end`` that anyone
    has looked at (grouped by the database, one row an alert)."""
    return dict(AlertChange.objects.filter(alert__fired_on__range=(start, end),
                                           run__isnull=True, kind__in=LOOKS)
                .values_list("alert_id").annotate(first=Min("at")).order_by())


def _recognised(start: dt.date, end: dt.date) -> set[int]:
    """The actioned alerts a run found actioned in the records."""
    return set(AlertChange.objects.filter(alert__fired_on__range=(start, end),
                                          alert__status=AlertStatus.ACTIONED,
                                          kind="recognised")
               .values_list("alert_id", flat=True).distinct())


def alert_outcomes(start: dt.date, end: dt.date) -> dict[str, dict[str, AlertOutcomes]]:
    """The alerts raised (by the day their rule became true) from ``start`` to ``end``
    inclusive, grouped by rule, by priority and by month (``YYYY-MM``): for each of
    ``GROUPINGS``, the groups by their key. Three queries, read once."""
    looks = _first_looks(start, end)
    recognised = _recognised(start, end)
    zone = timezone.get_current_timezone()
    ordinals: dict[dt.datetime, int] = {}  # the alerts raised by one run share a time

    def working_day(at: dt.datetime) -> int:
        found = ordinals.get(at)
        if found is None:
            found = ordinals[at] = ordinal(at.astimezone(zone).date())
        return found

    found: dict[str, dict[str, AlertOutcomes]] = {by: {} for by in GROUPINGS}
    rows = (Alert.objects.filter(fired_on__range=(start, end))
            .values_list("pk", "rule", "priority", "fired_on", "status", "created_at")
            .order_by())
    for pk, rule, priority, fired_on, status, raised_at in rows.iterator(chunk_size=20_000):
        look = looks.get(pk)
        waited: tuple[int, int] | None = None
        if look is not None:
            hours = int(max(look - raised_at, dt.timedelta(0)).total_seconds() // 3600)
            waited = (max(0, working_day(look) - working_day(raised_at)), hours)
        for by, key in zip(GROUPINGS, (rule, priority, _month(fired_on)), strict=True):
            group = found[by].get(key) or found[by].setdefault(key, AlertOutcomes(key))
            group.add(status, pk in recognised, waited)
    return found
