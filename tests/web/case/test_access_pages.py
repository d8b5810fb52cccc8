"""Break-glass, the audit trail, "who looked at this child and why" and the safeguarding
lead's break-glass reviews, as their users see them."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from joinedup.access import breakglass
from joinedup.access.models import AuditEntry, BreakGlass

pytestmark = pytest.mark.django_db

SignIn = Callable[[str], Client]


def page(response: Any) -> str:
    """The page's text with entities decoded (an apostrophe may arrive as ')."""
    return html.unescape(response.content.decode())


def case_pages_installed() -> bool:
    try:
        reverse("child", args=[1])
    except NoReverseMatch:
        return False
    return True


def user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


# --- break-glass ----------------------------------------------------------------------------

def test_the_break_glass_page_explains_what_breaking_the_glass_means(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    response = signed_in("school.teacher").get(f"/children/{web_case['child']}/break-glass/")
    assert response.status_code == 200
    text = page(response)
    assert "Break the glass to see this child's record" in text
    assert "written to the audit trail" in text
    assert "a safeguarding lead reviews every break-glass access" in text
    assert 'name="minutes"' in text and 'value="60"' in text
    assert "Why do you need this child's record now?" in text


def test_break_glass_without_a_reason_is_refused_and_nothing_is_written(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    child = web_case["child"]
    teacher = signed_in("school.teacher")
    entries_before = AuditEntry.objects.count()
    response = teacher.post(f"/children/{child}/break-glass/", {"reason": "   ",
                                                               "minutes": "60"})
    assert response.status_code == 200
    text = page(response)
    assert "<title>Error: Break the glass" in text
    assert "There is a problem" in text
    assert "Say why you need this child's record now" in text
    assert not BreakGlass.objects.filter(child_id=child).exists()
    assert AuditEntry.objects.count() == entries_before


@pytest.mark.parametrize("minutes", ["0", "481", "an hour"])
def test_break_glass_for_too_long_or_no_time_is_refused(
        signed_in: SignIn, web_case: dict[str, Any], minutes: str) -> None:
    child = web_case["child"]
    response = signed_in("school.teacher").post(f"/children/{child}/break-glass/",
                                                {"reason": "A disclosure at school",
                                                 "minutes": minutes})
    assert response.status_code == 200
    assert "There is a problem" in page(response)
    assert 'href="#minutes"' in page(response)
    assert not BreakGlass.objects.filter(child_id=child).exists()


def test_break_glass_with_a_reason_opens_the_record_and_is_audited(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    child = web_case["child"]
    teacher = signed_in("school.teacher")
    assert teacher.get(f"/children/{child}/").status_code in (403, 404)
    response = teacher.post(f"/children/{child}/break-glass/", {
        "reason": "The child's sister told her teacher the baby was hurt; CSC not answering",
        "minutes": "30"})
    assert response.status_code == 302
    assert response["Location"] == f"/children/{child}/"
    glass = BreakGlass.objects.get(child_id=child, user__username="school.teacher")
    assert 29 <= (glass.expires_at - glass.started_at).total_seconds() / 60 <= 30
    row = AuditEntry.objects.get(action="break_glass", actor="school.teacher")
    assert row.child_id == child and "sister told her teacher" in row.reason
    if case_pages_installed():
        assert teacher.get(f"/children/{child}/").status_code == 200


def test_after_breaking_the_glass_the_record_offers_the_referral_route_and_the_lead(
        signed_in: SignIn, web_case: dict[str, Any], monkeypatch: Any) -> None:
    child = web_case["child"]
    monkeypatch.setenv("JOINEDUP_REFERRAL_ROUTE", "the MASH on 0161 496 0000")
    teacher = signed_in("school.teacher")
    teacher.post(f"/children/{child}/break-glass/", {"reason": "A disclosure", "minutes": "30"})
    shown = page(teacher.get(f"/children/{child}/"))
    assert "make a referral now to the MASH on 0161 496 0000" in shown
    assert "Then tell the lead professional: Jordan Ellery" in shown
    # someone with their own reason to see the child is not told to make a referral
    assert "make a referral now" not in page(signed_in("social.worker").get(f"/children/{child}/"))


def test_break_glass_returns_to_the_page_of_the_child_that_was_refused(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    child = web_case["child"]
    response = signed_in("school.teacher").post(
        f"/children/{child}/break-glass/?next=/children/{child}/chronology/",
        {"reason": "A disclosure", "minutes": "60"})
    assert response["Location"] == f"/children/{child}/chronology/"


@pytest.mark.parametrize("elsewhere", ["//evil.example/", "https://evil.example/",
                                       "/children/{child}/../../sign-out/", "/audit/"])
def test_break_glass_never_sends_anyone_elsewhere(
        signed_in: SignIn, web_case: dict[str, Any], elsewhere: str) -> None:
    child = web_case["child"]
    response = signed_in("school.teacher").post(
        f"/children/{child}/break-glass/",
        {"reason": "A disclosure", "minutes": "60", "next": elsewhere.format(child=child)})
    assert response["Location"] == f"/children/{child}/"


def test_someone_who_may_open_the_record_is_told_no_glass_needs_breaking(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    response = signed_in("social.worker").get(f"/children/{web_case['child']}/break-glass/")
    assert response.status_code == 200
    assert "You do not need to break the glass" in page(response)
    assert "allocated to the child" in page(response)


def _without_ids(html: str, *ids: int) -> str:
    """The page's main content without the ids asked for and the form's one-off token."""
    main = html[html.index("<main"):html.index("</main>")]
    main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)
    for number in ids:
        main = re.sub(rf"(?<![0-9]){number}(?![0-9])", "N", main)
    return main


def test_a_sealed_record_answers_as_if_it_did_not_exist_except_to_a_safeguarding_lead(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    """Sealing can reveal an adoption: a sealed child's break-glass page and its refusal
    read exactly as those of a person number that does not exist."""
    from joinedup.access.sealing import seal

    child = web_case["child"]
    nobody = 999999999
    seal(child, "A risk to the child works in the partnership", by="test")
    teacher = signed_in("school.teacher")
    answers = []
    for number in (child, nobody):
        shown = teacher.get(f"/children/{number}/break-glass/")
        refused = teacher.post(f"/children/{number}/break-glass/",
                               {"reason": "A disclosure", "minutes": "60"})
        answers.append((shown.status_code, refused.status_code,
                        _without_ids(page(refused), number)))
        assert "sealed" not in page(shown) + page(refused)
        assert "cannot be broken" in page(refused)
        assert AuditEntry.objects.filter(actor="school.teacher", action="access_refused",
                                         object_type="break_glass",
                                         object_id=str(number)).exists()
    assert answers[0] == answers[1]
    assert not BreakGlass.objects.filter(child_id=child).exists()
    lead = signed_in("safeguarding.lead")
    response = lead.post(f"/children/{child}/break-glass/",
                         {"reason": "Checking a disclosure about a colleague", "minutes": "20"})
    assert response.status_code == 302
    assert BreakGlass.objects.filter(child_id=child, user__username="safeguarding.lead").exists()


def test_break_glass_on_an_adult_is_refused_like_anything_else(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    mother = web_case["mother"]
    response = signed_in("school.teacher").post(f"/children/{mother}/break-glass/",
                                                {"reason": "Curious", "minutes": "60"})
    assert "cannot be broken" in page(response)
    assert not BreakGlass.objects.filter(child_id=mother).exists()


# --- the audit trail ------------------------------------------------------------------------

def test_the_audit_trail_is_refused_to_a_practitioner(signed_in: SignIn) -> None:
    for username in ("health.visitor", "social.worker", "business.unit"):
        response = signed_in(username).get("/audit/")
        assert response.status_code == 403, username
        assert "This page is for a" in page(response)
        assert signed_in(username).get("/audit/break-glass/").status_code == 403


def test_the_auditor_reads_the_trail_newest_first_and_the_reading_is_audited(
        signed_in: SignIn) -> None:
    auditor = signed_in("auditor")
    newest = AuditEntry.objects.order_by("-id").first()
    response = auditor.get("/audit/")
    assert response.status_code == 200
    text = page(response)
    assert "<h1 class=\"govuk-heading-l\">Audit trail</h1>" in text
    assert newest is not None and f'id="entry-{newest.id}"' in text
    assert auditor.get("/audit/").status_code == 200
    mine = AuditEntry.objects.filter(actor="auditor", action="view_page", object_id="/audit/")
    assert mine.count() >= 2
    last_look = mine.order_by("-id").values_list("id", flat=True)[0]
    latest = auditor.get("/audit/?user=auditor&action=view_page")
    assert f'id="entry-{last_look}"' in page(latest)


def test_the_trail_filters_by_user_action_child_and_date(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    child = web_case["child"]
    signed_in("school.teacher").post(f"/children/{child}/break-glass/",
                                     {"reason": "A disclosure at school", "minutes": "60"})
    glass_row = AuditEntry.objects.get(action="break_glass", actor="school.teacher")
    auditor = signed_in("auditor")
    text = page(auditor.get(f"/audit/?user=school.teacher&action=break_glass&child={child}"))
    assert "1 entry match" in text and f'id="entry-{glass_row.id}"' in text
    day = glass_row.at.date().isoformat()
    text = page(auditor.get(f"/audit/?action=break_glass&date_from={day}&date_to={day}"))
    assert f'id="entry-{glass_row.id}"' in text
    text = page(auditor.get("/audit/?action=break_glass&date_to=2000-01-01"))
    assert "No entries match these filters" in text
    bad = auditor.get("/audit/?child=someone&date_from=2025-02-01&date_to=2025-01-01")
    assert "<title>Error: Audit trail" in page(bad)
    assert "Give the child's person number" in page(bad)
    assert "The end date must be on or after the start date" in page(bad)


def test_the_trail_is_paged(signed_in: SignIn) -> None:
    from joinedup.access import audit

    for number in range(60):
        audit.record("system", "change", object_type="test", object_id=number)
    auditor = signed_in("auditor")
    first = page(auditor.get("/audit/"))
    assert 'class="govuk-pagination' in first and "page=2" in first
    second = page(auditor.get("/audit/?page=2"))
    newest = AuditEntry.objects.order_by("-id").first()
    assert newest is not None and f'id="entry-{newest.id}"' not in second


def test_checking_an_intact_trail_says_so(signed_in: SignIn) -> None:
    response = signed_in("auditor").get("/audit/?check=1")
    assert "The audit trail is intact" in page(response)


def test_checking_the_trail_names_an_entry_edited_in_the_database(signed_in: SignIn) -> None:
    auditor = signed_in("auditor")
    target = AuditEntry.objects.filter(action="sign_in").order_by("id").first() \
        or AuditEntry.objects.order_by("id")[5]
    assert "The audit trail is broken" not in page(auditor.get("/audit/"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE access_auditentry SET reason = %s WHERE id = %s",
                       ["nothing to see here", target.id])
    response = auditor.get("/audit/?check=1")
    text = page(response)
    assert "The audit trail is broken at entry" in text
    assert f"entry {target.id} ({target.action} by {target.actor}) does not match its hash" \
        in text


# --- who looked at this child ---------------------------------------------------------------

def test_who_looked_lists_the_health_visitors_look_with_her_relationship(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    child = web_case["child"]
    if case_pages_installed():
        assert signed_in("health.visitor").get(f"/children/{child}/").status_code == 200
    else:  # until the case pages exist, open the record the way they will
        from joinedup.access.policy import open_child_record

        open_child_record(user("health.visitor"), child)
    signed_in("school.teacher").get(f"/children/{child}/")  # refused: listed too
    response = signed_in("auditor").get(f"/audit/children/{child}/")
    assert response.status_code == 200
    text = page(response)
    assert "Who looked at this child and why" in text
    assert "health.visitor" in text and "Viewed the record" in text
    assert "Stockport South health visiting" in text  # her team's allocation: her reason
    if case_pages_installed():
        assert "school.teacher" in text and "Was refused" in text


def test_who_looked_is_refused_to_a_practitioner(signed_in: SignIn,
                                                 web_case: dict[str, Any]) -> None:
    response = signed_in("social.worker").get(f"/audit/children/{web_case['child']}/")
    assert response.status_code == 403


# --- the safeguarding lead's reviews --------------------------------------------------------

def test_the_lead_reviews_a_break_glass_access(signed_in: SignIn,
                                               web_case: dict[str, Any]) -> None:
    child = web_case["child"]
    signed_in("school.teacher").post(f"/children/{child}/break-glass/",
                                     {"reason": "A disclosure at school", "minutes": "60"})
    glass = BreakGlass.objects.get(user__username="school.teacher")
    lead = signed_in("safeguarding.lead")
    assert 'href="/audit/break-glass/"' in page(lead.get("/audit/"))  # the way in
    assert 'href="/audit/break-glass/"' not in page(signed_in("auditor").get("/audit/"))
    everyone = page(lead.get("/audit/break-glass/"))  # by default every agency's staff
    assert "Showing staff of every agency" in everyone
    assert "school.teacher broke the glass" in everyone and "A disclosure at school" in everyone
    own = page(lead.get("/audit/break-glass/?agency=own"))
    assert "Showing staff of your agency, CSC" in own
    assert "school.teacher broke the glass" not in own

    refused = lead.post("/audit/break-glass/",
                        {"glass": glass.pk, "outcome": "not_justified", "note": ""})
    assert refused.status_code == 200
    assert "Say what happens next when an access was not justified" in page(refused)
    assert f'href="#note-{glass.pk}"' in page(refused)
    glass.refresh_from_db()
    assert glass.reviewed_at is None

    done = lead.post("/audit/break-glass/",
                     {"glass": glass.pk, "outcome": "justified", "note": ""})
    assert done.status_code == 302
    glass.refresh_from_db()
    assert glass.outcome == "justified" and glass.reviewed_by == "safeguarding.lead"
    assert AuditEntry.objects.filter(action="break_glass_review", actor="safeguarding.lead",
                                     object_id=str(glass.pk)).count() == 1
    after = page(lead.get(done["Location"]))
    assert "was justified" in after and "school.teacher broke the glass" not in after


def test_nobody_reviews_their_own_break_glass(signed_in: SignIn,
                                              web_case: dict[str, Any]) -> None:
    glass = breakglass.break_glass(user("safeguarding.lead"), web_case["child"],
                                   "Out of hours check", 10)
    lead = signed_in("safeguarding.lead")
    assert "safeguarding.lead broke the glass" in page(lead.get("/audit/break-glass/"))
    response = lead.post("/audit/break-glass/", {"glass": glass.pk, "outcome": "justified"})
    assert "Nobody reviews their own break-glass access" in page(response)
    glass.refresh_from_db()
    assert glass.reviewed_at is None


def test_a_review_needs_an_outcome(signed_in: SignIn, web_case: dict[str, Any]) -> None:
    glass = breakglass.break_glass(user("school.teacher"), web_case["child"], "Disclosure", 10)
    response = signed_in("safeguarding.lead").post("/audit/break-glass/",
                                                   {"glass": glass.pk, "note": "hmm"})
    assert "Say whether the access was justified" in page(response)
    assert f'href="#outcome-{glass.pk}"' in page(response)
