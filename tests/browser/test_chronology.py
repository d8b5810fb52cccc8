"""Baby S's chronology in the browser: opened from the child's page, then narrowed to what
had been recorded by an earlier day ("as known on")."""

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

    page.get_by_label("As known on").fill("2025-01-31")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "known_by=2025-01-31" in page.url
    assert "As known on 31 January 2025" in page.locator("main").inner_text()
    earlier = entries_shown(page)
    assert 0 < earlier < everything
    check_page(page, "Baby S's chronology as known on 31 January 2025")
