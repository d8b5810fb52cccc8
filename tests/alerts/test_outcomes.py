"""What happened to alerts and how soon a person first looked: the lifecycle's own moves
count as a look, a run's never do, and the working days skip weekends and bank holidays."""

from __future__ import annotations

import datetime as dt

import pytest

from joinedup.alerts import lifecycle
from joinedup.alerts.models import Alert, AlertChange, AlertRun
from joinedup.alerts.outcomes import alert_outcomes

pytestmark = pytest.mark.django_db

CHILD = 9301
FRIDAY = dt.datetime(2025, 5, 2, 9, 0, tzinfo=dt.UTC)  # the Monday after is a bank holiday


def _alert(run: AlertRun, key: str, fired: str, rule: str = "RULE_A",
           priority: str = "routine") -> Alert:
    return Alert.objects.create(
        rule=rule, child_id=CHILD, key=key, fired_on=fired, window_start=fired,
        window_end=fired, title="t", explanation="", recommended_action="", source="",
        first_run=run, last_run=run, priority=priority, created_at=FRIDAY)


def test_a_persons_moves_are_looks_and_a_runs_are_not(db: None) -> None:
    from joinedup.people.models import Person

    Person.objects.create(id=CHILD)
    run = AlertRun.objects.create(who="joinedup", rules_digest="x")
    seen, dismissed, recognised, untouched = (
        _alert(run, "a", "2025-05-02"), _alert(run, "b", "2025-05-02", priority="high"),
        _alert(run, "c", "2025-06-10", rule="RULE_B"), _alert(run, "d", "2025-06-11"))
    lifecycle.acknowledge(seen.pk, who="worker")
    AlertChange.objects.filter(alert=seen).update(at=FRIDAY + dt.timedelta(days=4))  # Tue
    lifecycle.dismiss(dismissed.pk, who="worker", reason="Known and planned for")
    AlertChange.objects.filter(alert=dismissed).update(at=FRIDAY + dt.timedelta(hours=5))
    Alert.objects.filter(pk=recognised.pk).update(status="actioned")
    AlertChange.objects.create(alert=recognised, who="joinedup", kind="recognised", run=run)
    assert untouched.status == "open"

    found = alert_outcomes(dt.date(2025, 5, 1), dt.date(2025, 6, 30))
    rule_a = found["rule"]["RULE_A"]
    assert (rule_a.raised, rule_a.looked) == (3, 2)
    assert dict(rule_a.status) == {"acknowledged": 1, "dismissed": 1, "open": 1}
    # Friday to Tuesday over the May bank holiday: one working day, 96 hours
    assert dict(rule_a.looked_days) == {1: 1, 0: 1}
    assert dict(rule_a.looked_hours) == {96: 1, 5: 1}
    rule_b = found["rule"]["RULE_B"]
    assert (rule_b.raised, rule_b.recognised, rule_b.looked) == (1, 1, 0)
    assert {k: v.raised for k, v in found["priority"].items()} == {"routine": 3, "high": 1}
    assert {k: v.raised for k, v in found["month"].items()} == {"2025-05": 2, "2025-06": 2}
    assert alert_outcomes(dt.date(2025, 7, 1), dt.date(2025, 7, 31))["rule"] == {}
