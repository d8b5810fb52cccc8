"""Every page, checked in the browser: it loads, axe finds no serious or critical WCAG 2.2 AA
violation, and nothing breaks the Content Security Policy or throws a script error.

Two nets: a crawl from My work as users of several roles, following every link on the site
(each kind of address once: ``/alerts/12/`` and ``/alerts/13/`` are one kind), and a list of
the key pages, each with the status it must have for its user.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.accessibility import check_page, page_problems
from tests.browser.conftest import DemoServer

pytestmark = pytest.mark.browser

CRAWLERS = ["social.worker", "business.unit", "data.steward", "auditor", "safeguarding.lead"]
MAX_KINDS = int(os.environ.get("JOINEDUP_BROWSER_MAX_PAGES", "40"))
"""At most this many kinds of address per user (set JOINEDUP_BROWSER_MAX_PAGES to change)."""

NOT_FOLLOWED = re.compile(
    r"^/(sign-out|static|health|oidc|api)\b"  # signing out, files, machines' addresses
    r"|\.(pdf|docx|csv|html|json|zip|xlsx)$"  # downloads
    r"|/download")


EXPECTED_REFUSALS = {
    # the review page offers the review chronology, which is the child's record: the
    # business unit has no relationship with the child, so it gets the neutral "Page not
    # found" (404, audited as a refusal)
    ("business.unit", "/reviews/{n}/chronology/"),
}
"""Links a user is shown that lead to a refusal by design: (user, kind of address)."""


def kind_of(path: str) -> str:
    """``/children/12/chronology/`` -> ``/children/{n}/chronology/``."""
    return re.sub(r"\d+", "{n}", path)


def links_on(page: Any, origin: str) -> list[str]:
    """Same-site addresses linked from the page (path and query, no fragment)."""
    found = []
    for href in page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))"):
        address = urlsplit(urljoin(page.url, href))
        if f"{address.scheme}://{address.netloc}" != origin or NOT_FOLLOWED.search(
                address.path):
            continue
        found.append(address.path + (f"?{address.query}" if address.query else ""))
    return found


def visit(page: Any, address: str) -> tuple[int | None, str]:
    """Open an address; its status and content type (None: it was a download)."""
    try:
        response = page.goto(address)
    except Exception as exc:  # noqa: BLE001 - Playwright's own error type
        if "Download is starting" in str(exc):
            return None, ""
        raise
    assert response is not None
    return response.status, response.headers.get("content-type", "")


def sections_of(username: str) -> list[str]:
    """Where the crawl starts: My work, then each section of the service navigation the
    user's roles show them (so one broken page does not hide the rest of the site)."""
    from django.urls import NoReverseMatch, reverse

    from joinedup.demo.users import DEMO_USERS
    from joinedup.web.navigation import SECTIONS

    roles = next(set(u.roles) for u in DEMO_USERS if u.username == username)
    starts = []
    for section in SECTIONS:
        if section.roles is not None and not roles & {r.value for r in section.roles}:
            continue
        try:
            starts.append(reverse(section.url_name))
        except NoReverseMatch:  # a section whose pages are not built
            continue
    return starts


def heading(page: Any) -> str:
    return str(page.locator("h1").first.inner_text()) if page.locator("h1").count() \
        else "no heading"


@pytest.fixture(scope="module")
def crawled() -> set[str]:
    """Kinds of address already checked by an earlier user's crawl."""
    return set()


@pytest.mark.parametrize("username", CRAWLERS)
def test_every_page_a_user_can_reach_is_accessible(
        page_as: Callable[[str], Any], demo_server: DemoServer, crawled: set[str],
        username: str) -> None:
    """Follow every link the user is shown. A kind of page another user's crawl already
    checked is still opened (its status checked, its links followed: this user may see other
    links there) but not checked with axe again."""
    page = page_as(username)
    queue: deque[str] = deque(sections_of(username))
    mine: set[str] = set()
    failures: list[str] = []
    checked: list[str] = []
    while queue and len(mine) < MAX_KINDS:
        address = queue.popleft()
        kind = kind_of(urlsplit(address).path)
        if kind in mine:
            continue
        mine.add(kind)
        status, content_type = visit(page, address)
        if status is None or "text/html" not in content_type:
            continue
        where = f"{username} at {address}"
        refusal_expected = (username, kind) in EXPECTED_REFUSALS
        if status >= 400 and not (status == 404 and refusal_expected):
            failures.append(f"{where}: HTTP {status} from a link on the site "
                            f"({heading(page)})")
            continue
        if kind not in crawled:
            crawled.add(kind)
            checked.append(address)
            if page.locator("h1").count() != 1:
                failures.append(f"{where}: {page.locator('h1').count()} level-one headings, "
                                "not 1")
            failures += page_problems(page, where)
        if status < 400:
            queue.extend(a for a in links_on(page, demo_server.url)
                         if kind_of(urlsplit(a).path) not in mine)
    print(f"{username}: opened {len(mine)} kinds of page, checked {len(checked)} with axe: "
          f"{', '.join(checked)}")
    assert mine, f"{username} reached no page"
    assert not failures, "\n".join(failures)


KEY_PAGES: list[tuple[str, str, int]] = [
    # user ("" for nobody signed in), address, the status it must have
    ("", "/sign-in/", 200),
    ("social.worker", "/work/", 200),
    ("social.worker", "/alerts/", 200),
    ("social.worker", "/alerts/?child={child}&status=open", 200),
    ("social.worker", "/children/", 200),
    ("social.worker", "/children/{child}/", 200),
    ("social.worker", "/children/{child}/chronology/", 200),
    ("social.worker", "/children/{child}/chronology/?known_by=2025-01-31", 200),
    ("social.worker", "/children/{child}/swimlane/", 200),
    ("social.worker", "/children/{child}/replay/", 200),
    ("social.worker", "/requests/", 200),
    ("social.worker", "/meetings/", 200),
    ("social.worker", "/no-such-page/", 404),
    ("health.visitor", "/children/{child}/chronology/", 200),
    ("probation.officer", "/children/{child}/chronology/", 200),
    ("panel.member", "/reviews/{review}/", 200),
    ("business.unit", "/reviews/", 200),
    ("panel.member", "/reviews/{review}/chronology/", 200),
    ("business.unit", "/reviews/{review}/chronology/", 404),  # the child's record: refused
    ("business.unit", "/briefings/", 200),
    ("business.unit", "/briefings/{briefing}/", 200),
    ("business.unit", "/briefings/{briefing}/edit/", 200),
    ("social.worker", "/briefings/{briefing}/present/", 200),
    ("data.steward", "/children/{child}/", 404),  # no relationship: the neutral answer
    ("data.steward", "/children/{child}/break-glass/", 200),
    ("data.steward", "/audit/", 403),
    ("auditor", "/audit/", 200),
    ("auditor", "/audit/?check=1", 200),
    ("auditor", "/audit/?child=not-a-number", 200),  # the error summary
    ("auditor", "/audit/children/{child}/", 200),
    ("safeguarding.lead", "/audit/break-glass/", 200),
]


@pytest.mark.parametrize(("username", "address", "status"), KEY_PAGES,
                         ids=[f"{u or 'signed-out'} {a}" for u, a, _ in KEY_PAGES])
def test_key_page(page_as: Callable[[str], Any], new_page: Callable[..., Any],
                  demo_server: DemoServer, username: str, address: str, status: int) -> None:
    numbers = {"child": demo_server.baby_s, "review": demo_server.review,
               "briefing": demo_server.briefing}
    wanted = {name for name in numbers if "{" + name + "}" in address}
    missing = [name for name in wanted if numbers[name] is None]
    if missing:
        pytest.fail(f"`joinedup demo` did not say which {', '.join(missing)} it made")
    page = page_as(username) if username else new_page()
    got, content_type = visit(page, address.format(**numbers))
    assert got == status, f"{address} as {username or 'nobody'}: HTTP {got}, not {status}"
    assert "text/html" in content_type
    assert page.locator("h1").count() == 1
    check_page(page, f"{username or 'signed out'} at {address}")
