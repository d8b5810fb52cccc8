"""`joinedup link nhs-report`: each agency's share of child records with a valid NHS number
and the persons whose records hold different numbers; `joinedup export persons` gives the
agreed NHS number, or flags the conflict."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.people.test_consistent_identifier import ONE, THREE, TWO, join, load, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(tmp_path: Path) -> None:
    load(tmp_path, "HV", person("H1", ONE), person("H2", TWO), person("H3", ""))
    load(tmp_path, "GP", person("G1", ONE), person("G2", THREE))
    join(1, "HV:H1", "GP:G1")
    join(2, "HV:H2", "GP:G2")
    join(3, "HV:H3")


def test_the_report_gives_each_agency_share_and_the_conflicts(
        partnership: None, cli: Callable[..., Any]) -> None:
    result = cli("link", "nhs-report", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    shares = {c["agency"]: c for c in report["coverage"]}
    assert shares["HV"]["child_records"] == 3 and shares["HV"]["with_valid_number"] == 2
    assert shares["HV"]["share"] == pytest.approx(0.6667, abs=1e-4)
    assert shares["GP"]["share"] == 1.0
    assert report["conflicts"] == [{"person_id": 2, "numbers": {TWO: ["HV:H2"],
                                                                THREE: ["GP:G2"]}}]
    table = cli("link", "nhs-report")
    assert table.exit_code == 0, table.output
    assert "66.7%" in table.stdout and "1 person whose records hold" in table.stdout
    assert THREE in table.stdout and "GP:G2" in table.stdout


def test_the_export_gives_the_agreed_number_or_flags_the_conflict(
        partnership: None, cli: Callable[..., Any]) -> None:
    result = cli("export", "persons")
    assert result.exit_code == 0, result.output
    rows = {(r["agency"], r["source_person_id"]): r
            for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows[("GP", "G1")]["nhs_number"] == ONE and rows[("GP", "G1")]["nhs_conflict"] == ""
    assert rows[("HV", "H2")]["nhs_number"] == "" and rows[("HV", "H2")]["nhs_conflict"] == "yes"
    assert rows[("HV", "H3")]["nhs_number"] == ""
