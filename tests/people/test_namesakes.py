"""Namesakes at one postcode: a pair of records of one name at one postcode is given "only
one of this name at this postcode" when the records there agree, and "two of this name at
this postcode" when they give two dates of birth or NHS numbers (linkage/namesakes.py), and
the review queue shows it (people/namesake_links.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from joinedup.agencies.registry import register_agency
from joinedup.ingest.loading import load_return
from joinedup.people.linkage import features
from joinedup.people.linkage.namesakes import ONLY_ONE, TWO_THERE, namesakes_reason
from joinedup.people.models import LinkModel, LinkRun, PairScore, Person, PersonRecord
from joinedup.people.pair_review import ReviewFilters, work_queue
from tests.helpers import write_return

SON = {"unique_id": 1, "given_name": "Dean", "family_name": "Walsh", "postcode": "sk1 3xe",
       "date_of_birth": "2012-05-04", "nhs_number": "9434765919"}
NO_DATE = {"unique_id": 2, "given_name": "Dean", "family_name": "WALSH", "postcode": "SK1 3XE"}


def prepared(**changes: Any) -> dict[str, Any]:
    return features.prepare_record({**SON, **changes})


def test_a_dateless_record_where_every_record_of_that_name_agrees_is_only_one() -> None:
    son, dateless = features.prepare_record(SON), features.prepare_record(NO_DATE)
    gp = prepared(unique_id=3, nhs_number="")  # the same date, no number
    elsewhere = prepared(unique_id=4, date_of_birth="1984-01-01", postcode="M1 1AA")
    sister = prepared(unique_id=5, given_name="Ella", date_of_birth="2015-09-09",
                      nhs_number="")
    assert namesakes_reason(son, dateless, [son, dateless, gp, elsewhere, sister]) == ONLY_ONE
    assert namesakes_reason(dateless, son, []) == ONLY_ONE


def test_a_father_of_the_same_name_with_his_date_makes_it_two_of_that_name() -> None:
    son, dateless = features.prepare_record(SON), features.prepare_record(NO_DATE)
    father = prepared(unique_id=6, date_of_birth="1984-01-01", nhs_number="")
    assert namesakes_reason(son, dateless, [father]) == TWO_THERE
    numbered = prepared(unique_id=7, date_of_birth="", nhs_number="4010232110")
    assert namesakes_reason(son, dateless, [numbered]) == TWO_THERE


def test_records_that_differ_in_name_postcode_or_both_dated_have_no_namesakes_reason() -> None:
    son = features.prepare_record(SON)
    assert namesakes_reason(son, prepared(unique_id=8, given_name="Dane", date_of_birth=""),
                            []) is None
    assert namesakes_reason(son, prepared(unique_id=9, postcode="SK1 3XF", date_of_birth=""),
                            []) is None
    assert namesakes_reason(son, prepared(unique_id=10, nhs_number=""), []) is None
    assert namesakes_reason(son, prepared(unique_id=11, date_of_birth="2012-04-05"),
                            []) == TWO_THERE  # two dates of birth written for one name
    assert namesakes_reason(prepared(given_name=""), features.prepare_record(
        {**NO_DATE, "given_name": ""}), []) is None
    assert namesakes_reason(son, features.prepare_record(
        {**NO_DATE, "given_name": "Deano"}), []) is None  # another root: no namesakes


def pair(ref_a: str, ref_b: str, probability: float, run: LinkRun) -> None:
    ids = sorted(PersonRecord.objects.get(agency__code=ref.split(":")[0],
                                          source_id=ref.split(":")[1]).pk
                 for ref in (ref_a, ref_b))
    PairScore.objects.create(record_a_id=ids[0], record_b_id=ids[1], match_probability=probability,
                             match_weight=0.0, run=run)


@pytest.mark.django_db
def test_the_review_queue_says_what_the_other_records_at_the_postcode_say(
        tmp_path: Path) -> None:
    dean = {"given_name": "Dean", "family_name": "Walsh", "postcode": "SK1 3XE", "sex": "M"}
    amy = {"given_name": "Amy", "family_name": "Cole", "postcode": "M1 1AA", "sex": "F"}
    rows = {"GP": [{**dean, "person_id": "G1", "date_of_birth": "2012-05-04"},
                   {**amy, "person_id": "G2", "date_of_birth": "1999-02-02"},
                   {**amy, "person_id": "G3", "date_of_birth": "1971-06-30"}],
            "POLICE": [{**dean, "person_id": "P1"}, {**amy, "person_id": "P2"}]}
    for code, people in rows.items():
        register_agency(code, f"{code} service", "HEALTH_VISITING", "E08000007")
        load_return(write_return(tmp_path / code, people=people), code)
    model = LinkModel.objects.create(version=1, trained_by="test", seed=1, records=5, model={})
    run = LinkRun.objects.create(who="test", kind="full", link_model=model, threshold=0.95)
    pair("GP:G1", "POLICE:P1", 0.8, run)
    pair("GP:G2", "POLICE:P2", 0.7, run)
    queue = work_queue()
    assert [sorted(p.reasons) for p in queue.waiting] == [[ONLY_ONE], [TWO_THERE]]
    assert ONLY_ONE in queue.reasons and TWO_THERE in queue.reasons
    narrowed = work_queue(ReviewFilters(reason=TWO_THERE)).waiting
    assert [p.match_probability for p in narrowed] == [0.7]


@pytest.mark.django_db
def test_a_record_the_steward_may_not_see_silences_the_namesakes_reason(tmp_path: Path) -> None:
    dean = {"given_name": "Dean", "family_name": "Walsh", "postcode": "SK1 3XE", "sex": "M"}
    rows = {"GP": [{**dean, "person_id": "G1", "date_of_birth": "2012-05-04"},
                   {**dean, "person_id": "G9", "date_of_birth": "1984-01-01"}],
            "POLICE": [{**dean, "person_id": "P1"}]}
    for code, people in rows.items():
        register_agency(code, f"{code} service", "HEALTH_VISITING", "E08000007")
        load_return(write_return(tmp_path / code, people=people), code)
    sealed = Person.objects.create(id=41)
    PersonRecord.objects.filter(source_id="G9").update(person=sealed)
    model = LinkModel.objects.create(version=1, trained_by="test", seed=1, records=3, model={})
    run = LinkRun.objects.create(who="test", kind="full", link_model=model, threshold=0.95)
    pair("GP:G1", "POLICE:P1", 0.8, run)
    assert work_queue().waiting[0].reasons == {TWO_THERE}
    assert work_queue(unseen={41}).waiting[0].reasons == set()  # neither: nothing said of G9
