"""The information request form in the browser: the area is picked by name from England's
children's services authorities, an area outside England is given by its code under "The
area is not in England", and a wrong choice is explained; at 375 px nothing sticks out, and
axe finds nothing (the form is only ever sent with a mistake here, so the demo's data stays
as the other browser tests expect it)."""

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


def test_the_area_is_picked_by_name_and_a_mistake_is_explained(
        page_as: Callable[[str], Any], demo_server: DemoServer) -> None:
    page = page_as("social.worker")
    page.set_viewport_size(PHONE)
    response = page.goto(f"/requests/new/?child={demo_server.baby_s}")
    assert response.status == 200
    area = page.get_by_label("Or, for an agency in another area, which area?")
    area.select_option(label="Manchester")
    assert area.input_value() == "E08000003"
    other = page.get_by_label("The area's code")
    assert not other.is_visible()  # inside the closed details
    page.get_by_text("The area is not in England").click()
    assert other.is_visible()
    assert page_width(page) <= PHONE["width"]
    check_page(page, "the request form at 375 px, the details open")

    other.fill("Cardiff")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert ("Enter the area's code as a letter and eight digits, like W06000015 for Cardiff"
            in summary.inner_text())
    # the error summary's link goes to the box, which is shown (its details are open)
    summary.get_by_role("link", name="Enter the area's code").click()
    assert page.get_by_label("The area's code").is_visible()
    assert page.get_by_label("Or, for an agency in another area, which area?"
                             ).input_value() == "E08000003"  # kept as chosen
    assert page_width(page) <= PHONE["width"]
    check_page(page, "the request form with its mistakes")
