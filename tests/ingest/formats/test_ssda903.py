"""The SSDA903 folder reader: the public sample return, small folders, and refused files."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from joinedup.errors import UnreadableFileError
from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.ssda903 import Ssda903Reader

pytestmark = pytest.mark.postgres

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$")


def read(folder: Path) -> list[SourceRow]:
    return list(Ssda903Reader(folder).rows())


def table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def make_folder(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "return"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def is_mother(value: str) -> bool:
    return value.strip() not in ("", "0") and float(value) == 1


# -- the public sample return ----------------------------------------------------------------

@pytest.fixture
def sample(public_samples: Path) -> tuple[Path, list[SourceRow]]:
    folder = public_samples / "ssda903"
    return folder, read(folder)


def test_sample_counts(sample: tuple[Path, list[SourceRow]]) -> None:
    folder, rows = sample
    header = table(folder / "header.csv")
    episodes = table(folder / "episodes.csv")
    mothers = [r for r in header if is_mother(r["MOTHER"])]
    assert mothers, "the sample has a young mother"
    tables = Counter(r.table for r in rows)
    assert tables["people"] == len(header) + len(mothers)
    assert tables["relationships"] == len(mothers)
    types = Counter(r.values.get("event_type") for r in rows if r.table == "events")
    assert types["LAC_EPISODE_START"] == sum(1 for e in episodes if e["DECOM"].strip())
    assert types["LAC_EPISODE_END"] == sum(1 for e in episodes if e["DEC"].strip())
    assert not [p for r in rows for p in r.problems]


def test_sample_rows(sample: tuple[Path, list[SourceRow]]) -> None:
    folder, rows = sample
    first = rows[0]
    assert (first.table, first.row_number, first.location) == ("people", 2, "header.csv")
    people = [r for r in rows if r.table == "people" and not r.extra.get("mother_person_id")]
    assert all(r.values["flags"] == "CARE_EXPERIENCED" for r in people)
    assert all(r.values["family_name"] == "Unknown" for r in people)
    assert {r.values["sex"] for r in people} == {"M", "F"}
    events = [r for r in rows if r.table == "events"]
    assert all(r.location == "episodes.csv" and r.row_number >= 2 for r in events)
    ids = [e.values["event_id"] for e in events]
    assert len(ids) == len(set(ids))
    for event in events:
        details = event.values["details"]
        assert details["source_format"] == "ssda903"
        assert event.values["recorded_at"] == event.values["occurred_at"]
        assert not any(isinstance(v, str) and POSTCODE.match(v) for v in details.values())
    reader = Ssda903Reader(folder)
    list(reader.rows())
    assert reader.bytes_done() == reader.total_bytes > 0


def test_sample_young_mother(sample: tuple[Path, list[SourceRow]]) -> None:
    folder, rows = sample
    mother = next(r for r in table(folder / "header.csv") if is_mother(r["MOTHER"]))
    child = mother["CHILD"]
    person = next(r for r in rows if r.table == "people" and r.values["person_id"] == child)
    assert "CARE_EXPERIENCED" in person.values["flags"].split(";")
    baby = next(r for r in rows if r.table == "people"
                and r.values["person_id"] == f"{child}-baby")
    assert baby.values["date_of_birth"] == mother["MC_DOB"]
    assert baby.values["given_name"] == "" and baby.values["family_name"] == "Unknown"
    relationship = next(r for r in rows if r.table == "relationships")
    assert relationship.values["person_id"] == child
    assert relationship.values["related_person_id"] == f"{child}-baby"
    assert relationship.values["relationship"] == "MOTHER_OF"
    assert relationship.values["valid_from"] == mother["MC_DOB"]


def test_sample_episode_mapped_by_hand(sample: tuple[Path, list[SourceRow]]) -> None:
    """episodes.csv line 2: 566910,15/02/2016,L,C2,N3,T2,PR0,14/08/2017,X1,CLOSE,,,4244474"""
    _, rows = sample
    start = next(r for r in rows if r.values.get("event_id") == "566910/episode/2016-02-15/start")
    assert start.row_number == 2
    assert start.values["event_type"] == "LAC_EPISODE_START"
    assert start.values["occurred_at"] == "15/02/2016"
    assert {k: start.values["details"][k] for k in ("rne", "legal_status", "cin", "place",
                                                    "place_provider")} == {
        "rne": "L", "legal_status": "C2", "cin": "N3", "place": "T2", "place_provider": "PR0"}
    end = next(r for r in rows if r.values.get("event_id") == "566910/episode/2016-02-15/end")
    assert end.values["occurred_at"] == "14/08/2017"
    assert end.values["details"]["reason"] == "X1"
    assert end.values["details"]["ends_period_of_care"] is False


# -- small folders ---------------------------------------------------------------------------

def test_mother_without_baby_date_and_odd_values(tmp_path: Path) -> None:
    folder = make_folder(
        tmp_path,
        Header="\ufeffCHILD,SEX,DOB,MOTHER,MC_DOB\n"
               "M1,2,01/01/2008,1,\n"
               ",7,02/02/2009,,\n"
               "M3,1,03/03/2010,yes,\n",
        episodes="CHILD,DECOM,RNE,DEC,REC,HOME_POST\n"
                 "M1,01/05/2020,S,,,AB1 2CD\n"
                 "M1,01/05/2020,P,,,\n"
                 "M1,,,01/06/2021,E11,\n",
    )
    rows = read(folder)
    assert [(r.table, r.values.get("person_id")) for r in rows[:4]] == [
        ("people", "M1"), ("people", "M1-baby"), ("relationships", "M1"), ("people", "")]
    baby = rows[1]
    assert baby.values["date_of_birth"] == ""
    assert [(p.severity, p.column) for p in baby.problems] == [("warning", "MC_DOB")]
    assert rows[2].values["valid_from"] == ""
    no_id = rows[3]
    assert {(p.severity, p.column) for p in no_id.problems} == {
        ("error", "person_id"), ("warning", "SEX")}
    odd_mother = rows[4]
    assert [(p.severity, p.column) for p in odd_mother.problems] == [("warning", "MOTHER")]
    events = [r for r in rows if r.table == "events"]
    assert [e.values["event_id"] for e in events] == [
        "M1/episode/2020-05-01/start", "M1/episode/2020-05-01/2/start",
        "M1/episode/ended-2021-06-01/end"]
    assert events[0].values["details"]["starts_period_of_care"] is True
    assert "AB1 2CD" not in repr(events[0].values)
    assert [(p.severity, p.column) for p in events[1].problems] == [("warning", "DECOM")]
    assert [(p.severity, p.column) for p in events[2].problems] == [("warning", "DECOM")]
    assert events[2].values["details"]["ends_period_of_care"] is True


def test_header_only_folder(tmp_path: Path) -> None:
    rows = read(make_folder(tmp_path, header="CHILD,SEX,DOB\nA,1,01/01/2010\n"))
    assert [r.table for r in rows] == ["people"]


# -- folders that must be refused ------------------------------------------------------------

def refused(folder: Path, name: str) -> str:
    with pytest.raises(UnreadableFileError) as caught:
        read(folder)
    assert name in str(caught.value)
    return str(caught.value)


def test_missing_header(tmp_path: Path) -> None:
    refused(make_folder(tmp_path, episodes="CHILD,DECOM\nA,01/01/2020\n"), "header.csv")


def test_non_utf8_header(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    (folder / "header.csv").write_bytes(
        "CHILD,SEX,DOB,ETHNIC\nA,1,01/01/2010,Zoë\n".encode("cp1252"))
    assert "UTF-8" in refused(folder, "header.csv")


def test_header_without_child_column(tmp_path: Path) -> None:
    refused(make_folder(tmp_path, header="ID,SEX,DOB\nA,1,01/01/2010\n"), "header.csv")


def test_empty_header(tmp_path: Path) -> None:
    assert "empty" in refused(make_folder(tmp_path, header=""), "header.csv")


def test_not_a_folder(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("CHILD\nA\n", encoding="utf-8")
    refused(path, "header.csv")
