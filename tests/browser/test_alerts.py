"""Baby S's alerts in the browser: the social worker sees them on My work and in the alert
list, and dismisses one (a reason is required)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.accessibility import check_page
from tests.browser.conftest import DemoServer

pytestmark = pytest.mark.browser


def test_the_social_worker_sees_baby_s_alerts_on_my_work(
        page_as: Callable[[str], Any], demo_server: DemoServer) -> None:
    page = page_as("social.worker")
    response = page.goto("/work/")
    assert response.status == 200
    assert page.get_by_role("heading", name="My work", exact=True).is_visible()
    heading = page.locator("#allocated-alerts").inner_text()
    count = re.match(r"([\d,]+) open alerts? on children allocated", heading)
    assert count and int(count.group(1).replace(",", "")) > 0, heading
    baby_s = page.get_by_role("link", name=re.compile(rf"\(person {demo_server.baby_s}\)"))
    assert baby_s.count() > 0
    check_page(page, "My work")


def test_the_alert_list_shows_baby_s_alerts(page_as: Callable[[str], Any],
                                            demo_server: DemoServer) -> None:
    page = page_as("social.worker")
    page.goto(f"/alerts/?child={demo_server.baby_s}")
    assert page.get_by_role("heading", name="Alerts", exact=True).is_visible()
    table = page.locator("main table")
    # open alerts by default: the fracture was actioned by the child protection medical
    assert "Several agencies worried, no one brought them together" in table.inner_text()
    assert f"(person {demo_server.baby_s})" in table.inner_text()
    check_page(page, "the alert list")


def test_an_alert_is_dismissed_only_with_a_reason(page_as: Callable[[str], Any],
                                                  demo_server: DemoServer) -> None:
    page = page_as("social.worker")
    page.goto(f"/alerts/?child={demo_server.baby_s}&status=open")
    first = page.locator("main table a[href^='/alerts/']").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip().startswith(title.strip()[:20])
    check_page(page, "an alert")

    page.get_by_text("Dismiss: no action needed").click()
    page.get_by_role("button", name="Dismiss this alert").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    assert "Enter why no action is needed" in page.locator(".govuk-error-summary").inner_text()
    check_page(page, "an alert with a dismissal refused")

    page.get_by_label("Why is no action needed?").fill(
        "Discussed at the professionals meeting: the family has moved and the case is closed "
        "here.")
    page.get_by_role("button", name="Dismiss this alert").click()
    page.wait_for_load_state()
    assert not page.title().startswith("Error: ")
    assert "You dismissed this alert" in page.locator("main").inner_text()
    assert "Dismissed" in page.locator("main").inner_text()
    check_page(page, "a dismissed alert")
