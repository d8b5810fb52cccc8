"""The synthetic population generator writes valid, reproducible agency returns with truth.

No database: these tests read the CSV files the generator writes. One population of 500
families (seed 7) is shared by most tests; see docs/population-generator.md for the model.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from joinedup.demo.population import (
    GROUND_TRUTH_COLUMNS,
    NOISE_RATES,
    PopulationSummary,
    generate_population,
    load_agencies,
)
from joinedup.ingest.formats.base import COLUMNS, TABLES
from joinedup.vocabulary import EVENT_TYPES, PERSON_FLAGS, RELATIONSHIP_TYPES, SEXES

POSTCODE = re.compile(
    r"^[A-PR-UWYZ]([0-9][0-9A-HJKS-UW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?) [0-9][ABD-HJLNP-UW-Z]{2}$"
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
OUR_PERSON_ID = re.compile(r"^[A-Z]{2}P\d{5,}$")  # never like the scenario's "AMH-300781"


def nhs_valid(number: str) -> bool:
    """Modulus 11, written out again here as the reference (DOMAIN.md section 6)."""
    if not re.fullmatch(r"\d{10}", number):
        return False
    check = 11 - sum(int(d) * w for d, w in zip(number[:9], range(10, 1, -1), strict=True)) % 11
    return check != 10 and (0 if check == 11 else check) == int(number[9])


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class Population:
    """One generated population, read back: every table of every agency, and the truth."""

    def __init__(self, out: Path, summary: PopulationSummary) -> None:
        self.out, self.summary = out, summary
        self.codes = [agency.code for agency in load_agencies()]
        self.tables = {(code, table): read(out / code / f"{table}.csv")
                       for code in self.codes for table in TABLES}
        self.truth = read(out / "ground_truth.csv")
        self.who = {(row["agency"], row["source_person_id"]): row for row in self.truth}

    def people(self) -> list[tuple[str, dict[str, str], dict[str, str]]]:
        """(agency, people row, ground truth row) for every person record."""
        return [(code, row, self.who[(code, row["person_id"])])
                for code in self.codes for row in self.tables[(code, "people")]]


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Population:
    out = tmp_path_factory.mktemp("population")
    return Population(out, generate_population(out, 500, seed=7))


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.csv"))}


def test_the_same_seed_gives_identical_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    generate_population(tmp_path / "a", 60, seed=3)
    generate_population(tmp_path / "b", 60, seed=3)
    generate_population(tmp_path / "c", 60, seed=4)
    a, b, c = digest(tmp_path / "a"), digest(tmp_path / "b"), digest(tmp_path / "c")
    assert len(a) == 3 * len(load_agencies()) + 2  # the returns, the ground truth and
    # which families have the concerning pattern
    assert a == b
    assert a["GP/people.csv"] != c["GP/people.csv"]
    assert a["ground_truth.csv"] != c["ground_truth.csv"]


def test_every_agency_gets_a_canonical_return(population: Population) -> None:
    for code in population.codes:
        for table in TABLES:
            with (population.out / code / f"{table}.csv").open(encoding="utf-8") as handle:
                assert next(csv.reader(handle)) == list(COLUMNS[table])
    with (population.out / "ground_truth.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(GROUND_TRUTH_COLUMNS)


def test_the_summary_counts_what_was_written(population: Population) -> None:
    summary = population.summary
    assert summary.families == 500
    assert summary.ground_truth_path == population.out / "ground_truth.csv"
    for code in population.codes:
        for table in TABLES:
            assert summary.rows[code][table] == len(population.tables[(code, table)])
    assert summary.total("people") == len(population.truth)
    assert summary.people == len({row["true_person_id"] for row in population.truth})
    assert summary.total("events") > 10 * summary.families


def test_ground_truth_covers_every_person_record_exactly_once(population: Population) -> None:
    records = [(code, row["person_id"]) for code, row, _ in population.people()]
    truth = [(row["agency"], row["source_person_id"]) for row in population.truth]
    assert len(set(records)) == len(records)
    assert sorted(records) == sorted(truth)
    roles: dict[str, set[str]] = defaultdict(set)
    families: dict[str, set[str]] = defaultdict(set)
    for row in population.truth:
        roles[row["true_person_id"]].add(row["role"])
        families[row["true_person_id"]].add(row["family_id"])
    assert all(len(r) == 1 for r in roles.values()) and all(len(f) == 1 for f in families.values())
    assert set().union(*roles.values()) <= {
        "CHILD", "UNBORN", "MOTHER", "FATHER", "PARTNER_OF_PARENT", "GRANDPARENT"}


def test_each_real_person_is_known_to_one_to_five_agencies(population: Population) -> None:
    counts = Counter(row["true_person_id"] for row in population.truth)
    assert set(counts.values()) <= {1, 2, 3, 4, 5}
    assert max(counts.values()) >= 4


def test_codes_come_from_the_vocabulary(population: Population) -> None:
    for _, row, _ in population.people():
        assert all(flag in PERSON_FLAGS for flag in row["flags"].split(";") if flag), row
        assert row["sex"] in SEXES
        assert row["family_name"]
    for code in population.codes:
        for event in population.tables[(code, "events")]:
            assert event["event_type"] in EVENT_TYPES, event
        for rel in population.tables[(code, "relationships")]:
            assert rel["relationship"] in RELATIONSHIP_TYPES, rel


def test_ids_are_unique_and_every_reference_is_a_person_of_the_same_agency(
        population: Population) -> None:
    for code in population.codes:
        people = {row["person_id"] for row in population.tables[(code, "people")]}
        assert all(OUR_PERSON_ID.match(pid) for pid in people)
        events = population.tables[(code, "events")]
        assert len({event["event_id"] for event in events}) == len(events)
        for event in events:
            assert event["person_id"] in people
            assert event["related_person_id"] == "" or event["related_person_id"] in people
        for rel in population.tables[(code, "relationships")]:
            assert rel["person_id"] in people and rel["related_person_id"] in people
            assert rel["person_id"] != rel["related_person_id"]


def test_event_times_are_iso_in_range_and_recorded_after_they_happen(
        population: Population) -> None:
    delays = []
    for code in population.codes:
        for event in population.tables[(code, "events")]:
            occurred, recorded = event["occurred_at"], event["recorded_at"]
            assert ISO_DATETIME.match(occurred) and ISO_DATETIME.match(recorded)
            assert "2019-01-01" <= occurred < "2026-11-01"
            assert occurred <= recorded < "2026-11-26"
            delays.append(datetime.fromisoformat(recorded) - datetime.fromisoformat(occurred))
            if event["details"]:
                assert isinstance(json.loads(event["details"]), dict)
    late = sum(d.days > 7 for d in delays) / len(delays)  # beyond five working days
    assert 0.01 < late < 0.10
    assert sum(d.days == 0 for d in delays) / len(delays) > 0.5


def test_dates_of_birth_and_relationship_dates_are_iso(population: Population) -> None:
    for _, row, _ in population.people():
        assert row["date_of_birth"] == "" or ISO_DATE.match(row["date_of_birth"])
        assert row["date_of_birth"] <= "2026-10-31"
    for code in population.codes:
        for rel in population.tables[(code, "relationships")]:
            for column in ("valid_from", "valid_to"):
                assert rel[column] == "" or ISO_DATE.match(rel[column])
            assert rel["details"] == "" or isinstance(json.loads(rel["details"]), dict)


def test_nhs_numbers_are_valid_except_at_the_documented_rate(population: Population) -> None:
    recorded = [row["nhs_number"] for _, row, _ in population.people() if row["nhs_number"]]
    invalid = [number for number in recorded if not nhs_valid(number)]
    assert invalid, "the importer's warning path should have something to warn about"
    assert len(invalid) / len(recorded) < 3 * NOISE_RATES["nhs_number_invalid"]
    # never in the 999 test range, which the embedded Baby S scenario uses
    assert all(number.startswith("9") and not number.startswith("999") for number in recorded)
    owners: dict[str, set[str]] = defaultdict(set)
    for _, row, truth in population.people():
        if row["nhs_number"] and nhs_valid(row["nhs_number"]):
            owners[row["nhs_number"]].add(truth["true_person_id"])
    assert all(len(people) == 1 for people in owners.values())


def test_police_and_probation_almost_never_hold_nhs_numbers(population: Population) -> None:
    for code in ("POLICE", "PROBATION"):
        rows = population.tables[(code, "people")]
        assert rows and sum(not row["nhs_number"] for row in rows) / len(rows) > 0.9
    gp = population.tables[("GP", "people")]
    assert sum(bool(row["nhs_number"]) for row in gp) / len(gp) > 0.9


def test_postcodes_are_well_formed_and_in_the_right_area(population: Population) -> None:
    for code, row, _ in population.people():
        if row["postcode"]:
            assert POSTCODE.match(row["postcode"]), row["postcode"]
            outward = row["postcode"].split()[0]
            if code == "CSC_PREV" and row["postcode"].startswith("M"):
                assert 1 <= int(outward[1:]) <= 40
            elif outward.startswith("SK"):
                assert 1 <= int(outward[2:]) <= 8
            else:
                assert outward.startswith("M")


def test_babies_are_recorded_the_way_maternity_records_them(population: Population) -> None:
    roles = Counter()
    for code, row, truth in population.people():
        if truth["role"] == "UNBORN":
            assert row["given_name"] == "" and row["date_of_birth"] == ""
            roles["UNBORN"] += 1
        elif code == "MIDWIFERY" and truth["role"] == "CHILD":
            assert row["given_name"] == "Baby"
            roles["newborn"] += 1
    assert roles["UNBORN"] and roles["newborn"]


def _same_agency_pairs(population: Population) -> list[tuple[dict[str, str], dict[str, str],
                                                               dict[str, str], dict[str, str]]]:
    """Pairs of records of different real people with the same family name, per agency."""
    pairs = []
    for code in population.codes:
        by_surname: dict[str, list[tuple[dict[str, str], dict[str, str]]]] = defaultdict(list)
        for row in population.tables[(code, "people")]:
            by_surname[row["family_name"]].append((row, population.who[(code, row["person_id"])]))
        for group in by_surname.values():
            for i, (a, ta) in enumerate(group):
                for b, tb in group[i + 1:]:
                    if ta["true_person_id"] != tb["true_person_id"]:
                        pairs.append((a, ta, b, tb))
    return pairs


def test_lookalikes_that_a_linker_must_keep_apart_are_there(population: Population) -> None:
    found: Counter[str] = Counter()
    for a, ta, b, tb in _same_agency_pairs(population):
        same_family = ta["family_id"] == tb["family_id"]
        same_given = a["given_name"] == b["given_name"] and a["given_name"] not in ("", "Baby")
        same_dob = a["date_of_birth"] == b["date_of_birth"] != ""
        roles = {ta["role"], tb["role"]}
        if same_family and roles == {"CHILD"} and same_dob and not same_given:
            found["twins"] += 1
        if same_family and roles == {"CHILD"} and not same_dob:
            found["siblings"] += 1
        if same_family and roles == {"FATHER", "CHILD"} and same_given:
            found["father and son of the same name"] += 1
        if not same_family and same_given and not same_dob and roles == {"CHILD"}:
            found["children of the same name, different ages"] += 1
        if not same_family and same_given and same_dob:
            found["same name and date of birth, different people"] += 1
        if not same_family and same_given:
            found["same name, different people"] += 1
    assert set(found) == {
        "twins", "siblings", "father and son of the same name",
        "children of the same name, different ages",
        "same name and date of birth, different people", "same name, different people"}


def test_one_person_is_recorded_differently_by_different_agencies(population: Population) -> None:
    forms: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for _, row, truth in population.people():
        forms[truth["true_person_id"]].add((row["given_name"], row["family_name"],
                                            row["date_of_birth"]))
    varied = sum(len(f) > 1 for f in forms.values())
    assert varied > 0.1 * len(forms)
    assert any(row["other_names"] for _, row, _ in population.people())


def test_concerning_families_have_the_pattern_alert_rules_look_for(
        population: Population) -> None:
    concerning = set(population.summary.concerning_families)
    assert concerning
    kinds: dict[str, set[str]] = defaultdict(set)
    for code in population.codes:
        for event in population.tables[(code, "events")]:
            family = population.who[(code, event["person_id"])]["family_id"]
            if family in concerning:
                kinds[family].add(event["event_type"])
    for family in concerning:
        assert {"DA_INCIDENT", "INJURY", "APPOINTMENT_MISSED", "LICENCE_END"} <= kinds[family]
    for event in population.tables[("POLICE", "events")]:
        if event["event_type"] == "DA_INCIDENT":
            assert isinstance(json.loads(event["details"])["dash_score"], int)


def test_events_per_family_scales_the_events(tmp_path: Path) -> None:
    summary = generate_population(tmp_path, 20, seed=5, events_per_family=300)
    assert 20 * 300 <= summary.total("events") <= 20 * 300 * 1.1


def test_progress_is_reported_up_to_the_last_family(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    generate_population(tmp_path, 250, seed=1, progress=lambda done, total: calls.append(
        (done, total)))
    assert calls[-1] == (250, 250)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert all(total == 250 for _, total in calls) and len(calls) > 10


@pytest.mark.parametrize("kwargs", [{"families": -1}, {"events_per_family": -5}])
def test_impossible_sizes_are_refused(tmp_path: Path, kwargs: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {"families": 5, "seed": 1} | kwargs
    with pytest.raises(ValueError):
        generate_population(tmp_path, **arguments)


def test_a_family_first_known_shortly_before_an_injury_does_not_break_generation(
        tmp_path: Path) -> None:
    # seed 2 at 1,000 families once hit an empty range for the dates of abuse
    summary = generate_population(tmp_path / "out", 1000, 2)
    assert summary.families == 1000
