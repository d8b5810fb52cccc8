"""Signing in and out through the browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from joinedup.demo.users import DEMO_PASSWORD
from tests.browser.accessibility import check_page
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_signing_in_opens_my_work_and_signing_out_ends_the_session(
        new_page: Callable[..., Any]) -> None:
    page = new_page()
    page.goto("/sign-in/")
    check_page(page)
    sign_in(page, "health.visitor", DEMO_PASSWORD)
    assert "/sign-in/" not in page.url
    assert "Signed in as health.visitor" in page.locator("header").inner_text()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.goto("/work/")
    assert "/sign-in/" in page.url  # signed out: back to the sign-in page


def test_a_wrong_password_shows_the_error_summary(new_page: Callable[..., Any]) -> None:
    page = sign_in(new_page(), "police.officer", "not the password")
    assert "/sign-in/" in page.url
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "There is a problem" in summary.inner_text()
    assert "Enter a correct user name and password" in summary.inner_text()
    assert page.title().startswith("Error: ")
    check_page(page, "sign-in page with an error")


def test_any_page_asks_for_signing_in_first(new_page: Callable[..., Any]) -> None:
    page = new_page()
    page.goto("/alerts/")
    assert "/sign-in/" in page.url
    assert page.get_by_role("heading", name="Sign in to joinedup").is_visible()
