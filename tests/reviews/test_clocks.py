"""The review timetable in working days, the overdue rule and theme recurrence (pure)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from joinedup.reviews import clocks
from joinedup.reviews.themes import count_themes, quarter
from joinedup.workdays import add_working_days, is_working_day, working_days_between

days = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31))


def _due(steps: list[clocks.PlannedStep], kind: str) -> dt.date:
    return next(s.due_on for s in steps if s.kind == kind)


def test_christmas_2026_pushes_the_notification_past_both_bank_holidays() -> None:
    steps = clocks.rapid_review_steps(dt.date(2026, 12, 21), ["HV"])
    # 25 December and the substitute Boxing Day (Monday 28th) are bank holidays
    assert _due(steps, clocks.SIN) == dt.date(2026, 12, 30)
    assert _due(steps, clocks.SIN) == add_working_days(dt.date(2026, 12, 21), 5)
    assert _due(steps, clocks.RAPID_REVIEW) == dt.date(2027, 1, 14)


def test_spring_bank_holiday_for_baby_s() -> None:
    steps = clocks.rapid_review_steps(dt.date(2025, 5, 21), ["CSC", "HV"])
    assert _due(steps, clocks.SIN) == dt.date(2025, 5, 29)  # 26 May 2025 is a bank holiday
    summary = next(s for s in steps if s.kind == clocks.AGENCY_SUMMARY)
    assert (summary.planned_from, summary.due_on) == (dt.date(2025, 5, 23), dt.date(2025, 6, 5))


def test_a_friday_awareness_skips_the_weekend() -> None:
    assert _due(clocks.rapid_review_steps(dt.date(2025, 3, 7), []), clocks.SIN) == \
        dt.date(2025, 3, 14)


@given(days, st.lists(st.sampled_from(["CSC", "HV", "GP", "POLICE"]), max_size=6))
def test_every_due_date_is_a_working_day_that_many_working_days_on(
        aware_on: dt.date, agencies: list[str]) -> None:
    steps = clocks.rapid_review_steps(aware_on, agencies)
    t = clocks.DEFAULT
    expected = {clocks.SIN: t.sin, clocks.AGENCY_SUMMARY: t.summaries_due,
                clocks.PANEL_MEETING: t.panel_by, clocks.RAPID_REVIEW: t.rapid_review,
                clocks.SENT_TO_PANEL: t.rapid_review}
    for step in steps:
        assert is_working_day(step.due_on)
        assert working_days_between(aware_on, step.due_on) == expected[step.kind]
        assert step.due_on - aware_on <= dt.timedelta(days=expected[step.kind] * 2 + 10)
    assert sorted(s.agency for s in steps if s.agency) == sorted(set(agencies))
    summary_due = add_working_days(aware_on, t.summaries_due)
    assert add_working_days(aware_on, t.summaries_requested) < summary_due \
        <= _due(steps, clocks.RAPID_REVIEW)  # inside the rapid review timetable


@given(days)
def test_overdue_from_the_day_after_the_due_day(due_on: dt.date) -> None:
    assert not clocks.is_overdue(False, due_on, due_on)
    assert clocks.is_overdue(False, due_on, due_on + dt.timedelta(days=1))
    assert not clocks.is_overdue(True, due_on, due_on + dt.timedelta(days=30))
    assert not clocks.is_overdue(False, None, due_on)
    assert clocks.working_days_overdue(False, due_on, due_on) == 0
    next_working = add_working_days(due_on, 1)
    assert clocks.working_days_overdue(False, due_on, next_working) == 1


@given(days, st.integers(min_value=-60, max_value=60))
def test_add_months_keeps_the_day_or_the_months_last(day: dt.date, months: int) -> None:
    later = clocks.add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day == day.day or (later.day < day.day
                                    and (later + dt.timedelta(days=1)).day == 1)


def test_publication_six_months_after_the_decision_with_notice_before() -> None:
    notice, publication = clocks.publication_steps(dt.date(2025, 8, 31))
    assert publication.due_on == dt.date(2026, 2, 28)
    assert notice.kind == clocks.PUBLICATION_NOTICE
    assert add_working_days(notice.due_on, 7) >= publication.due_on  # 28th is a Saturday
    notice, publication = clocks.publication_steps(dt.date(2025, 6, 12))
    assert publication.due_on == dt.date(2025, 12, 12)
    assert working_days_between(notice.due_on, publication.due_on) == 7


@given(days.filter(is_working_day), st.integers(min_value=0, max_value=30))
def test_subtracting_working_days_undoes_adding_them(day: dt.date, n: int) -> None:
    assert add_working_days(clocks.subtract_working_days(day, n), n) == day


def test_themes_recur_with_two_reviews_within_three_years() -> None:
    labels = {"RECORDING": "Recording", "TRANSFERS": "Transfers", "FATHERS_MEN": "Fathers"}
    found = [
        ("RECORDING", 1, dt.date(2023, 2, 1)),
        ("RECORDING", 1, dt.date(2023, 2, 1)),  # a second finding of the same review
        ("RECORDING", 2, dt.date(2025, 5, 21)),
        ("TRANSFERS", 3, dt.date(2019, 4, 1)),
        ("TRANSFERS", 2, dt.date(2025, 5, 21)),
        ("FATHERS_MEN", 2, dt.date(2025, 5, 21)),
    ]
    by_code = {t.code: t for t in count_themes(labels, found, dt.date(2025, 12, 31))}
    recording = by_code["RECORDING"]
    assert recording.reviews == [1, 2] and recording.recurs
    assert recording.by_year == {"2023": 1, "2025": 1}
    assert recording.by_quarter == {"2023-Q1": 1, "2025-Q2": 1}
    assert (recording.first_seen, recording.last_seen) == (dt.date(2023, 2, 1),
                                                           dt.date(2025, 5, 21))
    assert by_code["TRANSFERS"].reviews == [2, 3] and not by_code["TRANSFERS"].recurs
    assert by_code["TRANSFERS"].in_window == [2]
    assert not by_code["FATHERS_MEN"].recurs
    # a lower threshold or a longer window changes the answer
    assert all(t.recurs for t in count_themes(labels, found, dt.date(2025, 12, 31), 1))
    longer = {t.code: t for t in count_themes(labels, found, dt.date(2025, 12, 31), years=7)}
    assert longer["TRANSFERS"].recurs
    # reviews after the date asked about are not in the window
    earlier = {t.code: t for t in count_themes(labels, found, dt.date(2024, 1, 1))}
    assert earlier["RECORDING"].in_window == [1] and not earlier["RECORDING"].recurs


def test_quarters() -> None:
    assert [quarter(dt.date(2025, m, 1)) for m in (1, 3, 4, 7, 12)] == \
        ["2025-Q1", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
