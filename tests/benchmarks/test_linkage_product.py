"""The product linkage benchmark (benchmarks/linkage_product.py) scores the persons a
steward exports: checked here on a hand-made truth and export (no population is linked)."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _script() -> Any:
    sys.path.insert(0, str(BENCHMARKS))  # it imports its neighbours by name
    try:
        spec = importlib.util.spec_from_file_location("linkage_product",
                                                      BENCHMARKS / "linkage_product.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))


bench = _script()

TRUTH = [  # agency, source id, true person, family, role, true date of birth
    ("GP", "G1", "T1", "F1", "CHILD", "2024-05-02"),   # twins T1 and T2
    ("HOSPITAL", "H1", "T1", "F1", "CHILD", "2024-05-02"),
    ("GP", "G2", "T2", "F1", "CHILD", "2024-05-02"),
    ("HOSPITAL", "H2", "T2", "F1", "CHILD", "2024-05-02"),
    ("GP", "G3", "T3", "F1", "MOTHER", "1990-01-01"),
    ("POLICE", "P3", "T3", "F1", "MOTHER", "1990-01-01"),  # kept in quarantine
]


def _write_truth(folder: Path) -> None:
    with (folder / "ground_truth.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["agency", "source_person_id", "true_person_id", "family_id", "role",
                      "true_date_of_birth"])
        out.writerows(TRUTH)


def _export(persons: dict[str, str]) -> str:
    lines = ["agency,source_person_id,person_id,match_confidence,nhs_number,nhs_conflict"]
    lines += [f"{ref.split(':')[0]},{ref.split(':')[1]},{person},1.0,,"
              for ref, person in persons.items()]
    return "\n".join(lines) + "\n"


def test_a_perfect_export_scores_one_and_keeps_the_twins_apart(tmp_path: Path) -> None:
    _write_truth(tmp_path)
    exported = _export({"GP:G1": "1", "HOSPITAL:H1": "1", "GP:G2": "2", "HOSPITAL:H2": "2",
                        "GP:G3": "3", "POLICE:P3": "3"})
    result = bench.score(tmp_path, exported)
    assert (result["precision"], result["recall"], result["f1"]) == (1.0, 1.0, 1.0)
    assert (result["twins"], result["twins merged"], result["not exported"]) == (1, 0, 0)


def test_merged_twins_and_a_record_not_exported_are_counted(tmp_path: Path) -> None:
    _write_truth(tmp_path)
    # one of T2's records joins T1 (the twins merged); the police record never loaded
    exported = _export({"GP:G1": "1", "HOSPITAL:H1": "1", "GP:G2": "1", "HOSPITAL:H2": "2",
                        "GP:G3": "3"})
    result = bench.score(tmp_path, exported)
    # true pairs: G1-H1, G2-H2, G3-P3; placed together: G1-H1, G1-G2, H1-G2
    assert result["precision"] == pytest.approx(1 / 3)
    assert result["recall"] == pytest.approx(1 / 3)
    assert (result["twins merged"], result["not exported"]) == (1, 1)
