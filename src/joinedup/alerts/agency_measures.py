"""Rules that measure an agency, not a child (issue 16).

"Recorded late" (RECORDING_LAG) says that an agency recorded something more than 5 working
days after it happened. That is for the agency's managers to put right, not an action on the
child, and as a child's alert it buried the alerts that were: on the demo population, two in
three open alerts. So its firings raise no alert on a child. The rule stays in the catalogue
as the definition of "late", which the agency measures read (the overview's recording delay,
the late recording page and the note on a child's chronology, web/late_recording.py).

An alert such a rule raised before it became a measure leaves the queue on the next run:
dismissed through the lifecycle (``states``), with the reason in its history and nothing
else changed. A dismissed alert stays dismissed.
"""

from __future__ import annotations

import datetime as dt

from joinedup.alerts import states
from joinedup.alerts.catalogue import Rule
from joinedup.alerts.models import Alert, AlertChange, AlertRun, AlertStatus

AGENCY_MEASURES = frozenset({"RECORDING_LAG"})
"""Rules whose firings measure an agency and raise no alert on a child."""

RETIRED_BY = "joinedup"
RETIRED_REASON = ("Recorded late is now measured for each agency (the partnership overview "
                  "and the late recording page), not raised as an alert on a child.")


def child_alert_rules(rules: list[Rule]) -> list[Rule]:
    """The rules whose firings are alerts on a child."""
    return [rule for rule in rules if rule.id not in AGENCY_MEASURES]


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
