"""The Baby S 7-minute briefing in the browser: the page shows its seven parts, and the
presentation mode's timer counts down from 7:00 once started."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.accessibility import check_page

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "web"
"""Where JOINEDUP_SCREENSHOTS=1 saves the documentation's screenshots."""


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


def presentation_at_1024x768(page: Any) -> None:
    page.set_viewport_size({"width": 1024, "height": 768})
    open_the_briefing(page)
    page.get_by_role("link", name="Present it to a team").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Start").wait_for(state="visible")


def shown_slide(page: Any) -> dict[str, Any]:
    return dict(page.evaluate("""() => {
        const shown = [...document.querySelectorAll('[data-slide]')].filter(s => !s.hidden)
        const page = document.documentElement
        const text = (selector) => shown.length ? shown[0].querySelector(selector).innerText : ''
        return {count: shown.length, progress: text('.jup-present__progress'),
                heading: text('h2'),
                height: page.scrollHeight, width: page.scrollWidth,
                address: location.pathname + location.search,
                type: shown.length ? parseFloat(getComputedStyle(
                    shown[0].querySelector('[data-slide-body]')).fontSize) : 0}
    }"""))


def test_presentation_mode_fills_the_screen_without_the_site_around_it(
        page_as: Callable[[str], Any]) -> None:
    page = page_as("social.worker")
    presentation_at_1024x768(page)
    assert page.get_by_text("Signed in as").count() == 0
    assert page.get_by_role("navigation", name="Sections").count() == 0
    assert page.locator("footer").count() == 0
    assert page.get_by_role("button", name="Full screen").is_visible()
    assert page.locator("h1").count() == 1
    if os.environ.get("JOINEDUP_SCREENSHOTS") == "1":  # docs/web/reviews-and-briefings.md
        while "Part 3 of 7" not in shown_slide(page)["progress"]:
            page.keyboard.press("ArrowRight")
        page.screenshot(path=str(SCREENSHOTS / "presentation-mode.png"))


def test_the_keyboard_moves_through_every_slide_and_each_fits_1024x768(
        page_as: Callable[[str], Any]) -> None:
    page = page_as("social.worker")
    presentation_at_1024x768(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    seen = [shown_slide(page)]
    for key in ["ArrowRight", "Space"] * 15:
        page.keyboard.press(key)
        now = shown_slide(page)
        if now["address"] == seen[-1]["address"]:
            break  # the last slide: a further key does nothing
        seen.append(now)
    for slide in seen:
        assert slide["count"] == 1, slide
        assert slide["height"] <= 768 and slide["width"] <= 1024, \
            f"{slide['progress']} ({slide['heading']}) needs scrolling: " \
            f"{slide['width']}x{slide['height']} at 1024x768"
        assert slide["type"] == 36, f"{slide['progress']}: type shrunk to {slide['type']} px"
    parts = [re.match(r"Part (\d) of 7", s["progress"]) for s in seen]
    assert sorted({int(p[1]) for p in parts if p}) == list(range(1, 8)), \
        [s["progress"] for s in seen]
    assert seen[-1]["heading"].startswith("Questions for your team")
    assert "part=8" in page.url  # the address follows the slide
    page.keyboard.press("ArrowLeft")
    assert shown_slide(page)["address"] == seen[-2]["address"]
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"/briefings/\d+/$"))
    assert page.get_by_role("link", name="Present it to a team").is_visible()


def test_the_timer_is_announced_politely_not_every_second(
        page_as: Callable[[str], Any]) -> None:
    page = page_as("social.worker")
    presentation_at_1024x768(page)
    announcer = page.locator("[data-timer-announce]")
    assert announcer.get_attribute("aria-live") == "polite"
    page.get_by_role("button", name="Start").click()
    said = announcer.inner_text()
    assert said.startswith("Timer started")
    page.wait_for_timeout(2_200)
    assert announcer.inner_text() == said  # the seconds ticking are not read out
    check_page(page, "presentation mode at 1024x768")


def test_full_screen_stays_on_from_slide_to_slide(page_as: Callable[[str], Any]) -> None:
    page = page_as("social.worker")
    presentation_at_1024x768(page)
    page.get_by_role("button", name="Full screen").click()
    page.wait_for_function("document.fullscreenElement !== null")
    assert page.get_by_role("button", name="Leave full screen").is_visible()
    first = shown_slide(page)["address"]
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    assert shown_slide(page)["address"] != first
    assert page.evaluate("document.fullscreenElement !== null")  # not a new page
    page.get_by_role("button", name="Leave full screen").click()
    page.wait_for_function("document.fullscreenElement === null")
    page.wait_for_timeout(600)
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"/briefings/\d+/$"))
