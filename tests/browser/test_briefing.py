"""The Baby S 7-minute briefing in the browser: the page shows its seven parts, and the
presentation mode's timer counts down from 7:00 once started."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.accessibility import check_page

pytestmark = pytest.mark.browser


def seconds_shown(page: Any) -> int:
    text = page.locator("[data-timer-display]").inner_text().strip()
    found = re.fullmatch(r"(\d+):(\d\d)", text)
    assert found, f"the timer shows {text!r}, not minutes:seconds"
    return int(found.group(1)) * 60 + int(found.group(2))


def open_the_briefing(page: Any) -> None:
    page.goto("/briefings/")
    assert page.get_by_role("heading", name="7-minute briefings").is_visible()
    page.locator("main table a[href^='/briefings/']").first.click()
    page.wait_for_load_state()
    assert re.search(r"/briefings/\d+/$", page.url), page.url


def test_the_briefing_shows_its_seven_parts(page_as: Callable[[str], Any]) -> None:
    page = page_as("business.unit")
    open_the_briefing(page)
    parts = page.locator("main h2").all_inner_texts()
    numbered = [p for p in parts if re.match(r"[1-7]\. ", p.strip())]
    assert [p.strip()[0] for p in numbered] == list("1234567"), parts
    check_page(page, "the briefing")


def test_the_presentation_timer_counts_down_from_seven_minutes(
        page_as: Callable[[str], Any]) -> None:
    page = page_as("social.worker")
    open_the_briefing(page)
    page.get_by_role("link", name="Present it to a team").click()
    page.wait_for_load_state()
    assert "/present/" in page.url
    start = page.get_by_role("button", name="Start")
    start.wait_for(state="visible")
    assert seconds_shown(page) == 7 * 60
    check_page(page, "presentation mode")
    start.click()
    page.wait_for_timeout(2_200)
    left = seconds_shown(page)
    assert 7 * 60 - 10 <= left < 7 * 60, f"{left} seconds left after 2 seconds"
    page.get_by_role("button", name="Pause").click()
    paused = seconds_shown(page)
    page.wait_for_timeout(1_200)
    assert seconds_shown(page) == paused
