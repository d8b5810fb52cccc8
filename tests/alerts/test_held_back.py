"""Held back by late recording: an urgent or high alert whose evidence was recorded late,
after the day it could have been raised; not a routine alert, not an entry recorded on time,
not one recorded late but before the alert could have been raised."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from joinedup.alerts.catalogue import load_catalogue
from joinedup.alerts.engine import Firing
from joinedup.alerts.held_back import held_back_alerts, visible_on
from joinedup.alerts.listing import as_dicts, filtered
from joinedup.alerts.models import Alert
from joinedup.alerts.raising import store
from tests.helpers import child_seen_by_hv

pytestmark = pytest.mark.django_db

CHILD = 9401
FIRED = dt.date(2025, 3, 12)


@pytest.fixture
def alerts(db: None, tmp_path: Path) -> dict[str, Alert]:
    """Four alerts fired on 12 March 2025 on one child, by rule."""
    late, on_time, early_late = child_seen_by_hv(tmp_path / "HV", CHILD, "Heldback", [
        ("2025-03-10", "2025-04-01"),  # 16 working days late, after the alert could fire
        ("2025-03-10", "2025-03-11"),  # the next working day
        ("2025-03-03", "2025-03-11"),  # 6 working days late, but before the alert could fire
    ])
    firings = [Firing(rule, CHILD, f"{rule}-key", day, day, day, evidence)
               for rule, day, evidence in [
                   ("JIGSAW_GAP", FIRED, (late, on_time)),  # high
                   ("DISENGAGEMENT_CLUSTER", FIRED, (on_time, early_late)),  # high
                   ("WAS_NOT_BROUGHT", FIRED, (late,)),  # routine
                   ("FAMILY_CONCERN_UNACTIONED", dt.date(2025, 3, 7), (late,)),  # high
               ]]
    store(firings, load_catalogue(), as_of=None, known_by=None, who="test", digest="x")
    return {a.rule: a for a in Alert.objects.filter(child_id=CHILD)}


def test_a_late_entry_held_back_a_high_alert(alerts: dict[str, Alert]) -> None:
    found = held_back_alerts(list(alerts.values()))
    jigsaw = alerts["JIGSAW_GAP"]
    assert set(found) == {jigsaw.pk}
    item = found[jigsaw.pk]
    assert item.could_have_been_raised_on == FIRED
    assert item.records_made_it_true_on == dt.date(2025, 4, 1)
    (entry,) = item.late
    assert (entry.agency_code, entry.event_type, entry.occurred_on, entry.recorded_on,
            entry.working_days_late) == ("HV", "HV_VISIT", dt.date(2025, 3, 10),
                                         dt.date(2025, 4, 1), 16)
    # the day the records made each alert true, late or not
    assert visible_on([jigsaw, alerts["DISENGAGEMENT_CLUSTER"]]) == {
        jigsaw.pk: dt.date(2025, 4, 1), alerts["DISENGAGEMENT_CLUSTER"].pk: FIRED}


def test_the_alerts_json_says_held_back_or_null(alerts: dict[str, Alert]) -> None:
    listed = {item["rule"]: item for item in as_dicts(list(filtered(child_id=CHILD)))}
    assert listed["JIGSAW_GAP"]["held_back"] == {
        "could_have_been_raised_on": "2025-03-12", "records_made_it_true_on": "2025-04-01",
        "days": 20, "late_entries": [{
            "agency": "HV", "event_id": "E0", "event_type": "HV_VISIT",
            "occurred_on": "2025-03-10", "recorded_on": "2025-04-01",
            "working_days_late": 16}]}
    # on time (or late before it could fire), routine, or late only after it fired: nothing
    for rule in ("DISENGAGEMENT_CLUSTER", "WAS_NOT_BROUGHT", "FAMILY_CONCERN_UNACTIONED"):
        assert listed[rule]["held_back"] is None, rule


def test_the_entry_a_run_recognised_as_the_action_holds_nothing_back(
        alerts: dict[str, Alert]) -> None:
    jigsaw = alerts["JIGSAW_GAP"]
    late = jigsaw.evidence.get(source_id="E0")
    Alert.objects.filter(pk=jigsaw.pk).update(actioned_by=late)
    jigsaw.refresh_from_db()
    assert held_back_alerts([jigsaw]) == {}
