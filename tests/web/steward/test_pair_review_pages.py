"""Working through the linkage review on the web: filters, blind mode, the next pair, "Not
sure", the values that differ, plain findings; and the NHS numbers page with its queue of
persons whose agencies hold different numbers, gated as the linkage review is."""

from __future__ import annotations

import re
from typing import Any

import pytest

from joinedup.access.models import AuditEntry
from joinedup.access.sealing import seal
from joinedup.people.consistent_identifier import nhs_conflicts
from joinedup.people.directory import summaries
from joinedup.people.models import PairDeferral, PersonRecord
from joinedup.people.pair_review import SCORE_BANDS, work_queue
from tests.web.steward.test_linkage_pages import SignIn, steward, text_of

pytestmark = pytest.mark.django_db

OTHER_VALID_NUMBER = "9990000018"


def test_the_queue_narrows_by_score_band_and_agency(signed_in: SignIn) -> None:
    client = steward(signed_in)
    everything = work_queue()
    band = SCORE_BANDS[0]
    inside = [p for p in everything.waiting if band.holds(p.match_probability)]
    shown = text_of(client.get(f"/data/linkage/?band={band.key}"))
    assert f"{len(inside)} pair" in shown and f"Of {everything.unfiltered} pairs" in shown
    outside = [p for p in everything.waiting if not band.holds(p.match_probability)]
    assert outside, "the Baby S case has pairs in more than one band"
    assert f"{outside[0].match_probability:.1%}" not in shown
    agency = everything.waiting[0].record_a.agency.code
    page = client.get(f"/data/linkage/?agency={agency}").content.decode()
    for a, b in re.findall(r'href="/data/linkage/(\d+)/(\d+)/\?agency=', page):
        codes = set(PersonRecord.objects.filter(pk__in=[a, b]).values_list("agency__code",
                                                                          flat=True))
        assert agency in codes


def test_blind_mode_hides_the_score_on_the_queue_and_the_pair(signed_in: SignIn) -> None:
    client = steward(signed_in)
    pair = work_queue().waiting[0]
    queue = text_of(client.get("/data/linkage/?blind=1"))
    assert "Match probability" not in queue and f"{pair.match_probability:.1%}" not in queue
    shown = text_of(client.get(f"/data/linkage/{pair.record_a_id}/{pair.record_b_id}/?blind=1"))
    assert "Blind review" in shown and f"{pair.match_probability:.1%}" not in shown
    assert not re.search(r"[+-]\d+\.\d\d", shown), "no weight shows in blind mode"
    assert "Show the score" in shown


def test_the_pair_page_marks_values_that_differ_and_says_what_findings_mean(
        signed_in: SignIn) -> None:
    pair = next(p for p in work_queue().waiting
                if p.record_a.given_name != p.record_b.given_name
                or p.record_a.date_of_birth != p.record_b.date_of_birth
                or p.record_a.postcode != p.record_b.postcode)
    shown = text_of(steward(signed_in).get(
        f"/data/linkage/{pair.record_a_id}/{pair.record_b_id}/"))
    assert "Compared" in shown and "Differs" in shown
    assert re.search(r"(counts for the same person|counts against|weak evidence|"
                     r"no evidence either way)", shown)


def test_not_sure_sets_the_pair_aside_and_opens_the_next(signed_in: SignIn) -> None:
    client = steward(signed_in)
    first, second = work_queue().waiting[:2]
    response = client.post(f"/data/linkage/{first.record_a_id}/{first.record_b_id}/",
                           {"action": "defer", "note": "Asking the GP which baby is which"})
    assert response.status_code == 302
    assert response["Location"] == f"/data/linkage/{second.record_a_id}/{second.record_b_id}/"
    aside = PairDeferral.objects.get(record_a=first.record_a_id, record_b=first.record_b_id)
    assert aside.who == "data.steward"
    entry = AuditEntry.objects.filter(object_type="pair_deferral").latest("id")
    assert entry.actor == "data.steward" and entry.object_id == str(aside.pk)
    queue = text_of(client.get("/data/linkage/"))
    assert "Set aside as not sure (1)" in queue
    assert "Asking the GP which baby is which" in queue and "data.steward" in queue
    assert work_queue().set_aside[0].pk == first.pk
    # the next pair's page offers the one after it, and a decision can open it
    page = client.get(response["Location"])
    assert "Skip to the next pair" in text_of(page)
    decided = client.post(response["Location"], {"decision": "cannot_link", "why": "checked",
                                                 "then": "next"})
    assert decided.status_code == 302 and decided["Location"].startswith("/data/linkage/")
    assert decided["Location"] != response["Location"]


def _conflict_for(person_id: int) -> PersonRecord:
    """Give one of the person's records a different valid NHS number."""
    record = PersonRecord.objects.filter(person_id=person_id).exclude(nhs_number="").first()
    assert record is not None
    PersonRecord.objects.filter(pk=record.pk).update(nhs_number=OTHER_VALID_NUMBER)
    return record


def test_the_nhs_numbers_page_shows_shares_and_the_conflicts(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    child = web_case["child"]
    record = _conflict_for(child)
    response = steward(signed_in).get("/data/linkage/nhs-numbers/")
    assert response.status_code == 200
    shown = text_of(response)
    assert "Child records with a valid NHS number" in shown and "Health" in shown
    assert re.search(r"\d+\.\d% of [\d,]+ child records carry a valid NHS number", shown)
    waiting = len(nhs_conflicts())
    assert waiting >= 1
    assert f"{waiting} person{'s' if waiting > 1 else ''} with different NHS numbers" in shown
    assert f"Person {child}" in shown and OTHER_VALID_NUMBER in shown
    assert f"{record.agency.code}:{record.source_id}" in shown
    assert summaries([child])[child].name.split()[0] in shown
    looked = AuditEntry.objects.filter(actor="data.steward", child_id=child).latest("id")
    assert looked.reason and str(child) in looked.object_id.split(",")


def test_a_sealed_persons_conflict_shows_no_name_or_number(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    child = web_case["child"]
    record = _conflict_for(child)
    seal(child, "Adopted: the record is sealed", by="test")
    shown = text_of(steward(signed_in).get("/data/linkage/nhs-numbers/"))
    assert f"Person {child}" in shown and "Sealed record" in shown
    assert OTHER_VALID_NUMBER not in shown and record.source_id not in shown
    assert record.family_name not in shown


@pytest.mark.parametrize("role", ["health.visitor", "safeguarding.lead", "auditor"])
def test_only_data_stewards_open_the_nhs_numbers_page(signed_in: SignIn, role: str) -> None:
    response = signed_in(role).get("/data/linkage/nhs-numbers/")
    assert response.status_code in (403, 404)
    assert "different NHS numbers" not in response.content.decode()


def test_a_sealed_persons_pair_cannot_be_set_aside(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    child = web_case["child"]
    a, b = PersonRecord.objects.filter(person_id=child).order_by("id")[:2]
    seal(child, "Adopted: the record is sealed", by="test")
    refused = steward(signed_in).post(f"/data/linkage/{a.pk}/{b.pk}/",
                                      {"action": "defer", "note": "not sure"})
    assert refused.status_code in (403, 404)
    assert not PairDeferral.objects.filter(record_a=a.pk, record_b=b.pk).exists()
    assert AuditEntry.objects.filter(action="access_refused", child_id=child).exists()
