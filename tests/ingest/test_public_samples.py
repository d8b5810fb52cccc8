"""Every real-format sample file that other people wrote loads without a crash."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from joinedup.agencies.registry import register_agency
from joinedup.chronology.models import Event
from joinedup.ingest.loading import load_return
from joinedup.people.models import PersonRecord, RelationshipRecord

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

CIN_FILES = ["CIN_Census_2021.xml", "CIN_Census_2024.xml", "CIN_Census_2026.xml",
             "cin-2022.xml", "fake_CIN_data.xml"]


@pytest.fixture
def council(db: None):  # type: ignore[no-untyped-def]
    return register_agency("CSC", "Children's Social Care", "CHILDRENS_SOCIAL_CARE",
                           "E08000007")[0]


@pytest.mark.parametrize("name", CIN_FILES)
def test_cin_census_sample_loads(council, shared_samples: Path, name: str) -> None:
    path = shared_samples / "cin-census" / name
    children = len(re.findall(r"<Child>", path.read_text(encoding="utf-8")))
    result = load_return(path, "CSC")
    people = result.tables["people"]
    assert people.read == children
    assert people.new + people.quarantined == children
    assert PersonRecord.objects.count() == people.new
    events = result.tables["events"]
    assert Event.objects.count() == events.new
    assert events.new + events.quarantined == events.read > 0
    assert load_return(path, "CSC").already_received == result.submission_id


def test_ssda903_sample_loads(council, shared_samples: Path) -> None:
    folder = shared_samples / "ssda903"
    with (folder / "header.csv").open(encoding="utf-8-sig", newline="") as handle:
        header = list(csv.DictReader(handle))
    mothers = [r for r in header if r["MOTHER"].strip() in ("1", "1.0")]
    with (folder / "episodes.csv").open(encoding="utf-8-sig", newline="") as handle:
        starts = sum(1 for r in csv.DictReader(handle) if r["DECOM"].strip())
    result = load_return(folder, "CSC")
    assert result.format == "ssda903"
    assert result.tables["people"].read == len(header) + len(mothers)
    loaded_starts = Event.objects.filter(event_type="LAC_EPISODE_START").count()
    quarantined = result.tables["events"].quarantined
    assert loaded_starts <= starts and loaded_starts >= starts - quarantined
    mother = PersonRecord.objects.get(source_id=mothers[0]["CHILD"])
    assert "CARE_EXPERIENCED" in mother.flags
    assert RelationshipRecord.objects.get(person=mother).relationship == "MOTHER_OF"
