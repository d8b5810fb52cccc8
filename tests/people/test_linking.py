"""Linkage over stored records, as a data steward sees it: persons, decisions, stable ids."""

from __future__ import annotations

import pytest

from joinedup.demo.loader import load_scenario
from joinedup.demo.summary import cast_findings
from joinedup.errors import LinkageError
from joinedup.ingest.loading import load_return
from joinedup.people import linking, record_rows
from joinedup.people.models import LinkDecision, Person, PersonChange, PersonRecord
from joinedup.people.person_export import export_persons
from tests.helpers import PERSON, write_return

# a linkage run writes each record's person in SQL of its own: PostgreSQL runs these too
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def scenario() -> None:
    load_scenario(lambda result: None)


def _person_of(ref: str) -> int:
    return linking.resolve_record(ref).person_id  # type: ignore[return-value]


def test_the_baby_s_family_is_found_across_agencies(scenario) -> None:
    result = linking.link(who="test")
    assert result.trained and result.kind == "full"
    assert PersonRecord.objects.filter(person__isnull=True).count() == 0
    findings = {f.role: f for f in cast_findings()}
    mother, father = findings["mother"], findings["father"]
    # the mother under her birth surname at the previous area, probation and police is the
    # same person as under her new surname
    assert {"CSC_PREV", "PROBATION", "POLICE", "GP", "AMH"} <= set(mother.main_agencies)
    # the father's adult-services records are joined up
    assert {"PROBATION", "POLICE"} <= set(father.main_agencies)
    # the unrelated lookalike is not merged into the mother
    assert _person_of("HOSPITAL:RWJ0874215") != mother.main_person


def test_a_rerun_keeps_every_person_id(scenario) -> None:
    linking.link(who="test")
    before = dict(PersonRecord.objects.values_list("id", "person_id"))
    again = linking.link(who="test")
    assert again.kind == "incremental" and again.records_scored == 0
    assert dict(PersonRecord.objects.values_list("id", "person_id")) == before
    assert again.changes == {}


def test_a_new_record_joins_its_person_without_changing_ids(scenario, tmp_path) -> None:
    linking.link(who="test")
    before = dict(PersonRecord.objects.values_list("id", "person_id"))
    mother = _person_of("GP:GP-88231")
    new = {**PERSON, "person_id": "HV-NEW-1", "given_name": "Kayleigh",
           "family_name": "Ashworth", "date_of_birth": "2003-11-03", "postcode": "",
           "nhs_number": "9994123785"}
    load_return(write_return(tmp_path / "r", people=[new]), "HV")
    result = linking.link(who="test")
    assert result.kind == "incremental" and result.records_scored == 1
    assert _person_of("HV:HV-NEW-1") == mother
    after = dict(PersonRecord.objects.values_list("id", "person_id"))
    assert {k: v for k, v in after.items() if k in before} == before
    assert PersonChange.objects.filter(kind="grew", person_id=mother).exists()


def test_a_rejection_separates_and_survives_reruns(scenario) -> None:
    linking.link(who="test")
    a, b = "GP:GP-88231", "AMH:AMH-300781"
    assert _person_of(a) == _person_of(b)
    linking.decide(a, b, LinkDecision.CANNOT_LINK, "different people, checked with AMH",
                   who="steward")
    assert _person_of(a) != _person_of(b)
    linking.link(who="test", retrain=True)
    assert _person_of(a) != _person_of(b)


def test_the_pairs_said_to_wait_are_the_review_queue(scenario) -> None:
    # `joinedup link` and the returns page say how many pairs wait without reading each
    # pair's reasons; the count must still be the queue a steward works through
    result = linking.link(who="test")
    queue = linking.review_queue()
    assert result.review_pairs == len(queue) > 0
    first = queue[0]
    linking.decide(str(first.record_a_id), str(first.record_b_id), LinkDecision.CANNOT_LINK,
                   "checked with both agencies: two people", who="steward")
    assert linking.review_queue_count() == len(linking.review_queue()) == len(queue) - 1


def test_a_confirmation_joins_and_survives_reruns(scenario) -> None:
    linking.link(who="test")
    a, b = "HOSPITAL:RWJ0874215", "GP:GP-88231"   # the lookalike, wrongly confirmed
    linking.decide(a, b, LinkDecision.MUST_LINK, "test of a confirmation", who="steward")
    assert _person_of(a) == _person_of(b)
    linking.link(who="test")
    assert _person_of(a) == _person_of(b)


def test_split_unmerges_a_person(scenario) -> None:
    linking.link(who="test")
    person = _person_of("GP:GP-88231")
    linking.split_person(person, ["AMH:AMH-300781"], "AMH record is someone else", who="s")
    assert _person_of("GP:GP-88231") == person
    assert _person_of("AMH:AMH-300781") != person
    assert PersonChange.objects.filter(kind="split", person_id=person).exists()


def test_decisions_need_a_reason_and_real_records(scenario) -> None:
    linking.link(who="test")
    with pytest.raises(LinkageError, match="Say why"):
        linking.decide("GP:GP-88231", "AMH:AMH-300781", LinkDecision.MUST_LINK, " ")
    with pytest.raises(LinkageError, match="no person record 'GP:NOPE'"):
        linking.decide("GP:GP-88231", "GP:NOPE", LinkDecision.MUST_LINK, "x")


def test_explain_gives_each_field_in_plain_words(scenario) -> None:
    linking.link(who="test")
    a, b, explanation = linking.explain_pair("GP:GP-88231", "CSC_PREV:MCR-0587214")
    assert 0 <= explanation.match_probability <= 1
    assert len(explanation.comparisons) >= 5
    assert all(c.label for c in explanation.comparisons)


def test_the_export_contract(scenario) -> None:
    linking.link(who="test")
    rows = export_persons()
    assert rows and set(rows[0]) == {"agency", "source_person_id", "person_id",
                                     "match_confidence", "nhs_number", "nhs_conflict"}
    assert len(rows) == PersonRecord.objects.count()
    persons = {r["person_id"] for r in rows}
    assert persons == set(Person.objects.filter(retired_at__isnull=True).values_list(
        "id", flat=True))
    assert all(r["match_confidence"] is None or 0 < r["match_confidence"] <= 1 for r in rows)


def test_linking_nothing_is_a_clear_error(db) -> None:
    with pytest.raises(LinkageError, match="no person records"):
        linking.link(who="test")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_decisions_survive_a_rerun(scenario, seed: int) -> None:
    import random

    linking.link(who="test")
    rng = random.Random(seed)
    ids = sorted(PersonRecord.objects.values_list("id", flat=True))
    for _ in range(12):
        a, b = rng.sample(ids, 2)
        kind = rng.choice([LinkDecision.MUST_LINK, LinkDecision.CANNOT_LINK])
        linking.decide(str(a), str(b), kind, f"random decision {seed}", who="steward")
    result = linking.link(who="test", retrain=True)
    person = dict(PersonRecord.objects.values_list("id", "person_id"))
    conflicted = " ".join(result.conflicts)
    for decision in LinkDecision.objects.filter(withdrawn_at__isnull=True):
        a, b = decision.record_a_id, decision.record_b_id
        if decision.decision == LinkDecision.CANNOT_LINK:
            assert person[a] != person[b]
        elif f"{a} and {b}" not in conflicted and f"records {a} and {b}" not in conflicted:
            assert person[a] == person[b], (a, b, result.conflicts)


def test_a_run_reads_every_record_once_however_they_fall_into_chunks(scenario) -> None:
    # a run reads and prepares the records a chunk at a time: chunk by chunk, every record
    # comes once, in id order, the last chunk holding what is left
    every = list(PersonRecord.objects.order_by("id").values_list("id", flat=True))
    size = next(n for n in range(5, 50) if len(every) % n)  # a last chunk part full
    chunks = list(record_rows.in_chunks(size=size))
    assert [len(c) for c in chunks[:-1]] == [size] * (len(chunks) - 1)
    assert 0 < len(chunks[-1]) < size
    assert [r["unique_id"] for chunk in chunks for r in chunk] == every
