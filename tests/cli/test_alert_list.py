"""`joinedup alerts list`: the most urgent first, then the longest waiting; the table shows
each alert's priority and the JSON gives it in "priority", one object per alert."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from joinedup.alerts.catalogue import load_catalogue
from joinedup.alerts.engine import Firing
from joinedup.alerts.raising import store
from tests.helpers import child_seen_by_hv

pytestmark = pytest.mark.django_db

CHILD = 9301
ON = dt.date(2025, 3, 3)


@pytest.fixture
def stored(db: None, tmp_path: Path) -> None:
    """Two routine alerts fired long before one urgent alert, on one child."""
    events = child_seen_by_hv(tmp_path / "HV", CHILD, "Clichild",
                              [(f"2025-01-{i + 1:02d}",) * 2 for i in range(3)])
    firings = [Firing(rule=rule, child_id=CHILD, key=f"{rule}-{day}", fired_on=day,
                      window_start=day, window_end=day, evidence=(event,))
               for rule, day, event in [("RECORDING_LAG", ON - dt.timedelta(days=40), events[0]),
                                        ("WAS_NOT_BROUGHT", ON - dt.timedelta(days=20),
                                         events[1]),
                                        ("NIM_INJURY", ON, events[2])]]
    store(firings, load_catalogue(), as_of=None, known_by=None, who="test", digest="x")


def test_the_json_gives_each_alert_its_priority_most_urgent_first(
        stored: None, cli: Callable[..., Any]) -> None:
    result = cli("alerts", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [(a["rule"], a["priority"]) for a in listed] == [
        ("NIM_INJURY", "urgent"), ("RECORDING_LAG", "routine"), ("WAS_NOT_BROUGHT", "routine")]


def test_the_table_shows_the_priority(stored: None, cli: Callable[..., Any]) -> None:
    result = cli("alerts", "list")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if "NIM_INJURY" in line
             or "RECORDING_LAG" in line]
    assert "urgent" in lines[0] and "NIM_INJURY" in lines[0]
    assert "routine" in lines[1] and "RECORDING_LAG" in lines[1]
