"""Rules that measure an agency, not a child (issue 16).

"Recorded late" (RECORDING_LAG) says that an agency recorded something more than 5 working
days after it happened. That is for the agency's managers to put right, not an action on the
child, and as a child's alert it buried the alerts that were: on the demo population, two in
three open alerts. So its firings raise no alert on a child. The rule stays in the catalogue
as the definition of "late" (``late_after``), which the agency measures read (the overview's
recording delay, the late recording page and the note on a child's chronology) and which says
when late recording held back an urgent or high alert (``held_back``).

An alert such a rule raised before it became a measure leaves the queue on the next run:
dismissed through the lifecycle (``states``), with the reason in its history and nothing
else changed. A dismissed alert stays dismissed.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from joinedup.alerts import states
from joinedup.alerts.catalogue import Rule, load_catalogue
from joinedup.alerts.models import Alert, AlertChange, AlertRun, AlertStatus

AGENCY_MEASURES = frozenset({"RECORDING_LAG"})
"""Rules whose firings measure an agency and raise no alert on a child."""

LATE_RULE = "RECORDING_LAG"
LATE_CONDITION = "recorded_late_working_days"
DEFAULT_LATE_AFTER = 5

RETIRED_BY = "joinedup"
RETIRED_REASON = ("Recorded late is now measured for each agency (the partnership overview "
                  "and the late recording page), not raised as an alert on a child.")


def child_alert_rules(rules: list[Rule]) -> list[Rule]:
    """The rules whose firings are alerts on a child."""
    return [rule for rule in rules if rule.id not in AGENCY_MEASURES]


@cache
def late_after() -> int:
    """The working days after which an entry counts as recorded late: the threshold of the
    catalogue's "Recorded late" rule, so that every page, the held-back alerts and the rule
    never disagree. Read once a process: the catalogue is part of the installed code."""
    for rule in load_catalogue():
        if rule.id != LATE_RULE:
            continue
        for clause in rule.clauses:
            selector = clause.params.get("select")
            for condition in getattr(selector, "where", ()):
                if condition.kind == LATE_CONDITION:
                    return int(condition.number)
    return DEFAULT_LATE_AFTER


def retire_open_alerts(run: AlertRun, now: dt.datetime) -> int:
    """Dismiss the open or acknowledged alerts the agency measures raised as child alerts,
    their rows locked; how many. Called inside the run's transaction."""
    alerts = list(Alert.objects.select_for_update()
                  .filter(rule__in=AGENCY_MEASURES,
                          status__in=(AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED))
                  .order_by("id"))
    for alert in alerts:
        alert.status = states.after(alert.id, alert.status, "dismissed")
        alert.updated_at, alert.last_run = now, run
    Alert.objects.bulk_update(alerts, ["status", "updated_at", "last_run"], batch_size=2_000)
    AlertChange.objects.bulk_create(
        [AlertChange(alert=alert, at=now, who=RETIRED_BY, kind="dismissed", run=run,
                     note=RETIRED_REASON) for alert in alerts], batch_size=5_000)
    return len(alerts)
