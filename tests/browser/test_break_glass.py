"""Break-glass in the browser: a teacher with no relationship to Baby S is refused, breaks the
glass (an empty reason is refused first) and then sees the record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.accessibility import check_page
from tests.browser.conftest import DemoServer

pytestmark = pytest.mark.browser


def test_a_teacher_breaks_the_glass_with_a_reason_and_sees_the_record(
        page_as: Callable[[str], Any], demo_server: DemoServer) -> None:
    child = demo_server.baby_s
    page = page_as("school.teacher")
    response = page.goto(f"/children/{child}/")
    assert response.status == 404  # the one neutral answer: nothing says the child exists
    assert page.get_by_role("heading", name="Page not found").is_visible()
    check_page(page, "the refused page")

    page.get_by_role("link", name="break the glass with your reason").click()
    page.wait_for_load_state()
    assert f"/children/{child}/break-glass/" in page.url
    assert page.get_by_role("heading", name="Break the glass to see this child's record") \
        .is_visible()
    check_page(page, "the break-glass page")

    page.get_by_role("button", name="Break the glass and open the record").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert "Say why you need this child's record now" in summary.inner_text()
    assert page.title().startswith("Error: ")
    check_page(page, "the break-glass page with an error")

    page.get_by_label("Why do you need this child's record now?").fill(
        "Her older sister told me at school this morning that the baby was hurt; children's "
        "social care are not answering.")
    page.get_by_label("How long do you need it for?").fill("1")  # expires before long
    page.get_by_role("button", name="Break the glass and open the record").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/children/{child}/")
    assert "You broke the glass" in page.locator("main").inner_text()
    assert page.locator("h1").count() == 1 and "not shown" not in page.locator("h1").inner_text()
    check_page(page, "the child's page after breaking the glass")


def test_the_lead_sees_the_break_glass_to_review(page_as: Callable[[str], Any]) -> None:
    page = page_as("safeguarding.lead")
    page.goto("/audit/break-glass/")
    assert page.get_by_role("heading", name="Break-glass access to review").is_visible()
    check_page(page)
