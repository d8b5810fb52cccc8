"""The varied population: reproducible, every kind of error made, truth that holds together,
twins, and returns `joinedup ingest` loads (docs/population-generator.md, "The second
generator").

One population of 300 families (seed 5) is shared; the ingest test runs the real command.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from joinedup.demo.varied_families import AGENCIES
from joinedup.demo.varied_names import NAME_ORIGINS, TRANSLITERATIONS
from joinedup.demo.varied_population import (
    ERROR_RATES,
    VARIED_GROUND_TRUTH_COLUMNS,
    generate_varied_population,
)
from joinedup.ingest.formats.base import COLUMNS, TABLES

FAMILIES, SEED = 300, 5
KINDS = {"given_keyboard", "given_phonetic", "given_ocr", "given_transliteration",
         "given_diacritics", "given_nickname", "given_missing", "family_keyboard",
         "family_phonetic", "family_ocr", "family_transliteration", "family_diacritics",
         "family_compound_half", "family_compound_joined", "family_name_change", "name_order",
         "moved", "dob_day_month_swap", "dob_digit_slip", "dob_unparseable", "dob_missing",
         "nhs_missing", "postcode_missing"}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("varied")
    generate_varied_population(folder, FAMILIES, SEED)
    return folder


@pytest.fixture(scope="module")
def records(out: Path) -> list[dict[str, str]]:
    """Every person record, with its ground truth row beside it."""
    truth = {(r["agency"], r["source_person_id"]): r for r in read(out / "ground_truth.csv")}
    rows = []
    for agency in AGENCIES:
        for row in read(out / agency / "people.csv"):
            rows.append({**row, **truth.pop((agency, row["person_id"]))})
    assert not truth, "every ground truth row is a person record"
    return rows


def digest(folder: Path) -> str:
    files = sorted(folder.rglob("*.csv"))
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()


def test_the_same_seed_gives_identical_files_and_another_seed_does_not(
        out: Path, tmp_path: Path) -> None:
    generate_varied_population(tmp_path / "again", FAMILIES, SEED)
    generate_varied_population(tmp_path / "other", FAMILIES, SEED + 1)
    assert digest(tmp_path / "again") == digest(out)
    assert digest(tmp_path / "other") != digest(out)


def test_each_agency_gets_a_canonical_return_and_the_truth_its_columns(out: Path) -> None:
    for agency in AGENCIES:
        for table in TABLES:
            with (out / agency / f"{table}.csv").open(encoding="utf-8") as handle:
                assert tuple(next(csv.reader(handle))) == COLUMNS[table]
    with (out / "ground_truth.csv").open(encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == VARIED_GROUND_TRUTH_COLUMNS


def test_every_kind_of_error_is_made(records: list[dict[str, str]]) -> None:
    made = Counter(kind for r in records for kind in r["errors"].split(";") if kind)
    assert set(made) == KINDS
    assert set(ERROR_RATES) <= KINDS
    assert all(made[kind] >= 3 for kind in KINDS), made


def test_errors_show_in_the_values_written(records: list[dict[str, str]]) -> None:
    spellings = {name for group in TRANSLITERATIONS for name in group}
    for r in records:
        errors = set(r["errors"].split(";"))
        if "dob_unparseable" in errors:
            with pytest.raises(ValueError):
                date.fromisoformat(r["date_of_birth"])
            assert r["date_of_birth"][:4].isdigit()  # kept as written, not emptied
        if "given_transliteration" in errors and not errors & {"given_keyboard", "given_ocr",
                                                                "given_phonetic", "name_order"}:
            assert r["given_name"] in spellings or r["given_name"] == ""
        if "dob_missing" in errors:
            assert r["date_of_birth"] == ""
        if "nhs_missing" in errors:
            assert r["nhs_number"] == ""
        if "given_diacritics" in errors:
            assert r["given_name"].isascii()
        if not errors & {"given_keyboard", "given_ocr"}:
            assert not any(ch.isdigit() for ch in r["given_name"])
    assert any(r["address"].startswith("Flat ") for r in records)
    assert any(r["address"].isupper() for r in records)


def test_the_truth_holds_together(records: list[dict[str, str]]) -> None:
    by_person: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in records:
        by_person[r["true_person_id"]].append(r)
    for rows in by_person.values():
        assert len({(r["role"], r["family_id"], r["name_origin"], r["sex"]) for r in rows}) == 1
        assert len({r["nhs_number"] for r in rows if r["nhs_number"]}) <= 1
    assert {r["name_origin"] for r in records} == set(NAME_ORIGINS)
    numbers = Counter((r["nhs_number"], r["true_person_id"]) for r in records if r["nhs_number"])
    assert len({n for n, _ in numbers}) == len(numbers), "an NHS number is one person's"
    assert sum(len(rows) > 1 for rows in by_person.values()) > len(by_person) / 3


def test_twins_are_there_same_mother_and_date_different_names_and_numbers(
        out: Path, records: list[dict[str, str]]) -> None:
    children = defaultdict(set)
    for r in records:
        if r["role"] == "CHILD" and "dob" not in r["errors"]:
            children[(r["family_id"], r["date_of_birth"])].add(r["true_person_id"])
    twins = [people for people in children.values() if len(people) > 1]
    assert len(twins) >= 5
    people = defaultdict(list)
    for r in records:
        people[r["true_person_id"]].append(r)
    for pair in twins:
        a, b = sorted(pair)[:2]
        assert not {r["nhs_number"] for r in people[a] if r["nhs_number"]} & {
            r["nhs_number"] for r in people[b] if r["nhs_number"]}
        assert {r["given_name"] for r in people[a]} != {r["given_name"] for r in people[b]}
    relationships = read(out / "GP" / "relationships.csv")
    assert {r["relationship"] for r in relationships} >= {"MOTHER_OF"}


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JOINEDUP_DATA_DIR": str(data), "COLUMNS": "200"}
    env.pop("JOINEDUP_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "joinedup", *args], env=env,
                          capture_output=True, text=True, timeout=300)


KINDS_OF_AGENCY = {"GP": "GP", "HOSPITAL": "HOSPITAL", "CSC": "CHILDRENS_SOCIAL_CARE",
                   "EH": "EARLY_HELP", "POLICE": "POLICE"}


@pytest.mark.sqlite_only
def test_every_return_ingests_without_errors(out: Path, records: list[dict[str, str]],
                                            tmp_path: Path) -> None:
    data = tmp_path / "var"
    assert run(data, "init").returncode == 0
    for code in AGENCIES:
        added = run(data, "agency", "add", code, "--name", code, "--kind",
                    KINDS_OF_AGENCY[code], "--area", "E08000007")
        assert added.returncode == 0, added.stderr
        result = run(data, "ingest", str(out / code), "--agency", code, "--output", "json")
        assert result.returncode == 0, result.stderr
        body = json.loads(result.stdout)
        assert all(t["quarantined"] == 0 for t in body["tables"].values()), body["problems"]
        assert [p for p in body["problems"] if p["severity"] != "warning"] == []
        assert body["tables"]["people"]["new"] == sum(
            1 for _ in read(out / code / "people.csv"))
        # a date that is no date is a warning, and the record loads without it
        unreadable = sum("dob_unparseable" in r["errors"] for r in records
                         if r["agency"] == code)
        assert sum(p["column"] == "date_of_birth" for p in body["problems"]) == unreadable
