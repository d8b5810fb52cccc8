"""The embedded demo scenario (src/joinedup/demo/scenario) keeps to the canonical agency return.

No database: these tests read the CSV files directly, so a broken scenario is caught before
the importer or the demo ever sees it. The scenario carries exactly two planted faults,
asserted here by name so that nobody "fixes" them by accident and nobody adds another:

- HOSPITAL event RWJ-ATT-6012231 has event_type ``A_AND_E`` (not in the vocabulary), so the
  importer quarantines that row;
- AMH person AMH-300781 has an NHS number that fails Modulus 11, so the importer warns and
  loads the person without it.

See docs/demo-scenario.md.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from joinedup.ingest.formats.base import COLUMNS
from joinedup.vocabulary import EVENT_TYPES, PERSON_FLAGS, RELATIONSHIP_TYPES, SEXES

DEMO = Path(__file__).resolve().parents[2] / "src" / "joinedup" / "demo"
SCENARIO = DEMO / "scenario"
ALLOWED_EXTRA = {"events": ("worker_role", "worker_name", "worker_contact", "lead_professional"),
                 "people": ("expected_date",), "relationships": ()}
"""The columns the scenario sends beyond the canonical ones, in this order (each optional)."""

PLANTED_BAD_EVENT = ("HOSPITAL", "RWJ-ATT-6012231", "A_AND_E")
PLANTED_BAD_NHS = ("AMH", "AMH-300781")

POSTCODE = re.compile(
    r"^(GIR 0AA|[A-PR-UWYZ]([0-9][0-9A-HJKS-UW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?) "
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)
LATEST = date(2026, 11, 1)


def agency_codes() -> list[str]:
    with (DEMO / "agencies.csv").open(encoding="utf-8", newline="") as fh:
        return [row["code"] for row in csv.DictReader(fh)]


def read(code: str, table: str) -> tuple[list[str], list[dict[str, str]]]:
    path = SCENARIO / code / f"{table}.csv"
    if not path.exists():
        return [], []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def all_rows(table: str) -> list[tuple[str, dict[str, str]]]:
    return [(code, row) for code in agency_codes() for row in read(code, table)[1]]


def nhs_valid(number: str) -> bool:
    if len(number) != 10 or not number.isdigit():
        return False
    check = 11 - sum(int(d) * w for d, w in zip(number[:9], range(10, 1, -1), strict=True)) % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(number[9])


def parse_when(text: str) -> date | datetime:
    if "T" in text:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S")
    return datetime.strptime(text, "%Y-%m-%d").date()


def people_ids(code: str) -> set[str]:
    return {row["person_id"] for row in read(code, "people")[1]}


def test_nhs_check_matches_the_published_examples() -> None:
    assert nhs_valid("9434765919") and nhs_valid("6541003238")
    assert not nhs_valid("9434765918")


def test_every_agency_has_a_return_and_nothing_else_is_there() -> None:
    codes = agency_codes()
    folders = sorted(p.name for p in SCENARIO.iterdir() if p.is_dir())
    assert folders == sorted(codes)
    for code in codes:
        assert (SCENARIO / code / "people.csv").is_file(), code
        assert (SCENARIO / code / "events.csv").is_file(), code
        n_people = len(read(code, "people")[1])
        assert 2 <= n_people <= 8, (code, n_people)
        assert read(code, "events")[1], code


@pytest.mark.parametrize("table", ["people", "events", "relationships"])
def test_headers_are_canonical(table: str) -> None:
    for code in agency_codes():
        header, _ = read(code, table)
        if not header:
            assert table == "relationships", (code, table)
            continue
        # the uprn is a column few agencies hold: the scenario's agencies do not send it
        canonical = [c for c in COLUMNS[table] if c != "uprn" or c in header]
        assert header[: len(canonical)] == canonical, (code, table, header)
        extra = header[len(canonical) :]
        assert extra == [c for c in ALLOWED_EXTRA[table] if c in extra], (code, extra)


def test_scenario_size() -> None:
    assert 60 <= len(all_rows("events")) <= 120


def test_people_rows_are_valid() -> None:
    for code in agency_codes():
        rows = read(code, "people")[1]
        ids = [r["person_id"] for r in rows]
        assert len(ids) == len(set(ids)), f"{code}: duplicate person_id"
        for r in rows:
            where = (code, r["person_id"])
            assert r["person_id"] and r["family_name"], where
            assert r["sex"] in SEXES, where
            if r["date_of_birth"]:
                assert parse_when(r["date_of_birth"]) < LATEST, where
            if r["postcode"]:
                assert POSTCODE.match(r["postcode"]), (where, r["postcode"])
            for flag in filter(None, r["flags"].split(";")):
                assert flag in PERSON_FLAGS, (where, flag)


def test_nhs_numbers_pass_modulus_11_except_the_planted_one() -> None:
    invalid = [
        (code, r["person_id"])
        for code, r in all_rows("people")
        if r["nhs_number"] and not nhs_valid(r["nhs_number"])
    ]
    assert invalid == [PLANTED_BAD_NHS]


def test_police_and_probation_hold_no_nhs_numbers() -> None:
    for code in ("POLICE", "PROBATION"):
        assert all(not r["nhs_number"] for r in read(code, "people")[1]), code


def test_event_types_are_in_the_vocabulary_except_the_planted_row() -> None:
    unknown = [
        (code, r["event_id"], r["event_type"])
        for code, r in all_rows("events")
        if r["event_type"] not in EVENT_TYPES
    ]
    assert unknown == [PLANTED_BAD_EVENT]


def test_events_refer_to_people_of_the_same_agency() -> None:
    for code in agency_codes():
        ids = people_ids(code)
        rows = read(code, "events")[1]
        event_ids = [r["event_id"] for r in rows]
        assert len(event_ids) == len(set(event_ids)), f"{code}: duplicate event_id"
        for r in rows:
            assert r["person_id"] in ids, (code, r["event_id"], r["person_id"])
            if r["related_person_id"]:
                assert r["related_person_id"] in ids, (code, r["event_id"])
                assert r["related_person_id"] != r["person_id"], (code, r["event_id"])


def test_event_times_are_iso_and_recorded_no_earlier_than_they_happened() -> None:
    for code, r in all_rows("events"):
        where = (code, r["event_id"])
        occurred, recorded = parse_when(r["occurred_at"]), parse_when(r["recorded_at"])
        if isinstance(occurred, datetime) and isinstance(recorded, datetime):
            assert recorded >= occurred, where
        else:
            as_date = [d.date() if isinstance(d, datetime) else d for d in (occurred, recorded)]
            assert as_date[1] >= as_date[0], where
        for when in (occurred, recorded):
            day = when.date() if isinstance(when, datetime) else when
            assert day < LATEST, where


def test_details_are_json_objects() -> None:
    for table in ("events", "relationships"):
        for code, r in all_rows(table):
            if r["details"]:
                assert isinstance(json.loads(r["details"]), dict), (code, table, r)


def test_relationships_are_valid() -> None:
    for code in agency_codes():
        ids = people_ids(code)
        for r in read(code, "relationships")[1]:
            where = (code, r["person_id"], r["relationship"], r["related_person_id"])
            assert r["relationship"] in RELATIONSHIP_TYPES, where
            assert r["person_id"] in ids and r["related_person_id"] in ids, where
            for field in ("valid_from", "valid_to"):
                if r[field]:
                    parse_when(r[field])


def test_the_seed_findings_are_planted() -> None:
    """The difficulties docs/demo-scenario.md promises are really in the files."""
    events = all_rows("events")
    types_at = {(code, r["event_type"]) for code, r in events}
    for needed in [
        ("REFUGE", "REFUGE_ENTRY"),
        ("CSC", "TRANSFER_IN"),
        ("CSC_PREV", "CARE_HISTORY_SUMMARY"),
        ("CSC", "PRE_BIRTH_ASSESSMENT"),
        ("CSC", "CIN_PLAN_START"),
        ("CSC", "STEP_DOWN"),
        ("EH", "TAC_MEETING"),
        ("PROBATION", "CUSTODY_RELEASE"),
        ("PROBATION", "LICENCE_END"),
        ("PROBATION", "MAPPA_LEVEL"),
        ("FREEDOM", "PROGRAMME_DROPOUT"),
        ("AMH", "MEDICATION_STOPPED"),
        ("HV", "NO_ACCESS_VISIT"),
        ("HOSPITAL", "INJURY"),
        ("HOSPITAL", "CP_MEDICAL"),
        ("CSC", "STRATEGY_DISCUSSION"),
        ("CSC", "S47_START"),
        ("CSC", "SERIOUS_INCIDENT"),
        ("CSC", "LAC_EPISODE_START"),
    ]:
        assert needed in types_at, needed
    assert not any(r["event_type"] == "PROFESSIONALS_MEETING" for _, r in events)

    refuge = [r for c, r in events if r["event_type"] == "REFUGE_ENTRY"]
    assert json.loads(refuge[0]["details"])["previous_area"] == "E08000003"
    injuries = [json.loads(r["details"]) for c, r in events if r["event_type"] == "INJURY"]
    assert {i["site"] for i in injuries} == {"arm", "rib"}
    assert any(i.get("healing") is True and i.get("age_weeks") == "up to 6" for i in injuries)

    lags = [
        (parse_when(r["recorded_at"][:10]) - parse_when(r["occurred_at"][:10])).days
        for _, r in events
    ]
    assert sum(14 <= lag <= 28 for lag in lags) >= 8  # recording delays of 2-4 weeks

    release = date.fromisoformat(
        next(r["occurred_at"] for c, r in events if r["event_type"] == "CUSTODY_RELEASE")
    )
    step_down = date.fromisoformat(
        next(r["occurred_at"] for c, r in events if (c, r["event_type"]) == ("CSC", "STEP_DOWN"))
    )
    assert 14 <= (step_down - release).days <= 42

    baby = next(
        r
        for r in read("MIDWIFERY", "people")[1]
        if r["family_name"] == "Ashworth" and r["date_of_birth"] == "2024-08-09"
    )
    assert baby["given_name"] == ""
    ask = [
        r
        for c, r in events
        if (c, r["event_type"]) == ("CSC", "CONTACT")
        and "assess" in r["summary"]
        and "father" in r["summary"]
    ]
    assert ask and ask[0]["occurred_at"].startswith("2025-02")
