"""A page's title goes into the browser's history, its tabs and bookmarks, where anyone using
the laptop later can read it: the Baby S pages' titles name her by person number, never by
name. The name stays on the page itself, which only those allowed may open."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

FIRST_NAME, SURNAME = "Sienna", "Ashworth"  # Baby S, as the demo scenario's agencies know her


def title_and_body(client: Client, address: str) -> tuple[str, str]:
    response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    page = response.content.decode()
    found = re.search(r"<title>(.*?)</title>", page, re.S)
    assert found, address
    return html.unescape(found.group(1)), page[found.end():]


@pytest.mark.parametrize(("rest", "words"), [
    ("", "Child's record"),
    ("chronology/", "Chronology"),
    ("swimlane/", "Agencies side by side"),
    ("replay/", "When could we have known?"),
    ("replay/?from=2025-03-01&to=2025-03-10", "When could we have known?"),
])
def test_the_childs_pages_are_titled_by_person_number_not_name(
        web_case: dict[str, Any], signed_in: Callable[[str], Client], rest: str,
        words: str) -> None:
    child = web_case["child"]
    title, body = title_and_body(signed_in("social.worker"), f"/children/{child}/{rest}")
    assert words in title
    assert f"person {child}" in title.lower()
    assert FIRST_NAME not in title and SURNAME not in title
    assert FIRST_NAME in body  # the page itself still says who the child is


def test_a_childs_requests_and_a_search_keep_names_out_of_the_title(
        web_case: dict[str, Any], signed_in: Callable[[str], Client]) -> None:
    child = web_case["child"]
    social_worker = signed_in("social.worker")
    title, _ = title_and_body(social_worker, f"/requests/?child={child}")
    assert title.startswith(f"Requests and meetings about person {child}")
    title, body = title_and_body(social_worker, f"/children/?q={FIRST_NAME}+{SURNAME}")
    assert title.startswith("Children matching your search")
    assert SURNAME not in title
    assert SURNAME in body  # she is found
