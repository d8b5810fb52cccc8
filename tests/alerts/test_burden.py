"""The alert burden: alerts raised per 1,000 children a month by rule and priority, how
many are open, and on generated data how much falls on the concerning families."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from joinedup.agencies.registry import register_agency
from joinedup.alerts.burden import concerning_children, measure
from joinedup.alerts.catalogue import load_catalogue
from joinedup.alerts.engine import Firing
from joinedup.alerts.raising import store
from joinedup.chronology.models import Event
from joinedup.errors import UnreadableFileError
from joinedup.ingest.loading import load_return
from joinedup.people.models import Person, PersonRecord
from tests.helpers import write_return

CONCERNING, OTHER, ADULT = 9301, 9302, 9303
END = dt.date(2025, 3, 31)


@pytest.fixture
def family(db: None, tmp_path: Path) -> dict[int, int]:
    """Two children and an adult known to health visiting; each child's first event."""
    register_agency("HV", "Health Visiting", "HEALTH_VISITING", "E08000007")
    people = [{"person_id": f"P{i}", "given_name": "Testa", "family_name": f"Burden{i}",
               "date_of_birth": born, "sex": "F"}
              for i, born in ((1, "2024-06-01"), (2, "2020-01-01"), (3, "1990-01-01"))]
    rows = [{"event_id": f"E{i}", "person_id": f"P{i}", "event_type": "HV_VISIT",
             "occurred_at": "2025-03-03", "recorded_at": "2025-03-03"} for i in (1, 2)]
    assert load_return(write_return(tmp_path / "HV", people=people, events=rows),
                       "HV").rows_quarantined == 0
    for number, person in ((1, CONCERNING), (2, OTHER), (3, ADULT)):
        Person.objects.create(id=person)
        PersonRecord.objects.filter(source_id=f"P{number}").update(person_id=person)
    events = dict(Event.objects.values_list("source_id", "id"))
    return {CONCERNING: events["E1"], OTHER: events["E2"]}


def _raise(family: dict[int, int], *alerts: tuple[str, int, dt.date]) -> None:
    firings = [Firing(rule=rule, child_id=child, key=f"{rule}-{child}-{day}", fired_on=day,
                      window_start=day, window_end=day, evidence=(family[child],))
               for rule, child, day in alerts]
    store(firings, load_catalogue(), as_of=None, known_by=None, who="test", digest="x")


def test_alerts_are_counted_per_thousand_children_a_month_by_rule_and_priority(
        family: dict[int, int]) -> None:
    _raise(family, ("NIM_INJURY", CONCERNING, dt.date(2025, 3, 3)),
           ("WAS_NOT_BROUGHT", OTHER, dt.date(2025, 3, 10)),
           ("WAS_NOT_BROUGHT", OTHER, dt.date(2025, 2, 10)),  # before the month counted
           ("CARE_HISTORY_THIN", OTHER, dt.date(2025, 3, 20)))
    found = measure(months=1, end=END, concerning={CONCERNING})
    assert (found.start, found.end, found.children) == (dt.date(2025, 3, 1), END, 2)
    rows = {r.rule: r for r in found.rules}
    assert list(rows) == ["NIM_INJURY", "CARE_HISTORY_THIN", "WAS_NOT_BROUGHT"]  # by tier
    assert (rows["NIM_INJURY"].priority, rows["NIM_INJURY"].raised) == ("urgent", 1)
    assert rows["NIM_INJURY"].per_thousand == 500.0  # 1 alert, 2 children, 1 month
    assert (rows["WAS_NOT_BROUGHT"].raised, rows["WAS_NOT_BROUGHT"].open_now) == (1, 2)
    assert rows["NIM_INJURY"].on_concerning == 1.0
    assert rows["WAS_NOT_BROUGHT"].on_concerning == 0.0
    assert found.tier("routine") == (2, 1000.0, 3)
    # the targets: who has an urgent or high alert open
    assert (found.concerning_children, found.soon_open_concerning,
            found.soon_open_other) == (1, 1.0, 0.0)
    over_two_months = measure(months=2, end=END)
    assert {r.rule: r.raised for r in over_two_months.rules}["WAS_NOT_BROUGHT"] == 2
    assert over_two_months.concerning_children is None


def test_the_concerning_children_are_read_from_a_generated_populations_ground_truth(
        family: dict[int, int], tmp_path: Path) -> None:
    folder = tmp_path / "population"
    folder.mkdir()
    with (folder / "ground_truth.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["agency", "source_person_id", "true_person_id", "role", "family_id"])
        writer.writerows([["HV", "P1", "T1", "CHILD", "F1"], ["HV", "P3", "T3", "MOTHER", "F1"],
                          ["HV", "P2", "T2", "CHILD", "F2"]])
    (folder / "concerning_families.csv").write_text("family_id\nF1\n", encoding="utf-8")
    assert concerning_children(folder) == {CONCERNING}  # the child, not the mother
    (folder / "concerning_families.csv").unlink()
    with pytest.raises(UnreadableFileError, match="concerning_families.csv"):
        concerning_children(folder)


def test_the_command_prints_the_burden_as_json(family: dict[int, int],
                                               cli: Callable[..., Any]) -> None:
    _raise(family, ("NIM_INJURY", CONCERNING, dt.date(2025, 3, 3)))
    result = cli("alerts", "burden", "--months", "1", "--to", "2025-03-31", "--format", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert (shown["from"], shown["to"], shown["children"]) == ("2025-03-01", "2025-03-31", 2)
    assert shown["rules"] == [{"rule": "NIM_INJURY", "priority": "urgent", "raised": 1,
                               "per_1000_children_a_month": 500.0, "open": 1,
                               "share_on_concerning_families": None}]
    table = cli("alerts", "burden", "--months", "1", "--to", "2025-03-31")
    assert "Urgent: 1 raised, 500.0 per 1,000 children a month, 1 open." in table.stdout
