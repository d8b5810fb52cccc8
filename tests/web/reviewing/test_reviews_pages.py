"""Practice review pages: the list with its statutory clocks, one review's workflow, the forms
that change it (audited), and the review chronology opened only through the access policy."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.test import Client

from joinedup.access.models import AuditEntry
from joinedup.reviews.models import ReviewAction, ReviewEvent, Step

pytestmark = pytest.mark.django_db

SignIn = Callable[[str], Client]


def page(response: Any) -> str:
    return str(response.content.decode())


def text_of(html: str) -> str:
    """The words of a page, tags and repeated spaces removed (what a reader sees)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def new_review(child: int, days_ago: int = 30, pseudonym: str = "Child T") -> int:
    """A second review of the child, opened ``days_ago`` days ago (so its notification is
    overdue), with nobody on its panel."""
    from joinedup.reviews.workflow import open_review, today

    aware = today() - dt.timedelta(days=days_ago)
    return open_review(child, aware, aware - dt.timedelta(days=1),
                       f"{pseudonym} was seriously harmed.", pseudonym, "test").pk


def test_the_business_unit_sees_the_reviews_with_their_clocks(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    client = signed_in("business.unit")
    listing = text_of(page(client.get("/reviews/")))
    assert "Review " + str(web_case["review"]) + ": Baby S" in listing
    assert "Notification to the national Panel" in listing
    assert "Due 29 May 2025 Done 23 May 2025" in listing  # 5 working days (26 May a holiday)
    assert "Due 12 June 2025 Done 10 June 2025" in listing  # rapid review, 15 working days

    response = client.get(f"/reviews/{web_case['review']}/")
    assert response.status_code == 200
    shown = text_of(page(response))
    assert "Statutory clocks" in shown
    assert "Serious incident notification to the national Panel" in shown
    assert "Local child safeguarding practice review, on 10 June 2025" in shown
    assert "Finding 2: The father's risk stayed with adult services" in shown
    assert "Fathers and men in the household" in shown
    assert "PROBATION:NDL-5520019" in shown
    assert "Record a step done" in shown and "Add a finding" in shown
    # the workflow is pseudonymised: the family's names are not on it
    assert "Kayleigh" not in shown and "Ashworth" not in shown


def test_an_overdue_clock_is_said_in_words_not_only_colour(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    review = new_review(web_case["child"])
    listing = text_of(page(signed_in("business.unit").get("/reviews/")))
    assert "1 review has an overdue step." in listing
    assert re.search(r"Overdue Serious incident notification to the national Panel", listing)
    assert re.search(r"Overdue by \d+ working days", listing)
    shown = text_of(page(signed_in("business.unit").get(f"/reviews/{review}/")))
    assert re.search(r"Overdue by \d+ working days", shown)


def test_reviews_are_for_the_business_unit_leads_and_the_panel(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    other = new_review(web_case["child"])
    for user in ("school.teacher", "health.visitor", "social.worker"):
        assert signed_in(user).get("/reviews/").status_code == 403
        assert signed_in(user).get(f"/reviews/{web_case['review']}/").status_code == 403
    lead = signed_in("safeguarding.lead")
    shown = text_of(page(lead.get(f"/reviews/{web_case['review']}/")))
    assert "Statutory clocks" in shown and "Add a finding" not in shown
    panel = signed_in("panel.member")
    listing = page(panel.get("/reviews/"))
    assert "Baby S" in listing and "Child T" not in listing  # only the review they sit on
    # another review answers exactly as a review that does not exist
    theirs, none = panel.get(f"/reviews/{other}/"), panel.get("/reviews/999999/")
    assert theirs.status_code == none.status_code == 404
    assert main_of(page(theirs)) == main_of(page(none)) and "Child T" not in page(theirs)
    assert signed_in("business.unit").get("/reviews/999999/").status_code == 404


def main_of(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def test_the_school_teacher_is_refused_the_review_chronology(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    response = signed_in("school.teacher").get(f"/reviews/{web_case['review']}/chronology/")
    assert response.status_code in (403, 404)
    assert "Kayleigh" not in page(response)
    refusal = AuditEntry.objects.filter(actor="school.teacher", action="access_refused").last()
    assert refusal is not None and refusal.child_id == web_case["child"]


def test_the_business_unit_needs_a_relationship_for_the_chronology(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    """The workflow is pseudonymised; the chronology names the family: the business unit is
    refused it unless it sits on the panel, with the one neutral answer."""
    response = signed_in("business.unit").get(f"/reviews/{web_case['review']}/chronology/")
    assert response.status_code == 404
    assert "Page not found" in page(response) and "Kayleigh" not in page(response)
    assert AuditEntry.objects.filter(actor="business.unit", action="access_refused",
                                     child_id=web_case["child"]).exists()


def test_a_panel_member_reads_the_review_chronology_and_the_look_is_audited(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    response = signed_in("panel.member").get(f"/reviews/{web_case['review']}/chronology/")
    assert response.status_code == 200
    shown = text_of(page(response))
    assert "OFFICIAL-SENSITIVE" in shown
    assert "as it was known on 21 May 2025" in shown
    assert "Key practice episode (finding" in shown
    assert "Agency summaries" in shown and "summary of involvement with Baby S" in shown
    assert "on the panel of review" in shown
    look = AuditEntry.objects.filter(actor="panel.member", action="view_chronology").last()
    assert look is not None and look.child_id == web_case["child"]
    assert look.details["review"] == web_case["review"]


def test_adding_a_finding_changes_the_page_and_is_audited(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    client = signed_in("business.unit")
    address = f"/reviews/{web_case['review']}/findings/add/"
    assert client.get(address).status_code == 200
    response = client.post(address, {
        "title": "Health visiting did not know the father",
        "narrative": "The health visitor never met Baby S's father.",
        "themes": ["FATHERS_MEN"], "evidence": "HV:S1-71120048\n"})
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/{web_case['review']}/#findings"
    shown = text_of(page(client.get(response["Location"])))
    assert "Finding 6: Health visiting did not know the father" in shown
    assert "Finding 6 is added." in shown
    change = AuditEntry.objects.filter(actor="business.unit", action="change").last()
    assert change is not None and change.object_type == "review"
    assert change.object_id == str(web_case["review"])
    assert change.details["change"] == "finding_added" and change.details["finding"] == 6
    assert ReviewEvent.objects.filter(review_id=web_case["review"], what="finding_added",
                                      who="business.unit").exists()


def test_a_finding_with_problems_is_shown_again_with_the_errors(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    client = signed_in("business.unit")
    before = AuditEntry.objects.filter(action="change").count()
    response = client.post(f"/reviews/{web_case['review']}/findings/add/",
                           {"title": "", "narrative": "Something", "evidence": "POLICE:NOPE"})
    assert response.status_code == 400
    html = page(response)
    assert "<title>Error: Add a finding" in html
    assert "There is a problem" in html and "Enter a short title" in html
    assert "There is no event POLICE:NOPE" in html
    assert 'href="#title"' in html and 'href="#evidence"' in html
    assert AuditEntry.objects.filter(action="change").count() == before


def test_adding_an_action_and_marking_it_done(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    client = signed_in("panel.member")  # the panel writes the learning too
    review = web_case["review"]
    response = client.post(f"/reviews/{review}/actions/add/", {
        "description": "Add the father to every health visiting record.",
        "owner": "Health visiting service lead", "owner_agency": "HV", "finding": "2",
        "due_on-day": "31", "due_on-month": "3", "due_on-year": "2026"})
    assert response.status_code == 302
    action = ReviewAction.objects.get(review_id=review, owner="Health visiting service lead")
    shown = text_of(page(client.get(f"/reviews/{review}/")))
    assert "Add the father to every health visiting record." in shown
    assert "Health visiting service lead (HV)" in shown
    today = dt.date.today()
    response = client.post(f"/reviews/{review}/actions/{action.pk}/done/", {
        "done_on-day": str(today.day), "done_on-month": str(today.month),
        "done_on-year": str(today.year)})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    changes = [e.details["change"] for e in AuditEntry.objects.filter(
        actor="panel.member", action="change", object_type="review")]
    assert changes[-2:] == ["action_added", "action_done"]


def test_the_timetable_and_decision_are_the_business_units(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    review = new_review(web_case["child"])
    panel = signed_in("panel.member")
    assert panel.post(f"/reviews/{web_case['review']}/steps/record/",
                      {"kind": "PANEL_MEETING"}).status_code == 403
    assert signed_in("safeguarding.lead").post(
        f"/reviews/{web_case['review']}/findings/add/", {"title": "x"}).status_code == 403

    unit = signed_in("business.unit")
    today = dt.date.today()
    on = {"-day": str(today.day), "-month": str(today.month), "-year": str(today.year)}
    response = unit.post(f"/reviews/{review}/agency-summaries/record/", {
        "agency": "HV", "summary": "Health visiting's summary of its work with the family.",
        **{"received_on" + k: v for k, v in on.items()}})
    assert response.status_code == 302
    shown = text_of(page(unit.get(f"/reviews/{review}/")))
    assert "The summary from HV is recorded as received." in shown
    summary = Step.objects.get(review_id=review, kind="AGENCY_SUMMARY", agency__code="HV")
    assert (summary.status, summary.done_on) == ("done", today)

    response = unit.post(f"/reviews/{review}/steps/record/", {
        "kind": "SIN", **{"done_on" + k: v for k, v in on.items()}})
    assert response.status_code == 302

    refused = unit.post(f"/reviews/{review}/decision/", {
        "decision": "local_cspr", "reasons": "Agreed by the partners.",
        **{"decided_on" + k: v for k, v in on.items()}})
    assert refused.status_code == 400
    assert "A local review needs at least one criterion met" in page(refused)
    response = unit.post(f"/reviews/{review}/decision/", {
        "decision": "local_cspr", "reasons": "Agreed by the partners.",
        "criterion-c": "Three agencies held pieces nobody joined.",
        **{"decided_on" + k: v for k, v in on.items()}})
    assert response.status_code == 302
    shown = text_of(page(unit.get(f"/reviews/{review}/")))
    assert "Met: Three agencies held pieces nobody joined." in shown
    assert "Local review published" in shown  # the publication clock came with the decision
    changes = [e.details["change"] for e in AuditEntry.objects.filter(
        actor="business.unit", action="change", object_id=str(review))]
    assert changes == ["agency_summary_received", "step_done", "decided"]


def test_a_change_the_role_may_not_make_is_refused_saying_who_makes_it(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    """The panel reads the review, so it is told (403) who records the timetable, and the
    refusal is in the audit trail; nothing is recorded."""
    review = web_case["review"]
    steps_before = Step.objects.filter(review_id=review).count()
    response = signed_in("panel.member").post(f"/reviews/{review}/steps/record/",
                                              {"kind": "PANEL_MEETING"})
    assert response.status_code == 403
    assert ("The review's timetable and decision are recorded by the partnership business "
            "unit.") in text_of(page(response))
    refusal = AuditEntry.objects.filter(actor="panel.member", action="access_refused").last()
    assert refusal is not None
    assert refusal.details["address"] == f"/reviews/{review}/steps/record/"
    assert refusal.details["status"] == 403
    assert Step.objects.filter(review_id=review).count() == steps_before


def _close(client: Client, review: int, days_ago: int, reason: str = "Learning published.",
           ) -> Any:
    day = dt.date.today() - dt.timedelta(days=days_ago)
    return client.post(f"/reviews/{review}/close/", {
        "reason": reason, "closed_on-day": str(day.day), "closed_on-month": str(day.month),
        "closed_on-year": str(day.year)})


def test_the_business_unit_closes_a_review_with_a_reason(
        signed_in: SignIn, web_case: dict[str, Any], settings: Any) -> None:
    from joinedup.reviews.models import Review

    settings.JOINEDUP_PANEL_GRACE_DAYS = 30
    review = web_case["review"]
    unit, panel = signed_in("business.unit"), signed_in("panel.member")
    shown = text_of(page(unit.get(f"/reviews/{review}/")))
    assert "Closing the review" in shown and "Close the review" in shown
    assert "Close the review" not in text_of(page(panel.get(f"/reviews/{review}/")))
    refused = _close(panel, review, 0)  # closing is the business unit's to record
    assert refused.status_code in (403, 404)
    assert not Review.objects.filter(pk=review, closed_on__isnull=False).exists()
    before = AuditEntry.objects.filter(action="change").count()

    missing = _close(unit, review, 0, reason="  ")
    assert missing.status_code == 400
    html = page(missing)
    assert "<title>Error: Close the review" in html and "There is a problem" in html
    assert "Enter the reason the review is being closed" in html and 'href="#reason"' in html
    assert AuditEntry.objects.filter(action="change").count() == before

    response = _close(unit, review, 10, reason="Learning published; actions complete.")
    assert response.status_code == 302
    closed_on = dt.date.today() - dt.timedelta(days=10)
    until = closed_on + dt.timedelta(days=30)
    shown = text_of(page(unit.get(response["Location"])))
    long = f"{until.day} {until:%B %Y}"
    assert f"The review is closed. Its panel may open the child's record until {long}." \
        in shown
    assert f"Closed {closed_on.day} {closed_on:%B %Y} (the panel can open" in shown
    assert "Closing the review" not in shown
    assert "Learning published; actions complete." in shown  # in the review's history
    change = AuditEntry.objects.filter(actor="business.unit", action="change").last()
    assert change is not None and change.details["change"] == "closed"
    assert change.details["panel_access_until"] == until.isoformat()
    again = unit.get(f"/reviews/{review}/close/", follow=True)
    assert "The review is already closed" in page(again)
    # inside the grace period the panel still has the review and the child's chronology
    assert "Baby S" in page(panel.get("/reviews/"))
    assert panel.get(f"/reviews/{review}/").status_code == 200
    chronology = panel.get(f"/reviews/{review}/chronology/")
    assert chronology.status_code == 200
    assert f"access until {long}" in text_of(page(chronology))


def test_after_the_grace_period_the_panel_loses_the_closed_review(
        signed_in: SignIn, web_case: dict[str, Any], settings: Any) -> None:
    settings.JOINEDUP_PANEL_GRACE_DAYS = 30
    review, child = web_case["review"], web_case["child"]
    panel = signed_in("panel.member")
    assert "Sienna Ashworth" in page(panel.get("/children/"))  # through the panel
    assert _close(signed_in("business.unit"), review, 31).status_code == 302

    assert "Baby S" not in page(panel.get("/reviews/"))
    for address in (f"/reviews/{review}/", f"/reviews/{review}/chronology/",
                    f"/reviews/{review}/findings/add/", f"/children/{child}/"):
        response = panel.get(address)
        assert response.status_code != 200, address
        assert "Baby S" not in page(response) and "Sienna" not in page(response), address
    assert "Sienna Ashworth" not in page(panel.get("/children/"))
    # the business unit and safeguarding leads still read it
    for user in ("business.unit", "safeguarding.lead"):
        client = signed_in(user)
        assert "Baby S" in page(client.get("/reviews/"))
        assert client.get(f"/reviews/{review}/").status_code == 200
    # a longer grace period gives the panel the review back
    settings.JOINEDUP_PANEL_GRACE_DAYS = 60
    assert "Baby S" in page(panel.get("/reviews/"))
    assert panel.get(f"/reviews/{review}/").status_code == 200
