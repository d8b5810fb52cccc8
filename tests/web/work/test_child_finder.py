"""Choosing the child a request or a meeting is about by name and date of birth, among the
children the user may open only."""

from __future__ import annotations

import html
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

PAGES = ("/requests/new/", "/meetings/new/", "/meetings/plan/")


def test_each_form_starts_by_finding_the_child_by_name(web_case: Any, signed_in: Any) -> None:
    client = signed_in("social.worker")
    for address in PAGES:
        text = html.unescape(client.get(address).content.decode())
        assert "The child's name" in text and "Date of birth (optional)" in text, address
        assert "person number" not in text, address
    found = client.get("/requests/new/", {"name": "Sienna Ashworth"}).content.decode()
    assert "1 child found" in found
    assert f'href="/requests/new/?child={web_case["child"]}">Sienna Ashworth</a>' in found
    assert "born 9 August 2024" in found


def test_the_date_of_birth_narrows_the_search(web_case: Any, signed_in: Any) -> None:
    client = signed_in("social.worker")
    right = client.get("/meetings/plan/", {"name": "Ashworth", "born-day": "9",
                                           "born-month": "8", "born-year": "2024"})
    assert f'/meetings/plan/?child={web_case["child"]}"' in right.content.decode()
    wrong = client.get("/meetings/plan/", {"name": "Ashworth", "born-day": "10",
                                           "born-month": "8", "born-year": "2024"})
    assert "0 children found" in wrong.content.decode()
    assert "No child you may open matches" in wrong.content.decode()


def test_a_child_the_user_may_not_open_is_never_found(web_case: Any, signed_in: Any) -> None:
    # the teacher has no relationship with Baby S (they would have to break the glass)
    text = signed_in("school.teacher").get(
        "/requests/new/", {"name": "Sienna Ashworth"}).content.decode()
    assert "0 children found" in text and "Sienna" not in text.split("children found")[1]


def test_an_empty_name_or_a_wrong_date_is_explained(web_case: Any, signed_in: Any) -> None:
    client = signed_in("social.worker")
    empty = client.get("/requests/new/", {"name": ""})
    assert empty.status_code == 400
    assert "Enter the child's name, NHS number or an agency's reference" in \
        html.unescape(empty.content.decode())
    bad = client.get("/requests/new/", {"name": "Ashworth", "born-day": "31",
                                        "born-month": "2", "born-year": "2024"})
    assert bad.status_code == 400
    assert "must be a real date" in bad.content.decode()
