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


REASON = "Reviewing the pairs from this week's health visiting return"


def steward(signed_in: SignIn, reason: str = REASON) -> Client:
    """The data steward, signed in, having given the reason for the sitting."""
    client = signed_in("data.steward")
    stated = client.post("/data/reason/", {"reason": reason, "next": "/data/linkage/"})
    assert stated.status_code == 302, stated.content.decode()[:2000]
    return client


def first_pair() -> PairScore:
    queue = review_queue()
    assert queue, "the Baby S case with its background families leaves pairs to review"
    return queue[0]


def test_the_queue_lists_uncertain_pairs_most_likely_first(signed_in: SignIn) -> None:
    pair = first_pair()
    response = steward(signed_in).get("/data/linkage/")
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
    response = steward(signed_in).get(f"/data/linkage/{a.pk}/{b.pk}/")
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
    by_ref = steward(signed_in).get(
        f"/data/linkage/{a.agency.code}:{a.source_id}/{b.agency.code}:{b.source_id}/")
    assert by_ref.status_code == 200 and "Are these the same person?" in text_of(by_ref)
    missing = steward(signed_in).get("/data/linkage/NOPE:1/2/")
    assert missing.status_code == 404 and "There is no person record" in text_of(missing)


def test_a_decision_needs_a_reason(signed_in: SignIn) -> None:
    pair = first_pair()
    response = steward(signed_in).post(
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
    client = steward(signed_in)
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
    client = steward(signed_in)
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


# --- accountability: a reason once a sitting, each look audited under the children concerned

def records_of(person: int) -> list[PersonRecord]:
    return list(PersonRecord.objects.filter(person_id=person).order_by("id"))


def identifiers_of(person: int) -> set[str]:
    """The person's names, NHS numbers and postcodes as their agencies recorded them."""
    found: set[str] = set()
    for r in records_of(person):
        found |= {v for v in (r.given_name, r.family_name, r.nhs_number, r.postcode) if v}
    return found


def test_a_steward_gives_a_reason_once_a_sitting_and_again_after_signing_in(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    from django.contrib.auth import get_user_model

    child = web_case["child"]
    client = signed_in("data.steward")
    asked = client.get(f"/data/people/{child}/split/")
    assert asked.status_code == 302
    assert asked["Location"] == f"/data/reason/?next=%2Fdata%2Fpeople%2F{child}%2Fsplit%2F"
    form = client.get(asked["Location"])
    assert form.status_code == 200
    assert "Why do you need to see people's details?" in text_of(form)
    assert 'name="reason"' in form.content.decode()
    for page in ("/data/linkage/", "/data/quarantine/", f"/data/linkage/{records_of(child)[0].pk}"
                 f"/{records_of(web_case['mother'])[0].pk}/"):
        assert client.get(page).status_code == 302, page
    # a decision sent without a reason is not acted on
    pair = first_pair()
    sent = client.post(f"/data/linkage/{pair.record_a_id}/{pair.record_b_id}/",
                       {"decision": "must_link", "why": "same"})
    assert sent.status_code == 302 and sent["Location"].startswith("/data/reason/")
    assert not LinkDecision.objects.filter(why="same").exists()

    empty = client.post("/data/reason/", {"reason": "   ",
                                          "next": f"/data/people/{child}/split/"})
    assert empty.status_code == 400
    shown = text_of(empty)
    assert "There is a problem" in shown
    assert "Say why you need to see people's names and other details today" in shown
    assert "<title>Error: " in empty.content.decode()

    given = client.post("/data/reason/", {"reason": REASON,
                                          "next": f"/data/people/{child}/split/"})
    assert given.status_code == 302 and given["Location"] == f"/data/people/{child}/split/"
    page = client.get(given["Location"])
    assert page.status_code == 200 and REASON in text_of(page)
    assert client.get("/data/linkage/").status_code == 200  # not asked again

    # somewhere else than a data page is not where the form sends the steward
    away = client.post("/data/reason/", {"reason": REASON, "next": "https://example.org/"})
    assert away["Location"] == "/data/linkage/"

    client.force_login(get_user_model().objects.get(username="data.steward"))
    assert client.get(f"/data/people/{child}/split/").status_code == 302  # asked again


def test_the_look_at_a_pair_is_in_each_childs_audit_trail_with_the_reason(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    from joinedup.access.stewardship import children_concerned

    child, mother, father = web_case["child"], web_case["mother"], web_case["father"]
    assert child in children_concerned([mother])[mother]  # the mother concerns the child
    a, b = records_of(mother)[0], records_of(father)[0]
    client = steward(signed_in, "Checking the probation return against health visiting")
    page = client.get(f"/data/linkage/{a.pk}/{b.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert a.family_name in html and b.given_name in html  # the identifiers are shown

    looks = AuditEntry.objects.filter(action="view_identifiers", child_id=child,
                                      actor="data.steward")
    assert looks.count() == 1
    look = looks.get()
    assert look.reason == "Checking the probation return against health visiting"
    assert look.details["persons"] == sorted([mother, father])
    assert look.details["address"] == f"/data/linkage/{a.pk}/{b.pk}/"

    trail = signed_in("auditor").get(f"/audit/children/{child}/")
    assert trail.status_code == 200
    shown = text_of(trail)
    assert "data.steward" in shown
    assert "Saw identifiers on the data steward's pages" in shown
    assert "Checking the probation return against health visiting" in shown
    assert f"Details of person {min(mother, father)}, person {max(mother, father)}" in shown


def test_a_sealed_person_shows_as_a_sealed_record_until_a_lead_approves(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    from django.contrib.auth import get_user_model

    from joinedup.access.sealed_approval import approve
    from joinedup.access.sealing import seal

    child, mother = web_case["child"], web_case["mother"]
    records = records_of(child)
    seal(child, "Placed for adoption", "test")
    client = steward(signed_in)

    split = client.get(f"/data/people/{child}/split/")
    assert split.status_code == 200
    html = split.content.decode()
    assert "Sealed record" in text_of(split)
    assert "safeguarding lead" in text_of(split)
    hidden = identifiers_of(child)
    assert hidden and not [value for value in hidden if value in html]
    assert f"{records[0].agency.code}:{records[0].source_id}" not in html
    refused = client.post(f"/data/people/{child}/split/",
                          {"records": [str(records[-1].pk)], "why": "A different baby"})
    assert refused.status_code == 403 and "is sealed" in text_of(refused)
    assert PersonRecord.objects.get(pk=records[-1].pk).person_id == child
    assert AuditEntry.objects.filter(action="access_refused", child_id=child,
                                     actor="data.steward").exists()

    # a record of the child with identifiers to hide (not the unborn baby's, which has none)
    ours = next(r for r in records if r.nhs_number and r.given_name)
    theirs = records_of(mother)[0]
    pair = client.get(f"/data/linkage/{ours.pk}/{theirs.pk}/")
    assert pair.status_code == 200
    html = pair.content.decode()
    assert "Sealed record" in html and theirs.family_name in html
    assert [v for v in (ours.nhs_number, ours.given_name) if v]
    assert not [v for v in (ours.nhs_number, ours.given_name, ours.source_id)
                if v and v in html]
    assert "Record the decision" not in html
    decided = client.post(f"/data/linkage/{ours.pk}/{theirs.pk}/",
                          {"decision": "must_link", "why": "same"})
    assert decided.status_code == 403
    assert not LinkDecision.objects.filter(why="same").exists()
    # the mother's details concern the child, so the look is under the child: the mother's
    # details only, the sealed child's kept hidden
    look = AuditEntry.objects.filter(action="view_identifiers", child_id=child).latest("id")
    assert look.details["persons"] == [mother]
    page_row = AuditEntry.objects.filter(action="view_identifiers", object_type="page",
                                         object_id=f"/data/linkage/{ours.pk}/{theirs.pk}/")
    assert page_row.latest("id").details["sealed_hidden"] == [child]

    users = get_user_model().objects
    approval = approve(child, users.get(username="data.steward"),
                       users.get(username="safeguarding.lead"),
                       "Duplicate records to be merged before the adoption order", hours=2)
    approved = client.get(f"/data/people/{child}/split/")
    html = approved.content.decode()
    assert "Sealed record" not in html and "Split them off" in html
    assert [value for value in hidden if value in html]
    assert f"{records[0].agency.code}:{records[0].source_id}" in html
    look = AuditEntry.objects.filter(action="view_identifiers", child_id=child).latest("id")
    assert look.actor == "data.steward" and look.details["sealed_approvals"] == [approval.pk]
