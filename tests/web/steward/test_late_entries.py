"""Late recording for an agency's managers: the agency's recording delay and its latest
entries recorded late, by reference only."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SignIn = Callable[[str], Client]


def _rows(html: str) -> list[list[str]]:
    body = re.search(r'<tbody class="govuk-table__body">(.*?)</tbody>', html, re.S)
    assert body is not None
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in
             re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body[1], re.S)]


def test_a_team_manager_sees_their_agencys_late_entries_without_names(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    response = signed_in("team.manager").get("/recording/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Late recording: Children&#39;s Social Care" in html
    rows = _rows(html)
    assert rows, "the Baby S case has children's social care entries recorded late"
    assert all(int(row[4]) > 5 for row in rows)
    assert "Recorded more than 5 working days late" in html
    for name in ("Sienna", "Ashworth", "Kerrigan"):
        assert name not in html
    assert '<select' not in html  # a team manager has one agency: no choice to make


def test_a_data_steward_chooses_the_agency(web_case: dict[str, Any],
                                           signed_in: SignIn) -> None:
    html = signed_in("data.steward").get("/recording/?agency=hv").content.decode()
    assert "Late recording: Health Visiting" in html
    assert re.search(r'<option value="HV" selected', html)


def test_practitioners_are_refused(web_case: dict[str, Any], signed_in: SignIn) -> None:
    assert signed_in("social.worker").get("/recording/").status_code == 403


def test_the_section_is_in_the_navigation_of_managers_and_stewards_only(
        web_case: dict[str, Any], signed_in: SignIn) -> None:
    link = 'href="/recording/"'
    assert link in signed_in("team.manager").get("/work/").content.decode()
    assert link not in signed_in("social.worker").get("/work/").content.decode()
