"""Every main page fits a 375 px phone: nothing makes the page scroll sideways (a wide
table or picture scrolls inside its own labelled box instead)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import DemoServer
from tests.browser.test_accessibility import KEY_PAGES, visit

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
PAGES = [(user, address) for user, address, status in KEY_PAGES if status == 200
         and not address.endswith("/present/")]  # presentation mode is for a room's screen
PAGES += [("safeguarding.lead", "/overview/"), ("data.steward", "/data/linkage/"),
          ("social.worker", "/requests/new/"), ("social.worker", "/meetings/plan/")]


def width_of(page: Any) -> int:
    """How wide the page is, as far as sideways scrolling goes."""
    return int(page.evaluate("document.documentElement.scrollWidth"))


def sticking_out(page: Any) -> list[str]:
    """The elements reaching past the screen's right edge that no box scrolls (to say what
    to fix)."""
    return list(page.evaluate("""() => {
        const scrolled = e => { for (let a = e.parentElement; a; a = a.parentElement) {
            if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)
                && a !== document.documentElement && a !== document.body) return true; }
            return false; };
        return [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                         && !scrolled(e))
            .slice(-5).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.')
                           + ' ' + Math.round(e.getBoundingClientRect().right) + 'px'); }"""))


@pytest.mark.parametrize(("username", "address"), PAGES, ids=[f"{u or 'signed-out'} {a}"
                                                              for u, a in PAGES])
def test_the_page_fits_a_375_px_phone(page_as: Callable[[str], Any],
                                      new_page: Callable[..., Any], demo_server: DemoServer,
                                      username: str, address: str) -> None:
    numbers = {"child": demo_server.baby_s, "review": demo_server.review,
               "briefing": demo_server.briefing}
    page = page_as(username) if username else new_page()
    page.set_viewport_size(PHONE)
    status, _ = visit(page, address.format(**numbers))
    assert status == 200
    assert width_of(page) <= PHONE["width"], (
        f"{address} is {width_of(page)} px wide at 375 px: {sticking_out(page)}")
