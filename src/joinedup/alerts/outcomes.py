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
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Min, Q
from django.utils import timezone

from joinedup.alerts.models import Alert, AlertStatus
from joinedup.workdays import working_days_between

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


def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def _grouping(by: str) -> Callable[[str, str, dt.date], str]:
    if by not in GROUPINGS:
        raise ValueError(f"alert outcomes are grouped by one of {GROUPINGS}, not {by!r}")
    return {"rule": lambda rule, _p, _d: rule, "priority": lambda _r, priority, _d: priority,
            "month": lambda _r, _p, day: _month(day)}[by]


def alert_outcomes(start: dt.date, end: dt.date, by: str = "rule") -> dict[str, AlertOutcomes]:
    """The alerts raised (by the day their rule became true) from ``start`` to ``end``
    inclusive, grouped ``by`` rule, priority or month (``YYYY-MM``): one query, the first
    look of each alert found by the database."""
    key_of = _grouping(by)
    rows = (Alert.objects.filter(fired_on__range=(start, end))
            .annotate(first_look=Min("changes__at", filter=Q(changes__run__isnull=True,
                                                             changes__kind__in=LOOKS)),
                      recognised=Min("changes__at", filter=Q(changes__kind="recognised")))
            .values_list("rule", "priority", "fired_on", "status", "created_at", "first_look",
                         "recognised").order_by())
    found: dict[str, AlertOutcomes] = {}
    for rule, priority, fired_on, status, raised_at, first_look, recognised in (
            rows.iterator(chunk_size=20_000)):
        key = key_of(rule, priority, fired_on)
        group = found.setdefault(key, AlertOutcomes(key))
        group.raised += 1
        group.status[status] += 1
        if status == AlertStatus.ACTIONED and recognised is not None:
            group.recognised += 1
        if first_look is not None:
            waited = max(first_look - raised_at, dt.timedelta(0))
            group.looked_hours[int(waited.total_seconds() // 3600)] += 1
            group.looked_days[max(0, working_days_between(timezone.localdate(raised_at),
                                                          timezone.localdate(first_look)))] += 1
    return found
