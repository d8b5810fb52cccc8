"""The lead time before the injury on a small made population: for each concerning
family's child with an unexplained injury, the days from the first urgent or high alert
visible on the records to the injury; the median, quartiles and range, and in
`joinedup alerts burden`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from joinedup.agencies.registry import register_agency
from joinedup.alerts.burden import measure as measure_burden
from joinedup.alerts.catalogue import load_catalogue
from joinedup.alerts.engine import Firing
from joinedup.alerts.lead_time import measure
from joinedup.alerts.raising import store
from joinedup.chronology.models import Event
from joinedup.ingest.loading import load_return
from joinedup.people.models import Person, PersonRecord
from tests.helpers import write_return

pytestmark = pytest.mark.django_db

INJURED_EARLY, INJURED_LATE, INJURED_UNWARNED, SIBLING, EXPLAINED = 9501, 9502, 9503, 9504, 9505
INJURY = "2025-05-20"
UNEXPLAINED = json.dumps({"type": "bruise", "site": "ear", "explanation": "none offered",
                          "mobility": "not independently mobile"})


@pytest.fixture
def population(db: None, tmp_path: Path) -> None:
    """Five children: three injured with no explanation (warned 80 days before, warned by an
    alert the records showed only 10 days before, warned only by a routine alert), a sibling
    with no injury and a child with an everyday injury. Alerts fired as the comments say."""
    register_agency("HOSPITAL", "Hospital", "HOSPITAL", "E08000007")
    children = (INJURED_EARLY, INJURED_LATE, INJURED_UNWARNED, SIBLING, EXPLAINED)
    people = [{"person_id": f"P{p}", "given_name": "Testa", "family_name": f"Lead{p}",
               "date_of_birth": "2025-01-01", "sex": "F"} for p in children]
    events = [{"event_id": f"I{p}", "person_id": f"P{p}", "event_type": "INJURY",
               "occurred_at": INJURY, "recorded_at": INJURY,
               "details": UNEXPLAINED if p != EXPLAINED else json.dumps(
                   {"type": "cut", "site": "hand", "explanation": "fell"})}
              for p in (INJURED_EARLY, INJURED_LATE, INJURED_UNWARNED, EXPLAINED)]
    events += [{"event_id": "C1", "person_id": f"P{INJURED_EARLY}", "event_type": "CONTACT",
                "occurred_at": "2025-03-01", "recorded_at": "2025-03-01"},
               {"event_id": "C2", "person_id": f"P{INJURED_LATE}", "event_type": "CONTACT",
                "occurred_at": "2025-04-20", "recorded_at": "2025-05-10"}]
    assert load_return(write_return(tmp_path / "H", people=people, events=events),
                       "HOSPITAL").rows_quarantined == 0
    for person in children:
        Person.objects.create(id=person)
        PersonRecord.objects.filter(source_id=f"P{person}").update(person_id=person)
    ids = dict(Event.objects.values_list("source_id", "id"))
    firings = [Firing(rule, child, f"{rule}-{child}", day, day, day, (ids[event],))
               for rule, child, day, event in [
                   ("JIGSAW_GAP", INJURED_EARLY, dt.date(2025, 3, 1), "C1"),  # high
                   ("NIM_INJURY", INJURED_EARLY, dt.date(2025, 5, 20), f"I{INJURED_EARLY}"),
                   ("JIGSAW_GAP", INJURED_LATE, dt.date(2025, 4, 20), "C2"),  # seen 10 May
                   ("WAS_NOT_BROUGHT", INJURED_UNWARNED, dt.date(2025, 3, 1),
                    f"I{INJURED_UNWARNED}"),  # routine
                   ("JIGSAW_GAP", EXPLAINED, dt.date(2025, 3, 1), f"I{EXPLAINED}"),
               ]]
    store(firings, load_catalogue(), as_of=None, known_by=None, who="test", digest="x")


def test_the_lead_time_counts_from_the_first_alert_the_records_showed(
        population: None) -> None:
    found = measure({INJURED_EARLY, INJURED_LATE, INJURED_UNWARNED, SIBLING})
    assert found.injured == 3  # the sibling has no injury; the explained child is not ours
    assert found.days == (10, 80)  # 20 May - 10 May, 20 May - 1 March; the third unwarned
    assert found.median == 45.0
    assert found.quartiles == (27.5, 62.5)
    assert found.as_dict()["shortest_days"] == 10 and found.as_dict()["longest_days"] == 80


def test_the_burden_command_shows_the_lead_time(population: None, tmp_path: Path,
                                                cli: Callable[..., Any]) -> None:
    folder = tmp_path / "truth"
    folder.mkdir()
    (folder / "ground_truth.csv").write_text(
        "agency,source_person_id,true_person_id,role,family_id\n" + "".join(
            f"HOSPITAL,P{p},T{p},CHILD,F1\n" for p in (INJURED_EARLY, INJURED_LATE,
                                                       INJURED_UNWARNED, SIBLING)),
        encoding="utf-8")
    (folder / "concerning_families.csv").write_text("family_id\nF1\n", encoding="utf-8")
    args = ("alerts", "burden", "--months", "3", "--to", "2025-05-31", "--ground-truth",
            str(folder))
    table = cli(*args)
    assert table.exit_code == 0, table.output
    assert ("2 of the 3 injured children of concerning families had one; median 45 days, "
            "quartiles 27.5 and 62.5, shortest 10, longest 80.") in " ".join(
                table.stdout.split())
    shown = json.loads(cli(*args, "--format", "json").stdout)
    assert shown["lead_time_before_the_injury"]["median_days"] == 45.0
    assert measure_burden(months=3, end=dt.date(2025, 5, 31)).lead_time is None
