"""The chronology page of the Baby S case as its practitioners read it: gaps measured up to
today whatever is dated later, the lawful basis of adult services' information said once,
year headings, several agencies at once, keyword search, the significant events, and the
GOV.UK date boxes."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.agencies.models import Agency
from joinedup.information_requests import send_request
from joinedup.information_requests.chronology_entries import (
    Entry,
    record_event,
    subject_record,
    system_submission,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SignIn = Callable[[str], Client]


def page(client: Client, address: str, status: int = 200) -> str:
    response = client.get(address)
    assert response.status_code == status, (address, response.status_code)
    return html.unescape(response.content.decode())


def gaps_of(text: str) -> str:
    found = re.search(r'<h2 class="govuk-heading-m">Gaps</h2>(.*?)</ul>', text, re.S)
    return found[1] if found else ""


def test_a_request_sent_today_and_an_entry_dated_ahead_do_not_stretch_the_gaps(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    child = web_case["child"]
    address = f"/children/{child}/chronology/"
    social_worker = signed_in("social.worker")
    before = gaps_of(page(social_worker, address))
    today = timezone.localdate()
    send_request(from_agency="CSC", person_id=child, child_id=child, reason="OTHER",
                 to_agency="POLICE", question="Is the family known to you?", who="test")
    probation = Agency.objects.get(code="PROBATION")
    record_event(Entry(agency=probation, subject=subject_record(web_case["father"], probation),
                       event_type="LICENCE_END", source_id="PLANNED-1",
                       on=today + dt.timedelta(days=200), summary="Licence due to end"),
                 system_submission(probation, "test"))
    after = page(social_worker, address)
    assert "Information requested" in after  # the request is on the chronology
    assert gaps_of(after) == before  # but the gaps are as they were
    assert f"({today.day} {today:%B %Y})" not in gaps_of(after)  # never "before today"
    assert not re.search(r"Nothing recorded for \d{3,} days", after)


def test_the_lawful_basis_is_said_once_at_the_top_and_each_headline_says_whom_to_ask(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    text = page(signed_in("health.visitor"), f"/children/{web_case['child']}/chronology/")
    assert text.count("Lawful basis: UK GDPR Art. 6(1)(e)") == 1
    top = text.index('id="lawful-basis"')
    assert top < text.index('<ol class="jup-timeline">')
    held = text.count("Held back: only the headline is shared with you. Ask ")
    assert held >= 1 and held == text.count("jup-timeline__item--withheld")
    release = re.search(r"__title\">Released from custody.*?</li>", text, re.S)
    assert release is not None and "Held back" in release[0] and "Lawful basis</a>" in release[0]


def test_entries_sit_under_year_headings_in_either_order(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    address = f"/children/{web_case['child']}/chronology/"
    oldest = page(signed_in("social.worker"), address)
    years = re.findall(r'id="year-(\d{4})">', oldest)
    assert years == sorted(set(years)) and {"2024", "2025"} <= set(years)
    newest = page(signed_in("social.worker"), address + "?order=newest")
    assert re.findall(r'id="year-(\d{4})">', newest) == years[::-1]


def test_several_agencies_at_once_are_ticked_and_kept_in_the_address(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    address = f"/children/{web_case['child']}/chronology/?agency=HV&agency=GP"
    text = page(signed_in("social.worker"), address)
    bylines = re.findall(r'<p class="jup-timeline__byline">([^<]*)</p>', text)
    assert {re.search(r"\((\w+)\)", b)[1] for b in bylines} == {"HV", "GP"}  # type: ignore
    assert re.search(r'value="HV" checked', text) and re.search(r'value="GP" checked', text)
    assert not re.search(r'value="POLICE" checked', text)
    assert "chronology.csv?agency=HV%2CGP" in text  # the download keeps both
    same = page(signed_in("social.worker"),
                f"/children/{web_case['child']}/chronology/?agency=hv,gp")
    assert re.findall(r'<p class="jup-timeline__byline">([^<]*)</p>', same) == bylines


def test_the_keyword_search_finds_only_words_the_reader_may_see(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    child = web_case["child"]
    # probation's own words for the release, held back from the health visitor
    words = "Released from HMP on licence"
    officer = page(signed_in("probation.officer"), f"/children/{child}/chronology/?q=HMP")
    assert words in officer
    visitor = page(signed_in("health.visitor"), f"/children/{child}/chronology/?q=HMP")
    assert words not in visitor and "No entries match these filters." in visitor
    # what the health visitor is shown of it, the headline, is found
    headline = page(signed_in("health.visitor"),
                    f"/children/{child}/chronology/?q=released+custody")
    assert "Held by probation: ask Gareth Okafor (0161 496 0730), or the probation officer" \
        in headline
    assert re.search(r'<h2 class="govuk-heading-m" id="entries">1 entry</h2>', headline)


def test_a_headline_names_the_category_and_who_holds_the_record(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    """The father's arrest during the joint section 47 enquiry: the allocated social worker
    is told it was for violence and whom to call, not the police's own words."""
    child = web_case["child"]
    html = page(signed_in("social.worker"), f"/children/{child}/chronology/?q=arrest")
    assert ("Arrest: violence against the person. Held by the police: ask DC Priya Lomax "
            "(0161 496 0611), or the police public protection unit") in html
    assert "grievous bodily harm" not in html
    # the 2021 arrest is shown with its own category, never the police's summary
    assert "Arrest: sexual offence. Held by the police" in html
    assert "not a family member" not in html


def entry_of(text: str, title: str) -> str:
    found = re.search(rf'__title">{re.escape(title)}.*?</li>', text, re.S)
    assert found is not None, f"no {title!r} entry"
    return found[0]


def test_the_significant_events_are_one_click_away_with_what_was_done(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    child = web_case["child"]
    social_worker = signed_in("social.worker")
    full = page(social_worker, f"/children/{child}/chronology/")
    link = re.search(r'<a class="govuk-link" href="\?(view=significant)">Significant events</a>',
                     full)
    assert link is not None
    assert "Health visitor visit" in full and "High significance" in full
    key = page(social_worker, f"/children/{child}/chronology/?{link[1]}")
    assert '<strong aria-current="page">Significant events</strong>' in key
    titles = [t.strip() for t in re.findall(r'<h4 class="jup-timeline__title">([^<]*)', key)]
    assert titles and "Health visitor visit" not in titles and "Injury" in titles
    assert "Medium significance" not in key and "Nothing recorded for" not in key
    # the action the record holds, and plain words where it holds none
    step_down = entry_of(key, "Stepped down")
    assert "Why it is significant:" in step_down and "Passed to: early help" in step_down
    assert "record does not say what was done, or why nothing was." in entry_of(key, "Injury")
    # the full chronology is one click away, and filters keep the view
    assert re.search(r'<a class="govuk-link" href="\?">Full chronology</a>', key)
    assert 'name="view" value="significant"' in key


def test_a_held_back_significant_event_says_whom_to_ask_what_was_done(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    key = page(signed_in("health.visitor"),
               f"/children/{web_case['child']}/chronology/?view=significant&agency=PROBATION")
    release = entry_of(key, "Released from custody")
    assert "Held back: ask Probation Service what was done." in release
    assert "Released from HMP on licence" not in key


def test_the_dates_are_typed_in_day_month_and_year_boxes(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    child = web_case["child"]
    social_worker = signed_in("social.worker")
    text = page(social_worker, f"/children/{child}/chronology/")
    assert 'type="date"' not in text  # not the browser's own date picker
    for name in ("from", "to", "known_by"):
        assert all(f'name="{name}-{part}"' in text for part in ("day", "month", "year"))
    narrowed = page(social_worker, f"/children/{child}/chronology/?from-day=1&from-month=9"
                                   "&from-year=2024&to-day=30&to-month=9&to-year=2024")
    days = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', narrowed)
    assert days and all("2024-09-01" <= d <= "2024-09-30" for d in days)
    assert "chronology.csv?from=2024-09-01&to=2024-09-30" in narrowed
    wrong = page(social_worker, f"/children/{child}/chronology/?to-day=31&to-month=2"
                                "&to-year=2025", status=400)
    assert '<a href="#to-day">The date to show events up to must be a real date' in wrong
    assert 'name="to-day" type="text" value="31"' in wrong \
        or re.search(r'name="to-day"[^>]*value="31"', wrong)
