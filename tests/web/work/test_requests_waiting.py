"""My work shows the answering agency every request waiting for its reply from the day it is
sent, overdue ones marked and first; once the reply is recorded it leaves the list."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from joinedup.information_requests.services import receive_response, send_request

pytestmark = pytest.mark.django_db

OVERDUE = 'govuk-tag--red">Overdue</strong>'
HEADING = re.compile(r'id="requests-to-answer">(.*?)</h2>', re.S)


def to_probation(web_case: dict[str, Any], question: str, days_ago: int = 0) -> Any:
    """Children's social care asks probation about Baby S's father."""
    return send_request(from_agency="CSC", to_agency="PROBATION", person_id=web_case["father"],
                        child_id=web_case["child"], reason="RISK_ADULT", question=question,
                        requested_on=dt.date.today() - dt.timedelta(days=days_ago), who="sw")


def requests_section(text: str) -> str:
    """The part of My work about requests waiting for the agency's reply."""
    start = text.index('id="requests-to-answer"')
    return text[start:text.index('id="replies-waiting"')]


def heading(text: str) -> str:
    found = HEADING.search(text)
    assert found, "My work has no heading for requests waiting for a reply"
    return found.group(1)


def test_a_request_sent_today_is_on_probations_my_work_at_once(web_case: Any, signed_in: Any
                                                              ) -> None:
    sent = to_probation(web_case, "The father's licence conditions")
    text = signed_in("probation.officer").get("/work/").content.decode()
    assert heading(text) == "1 request waiting for your agency's reply, 0 overdue"
    section = requests_section(text)
    assert f'href="/requests/{sent.pk}/"' in section
    assert "Waiting for a reply</strong>" in section and OVERDUE not in section
    assert f"{sent.due_on.day} {sent.due_on:%B %Y}" in section  # the due date
    # the sender does not owe it, and it is not overdue, so it is not in its chase list
    worker = signed_in("social.worker").get("/work/").content.decode()
    assert f'href="/requests/{sent.pk}/"' not in worker


def test_an_overdue_request_is_marked_and_comes_first(web_case: Any, signed_in: Any) -> None:
    fresh = to_probation(web_case, "The father's licence conditions")
    late = to_probation(web_case, "The father's offending history", days_ago=60)
    client = signed_in("probation.officer")
    text = client.get("/work/").content.decode()
    assert heading(text) == "2 requests waiting for your agency's reply, 1 overdue"
    section = requests_section(text)
    assert section.index(f"Request {late.pk}<") < section.index(f"Request {fresh.pk}<")
    late_row = section[section.index(f"Request {late.pk}<"):section.index(f"Request {fresh.pk}<")]
    assert OVERDUE in late_row and "working days late" in late_row
    receive_response(late.pk, response="Two previous convictions", who="probation.officer")
    after = client.get("/work/").content.decode()
    assert heading(after) == "1 request waiting for your agency's reply, 0 overdue"
    assert f"Request {late.pk}<" not in requests_section(after)
