"""Linkage review pages: the uncertain pairs, one pair explained field by field, the
steward's decision (which changes the queue and is audited), and splitting a person."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.test import Client

from joinedup.access.models import AuditEntry
from joinedup.people.linking import review_queue
from joinedup.people.models import LinkDecision, PairScore, PersonRecord

pytestmark = pytest.mark.django_db

SignIn = Callable[[str], Client]


def text_of(response: Any) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def first_pair() -> PairScore:
    queue = review_queue()
    assert queue, "the Baby S case with its background families leaves pairs to review"
    return queue[0]


def test_the_queue_lists_uncertain_pairs_most_likely_first(signed_in: SignIn) -> None:
    pair = first_pair()
    response = signed_in("data.steward").get("/data/linkage/")
    assert response.status_code == 200
    shown = text_of(response)
    assert f"{len(review_queue())} pair" in shown and "waiting for a decision" in shown
    assert f"{pair.match_probability:.1%}" in shown
    a = pair.record_a
    assert f"{a.given_name} {a.family_name}" in shown and f"{a.agency.code}:{a.source_id}" in shown
    assert f'href="/data/linkage/{pair.record_a_id}/{pair.record_b_id}/"' in (
        response.content.decode())


def test_a_pair_is_explained_field_by_field(signed_in: SignIn) -> None:
    pair = first_pair()
    a, b = pair.record_a, pair.record_b
    response = signed_in("data.steward").get(f"/data/linkage/{a.pk}/{b.pk}/")
    assert response.status_code == 200
    shown = text_of(response)
    assert "Are these the same person?" in shown
    for field in ("Before comparing", "NHS number", "Given name", "Family name",
                  "Date of birth", "Postcode", "Sex", "Total"):
        assert field in shown, field
    assert re.search(r"Given name " + re.escape(a.given_name or "not known") + " "
                     + re.escape(b.given_name or "not known"), shown)
    assert re.search(r"[+-]\d+\.\d\d Points to (the same person|different people)|"
                     r"Makes little difference", shown)
    # the same page by the agencies' own ids
    by_ref = signed_in("data.steward").get(
        f"/data/linkage/{a.agency.code}:{a.source_id}/{b.agency.code}:{b.source_id}/")
    assert by_ref.status_code == 200 and "Are these the same person?" in text_of(by_ref)
    missing = signed_in("data.steward").get("/data/linkage/NOPE:1/2/")
    assert missing.status_code == 404 and "There is no person record" in text_of(missing)


def test_a_decision_needs_a_reason(signed_in: SignIn) -> None:
    pair = first_pair()
    response = signed_in("data.steward").post(
        f"/data/linkage/{pair.record_a_id}/{pair.record_b_id}/",
        {"decision": "must_link", "why": "  "})
    assert response.status_code == 400
    shown = text_of(response)
    assert "There is a problem" in shown and "Say why" in shown
    assert "<title>Error: " in response.content.decode()
    assert not LinkDecision.objects.filter(record_a_id=pair.record_a_id,
                                           record_b_id=pair.record_b_id).exists()


def test_a_decision_takes_the_pair_off_the_queue_and_is_audited(signed_in: SignIn) -> None:
    pair = first_pair()
    waiting = len(review_queue())
    client = signed_in("data.steward")
    response = client.post(f"/data/linkage/{pair.record_a_id}/{pair.record_b_id}/",
                           {"decision": "cannot_link",
                            "why": "Different dates of birth, checked with the GP"})
    assert response.status_code == 302 and response["Location"] == "/data/linkage/"
    decision = LinkDecision.objects.get(record_a_id=pair.record_a_id,
                                        record_b_id=pair.record_b_id, withdrawn_at=None)
    assert decision.decision == "cannot_link" and decision.who == "data.steward"
    assert len(review_queue()) == waiting - 1
    entry = AuditEntry.objects.filter(action="change", object_type="link_decision").latest("id")
    assert entry.actor == "data.steward" and entry.object_id == str(decision.pk)
    assert entry.reason == "Different dates of birth, checked with the GP"
    shown = text_of(client.get(response["Location"]))
    assert "are different people" in shown
    assert f"{waiting - 1} pair" in shown
    assert "Different dates of birth, checked with the GP" in shown  # latest decisions


def test_splitting_a_person_makes_a_new_person_and_is_audited(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    child = web_case["child"]
    records = list(PersonRecord.objects.filter(person_id=child).order_by("id"))
    assert len(records) >= 2
    client = signed_in("data.steward")
    page = client.get(f"/data/people/{child}/split/")
    assert page.status_code == 200
    shown = text_of(page)
    assert f"Person {child}: {len(records)} records" in shown
    assert f"{records[-1].agency.code}:{records[-1].source_id}" in shown

    refused = client.post(f"/data/people/{child}/split/", {"why": "not the same baby"})
    assert refused.status_code == 400
    assert "Select the records that belong to someone else" in text_of(refused)

    leaving = records[-1]
    response = client.post(f"/data/people/{child}/split/",
                           {"records": [str(leaving.pk)], "why": "A different baby"})
    assert response.status_code == 302
    leaving.refresh_from_db()
    assert leaving.person_id != child
    assert LinkDecision.objects.filter(decision="cannot_link", why="A different baby").count() \
        == len(records) - 1
    entry = AuditEntry.objects.filter(action="change", object_type="person").latest("id")
    assert entry.actor == "data.steward" and entry.reason == "A different baby"
    assert entry.details["split_off_records"] == [leaving.pk]
    shown = text_of(client.get(response["Location"]))
    assert f"1 record now person {leaving.person_id}" in shown


def test_linkage_pages_are_for_data_stewards_only(signed_in: SignIn,
                                                 web_case: dict[str, Any]) -> None:
    pair = first_pair()
    for user in ("social.worker", "school.teacher", "business.unit", "safeguarding.lead"):
        client = signed_in(user)
        assert client.get(f"/data/linkage/{pair.record_a_id}/{pair.record_b_id}/"
                          ).status_code == 403
        assert client.post(f"/data/linkage/{pair.record_a_id}/{pair.record_b_id}/",
                           {"decision": "must_link", "why": "x"}).status_code == 403
        assert client.post(f"/data/people/{web_case['child']}/split/",
                           {"records": ["1"], "why": "x"}).status_code == 403
    assert not LinkDecision.objects.filter(why="x").exists()
