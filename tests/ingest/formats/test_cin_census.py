"""The CIN census XML reader: public samples, a child checked by hand, and hostile files."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from joinedup.alerts.catalogue import load_catalogue
from joinedup.errors import UnreadableFileError
from joinedup.ingest.formats.base import COLUMNS, SourceRow
from joinedup.ingest.formats.cin_census import REFERRAL_SOURCES, CinCensusReader
from joinedup.vocabulary import EVENT_TYPES

pytestmark = pytest.mark.postgres

CHILD_TAG = re.compile(rb"<(?:[\w.-]+:)?Child[\s>/]")


def read(path: Path) -> list[SourceRow]:
    return list(CinCensusReader(path).rows())


def events_of(rows: list[SourceRow], person_id: str) -> list[SourceRow]:
    return [r for r in rows if r.table == "events" and r.values["person_id"] == person_id]


def write(tmp_path: Path, body: str, name: str = "census.xml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def census(children: str, prolog: str = "", root: str = "<Message>") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}{root}<Header><CollectionDetails>'
        "<ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>"
        f"<Source><LEA>875</LEA></Source></Header><Children>{children}</Children></Message>"
    )


# -- public samples --------------------------------------------------------------------------

def test_sample_reads_one_person_per_child(cin_sample: Path) -> None:
    reader = CinCensusReader(cin_sample)
    rows = list(reader.rows())
    expected = len(CHILD_TAG.findall(cin_sample.read_bytes()))
    assert expected > 0
    assert sum(r.table == "people" for r in rows) == expected
    assert reader.bytes_done() == reader.total_bytes == cin_sample.stat().st_size
    people = [r for r in rows if r.table == "people"]
    assert [r.row_number for r in people] == list(range(1, expected + 1))
    assert all(r.location == f"{cin_sample.name}, child {r.row_number}" for r in people)
    assert all(set(r.values) == set(COLUMNS["people"]) for r in people)
    events = [r for r in rows if r.table == "events"]
    ids = [e.values["event_id"] for e in events]
    assert len(ids) == len(set(ids)), "event_ids must be unique within a file"
    for event in events:
        assert event.values["event_type"] in EVENT_TYPES
        assert event.values["occurred_at"] and event.values["recorded_at"] == \
            event.values["occurred_at"]
        assert event.values["details"]["source_format"] == "cin-census"
        assert event.values["details"]["recorded_at_from"] == "event date"


def test_sample_event_ids_are_stable_across_reads(public_samples: Path) -> None:
    path = public_samples / "cin-census" / "fake_CIN_data.xml"
    first = [r.values.get("event_id") for r in read(path)]
    assert first == [r.values.get("event_id") for r in read(path)]


def test_child_mapped_by_hand(public_samples: Path) -> None:
    """CIN_Census_2024.xml, child DfEX0000001, against the XML read by eye."""
    rows = read(public_samples / "cin-census" / "CIN_Census_2024.xml")
    person = next(r for r in rows if r.table == "people"
                  and r.values["person_id"] == "DfEX0000001")
    assert person.values["family_name"] == "Unknown"
    assert person.values["date_of_birth"] == "2015-03-27"
    assert person.values["sex"] == "M"  # <Sex>1</Sex>
    assert person.extra["UPN"] == "A123456789123"
    assert person.extra["FormerUPN"] == "X98765432123B"
    assert person.extra["UPNunknown"] == "UN3"
    assert person.extra["Ethnicity"] == "WBRI"
    assert person.extra["Disabilities"] == ["HAND", "HEAR"]
    assert person.problems == []

    events = events_of(rows, "DfEX0000001")
    assert sorted((e.values["event_type"], e.values["occurred_at"]) for e in events) == sorted([
        ("REFERRAL", "2022-10-06"),
        ("ICPC", "2022-12-06"),  # DateOfInitialCPC directly under CINdetails
        ("ASSESSMENT_START", "2028-04-28"),
        ("ASSESSMENT_COMPLETE", "2020-09-19"),
        ("CIN_PLAN_START", "2023-01-24"),
        ("CIN_PLAN_END", "2023-01-26"),
        ("S47_START", "2022-06-02"),
        ("ICPC", "2022-06-17"),  # DateOfInitialCPC inside Section47
        ("CP_PLAN_START", "2022-02-17"),
        ("CP_PLAN_END", "2023-03-14"),
        ("CP_REVIEW", "2023-02-15"),
        ("CASE_CLOSURE", "2023-02-27"),  # RC1, adopted
    ])  # ReferralNFA 0: no REFERRAL_NFA
    by_type = {e.values["event_type"]: e for e in events}
    referral = by_type["REFERRAL"].values
    assert referral["event_id"] == "DfEX0000001/referral-2022-10-06/REFERRAL/2022-10-06"
    assert referral["details"]["referral_source"] == "1A"
    assert referral["details"]["source"] == "relative"  # the word the rules read
    assert referral["details"]["primary_need"] == "N4"
    assert referral["details"]["la_code"] == "201"
    assert referral["details"]["census_date"] == "2024-03-31"
    assert by_type["ASSESSMENT_COMPLETE"].values["details"]["factors"] == ["1C", "RB", "6B"]
    assert by_type["CASE_CLOSURE"].values["details"]["reason_for_closure"] == "RC1"
    assert by_type["CP_PLAN_START"].values["details"]["initial_category_of_abuse"] == "PHY"
    s47_icpc = next(e for e in events if e.values["event_type"] == "ICPC"
                    and e.values["occurred_at"] == "2022-06-17")
    assert s47_icpc.values["details"]["icpc_not_required"] == "false"
    assert all(e.row_number == 1 and not e.problems for e in events)

    second = events_of(rows, "child_fails_assessments")
    closure = next(e for e in second if e.values["event_type"] == "STEP_DOWN")  # RC9
    assert closure.values["occurred_at"] == "2024-10-29"
    assert "REFERRAL_NFA" not in {e.values["event_type"] for e in second}  # ReferralNFA false


def test_child_with_two_referrals(public_samples: Path) -> None:
    rows = read(public_samples / "cin-census" / "fake_CIN_data.xml")
    events = events_of(rows, "RND000824303014")
    assert Counter(e.values["event_type"] for e in events) == Counter(
        {"REFERRAL": 2, "REFERRAL_NFA": 2, "ICPC": 2, "CASE_CLOSURE": 1})
    assert {e.values["details"]["cin_referral_date"] for e in events} == {
        "2013-10-25", "2017-10-22"}


def test_pre_proceedings_block_is_kept_not_mapped(public_samples: Path) -> None:
    rows = read(public_samples / "cin-census" / "CIN_Census_2026.xml")
    referral = next(e for e in events_of(rows, "DfEX0000001")
                    if e.values["event_type"] == "REFERRAL")
    kept = referral.values["details"]["not_mapped"]["PreProceedingsandFGDM"]
    assert kept["PPStartDate"] == "2026-09-09"


# -- mapping rules on small files ------------------------------------------------------------

def test_closure_reasons_nfa_and_namespaces(tmp_path: Path) -> None:
    def cin(ref: str, closed: str, reason: str, nfa: str = "false") -> str:
        return (f"<c:CINdetails><c:CINreferralDate>{ref}</c:CINreferralDate>"
                f"<c:CINclosureDate>{closed}</c:CINclosureDate>"
                f"<c:ReasonForClosure>{reason}</c:ReasonForClosure>"
                f"<c:ReferralNFA>{nfa}</c:ReferralNFA></c:CINdetails>")

    child = (
        "<c:Child><c:ChildIdentifiers><c:LAchildID>A1</c:LAchildID>"
        "<c:GenderCurrent>2</c:GenderCurrent></c:ChildIdentifiers>"
        + cin("2024-01-01", "2024-02-01", "RC5")
        + cin("2024-03-01", "2024-03-05", "RC8", nfa="true")
        + cin("2024-04-01", "2024-04-09", "RC9")
        + cin("2024-05-01", "2024-05-09", "RC42")
        + cin("2024-06-01", "", "RC2")  # no closure date: no closure event
        + "</c:Child>"
    )
    body = census(child, root='<Message xmlns="urn:dfe:cin">').replace(
        "<Children>", '<Children xmlns:c="urn:dfe:cin">')
    rows = read(write(tmp_path, body))
    person = rows[0]
    assert person.values["person_id"] == "A1" and person.values["sex"] == "F"
    got = {(e.values["event_type"], e.values["occurred_at"]) for e in rows[1:]}
    assert {("TRANSFER_OUT", "2024-02-01"), ("REFERRAL_NFA", "2024-03-01"),
            ("REFERRAL_NFA", "2024-03-05"), ("STEP_DOWN", "2024-04-09"),
            ("CASE_CLOSURE", "2024-05-09")} <= got
    assert not any(d == "" for _, d in got)
    unknown = next(e for e in rows if e.values.get("event_type") == "CASE_CLOSURE")
    assert [(p.severity, p.column, p.raw_value) for p in unknown.problems] == [
        ("warning", "ReasonForClosure", "RC42")]
    assert rows[1].values["details"]["la_code"] == "875"
    assert rows[1].values["details"]["census_date"] == "2025-03-31"


def test_child_without_id_is_an_error_row(tmp_path: Path) -> None:
    body = census(
        "<Child><ChildIdentifiers><PersonBirthDate>2020-01-01</PersonBirthDate>"
        "<GenderCurrent>7</GenderCurrent></ChildIdentifiers><CINdetails>"
        "<CINreferralDate>2024-01-01</CINreferralDate></CINdetails></Child>"
        "<Child><ChildIdentifiers><LAchildID>B2</LAchildID></ChildIdentifiers></Child>"
    )
    rows = read(write(tmp_path, body))
    assert [(r.table, r.row_number) for r in rows] == [("people", 1), ("people", 2)]
    problems = {(p.severity, p.column) for p in rows[0].problems}
    assert problems == {("error", "person_id"), ("warning", "GenderCurrent")}
    assert rows[0].values["sex"] == ""
    assert rows[1].problems == []


def test_same_event_twice_gets_distinct_ids(tmp_path: Path) -> None:
    body = census(
        "<Child><ChildIdentifiers><LAchildID>C3</LAchildID></ChildIdentifiers><CINdetails>"
        "<CINreferralDate>2024-01-01</CINreferralDate><ChildProtectionPlans>"
        "<CPPstartDate>2024-02-01</CPPstartDate><Reviews><CPPreviewDate>2024-03-01"
        "</CPPreviewDate><CPPreviewDate>2024-03-01</CPPreviewDate></Reviews>"
        "</ChildProtectionPlans></CINdetails></Child>"
    )
    ids = [r.values["event_id"] for r in read(write(tmp_path, body)) if r.table == "events"]
    assert "C3/referral-2024-01-01/CP_REVIEW/2024-03-01/2" in ids
    assert len(ids) == len(set(ids)) == 4


# -- files that must be refused --------------------------------------------------------------

def refused(path: Path) -> str:
    with pytest.raises(UnreadableFileError) as caught:
        read(path)
    assert path.name in str(caught.value)
    return str(caught.value)


def test_truncated_xml(tmp_path: Path, public_samples: Path) -> None:
    data = (public_samples / "cin-census" / "fake_CIN_data.xml").read_bytes()
    path = tmp_path / "truncated.xml"
    path.write_bytes(data[: len(data) // 2])
    assert "line" in refused(path)


def test_billion_laughs(tmp_path: Path) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10))
    body = census("<Child><ChildIdentifiers><LAchildID>&lol9;</LAchildID>"
                  "</ChildIdentifiers></Child>", prolog=f"<!DOCTYPE Message [{entities}]>\n")
    refused(write(tmp_path, body, "laughs.xml"))


def test_external_entity(tmp_path: Path) -> None:
    body = census("<Child><ChildIdentifiers><LAchildID>&x;</LAchildID>"
                  "</ChildIdentifiers></Child>",
                  prolog='<!DOCTYPE Message [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n')
    message = refused(write(tmp_path, body, "external.xml"))
    assert "root:" not in message


def test_not_a_census_and_empty_and_missing(tmp_path: Path) -> None:
    refused(write(tmp_path, "<Return><Child/></Return>", "other.xml"))
    refused(write(tmp_path, "", "empty.xml"))
    refused(tmp_path / "missing.xml")


def test_a_referral_by_a_family_member_is_one_the_family_concern_rule_reads() -> None:
    """ReferralSource 1A (family member, relative or carer) becomes a source the
    FAMILY_CONCERN_UNACTIONED rule matches; no other code does."""
    rule = next(r for r in load_catalogue() if r.id == "FAMILY_CONCERN_UNACTIONED")
    words = {value for clause in rule.clauses
             for condition in clause.params["trigger"].where if condition.key == "source"
             for value in condition.values}
    assert words and {code for code, word in REFERRAL_SOURCES.items() if word in words} == {
        "1A"}

