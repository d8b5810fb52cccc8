"""Priority: a raised alert carries its rule's tier, a run gives stored alerts the tier in
force, lists come most urgent first, and the migration sets the tier of alerts stored
before it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from joinedup.alerts.catalogue import load_catalogue
from joinedup.alerts.engine import Firing
from joinedup.alerts.listing import as_dicts, filtered
from joinedup.alerts.models import Alert, AlertRun
from joinedup.alerts.raising import store
from tests.helpers import child_seen_by_hv

CHILD = 9201
ON = dt.date(2025, 3, 3)


@pytest.fixture
def events(db: None, tmp_path: Path) -> list[int]:
    """A child known to one agency, with three events to use as evidence."""
    return child_seen_by_hv(tmp_path / "HV", CHILD, "Prioritychild",
                            [(f"2025-03-{i + 1:02d}",) * 2 for i in range(3)])


def _firing(rule: str, fired_on: dt.date, evidence: list[int]) -> Firing:
    return Firing(rule=rule, child_id=CHILD, key=f"{rule}-{fired_on}", fired_on=fired_on,
                  window_start=fired_on, window_end=fired_on, evidence=tuple(evidence))


def _store(firings: list[Firing], overrides: Path | None = None) -> Any:
    return store(firings, load_catalogue(overrides), as_of=None, known_by=None, who="run",
                 digest="x")


def test_a_raised_alert_has_its_rules_tier(events: list[int]) -> None:
    _store([_firing("RECORDING_LAG", ON, events[:1]), _firing("JIGSAW_GAP", ON, events[:2]),
            _firing("UNEXPLAINED_FRACTURE", ON, events[2:])])
    assert dict(Alert.objects.values_list("rule", "priority")) == {
        "RECORDING_LAG": "routine", "JIGSAW_GAP": "high", "UNEXPLAINED_FRACTURE": "urgent"}


def test_the_list_puts_an_urgent_alert_above_older_routine_ones(events: list[int]) -> None:
    _store([_firing("RECORDING_LAG", ON - dt.timedelta(days=30), events[:1]),
            _firing("RECORDING_LAG", ON - dt.timedelta(days=60), events[1:2]),
            _firing("JIGSAW_GAP", ON - dt.timedelta(days=10), events[:2]),
            _firing("NIM_INJURY", ON, events[2:])])
    listed = as_dicts(list(filtered()))
    assert [(a["priority"], a["fired_on"]) for a in listed] == [
        ("urgent", "2025-03-03"), ("high", "2025-02-21"), ("routine", "2025-01-02"),
        ("routine", "2025-02-01")]


def test_a_run_gives_stored_alerts_the_tier_in_force(events: list[int],
                                                     tmp_path: Path) -> None:
    _store([_firing("CARE_HISTORY_THIN", ON, events[:1])])
    alert = Alert.objects.get()
    assert alert.priority == "routine"
    overrides = tmp_path / "overrides.toml"
    overrides.write_text('[CARE_HISTORY_THIN]\npriority = "high"\n', encoding="utf-8")
    result = _store([], overrides)  # the firing need not be found again
    alert.refresh_from_db()
    assert (alert.priority, result.retiered) == ("high", 1)
    last = alert.changes.order_by("-id").first()
    assert last is not None and last.note.startswith("Priority now High (was Routine)")
    assert _store([], overrides).retiered == 0


BEFORE_PRIORITY = [("alerts", "0001_initial")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_alerts_stored_before_it_their_rules_tier(
        events: list[int]) -> None:
    run = AlertRun.objects.create(who="test", rules_digest="x")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE_PRIORITY)
    try:
        with connection.cursor() as cursor:  # the table as 0001 made it: no priority
            for rule in ("NIM_INJURY", "JIGSAW_GAP", "RECORDING_LAG", "NO_LONGER_A_RULE"):
                cursor.execute(
                    "INSERT INTO alerts_alert (rule, child_id, key, fired_on, window_start, "
                    "window_end, title, explanation, recommended_action, source, status, "
                    "first_run_id, last_run_id, created_at, updated_at) VALUES (%s, %s, %s, "
                    "%s, %s, %s, 't', 'e', 'a', 's', 'open', %s, %s, CURRENT_TIMESTAMP, "
                    "CURRENT_TIMESTAMP)", [rule, CHILD, rule, ON, ON, ON, run.pk, run.pk])
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    assert dict(Alert.objects.values_list("rule", "priority")) == {
        "NIM_INJURY": "urgent", "JIGSAW_GAP": "high", "RECORDING_LAG": "routine",
        "NO_LONGER_A_RULE": "routine"}
