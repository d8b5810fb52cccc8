"""Baby S's record in the browser on a 375 px phone: it opens on the current picture
(looked after since 23 May 2025, the lead professional with a contact), the buttons lead to
the request form and the meeting planner, and nothing (the family network table least of
all) makes the page wider than the screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.accessibility import check_page
from tests.browser.conftest import DemoServer

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


def page_width(page: Any) -> int:
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


def sticking_out(page: Any) -> list[str]:
    """The elements that reach past the right edge of the screen (to say what to fix)."""
    return list(page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                     && !e.closest('.jup-case-table > *'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ': '
                         + e.textContent.trim().slice(0, 60))"""))


def test_the_childs_record_fits_a_phone_and_opens_on_the_current_picture(
        page_as: Callable[[str], Any], demo_server: DemoServer) -> None:
    page = page_as("social.worker")
    page.set_viewport_size(PHONE)
    response = page.goto(f"/children/{demo_server.baby_s}/")
    assert response.status == 200
    assert page_width(page) <= PHONE["width"], (page_width(page), sticking_out(page))
    main = page.locator("main")
    assert "Looked after since 23 May 2025" in main.inner_text()
    lead = page.locator(".govuk-inset-text", has_text="Lead professional")
    assert "0161 496 0142" in lead.inner_text()
    network = page.get_by_role("table", name="The people around Sienna Ashworth")
    assert network.is_visible()
    box = network.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # the agencies' own records open inside the table without widening the page
    page.locator(".jup-case-records summary").first.click()
    assert page_width(page) <= PHONE["width"], (page_width(page), sticking_out(page))
    check_page(page, "Baby S's record at 375 px")

    page.get_by_role("button", name="Plan a meeting").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/meetings/plan/?child={demo_server.baby_s}")
