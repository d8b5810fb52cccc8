"""The NHS number as the consistent identifier: each agency's share of child records with a
valid number, the persons whose agencies hold different numbers, the agreed number exported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from joinedup.agencies.registry import register_agency
from joinedup.ingest.loading import load_return
from joinedup.people.consistent_identifier import (
    agreed_nhs_numbers,
    conflicting_numbers,
    nhs_conflicts,
    nhs_coverage,
)
from joinedup.people.models import Person, PersonRecord
from joinedup.people.person_export import export_persons
from tests.helpers import PERSON, write_return

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)
ONE, TWO, THREE = "9990000018", "9990000026", "9990000034"
FAILS_CHECK = "9990000019"


def person(source_id: str, nhs: str = "", born: str = "2020-05-01", **more: str) -> dict[str, str]:
    return {**PERSON, "person_id": source_id, "nhs_number": nhs, "date_of_birth": born, **more}


def load(tmp_path: Path, agency: str, *rows: dict[str, str]) -> None:
    register_agency(agency, f"{agency} service", "HEALTH_VISITING", "E08000007")
    load_return(write_return(tmp_path / agency, people=list(rows)), agency)


def join(pid: int, *refs: str) -> None:
    """Put the records named (AGENCY:ID) into one person, as a linkage run would."""
    Person.objects.create(id=pid)
    for ref in refs:
        agency, source_id = ref.split(":")
        PersonRecord.objects.filter(agency__code=agency, source_id=source_id).update(person=pid)


@pytest.fixture
def partnership(tmp_path: Path) -> dict[str, Any]:
    load(tmp_path, "HV", person("H1", ONE), person("H2", TWO), person("H3", ""),
         person("H4", THREE, born="1990-01-01"))
    load(tmp_path, "GP", person("G1", ONE), person("G2", THREE), person("G3", FAILS_CHECK))
    join(1, "HV:H1", "GP:G1")  # a child: both agencies agree
    join(2, "HV:H2", "GP:G2")  # a child: the agencies disagree
    join(3, "HV:H3", "GP:G3")  # a child with no valid number anywhere (GP's fails the check)
    join(4, "HV:H4")           # an adult
    return {}


def test_each_agency_share_of_child_records_with_a_valid_number(partnership: Any) -> None:
    shares = {c.agency: c for c in nhs_coverage(TODAY)}
    assert set(shares) == {"GP", "HV"}
    hv, gp = shares["HV"], shares["GP"]
    # the adult's record is not a child record
    assert (hv.child_records, hv.with_valid_number, hv.without_number) == (3, 2, 1)
    assert hv.share == pytest.approx(2 / 3)
    assert (gp.child_records, gp.with_valid_number, gp.with_invalid_number) == (3, 2, 1)


def test_a_number_failing_the_check_digit_is_not_valid(tmp_path: Path) -> None:
    assert not conflicting_numbers(ONE, FAILS_CHECK)
    assert conflicting_numbers(ONE, TWO) and not conflicting_numbers(ONE, "999 000 0018")
    assert not conflicting_numbers(ONE, "")


def test_persons_whose_agencies_hold_different_numbers_are_queued(partnership: Any) -> None:
    conflicts = nhs_conflicts()
    assert [c.person_id for c in conflicts] == [2]
    assert conflicts[0].numbers == [TWO, THREE]
    assert [(r.agency, r.source_id) for r in conflicts[0].holders(THREE)] == [("GP", "G2")]


def test_the_export_carries_the_agreed_number_or_flags_the_conflict(partnership: Any) -> None:
    agreed = agreed_nhs_numbers()
    assert agreed[1] == (ONE, False) and agreed[2] == (None, True) and 3 not in agreed
    rows = {(r["agency"], r["source_person_id"]): r for r in export_persons()}
    assert rows[("GP", "G1")]["nhs_number"] == ONE and not rows[("GP", "G1")]["nhs_conflict"]
    assert rows[("HV", "H2")]["nhs_number"] is None and rows[("HV", "H2")]["nhs_conflict"]
    assert rows[("HV", "H3")]["nhs_number"] is None and not rows[("HV", "H3")]["nhs_conflict"]
