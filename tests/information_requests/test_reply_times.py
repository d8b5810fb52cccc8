"""How quickly requests were answered, by route and by month: only answered or overdue
requests count for or against the share answered by the due date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from joinedup.information_requests.reply_times import request_replies
from joinedup.information_requests.requests import (
    receive_response,
    send_request,
    withdraw_request,
)
from tests.helpers import write_return

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

D = dt.date


def test_replies_by_route_and_by_month(db: None, tmp_path: Path) -> None:
    from joinedup.agencies.registry import register_agency
    from joinedup.ingest.loading import load_return
    from joinedup.people.models import Person, PersonRecord

    register_agency("HV", "Health Visiting", "HEALTH_VISITING", "E08000007")
    register_agency("CSC", "Children's Social Care", "CHILDRENS_SOCIAL_CARE", "E08000007")
    people = [{"person_id": "P1", "given_name": "Testa", "family_name": "Replychild",
               "date_of_birth": "2024-06-01", "sex": "F"}]
    assert load_return(write_return(tmp_path / "HV", people=people, events=[]),
                       "HV").rows_quarantined == 0
    Person.objects.create(id=9401)
    PersonRecord.objects.filter(source_id="P1").update(person_id=9401)

    def ask(on: dt.date, **where: str) -> int:
        return send_request(from_agency="HV", person_id=9401, reason="OTHER", question="?",
                            who="t", requested_on=on, due_working_days=5, **where).pk

    receive_response(ask(D(2025, 1, 6), to_agency="CSC"), response="r", who="t",
                     received_on=D(2025, 1, 8))  # 2 working days, on time
    receive_response(ask(D(2025, 1, 6), to_agency="CSC"), response="r", who="t",
                     received_on=D(2025, 1, 20))  # 10 working days, late
    ask(D(2025, 2, 3), to_area="E08000003")  # still waiting after 10 February
    ask(D(2025, 2, 24), to_area="E08000003")  # due 3 March: not yet due on 28 February
    withdraw_request(ask(D(2025, 2, 4), to_agency="CSC"), why="Not needed", who="t")

    routes = request_replies(D(2025, 1, 1), D(2025, 2, 28), D(2025, 2, 28))
    csc = routes["HV", "CSC"]
    assert (csc.asking, csc.asked, csc.area) == ("Health Visiting", "Children's Social Care", "")
    assert (csc.sent, csc.answered, csc.on_time, csc.withdrawn) == (3, 2, 1, 1)
    assert dict(csc.days) == {2: 1, 10: 1} and csc.on_time_percent == 50.0
    area = routes["HV", "E08000003"]
    assert (area.asked, area.area) == ("", "E08000003")
    assert (area.sent, area.late_waiting, area.waiting, area.on_time_percent) == (2, 1, 1, 0.0)
    months = request_replies(D(2025, 1, 1), D(2025, 2, 28), D(2025, 2, 28), by="month")
    assert {k: v.sent for k, v in months.items()} == {"2025-01": 2, "2025-02": 3}
    assert months["2025-02"].on_time_percent == 0.0  # one overdue, none answered
