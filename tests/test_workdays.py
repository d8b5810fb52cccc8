"""Working days in England and Wales, around bank holidays and substitute days."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from joinedup.workdays import (
    add_working_days,
    is_working_day,
    ordinal,
    working_days_between,
)

D = dt.date


def test_christmas_2026_substitute_day_is_not_a_working_day() -> None:
    # Boxing Day 2026 is a Saturday, so Monday 28 December is the bank holiday.
    assert not is_working_day(D(2026, 12, 25))
    assert not is_working_day(D(2026, 12, 28))
    assert is_working_day(D(2026, 12, 29))
    # Thursday 24 December + 1 working day skips Friday 25, the weekend and Monday 28.
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert working_days_between(D(2026, 12, 24), D(2026, 12, 29)) == 1


def test_easter_and_early_may_2025() -> None:
    # Good Friday 18 April and Easter Monday 21 April 2025; early May bank holiday 5 May.
    assert add_working_days(D(2025, 4, 17), 1) == D(2025, 4, 22)
    assert add_working_days(D(2025, 5, 2), 1) == D(2025, 5, 6)


def test_delay_conventions() -> None:
    assert working_days_between(D(2025, 3, 7), D(2025, 3, 7)) == 0  # same day
    assert working_days_between(D(2025, 3, 7), D(2025, 3, 10)) == 1  # Friday to Monday
    assert working_days_between(D(2025, 3, 8), D(2025, 3, 9)) == 0  # a weekend
    assert working_days_between(D(2025, 3, 10), D(2025, 3, 17)) == 5
    assert working_days_between(D(2025, 3, 17), D(2025, 3, 10)) == -5


def test_days_outside_the_precomputed_calendar() -> None:
    assert working_days_between(D(1985, 1, 1), D(1985, 1, 8)) == 5  # 1 Jan is a holiday
    assert working_days_between(D(2041, 1, 1), D(2041, 1, 8)) == 5


@given(st.dates(D(1980, 1, 1), D(2045, 12, 1)), st.integers(0, 60))
def test_adding_then_counting_agrees(day: dt.date, days: int) -> None:
    later = add_working_days(day, days)
    assert working_days_between(day, later) == days
    assert days == 0 or is_working_day(later)


@given(st.dates(D(1980, 1, 1), D(2045, 12, 1)))
def test_ordinal_steps_by_one_on_working_days(day: dt.date) -> None:
    step = ordinal(day + dt.timedelta(days=1)) - ordinal(day)
    assert step == (1 if is_working_day(day + dt.timedelta(days=1)) else 0)
