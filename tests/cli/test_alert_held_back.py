"""`joinedup alerts show` says when late recording held an alert back, and which entry; an
alert whose evidence was recorded on time says nothing of it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from joinedup.alerts.catalogue import load_catalogue
from joinedup.alerts.engine import Firing
from joinedup.alerts.models import Alert
from joinedup.alerts.raising import store
from tests.helpers import child_seen_by_hv

pytestmark = pytest.mark.django_db

CHILD = 9402
FIRED = dt.date(2025, 3, 12)


@pytest.fixture
def stored(db: None, tmp_path: Path) -> dict[str, int]:
    """A high alert held back by a visit recorded 16 working days late, and one whose
    evidence was recorded the next working day; their ids by rule."""
    late, on_time = child_seen_by_hv(tmp_path / "HV", CHILD, "Clilate", [
        ("2025-03-10", "2025-04-01"), ("2025-03-10", "2025-03-11")])
    store([Firing("JIGSAW_GAP", CHILD, "a", FIRED, FIRED, FIRED, (late, on_time)),
           Firing("DISENGAGEMENT_CLUSTER", CHILD, "b", FIRED, FIRED, FIRED, (on_time,))],
          load_catalogue(), as_of=None, known_by=None, who="test", digest="x")
    return dict(Alert.objects.filter(child_id=CHILD).values_list("rule", "id"))


def test_show_names_the_late_entry_that_held_the_alert_back(
        stored: dict[str, int], cli: Callable[..., Any]) -> None:
    result = cli("alerts", "show", str(stored["JIGSAW_GAP"]))
    assert result.exit_code == 0, result.output
    assert ("Held back by late recording: HV recorded HV_VISIT E0 of 2025-03-10 on "
            "2025-04-01, 16 working days late. On what had happened it could have been raised "
            "on 2025-03-12; the records made it true on 2025-04-01 (20 days later)."
            ) in " ".join(result.stdout.split())
    shown = json.loads(cli("alerts", "show", str(stored["JIGSAW_GAP"]), "--format",
                           "json").stdout)
    assert shown["held_back"]["late_entries"][0]["working_days_late"] == 16


def test_an_alert_recorded_on_time_says_nothing_of_late_recording(
        stored: dict[str, int], cli: Callable[..., Any]) -> None:
    result = cli("alerts", "show", str(stored["DISENGAGEMENT_CLUSTER"]))
    assert result.exit_code == 0, result.output
    assert "Held back" not in result.stdout
    listed = {a["rule"]: a for a in json.loads(cli("alerts", "list", "--format",
                                                   "json").stdout)}
    assert listed["DISENGAGEMENT_CLUSTER"]["held_back"] is None
    assert listed["JIGSAW_GAP"]["held_back"]["days"] == 20
