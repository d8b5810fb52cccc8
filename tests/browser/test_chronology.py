"""Baby S's chronology in the browser: opened from the child's page, then narrowed to what
had been recorded by an earlier day ("as known on", typed in day, month and year boxes);
its significant events one click away; and no wider than a 375 px phone."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.accessibility import check_page
from tests.browser.conftest import DemoServer

pytestmark = pytest.mark.browser


def entries_shown(page: Any) -> int:
    text = page.locator("#entries").inner_text()
    found = re.match(r"([\d,]+) entr", text)
    assert found, f"no count of entries in {text!r}"
    return int(found.group(1).replace(",", ""))


def test_the_health_visitor_opens_the_chronology_and_goes_back_in_time(
        page_as: Callable[[str], Any], demo_server: DemoServer) -> None:
    page = page_as("health.visitor")
    response = page.goto(f"/children/{demo_server.baby_s}/")
    assert response.status == 200
    check_page(page, "Baby S's page")
    page.get_by_role("link", name="Chronology", exact=True).first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/children/{demo_server.baby_s}/chronology/")
    assert page.get_by_role("heading", name="Chronology", exact=True).is_visible()
    everything = entries_shown(page)
    assert everything > 10
    check_page(page, "Baby S's chronology")

    known = page.get_by_role("group", name="As known on")
    known.get_by_label("Day").fill("31")
    known.get_by_label("Month").fill("1")
    known.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "known_by-day=31&known_by-month=1&known_by-year=2025" in page.url
    assert "As known on 31 January 2025" in page.locator("main").inner_text()
    earlier = entries_shown(page)
    assert 0 < earlier < everything
    check_page(page, "Baby S's chronology as known on 31 January 2025")


def page_width(page: Any) -> int:
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


def test_the_significant_events_are_one_click_from_the_full_chronology(
        page_as: Callable[[str], Any], demo_server: DemoServer) -> None:
    page = page_as("social.worker")
    page.goto(f"/children/{demo_server.baby_s}/chronology/")
    everything = entries_shown(page)
    page.get_by_role("link", name="Significant events").click()
    page.wait_for_load_state()
    assert "view=significant" in page.url
    significant = entries_shown(page)
    assert 0 < significant < everything
    titles = page.locator(".jup-timeline__title").all_inner_texts()
    assert titles and all("High significance" in t for t in titles)
    assert page.locator(".jup-timeline__action").count() == significant
    check_page(page, "Baby S's significant events")
    page.get_by_role("link", name="Full chronology").click()
    page.wait_for_load_state()
    assert entries_shown(page) == everything


def test_the_chronology_is_no_wider_than_a_phone(
        page_as: Callable[[str], Any], demo_server: DemoServer) -> None:
    page = page_as("health.visitor")
    page.set_viewport_size({"width": 375, "height": 800})
    for view in ("", "?view=significant", "?from-day=31&from-month=2&from-year=2025"):
        page.goto(f"/children/{demo_server.baby_s}/chronology/{view}")
        assert page_width(page) <= 375, (view, page_width(page))
