"""Due dates and overdue, in working days: what a practitioner sees on the list."""

from __future__ import annotations

import datetime as dt

import pytest

from joinedup.information_requests.deadlines import (
    due_date,
    is_overdue,
    working_days_overdue,
)

pytestmark = pytest.mark.postgres


def test_christmas_bank_holidays_do_not_count_towards_the_due_date() -> None:
    # Friday 18 December 2026 + 5 working days: 21, 22, 23, 24 December, then Christmas
    # (Friday 25), the weekend and the Boxing Day substitute (Monday 28) are skipped.
    assert due_date(dt.date(2026, 12, 18), 5) == dt.date(2026, 12, 29)
    assert due_date(dt.date(2026, 12, 18)) == dt.date(2027, 1, 13)  # default 15, New Year too


def test_overdue_from_the_working_day_after_the_due_date_not_on_it() -> None:
    due = dt.date(2026, 12, 29)  # a Tuesday
    assert not is_overdue("sent", due, due)
    assert working_days_overdue("sent", due, due) == 0
    assert is_overdue("sent", due, dt.date(2026, 12, 30))
    assert working_days_overdue("sent", due, dt.date(2026, 12, 30)) == 1
    # New Year's Day is a bank holiday: Monday 4 January is the 3rd working day late
    assert working_days_overdue("sent", due, dt.date(2027, 1, 4)) == 3


def test_answered_or_withdrawn_requests_are_never_overdue() -> None:
    due = dt.date(2026, 12, 29)
    later = dt.date(2027, 3, 1)
    assert not is_overdue("received", due, later)
    assert not is_overdue("withdrawn", due, later)
    assert working_days_overdue("withdrawn", due, later) == 0


def test_a_friday_deadline_is_passed_at_the_weekend_but_no_working_day_is_lost() -> None:
    friday = dt.date(2026, 11, 20)
    assert is_overdue("sent", friday, dt.date(2026, 11, 21))
    assert working_days_overdue("sent", friday, dt.date(2026, 11, 21)) == 0
    assert working_days_overdue("sent", friday, dt.date(2026, 11, 23)) == 1
