"""Held back by late recording, worked out from the evidence's recorded dates, agrees with
replay (the rules run again on what had been recorded by each day) on every urgent and high
alert of the Baby S scenario; the one it finds held back is the deterioration after the
step-down, which the health visitor recorded three weeks late."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from joinedup.alerts.held_back import held_back_alerts, late_in_replay, visible_on
from joinedup.alerts.models import Alert
from joinedup.alerts.raising import run_alerts
from joinedup.alerts.replay import replay

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_the_direct_working_agrees_with_replay_on_baby_s(baby_s: dict[str, Any],
                                                         db: None) -> None:
    run_alerts(who="test")
    alerts = list(Alert.objects.filter(child_id=baby_s["child"], priority__in=("urgent",
                                                                                "high")))
    assert len(alerts) >= 10
    replayed = replay(baby_s["child"], min(a.fired_on for a in alerts), dt.date(2025, 12, 31))
    lines = {(line.rule, line.key): line for line in replayed.lines}
    direct = visible_on(alerts)
    for alert in alerts:
        line = lines[(alert.rule, alert.key)]
        assert (line.happened_on, line.known_on) == (alert.fired_on, direct[alert.pk]), \
            alert.rule

    found = held_back_alerts(alerts)
    (item,) = found.values()
    post = Alert.objects.get(pk=item.alert_id)
    assert post.rule == "POST_STEP_DOWN_DETERIORATION"
    assert (item.could_have_been_raised_on, item.records_made_it_true_on) == (
        dt.date(2024, 10, 2), dt.date(2024, 10, 23))
    assert [(e.agency_code, e.event_type, e.working_days_late) for e in item.late] == [
        ("HV", "SUBSTANCE_MISUSE_CONCERN", 15)]
    # replay names the same late entry on its line
    late = late_in_replay(replayed.lines)
    assert [e.source_id for e in late[(post.rule, post.key)]] == \
        [e.source_id for e in item.late]
