"""7-minute briefing pages: the list, the briefing with its de-identification check and
learning activity log, editing and publishing (refused while the check finds the family),
downloads (audited) and presentation mode without JavaScript."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.test import Client

from joinedup.access.models import AuditEntry
from joinedup.briefings.models import Briefing, LearningActivity

pytestmark = pytest.mark.django_db

SignIn = Callable[[str], Client]


def page(response: Any) -> str:
    return str(response.content.decode())


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def error_summary(html: str) -> str:
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.DOTALL)
    assert found, "no error summary on the page"
    return text_of(found[0])


def make_draft(briefing_id: int) -> None:
    """Back to draft, as editing a published briefing does."""
    from joinedup.briefings import services

    part = services.find_briefing(briefing_id).parts.get(number=1)
    services.edit_part(briefing_id, 1, "test", text=part.text + " ")


def edit_form(briefing_id: int, **changes: str) -> dict[str, str]:
    """The edit form as the page fills it, with ``changes`` (field name: value)."""
    from joinedup.briefings import services

    briefing = services.find_briefing(briefing_id)
    data = {"title": briefing.title,
            "questions": "\n".join(str(q) for q in briefing.reflection_questions)}
    for part in services.parts(briefing):
        data[f"part-{part.number}-label"] = part.label
        data[f"part-{part.number}-text"] = part.text
    return {**data, **changes}


def test_every_signed_in_user_reads_a_published_briefing_and_its_check(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    client = signed_in("school.teacher")
    listing = text_of(page(client.get("/briefings/")))
    assert "7-minute briefing" in listing and "Drafts" not in listing
    response = client.get(f"/briefings/{web_case['briefing']}/")
    assert response.status_code == 200
    shown = text_of(page(response))
    assert "1. Background" in shown and "7. What to do" in shown
    assert "Questions for your team" in shown
    assert "Passed: nothing found that would identify the family." in shown
    assert "What the check looks for" in shown and "dates of birth" in shown
    assert "Stockport East health visiting team (HV)" in shown  # the learning activity log
    assert "Ask about every adult around a baby at each visit." in shown
    assert "Used by 3 agencies, 3 teams, 33 people in all." in shown
    assert "Kayleigh" not in shown


def test_drafts_are_seen_only_by_the_business_unit(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    make_draft(web_case["briefing"])
    teacher = signed_in("school.teacher")
    for rest in ("", "present/", "briefing.pdf"):  # a draft is as if it did not exist
        assert teacher.get(f"/briefings/{web_case['briefing']}/{rest}").status_code == 404
        assert teacher.get(f"/briefings/999999/{rest}").status_code == 404
    assert "Baby S" not in page(teacher.get("/briefings/"))
    unit = signed_in("business.unit")
    assert "Drafts" in page(unit.get("/briefings/"))
    shown = text_of(page(unit.get(f"/briefings/{web_case['briefing']}/")))
    assert "Edit and publish" in shown
    download = unit.get(f"/briefings/{web_case['briefing']}/briefing.pdf")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download["Content-Disposition"].endswith('-draft.pdf"')
    entry = AuditEntry.objects.filter(actor="business.unit", action="download").last()
    assert entry is not None and entry.details["draft"] is True
    assert signed_in("panel.member").get(
        f"/briefings/{web_case['briefing']}/edit/").status_code == 403


def test_naming_the_mother_blocks_publishing_with_a_clear_message(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    briefing = web_case["briefing"]
    make_draft(briefing)
    unit = signed_in("business.unit")
    text = "Kayleigh Ashworth told the health visitor she was frightened."
    response = unit.post(f"/briefings/{briefing}/edit/", edit_form(briefing, **{
        "part-4-text": text}))
    assert response.status_code == 302
    shown = page(unit.get(response["Location"]))
    assert "Saved: part 4." in text_of(shown)
    assert "Not passed: 2 passages would identify the family." in text_of(shown)
    assert "K\u2022\u2022\u2022\u2022\u2022\u2022\u2022" in shown  # masked, not repeated

    response = unit.post(f"/briefings/{briefing}/publish/")
    assert response.status_code == 400
    html = page(response)
    assert "<title>Error: Edit the briefing" in html
    summary = error_summary(html)
    assert "This briefing cannot be published" in summary
    assert "2 passages that would identify the family" in summary
    assert "Part 4" in summary and "the mother's given name" in summary
    assert "family name" in summary
    assert "Kayleigh" not in summary and "Ashworth" not in summary
    assert 'href="#part-4-text"' in html
    assert Briefing.objects.get(pk=briefing).status == "draft"

    edits = [e.details for e in AuditEntry.objects.filter(
        actor="business.unit", action="change", object_type="briefing")]
    assert edits == [{"change": "edited", "parts": ["part 4"],
                      "address": f"/briefings/{briefing}/edit/"}]

    unit.post(f"/briefings/{briefing}/edit/", edit_form(briefing, **{
        "part-4-text": "Baby S's mother told the health visitor she was frightened."}))
    response = unit.post(f"/briefings/{briefing}/publish/")
    assert response.status_code == 302
    assert Briefing.objects.get(pk=briefing).status == "published"
    assert AuditEntry.objects.filter(actor="business.unit", action="change",
                                     details__change="published").exists()


def test_a_published_briefing_is_not_edited_here(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    response = signed_in("business.unit").get(f"/briefings/{web_case['briefing']}/edit/")
    assert response.status_code == 302
    assert response["Location"] == f"/briefings/{web_case['briefing']}/"


@pytest.mark.parametrize(("fmt", "content_type", "magic"), [
    ("pdf", "application/pdf", b"%PDF"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
    ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
])
def test_downloads_are_the_rendered_briefing_and_are_audited(
        signed_in: SignIn, web_case: dict[str, Any], fmt: str, content_type: str,
        magic: bytes) -> None:
    response = signed_in("health.visitor").get(
        f"/briefings/{web_case['briefing']}/briefing.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == \
        f'attachment; filename="baby-s-7-minute-briefing.{fmt}"'
    assert response.content.startswith(magic)
    entries = AuditEntry.objects.filter(actor="health.visitor")
    download = entries.filter(action="download").last()
    assert download is not None
    assert (download.object_type, download.object_id) == ("briefing", str(web_case["briefing"]))
    assert download.details["format"] == fmt and download.details["draft"] is False
    assert not entries.filter(action="view_page").exists()  # one row, not two


def test_an_unknown_download_format_is_not_found(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    response = signed_in("health.visitor").get(f"/briefings/{web_case['briefing']}/briefing.odt")
    assert response.status_code == 404


def shown_slide(html: str) -> str:
    """The text of the one slide not hidden (what a browser without JavaScript shows)."""
    slides = re.findall(r'<section class="jup-present__slide"([^>]*)>(.*?)</section>', html,
                        re.DOTALL)
    shown = [body for attributes, body in slides if " hidden" not in attributes]
    assert len(shown) == 1, f"{len(shown)} slides shown at once"
    return text_of(shown[0])


def test_presentation_mode_works_without_javascript(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    client = signed_in("health.visitor")
    address = f"/briefings/{web_case['briefing']}/present/"
    html = page(client.get(address))
    shown = shown_slide(html)
    assert "Part 1 of 7" in shown and "1. Background" in shown
    assert "2. Why it matters" not in shown  # one part at a time
    assert f'href="{address}?part=2" rel="next"' in html and "Next" in shown
    assert "Previous" not in shown
    assert 'class="jup-present__time" role="timer" data-timer-display>7 minutes<' in html
    assert 'aria-live="polite"' in html
    assert "data-timer-controls hidden" in html  # the buttons appear with present.js
    assert re.search(r'<button type="button"[^>]*data-timer-start>Start</button>', html)
    assert '<script type="module" src="/static/joinedup/present.js">' in html
    assert "style=" not in html and "onclick" not in html

    shown = shown_slide(page(client.get(address + "?part=7&slide=99")))  # its last slide
    assert "7. What to do" in shown and "Next: questions for your team" in shown
    shown = shown_slide(page(client.get(address + "?part=8&slide=99")))
    assert "Questions for your team" in shown and "Next" not in shown
    assert "Previous" in shown
    assert "Part 1 of 7" in shown_slide(page(client.get(address + "?part=nonsense")))


def test_presentation_mode_shows_no_site_chrome(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    html = page(signed_in("health.visitor").get(f"/briefings/{web_case['briefing']}/present/"))
    shown = text_of(html)
    assert "Signed in as" not in shown and "Sign out" not in shown
    assert "govuk-service-navigation" not in html and "govuk-footer" not in html
    assert "Leave presentation mode" in shown_slide(html)


def test_a_long_part_is_split_into_slides_that_fit(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    from joinedup.briefings import services
    from joinedup.web.reviewing.presentation import WORDS_PER_SLIDE

    briefing_id = web_case["briefing"]
    long_text = "\n\n".join(f"Paragraph {n} says what practitioners noticed and what they "
                             "did about it, in plain words for the team." for n in range(12))
    services.edit_part(briefing_id, 5, "test", text=long_text)
    address = f"/briefings/{briefing_id}/present/"
    client = signed_in("business.unit")
    first = shown_slide(page(client.get(address + "?part=5")))
    assert "Part 5 of 7, slide 1 of " in first and "Paragraph 0 " in first
    slides = int(re.search(r"slide 1 of (\d+)", first)[1])  # type: ignore[index]
    assert slides >= 3
    seen = []
    for number in range(1, slides + 1):
        shown = shown_slide(page(client.get(address + f"?part=5&slide={number}")))
        assert f"slide {number} of {slides}" in shown
        body = "Paragraph" + shown.split("Paragraph", 1)[1].split("Previous", 1)[0]
        assert len(body.split()) <= WORDS_PER_SLIDE + 5, body
        seen += re.findall(r"Paragraph (\d+) ", shown)
    assert seen == [str(n) for n in range(12)]  # every paragraph once, in order


def briefing_part(html: str, number: int) -> str:
    found = re.search(rf'<section class="jup-briefing__part" aria-labelledby="part-{number}">'
                      r"(.*?)</section>", html, re.DOTALL)
    assert found, f"no part {number} on the page"
    return text_of(found[1]).strip()


def test_a_key_finding_and_its_things_to_remember_are_written_apart(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    from joinedup.demo.review import FINDINGS, REMEMBER

    html = page(signed_in("social.worker").get(f"/briefings/{web_case['briefing']}/"))
    fifth, sixth = briefing_part(html, 5), briefing_part(html, 6)
    third_title, third_narrative = FINDINGS[2][0], FINDINGS[2][1]
    assert fifth.startswith(f"5. {third_title}")
    assert third_narrative.split(". ")[0] in fifth
    for title, narrative, _, _ in FINDINGS[:2] + FINDINGS[3:]:
        assert title not in fifth and narrative.split(". ")[0] not in fifth  # one finding
    assert sixth.startswith("6. Things to remember")
    for title, narrative, _, _ in FINDINGS:
        assert REMEMBER[title][0] in sixth.replace("\u2019", "'")
        assert narrative.split(". ")[0] not in sixth  # no longer the first sentences
    assert "Passed: nothing found that would identify the family" in text_of(html)


def test_a_findings_things_to_remember_go_into_the_next_draft(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    from joinedup.reviews.models import Finding

    client = signed_in("business.unit")
    address = f"/reviews/{web_case['review']}/findings/add/"
    assert 'name="remember"' in page(client.get(address))
    response = client.post(address, {
        "title": "Nobody asked the nursery", "narrative": "The nursery saw bruises.",
        "remember": "Ask the nursery what it has seen.\n\n  Share it the same day.  \n",
        "themes": [], "evidence": ""})
    assert response.status_code == 302
    added = Finding.objects.get(review_id=web_case["review"], title="Nobody asked the nursery")
    assert added.remember.splitlines() == ["Ask the nursery what it has seen.",
                                           "Share it the same day."]
    shown = text_of(page(client.get(response["Location"])))
    assert "To remember (the briefing's \"Things to remember\"): Ask the nursery what it " \
           "has seen. Share it the same day." in shown


def shown_date(text: str) -> dt.date:
    return dt.datetime.strptime(text.strip(), "%d %B %Y").date()


def test_the_list_shows_publication_before_every_use(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    html = page(signed_in("social.worker").get("/briefings/"))
    tables = re.findall(r'<table class="govuk-table">(.*?)</table>', html, re.DOTALL)
    published = [shown_date(text_of(cell)) for cell in re.findall(
        r'<td class="govuk-table__cell jup-nowrap">(.*?)</td>', tables[0], re.DOTALL)]
    assert published == [dt.date(2025, 12, 4)]  # the demo's, whatever day it was built
    last_used = [shown_date(text_of(row[-1])) for row in (
        re.findall(r"<td[^>]*>(.*?)</td>", found) for found in
        re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", tables[1], re.DOTALL))
        if row and "Not yet" not in row[-1]]
    assert len(last_used) == 3  # health visiting, children's social care, probation
    assert all(used >= published[0] for used in last_used), (published, last_used)


def test_recording_a_learning_activity(signed_in: SignIn, web_case: dict[str, Any]) -> None:
    client = signed_in("school.teacher")
    address = f"/briefings/{web_case['briefing']}/activities/record/"
    form = page(client.get(address))
    assert '<option value="SCHOOL" selected>' in form  # their own agency first
    response = client.post(address, {"agency": "SCHOOL", "team": ""})
    assert response.status_code == 400
    assert "Enter the team that used it" in error_summary(page(response))
    day = dt.date.today() - dt.timedelta(days=1)
    response = client.post(address, {
        "agency": "SCHOOL", "team": "Designated safeguarding leads", "attendees": "6",
        "facilitator": "Head teacher", "held_on-day": str(day.day),
        "held_on-month": str(day.month), "held_on-year": str(day.year),
        "changes": "Ask who else lives at home when a child is new to the school."})
    assert response.status_code == 302
    shown = text_of(page(client.get(response["Location"])))
    assert "Designated safeguarding leads (SCHOOL)" in shown
    assert "Ask who else lives at home when a child is new to the school." in shown
    activity = LearningActivity.objects.get(team="Designated safeguarding leads")
    change = AuditEntry.objects.filter(actor="school.teacher", action="change").last()
    assert change is not None and change.object_type == "learning_activity"
    assert change.object_id == str(activity.pk)


def test_reach_by_agency_counts_every_agency(web_case: dict[str, Any]) -> None:
    from joinedup.briefings.activities import reach_by_agency

    rows = {row["agency"]: row for row in reach_by_agency()}
    assert rows["HV"]["briefings_used"] == [web_case["briefing"]]
    assert (rows["HV"]["activities"], rows["HV"]["attendees"], rows["HV"]["teams"]) == (1, 11, 1)
    assert rows["HV"]["last_used_on"] == dt.date(2025, 12, 9)
    assert rows["SCHOOL"]["briefings_used"] == []
    assert rows["SCHOOL"]["not_yet_used"] == [web_case["briefing"]]
    later = {row["agency"]: row for row in reach_by_agency(since=dt.date(2026, 1, 1))}
    assert later["HV"]["activities"] == 0 and later["PROBATION"]["attendees"] == 14


def test_a_refusal_shows_its_next_step_as_a_link_not_a_command(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    from joinedup.briefings import services

    briefing = web_case["briefing"]
    services.edit_part(briefing, 2, "test", text="")  # back to draft, part 2 empty
    unit = signed_in("business.unit")
    response = unit.post(f"/briefings/{briefing}/publish/")
    assert response.status_code == 400
    html = page(response)
    summary = error_summary(html)
    assert f"Briefing {briefing} cannot be published: part 2 still empty. Write it first." \
        in summary
    assert f'<a class="govuk-link" href="/briefings/{briefing}/edit/">Edit the briefing</a>' \
        in html
    assert "joinedup" not in summary and "--" not in summary
    assert Briefing.objects.get(pk=briefing).status == "draft"
