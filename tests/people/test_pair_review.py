"""Working through the review queue: filters by agency, score band and reason; "not sure"
sets a pair aside to the end; the next pair; pairs already in one person leave the queue."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.agencies.registry import register_agency
from joinedup.ingest.loading import load_return
from joinedup.people.linking import decide, review_queue
from joinedup.people.models import LinkModel, LinkRun, PairScore, Person, PersonRecord
from joinedup.people.pair_review import (
    CONFLICTING_NHS_NUMBER,
    ReviewFilters,
    defer_pair,
    next_pair,
    work_queue,
)
from tests.helpers import PERSON, write_return

pytestmark = pytest.mark.django_db


def record(ref: str) -> PersonRecord:
    agency, source_id = ref.split(":")
    return PersonRecord.objects.get(agency__code=agency, source_id=source_id)


@pytest.fixture
def scored(tmp_path: Path) -> None:
    score_three_pairs(tmp_path)


def score_three_pairs(tmp_path: Path) -> None:
    """Three uncertain pairs: HV-GP at 93% (different valid NHS numbers), HV-POLICE at 80%,
    GP-POLICE at 60%."""
    rows = {"HV": [{**PERSON, "person_id": "H1", "nhs_number": "9990000018"},
                   {**PERSON, "person_id": "H2", "nhs_number": ""}],
            "GP": [{**PERSON, "person_id": "G1", "nhs_number": "9990000026"}],
            "POLICE": [{**PERSON, "person_id": "P1", "nhs_number": ""}]}
    for code, people in rows.items():
        register_agency(code, f"{code} service", "HEALTH_VISITING", "E08000007")
        load_return(write_return(tmp_path / code, people=people), code)
    model = LinkModel.objects.create(version=1, trained_by="test", seed=1, records=4, model={})
    run = LinkRun.objects.create(who="test", kind="full", link_model=model, threshold=0.95)
    for a, b, p in (("HV:H1", "GP:G1", 0.93), ("HV:H2", "POLICE:P1", 0.80),
                    ("GP:G1", "POLICE:P1", 0.60)):
        low, high = sorted((record(a).pk, record(b).pk))
        PairScore.objects.create(record_a_id=low, record_b_id=high, match_probability=p,
                                 match_weight=0.0, run=run)


def probabilities(pairs: list[PairScore]) -> list[float]:
    return [p.match_probability for p in pairs]


def test_the_queue_narrows_by_agency_band_and_reason(scored: None) -> None:
    queue = work_queue()
    assert probabilities(queue.waiting) == [0.93, 0.80, 0.60]
    assert queue.agencies == ["GP", "HV", "POLICE"]
    assert CONFLICTING_NHS_NUMBER in queue.reasons
    assert queue.waiting[0].reasons >= {CONFLICTING_NHS_NUMBER}
    assert CONFLICTING_NHS_NUMBER not in queue.waiting[1].reasons
    assert probabilities(work_queue(ReviewFilters(agency="POLICE")).waiting) == [0.80, 0.60]
    assert probabilities(work_queue(ReviewFilters(band="high")).waiting) == [0.93]
    assert probabilities(work_queue(ReviewFilters(band="low")).waiting) == [0.60]
    narrowed = work_queue(ReviewFilters(reason=CONFLICTING_NHS_NUMBER))
    assert probabilities(narrowed.waiting) == [0.93] and narrowed.unfiltered == 3


def test_not_sure_sets_the_pair_aside_to_the_end_with_who_and_when(scored: None) -> None:
    defer_pair("HV:H1", "GP:G1", who="data.steward", note="asking the GP practice")
    queue = work_queue()
    assert probabilities(queue.waiting) == [0.80, 0.60]
    assert probabilities(queue.set_aside) == [0.93]
    aside = queue.set_aside[0].deferral
    assert aside.who == "data.steward" and aside.note == "asking the GP practice"
    assert aside.deferred_at is not None
    # the next pair after the one set aside comes round to the start
    first = next_pair(queue, record("HV:H1").pk, record("GP:G1").pk)
    assert first is not None and first.match_probability == 0.80
    after = next_pair(queue, first.record_a_id, first.record_b_id)
    assert after is not None and after.match_probability == 0.60
    # a decision takes a set-aside pair out of the queue altogether
    decide("HV:H1", "GP:G1", "cannot_link", "twins: different NHS numbers", "data.steward")
    assert probabilities(work_queue().in_order) == [0.80, 0.60]


def test_a_pair_already_in_one_person_leaves_the_queue(scored: None) -> None:
    Person.objects.create(id=7)
    PersonRecord.objects.filter(pk__in=[record("GP:G1").pk, record("POLICE:P1").pk]).update(
        person=7)
    assert probabilities(review_queue()) == [0.93, 0.80]


def test_the_last_pair_has_no_next(scored: None) -> None:
    queue = work_queue(ReviewFilters(band="low"))
    only = queue.waiting[0]
    assert next_pair(queue, only.record_a_id, only.record_b_id) is None
