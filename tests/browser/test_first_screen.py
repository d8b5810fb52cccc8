"""What a practitioner sees first on a 1024x768 laptop screen: Baby S's record opens on her
current picture; the chronology says its lawful basis once. With
``JOINEDUP_SCREENSHOTS=1`` the documentation's screenshots are saved as they are checked
(docs/web/child-record.png and docs/web/chronology.png, for docs/web/case.md)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import DemoServer

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1024, "height": 768}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "web"


def on_first_screen(page: Any, selector: str) -> bool:
    """Whether the element's top is within the first screen, without scrolling."""
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] < LAPTOP["height"]


def save(page: Any, name: str) -> None:
    if os.environ.get("JOINEDUP_SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOTS / name))


def test_the_childs_record_opens_on_her_current_picture(
        page_as: Callable[[str], Any], demo_server: DemoServer) -> None:
    page = page_as("social.worker")
    page.set_viewport_size(LAPTOP)
    assert page.goto(f"/children/{demo_server.baby_s}/").status == 200
    assert on_first_screen(page, "#status")
    assert "Looked after since 23 May 2025" in page.locator("main").inner_text()
    assert on_first_screen(page, "#waiting")
    save(page, "child-record.png")


def test_the_lawful_basis_is_said_once_and_each_part_of_it_once(
        page_as: Callable[[str], Any], demo_server: DemoServer) -> None:
    page = page_as("social.worker")
    page.set_viewport_size(LAPTOP)
    address = f"/children/{demo_server.baby_s}/chronology/?view=significant"
    assert page.goto(address).status == 200
    note = page.locator("#lawful-basis").inner_text()
    assert note.count("UK GDPR Art. 6(1)(e)") == 1 and "criminal offence data" in note
    page.locator("#entries").scroll_into_view_if_needed()
    assert page.locator(".jup-timeline__item").count() > 5
    save(page, "chronology.png")
