"""Late recording is an agency measure, not a child's alert (issue 16): a run raises no
"Recorded late" alert, and the ones raised before leave the queue, dismissed with the reason
in their history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from joinedup.alerts.agency_measures import RETIRED_REASON
from joinedup.alerts.catalogue import load_catalogue
from joinedup.alerts.engine import Firing
from joinedup.alerts.lifecycle import acknowledge, dismiss
from joinedup.alerts.models import Alert, AlertStatus
from joinedup.alerts.raising import run_alerts, store
from joinedup.alerts.replay import replay
from tests.helpers import child_seen_by_hv

CHILD = 9401


@pytest.fixture
def late(db: None, tmp_path: Path) -> list[int]:
    """A baby whose health visits were recorded 3 weeks late (more than 5 working days)."""
    return child_seen_by_hv(tmp_path / "HV", CHILD, "Latechild",
                            [(f"2025-03-0{i + 3}", f"2025-03-2{i + 3}") for i in range(3)],
                            born="2025-01-10")


def _stored_before(events: list[int]) -> list[int]:
    """'Recorded late' alerts as a run raised them before the rule became a measure."""
    firings = [Firing(rule="RECORDING_LAG", child_id=CHILD, key=f"late-{e}",
                      fired_on=dt.date(2025, 3, 24), window_start=dt.date(2025, 3, 3),
                      window_end=dt.date(2025, 3, 24), evidence=(e,)) for e in events]
    store(firings, load_catalogue(), as_of=None, known_by=None, who="old run", digest="x")
    return list(Alert.objects.filter(rule="RECORDING_LAG").order_by("id")
                .values_list("id", flat=True))


def test_a_run_raises_no_recorded_late_alert(late: list[int]) -> None:
    result = run_alerts(who="test")
    assert not Alert.objects.filter(rule="RECORDING_LAG").exists()
    assert "RECORDING_LAG" not in result.by_rule
    # the rule is still the definition of late that the agency measures read
    assert "RECORDING_LAG" in {rule.id for rule in load_catalogue()}


def test_recorded_late_alerts_raised_before_leave_the_queue_with_the_reason(
        late: list[int]) -> None:
    opened, acknowledged, dismissed = _stored_before(late)
    acknowledge(acknowledged, who="a worker", note="seen")
    dismiss(dismissed, who="a worker", reason="already chased")
    result = run_alerts(who="test")
    assert result.retired == 2
    statuses = dict(Alert.objects.filter(rule="RECORDING_LAG").values_list("id", "status"))
    assert statuses == {opened: AlertStatus.DISMISSED, acknowledged: AlertStatus.DISMISSED,
                        dismissed: AlertStatus.DISMISSED}
    last = Alert.objects.get(pk=opened).changes.order_by("-at", "-id").first()
    assert last is not None
    assert (last.kind, last.who, last.note) == ("dismissed", "joinedup", RETIRED_REASON)
    kept = Alert.objects.get(pk=dismissed).changes.order_by("-at", "-id").first()
    assert kept is not None and kept.note == "already chased"  # nothing written on it again
    assert run_alerts(who="test").retired == 0


def test_the_replay_shows_no_recorded_late_line(late: list[int]) -> None:
    lines = replay(CHILD, dt.date(2025, 1, 1), dt.date(2025, 12, 31)).lines
    assert "RECORDING_LAG" not in {line.rule for line in lines}
