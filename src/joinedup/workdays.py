"""Working days in England and Wales: Monday to Friday, except bank holidays.

Statutory clocks (a serious incident notification within 5 working days, a strategy
discussion within 1) and the recording lag are counted in working days. Bank holidays come
from the ``holidays`` package for England (``subdiv="ENG"``), which includes substitute days
such as Monday 28 December 2026 (Boxing Day falls on a Saturday that year). England and
Wales share the same bank holidays.

Conventions used everywhere in joinedup:

- ``working_days_between(a, b)`` counts the working days after ``a`` up to and including
  ``b``: an event recorded the same day has a delay of 0; one recorded on the next working
  day, 1 (Friday to Monday is 1).
- ``add_working_days(d, n)`` is the n-th working day after ``d`` (``n`` = 0 gives ``d``
  itself). A deadline "within 5 working days of d" is ``add_working_days(d, 5)``.
- ``ordinal(d)`` numbers days so that the difference of two ordinals is
  ``working_days_between``; the rules engine joins a calendar of ordinals to do the same
  arithmetic in SQL (:func:`calendar_rows`).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays

FIRST_YEAR = 1990
LAST_YEAR = 2040
_EPOCH = dt.date(FIRST_YEAR, 1, 1)


@cache
def bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales bank holidays in ``year``, including substitute days."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


@cache
def _ordinals() -> tuple[int, ...]:
    """Working days counted from 1 January FIRST_YEAR: entry i is the count up to and
    including day i. Built once (about 18,600 days)."""
    counts: list[int] = []
    total = 0
    day = _EPOCH
    end = dt.date(LAST_YEAR, 12, 31)
    while day <= end:
        if is_working_day(day):
            total += 1
        counts.append(total)
        day += dt.timedelta(days=1)
    return tuple(counts)


def _in_range(day: dt.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def ordinal(day: dt.date) -> int:
    """Working days from the start of the calendar up to and including ``day``."""
    if _in_range(day):
        return _ordinals()[(day - _EPOCH).days]
    # Outside the precomputed years, count directly (rare: historic care records).
    if day < _EPOCH:
        return -_count(day + dt.timedelta(days=1), _EPOCH - dt.timedelta(days=1))
    return _ordinals()[-1] + _count(dt.date(LAST_YEAR + 1, 1, 1), day)


def _count(start: dt.date, end: dt.date) -> int:
    """Working days from start to end, both included."""
    total = 0
    day = start
    while day <= end:
        total += is_working_day(day)
        day += dt.timedelta(days=1)
    return total


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    return ordinal(end) - ordinal(start)


def add_working_days(day: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``day`` (``days`` >= 0; 0 gives ``day``)."""
    if days < 0:
        raise ValueError("add_working_days counts forwards only")
    current = day
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def calendar_rows(start: dt.date, end: dt.date) -> list[tuple[dt.date, int, bool]]:
    """(day, ordinal, is working day) for every day from start to end, for SQL joins."""
    rows = []
    day = start
    while day <= end:
        rows.append((day, ordinal(day), is_working_day(day)))
        day += dt.timedelta(days=1)
    return rows
