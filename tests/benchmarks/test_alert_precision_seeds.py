"""The held-out seeds benchmark (benchmarks/alert_precision_seeds.py): its verdicts on issue
16's targets and its table, from a seed's result (no population is generated here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "alert_precision_seeds.py"


def _script() -> Any:
    spec = importlib.util.spec_from_file_location("alert_precision_seeds", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _script()


def _result(**changes: Any) -> dict[str, Any]:
    result = {
        "seed": 101, "children": 6000, "concerning_children": 120, "others_share": 0.07,
        "concerning_share": 1.0,
        "lead_time": {"injured_children": 60, "warned_before_the_injury": 60,
                      "median_days": 358.5, "quartiles_days": [303.0, 406.0]},
        "open_by_tier": {"urgent": 3, "high": 2400, "routine": 900},
        "others_by_rule": {"UNASSESSED_RISKY_ADULT": 90, "JIGSAW_GAP": 40},
    }
    return {**result, **changes}


def test_the_default_seeds_are_not_the_demo_seed_the_rules_were_tuned_on() -> None:
    args = bench.parse_args([])
    assert args.seeds == [101, 202, 303]
    assert bench.DEMO_SEED not in args.seeds
    assert args.families == 3000 and args.events_per_family is None


def test_a_negative_number_of_events_per_family_is_refused() -> None:
    with pytest.raises(SystemExit):
        bench.parse_args(["--events-per-family", "-1"])


def test_the_targets_hold_on_a_seed_that_meets_them() -> None:
    assert bench.verdicts(_result()) == {"others": "yes", "concerning": "yes", "warned": "yes"}


def test_a_seed_over_ten_percent_or_missing_a_concerning_child_fails_its_target() -> None:
    found = bench.verdicts(_result(others_share=0.101, concerning_share=0.992))
    assert found["others"] == "no"
    assert found["concerning"] == "no"
    lead = {"injured_children": 60, "warned_before_the_injury": 59, "median_days": 300.0,
            "quartiles_days": [250.0, 350.0]}
    assert bench.verdicts(_result(lead_time=lead))["warned"] == "no"


def test_the_row_shows_shares_verdicts_lead_time_and_open_alerts_per_thousand() -> None:
    row = bench.table_row(_result(others_share=0.123))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells == ["101", "6,000", "12.3% (no)", "100.0% of 120 (yes)", "60 of 60", "358.5",
                     "303-406", "0.5", "400.0", "150.0"]
    assert len(cells) == bench.HEADER.splitlines()[0].count("|") - 1


def test_the_demo_seed_is_labelled_as_such_and_the_rules_behind_others_are_named() -> None:
    assert bench.table_row(_result(seed=bench.DEMO_SEED)).startswith("| 20240815 (demo) |")
    assert "UNASSESSED_RISKY_ADULT 90, JIGSAW_GAP 40" in bench.rules_line(_result())


def test_a_concerning_child_without_a_warning_is_named_with_whose_records_it_holds() -> None:
    missed = [{"person": 648, "real_people": ["CHILD T00003751 (5 of 5 records)",
                                              "MOTHER T00003749 (5 of 6 records)"],
               "alerts": []}]
    assert bench.missed_lines(_result(seed=202, missed=missed)) == [
        "- seed 202: person 648 (records of CHILD T00003751 (5 of 5 records) and MOTHER "
        "T00003749 (5 of 6 records)): no alerts at all"]
    assert bench.missed_lines(_result()) == []
    adult = [{**missed[0], "counted": False}]
    assert bench.missed_lines(_result(missed=adult))[0].endswith(
        "no alerts at all (taken for an adult: not counted)")
