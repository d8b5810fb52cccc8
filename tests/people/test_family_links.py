"""Links that follow relationships, as a data steward sees them: the Baby S unborn record
joined to the child born, each step explained, and twins never joined automatically."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from joinedup.demo.summary import cast_findings
from joinedup.ingest.loading import load_return
from joinedup.people import family_links, home_twin_links, linking, record_rows
from joinedup.people.linkage import ambiguity, features, shared_number
from joinedup.people.linkage.births import (
    BirthRecord,
    names_of,
    possible_twins,
    twins_check,
    unborn_check,
)
from joinedup.people.linkage.clustering import cluster
from joinedup.people.linking import THRESHOLD, _decisions, decide, resolve_record, review_queue
from joinedup.people.models import LinkDecision, PairScore, PersonRecord
from tests.helpers import load_unnamed_twins, write_return

UNBORN = "CSC_PREV:MCR-1120457"


def _person(ref: str) -> int | None:
    return resolve_record(ref).person_id


# -- the Baby S scenario, linked (tests/conftest.py) ----------------------------------------

def test_baby_s_is_one_person_across_all_12_records(baby_s: dict[str, Any], db: None) -> None:
    child = next(f for f in cast_findings() if f.role == "child")
    assert child.records == 12
    assert child.persons == [baby_s["child"]]
    assert _person(UNBORN) == baby_s["child"]


def test_the_pair_page_explains_every_step_of_the_link(baby_s: dict[str, Any], db: None) -> None:
    evidence = family_links.explain_family(resolve_record(UNBORN), resolve_record("HV:HV-5510871"))
    assert [step.text for step in evidence.steps] == [
        f"same mother (person {baby_s['mother']}) on both records",
        "expected 6 September 2024, born 9 August 2024: 28 days apart (within 8 weeks)",
        "family name Brennan is the mother's",
    ]
    assert evidence.linked and evidence.twins is None


def test_a_steward_rejecting_the_unborn_record_is_never_overridden(
        baby_s: dict[str, Any], db: None) -> None:
    decide(UNBORN, "GP:GP-90114", LinkDecision.CANNOT_LINK, "a different pregnancy", "test")
    assert _person(UNBORN) != _person("GP:GP-90114")
    assert _person("HV:HV-5510871") == _person("GP:GP-90114")  # the child stays whole


def _true_twins(folder: Path) -> list[tuple[set[tuple[str, str]], set[tuple[str, str]]]]:
    """Each pair of twins in a generated population: the records of each twin."""
    with (folder / "ground_truth.csv").open(encoding="utf-8") as handle:
        truth = {(r["agency"], r["source_person_id"]): r for r in csv.DictReader(handle)}
    records: dict[str, set[tuple[str, str]]] = defaultdict(set)
    born: dict[tuple[str, str], set[str]] = defaultdict(set)
    for agency_folder in sorted(p for p in folder.iterdir() if p.is_dir()):
        with (agency_folder / "people.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                true = truth[(agency_folder.name, row["person_id"])]
                if true["role"] == "CHILD" and row["date_of_birth"]:
                    records[true["true_person_id"]].add((agency_folder.name, row["person_id"]))
                    born[(true["family_id"], row["date_of_birth"])].add(true["true_person_id"])
    return [(records[a], records[b]) for twins in born.values() if len(twins) == 2
            for a, b in [sorted(twins)]]


def _persons(refs: set[tuple[str, str]]) -> set[int]:
    return {PersonRecord.objects.get(agency__code=a, source_id=s).person_id for a, s in refs}


def test_generated_twins_are_never_merged(baby_s: dict[str, Any], db: None) -> None:
    twins = _true_twins(baby_s["population_dir"])
    assert len(twins) >= 2  # the fixture's 150 families hold three pairs of twins
    for first, second in twins:
        assert not _persons(first) & _persons(second), (first, second)


def test_twins_wait_in_the_review_queue_flagged_possible_twins(
        baby_s: dict[str, Any], db: None, tmp_path: Path) -> None:
    stewart = {tuple(ref.split(":")) for ref in load_unnamed_twins(tmp_path)}
    flagged = [p for p in review_queue() if "possible twins" in p.reasons]
    assert stewart in [{(r.agency.code, r.source_id) for r in (p.record_a, p.record_b)}
                       for p in flagged]
    twins = {ref for pair in _true_twins(baby_s["population_dir"]) for ref in (*pair[0], *pair[1])}
    twins |= stewart
    for pair in flagged:
        assert {(r.agency.code, r.source_id) for r in (pair.record_a, pair.record_b)} <= twins
        evidence = family_links.explain_family(pair.record_a, pair.record_b)
        assert evidence.twins is not None
        assert evidence.twins.warning.startswith("Possible twins: both born ")
        assert "never joined automatically" in evidence.twins.warning


def test_a_pair_with_the_unborn_record_carries_the_reason_unborn(
        baby_s: dict[str, Any], db: None) -> None:
    unborn, mother = resolve_record(UNBORN), resolve_record("GP:GP-88231")
    pair = PairScore(record_a=unborn, record_b=mother, match_probability=0.6, match_weight=0.4)
    [given] = family_links.with_reasons([pair])
    # GP-88231 is her mother, and the two persons hold different NHS numbers
    assert given.reasons == {"unborn", "parent and child", "two NHS numbers"}
    assert all("unborn" not in p.reasons for p in review_queue()
               if UNBORN not in (str(p.record_a), str(p.record_b)))


def test_a_pair_scored_over_the_threshold_but_not_joined_says_why(
        baby_s: dict[str, Any], db: None) -> None:
    strong = [p for p in review_queue() if p.match_probability >= THRESHOLD]
    assert strong
    for pair in strong:
        assert pair.record_a.person_id != pair.record_b.person_id
        assert pair.reasons & {"possible twins", "parent and child", "two NHS numbers",
                               "kept apart"}, (
            pair.record_a, pair.record_b)


def _reasons(pairs: list[PairScore]) -> dict[tuple[int, int], set[str]]:
    return {(p.record_a_id, p.record_b_id): set(p.reasons) for p in pairs}


def test_the_queue_s_reasons_read_together_are_those_read_pair_by_pair(
        baby_s: dict[str, Any], db: None, tmp_path: Path) -> None:
    load_unnamed_twins(tmp_path)
    queue = review_queue()
    together = _reasons(queue)
    one_at_a_time = _reasons([given for pair in queue
                              for given in family_links.with_reasons([pair], THRESHOLD)])
    assert len(queue) >= 20 and together == one_at_a_time
    found = {reason for reasons in together.values() for reason in reasons}
    assert {"possible twins", "parent and child", "two NHS numbers"} <= found


def test_reading_the_whole_queue_s_reasons_takes_no_more_statements_than_half_of_it(
        baby_s: dict[str, Any], db: None, tmp_path: Path) -> None:
    """A steward's queue page reads the reasons of every pair waiting: a statement or more
    per pair made it slow (3.9 s for the demonstration's 580 pairs)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    load_unnamed_twins(tmp_path)
    queue = review_queue()
    counted = []
    for pairs in (queue[:len(queue) // 2], queue):
        with CaptureQueriesContext(connection) as statements:
            family_links.with_reasons(pairs, THRESHOLD)
        counted.append(len(statements))
    assert len(queue) >= 20 and counted[1] <= counted[0]


def test_a_steward_may_still_confirm_a_pair_flagged_as_twins(
        baby_s: dict[str, Any], db: None, tmp_path: Path) -> None:
    load_unnamed_twins(tmp_path)
    pair = next(p for p in review_queue() if "possible twins" in p.reasons)
    decide(str(pair.record_a_id), str(pair.record_b_id), LinkDecision.MUST_LINK,
           "the same baby: the hospital corrected the NHS number", "test")
    assert _person(str(pair.record_a_id)) == _person(str(pair.record_b_id))


def test_regrouping_only_what_the_family_changes_gives_what_regrouping_everything_gives(
        baby_s: dict[str, Any], db: None) -> None:
    records = list(PersonRecord.objects.values_list("id", flat=True))
    links = list(PairScore.objects.filter(match_probability__gte=THRESHOLD).values_list(
        "record_a_id", "record_b_id", "match_probability"))
    must, cannot = _decisions()
    parents = family_links.parent_rows()
    apart = [(parent, child) for parent, child, _ in parents]
    pairs = [(a, b) for a, b, _ in links]
    apart += [(t.a, t.b) for t in home_twin_links.twins_at_home(
        ambiguity.pairs_for_twins(pairs))]
    numbers = home_twin_links.nhs_numbers()
    first = cluster(records, links, THRESHOLD, must, cannot, kept_apart=apart, numbers=numbers)
    found = family_links.find(first.groups, parents)
    assert found.links and found.twins
    family = [(check.unborn, check.born_record, THRESHOLD) for check in found.links]
    everything = cluster(records, links + family, THRESHOLD, must, cannot,
                         kept_apart=apart + [(t.a, t.b) for t in found.twins], numbers=numbers)
    assert family_links.cluster(records, links, THRESHOLD, must, cannot) == everything


BOY = {"family_name": "Zhou", "date_of_birth": "2019-12-15", "sex": "M",
       "postcode": "SK4 9HF", "address": "25 Church Grove, Stockport"}


def test_a_child_known_by_two_names_with_one_nhs_number_is_one_person_not_twins(
        baby_s: dict[str, Any], db: None, tmp_path: Path) -> None:
    # the GP writes the boy's English name, the hospital visitor his Chinese one, each with
    # his NHS number; the police write his Chinese name with no number. His twin Jian has
    # his own number.
    load_return(write_return(tmp_path / "gp", people=[
        {**BOY, "person_id": "GP-Z1", "given_name": "David", "nhs_number": "9434765919"}]), "GP")
    load_return(write_return(tmp_path / "hv", people=[
        {**BOY, "person_id": "HV-Z1", "given_name": "Wei", "nhs_number": "9434765919"},
        {**BOY, "person_id": "HV-Z2", "given_name": "Jian", "nhs_number": "9434765870"}]), "HV")
    load_return(write_return(tmp_path / "police", people=[
        {**BOY, "person_id": "POL-Z1", "given_name": "Wei", "nhs_number": ""}]), "POLICE")
    david, wei, jian, police = (resolve_record(ref) for ref in (
        "GP:GP-Z1", "HV:HV-Z1", "HV:HV-Z2", "POLICE:POL-Z1"))
    # the police record's "Wei" is the boy the GP calls David; Jian is still a twin
    assert home_twin_links.twins_between(police, david) is None
    twins = home_twin_links.twins_between(police, jian)
    assert twins is not None and twins.why == "different given names (Wei and Jian)"
    assert [(t.a, t.b) for t in home_twin_links.twins_at_home(
        [(david.pk, police.pk), (police.pk, jian.pk)])] == [tuple(sorted((police.pk, jian.pk)))]
    linking.link(who="test")
    assert _person("GP:GP-Z1") == _person("HV:HV-Z1") == _person("POLICE:POL-Z1")
    assert _person("HV:HV-Z2") != _person("GP:GP-Z1")
    assert family_links.explain_family(police, david).twins is None


SHARMA = {"family_name": "Sharma", "date_of_birth": "2024-02-24", "sex": "M",
          "postcode": "SK3 2FL", "address": "122 Marple Avenue, Stockport"}


def test_a_twin_s_unnamed_record_joins_neither_twin(
        baby_s: dict[str, Any], db: None, tmp_path: Path) -> None:
    # the GP holds Rahul with his NHS number and an unnamed record with none, born the same
    # day at the same home; the hospital holds his twin Mohammed with his own number
    load_return(write_return(tmp_path / "gp", people=[
        {**SHARMA, "person_id": "GP-S1", "given_name": "Rahul", "nhs_number": "9434765919"},
        {**SHARMA, "person_id": "GP-S2", "given_name": "", "nhs_number": ""}]), "GP")
    load_return(write_return(tmp_path / "hospital", people=[
        {**SHARMA, "person_id": "H-S1", "given_name": "Mohammed",
         "nhs_number": "9434765870"}]), "HOSPITAL")
    linking.link(who="test")
    rahul, unnamed, mohammed = (resolve_record(ref) for ref in (
        "GP:GP-S1", "GP:GP-S2", "HOSPITAL:H-S1"))
    scores = {(s.record_a_id, s.record_b_id): s.match_probability
              for s in PairScore.objects.filter(record_a__in=[rahul, unnamed, mohammed],
                                                record_b__in=[rahul, unnamed, mohammed])}
    # the model links the unnamed record to both boys alike, and neither boy to the other
    assert scores[tuple(sorted((rahul.pk, unnamed.pk)))] >= THRESHOLD
    assert scores[tuple(sorted((mohammed.pk, unnamed.pk)))] >= THRESHOLD
    assert scores.get(tuple(sorted((rahul.pk, mohammed.pk))), 0) < THRESHOLD
    persons = {_person(ref) for ref in ("GP:GP-S1", "GP:GP-S2", "HOSPITAL:H-S1")}
    assert len(persons) == 3
    # it waits for a steward, with both boys, saying why it was not joined: with Rahul, the
    # GP's other record of a boy born that day there, possible twins; with Mohammed, that
    # it fits both boys alike
    waiting = {(p.record_a_id, p.record_b_id): p.reasons for p in review_queue()}
    assert waiting[tuple(sorted((rahul.pk, unnamed.pk)))] == {family_links.POSSIBLE_TWINS}
    assert waiting[tuple(sorted((mohammed.pk, unnamed.pk)))] == {family_links.KEPT_APART}


TAYLOR = {"family_name": "Taylor", "sex": "F", "postcode": "SK1 2ZN",
          "address": "3 Cheadle Drive, Stockport"}


def test_a_twin_s_record_with_no_date_is_read_with_its_number_s_date(
        baby_s: dict[str, Any], db: None, tmp_path: Path) -> None:
    # the hospital's record of Olivia has her NHS number but no date of birth; the GP holds
    # her, with the date, at the family's old home, and her twin Elizabeth with no number
    load_return(write_return(tmp_path / "gp", people=[
        {**TAYLOR, "person_id": "GP-T1", "given_name": "Olivia", "date_of_birth": "2025-11-03",
         "nhs_number": "9434765919", "postcode": "SK7 6SD", "address": "170 Hazel Drive"},
        {**TAYLOR, "person_id": "GP-T2", "given_name": "Elizabeth",
         "date_of_birth": "2025-11-03", "nhs_number": ""}]), "GP")
    load_return(write_return(tmp_path / "hospital", people=[
        {**TAYLOR, "person_id": "H-T1", "given_name": "Olivia", "date_of_birth": "",
         "nhs_number": "9434765919"}]), "HOSPITAL")
    linking.link(who="test")
    hospital, elizabeth = resolve_record("HOSPITAL:H-T1"), resolve_record("GP:GP-T2")
    # linkage compares the hospital's record by the date its number's other record gives,
    # and so do the twins rules: the two girls are possible twins, never one child
    twins = home_twin_links.twins_between(hospital, elizabeth)
    assert twins is not None and twins.why == "different given names (Olivia and Elizabeth)"
    assert _person("HOSPITAL:H-T1") == _person("GP:GP-T1") != _person("GP:GP-T2")
    # a linkage run hands the rule the records it prepared; the rule reads the same
    held = shared_number.fill(features.prepare(record_rows.records()))
    pair = [(hospital.pk, elizabeth.pk)]
    assert [t.why for t in home_twin_links.twins_at_home(pair, prepared=held)] == [
        t.why for t in home_twin_links.twins_at_home(pair)] == [twins.why]


def test_twins_with_a_date_written_one_digit_off_are_possible_twins(
        baby_s: dict[str, Any], db: None, tmp_path: Path) -> None:
    # the hospital's date for Isla could not be read ("202501103"); the GP has Amelia's
    # as 3 November 2025: one slip apart, at one home, with different given names
    load_return(write_return(tmp_path / "gp", people=[
        {**TAYLOR, "person_id": "GP-A", "given_name": "Amelia", "date_of_birth": "2025-11-03",
         "nhs_number": ""}]), "GP")
    load_return(write_return(tmp_path / "hospital", people=[
        {**TAYLOR, "person_id": "H-I", "given_name": "Isla", "date_of_birth": "202501103",
         "nhs_number": ""}]), "HOSPITAL")
    linking.link(who="test")
    amelia, isla = resolve_record("GP:GP-A"), resolve_record("HOSPITAL:H-I")
    assert isla.date_of_birth is None and isla.date_of_birth_text == "202501103"
    twins = home_twin_links.twins_between(amelia, isla)
    assert twins is not None and twins.why == (
        "different given names (Amelia and Isla); one date of birth as written (202501103) "
        "one digit from the other's")
    assert [t.why for t in home_twin_links.twins_at_home([(amelia.pk, isla.pk)])] == [twins.why]
    assert _person("GP:GP-A") != _person("HOSPITAL:H-I")


# -- the rules on their own ------------------------------------------------------------------

MOTHERS = {1: frozenset({9}), 2: frozenset({9}), 3: frozenset({8})}
BORN = dt.date(2025, 3, 10)


def _unborn(expected: dt.date, family_name: str = "Brennan") -> BirthRecord:
    return BirthRecord(100, 1, None, expected, "", family_name, "", "U")


def _check(unborn: BirthRecord, surnames: dict[int, frozenset[str]]) -> Any:
    child = [BirthRecord(200, 2, BORN, None, "Sienna", "Ashworth", "", "F")]
    return unborn_check(unborn, 2, child, MOTHERS, {}, lambda p: surnames.get(p, frozenset()))


def test_an_unborn_record_links_with_each_step_in_words() -> None:
    check = _check(_unborn(dt.date(2025, 3, 3)), {9: frozenset({"BRENNAN", "ASHWORTH"})})
    assert [s.text for s in check.steps] == [
        "same mother (person 9) on both records",
        "expected 3 March 2025, born 10 March 2025: 7 days apart (within 8 weeks)",
        "family name Brennan is the mother's",
    ]
    assert check.holds and check.born_record == 200


def test_more_than_eight_weeks_or_a_stranger_s_name_does_not_link() -> None:
    late = _check(_unborn(BORN - dt.timedelta(days=57)), {9: frozenset({"BRENNAN"})})
    assert not late.holds
    assert "57 days apart (more than 8 weeks)" in late.steps[1].text
    stranger = _check(_unborn(BORN, "Okafor"), {9: frozenset({"BRENNAN"})})
    assert not stranger.holds
    assert stranger.steps[2].text == ("family name Okafor is not the mother's, the father's "
                                      "or the child's")


def test_twins_need_different_numbers_or_truly_different_names() -> None:
    def record(pid: int, given: str, nhs: str = "", person: int = 1) -> BirthRecord:
        return BirthRecord(pid, person, BORN, None, given, "Stewart", nhs, "F")

    assert twins_check(record(1, "Baby", "9434765919"), record(2, "Baby", "9434765870"),
                       MOTHERS) is not None
    assert twins_check(record(1, "Amelia"), record(2, "Isla", person=2), MOTHERS) is not None
    for same in (("Baby", "Isla"), ("Alexander", "Aleaxnder"), ("Tom", "Thomas"), ("", "Isla"),
                 ("Ivy", "Iy"), ("Ali", "Ail"), ("Roisin", "Rosheen")):
        assert twins_check(record(1, same[0]), record(2, same[1]), MOTHERS) is None, same
    # another mother's child born the same day is not a twin
    assert twins_check(record(1, "Amelia"), record(2, "Isla", person=3), MOTHERS) is None


def test_a_twin_is_known_by_every_name_written_with_its_nhs_number() -> None:
    # the GP's "David" and the hospital's "Wei" share one NHS number: one child, person 1;
    # another record of "Wei" with no number, person 2, is that child, not a twin
    david = BirthRecord(1, 1, BORN, None, "David", "Zhou", "9434765919", "M")
    wei = BirthRecord(2, 1, BORN, None, "Wei", "Zhou", "9434765919", "M")
    police = BirthRecord(3, 2, BORN, None, "Wei", "Zhou", "", "M")
    assert twins_check(david, police, MOTHERS) is not None
    assert twins_check(david, police, MOTHERS, names_of([david, wei, police])) is None
    assert [(t.a, t.b) for t in possible_twins([david, police], MOTHERS)] == [(1, 3)]
    assert possible_twins([david, wei, police], MOTHERS) == []
    # a full name written the other way round is one child too
    swapped = BirthRecord(4, 2, BORN, None, "Zhou", "Wei", "", "M")
    assert twins_check(david, swapped, MOTHERS, names_of([david, wei, swapped])) is None
    assert twins_check(david, swapped, MOTHERS) is not None
    # and written the other way round with the family name as it sounds ("Zhoo")
    assert twins_check(wei, BirthRecord(5, 2, BORN, None, "Zhoo", "Wei", "", "M"),
                       MOTHERS) is None
