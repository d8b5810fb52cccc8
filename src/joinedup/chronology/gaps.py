"""Gaps: what a chronology does not show.

Rules only see what was recorded (docs/rules.md), so a chronology must also make the
silences visible. Two kinds are found, both over the child's own chronology (the child and
their carers: mother, father, partner of a parent, household members, kinship or foster
carers), from every agency:

- **quiet periods**: at least ``min_days`` days in a row (default 28) in which no agency
  recorded any event for the child or their carers;
- **agencies that stopped seeing the family**: an agency with at least ``min_events`` events
  (default 3) about the child or their carers whose last event is more than ``stopped_days``
  days (default 90) before the end of the chronology.

Pure: takes (date, agency) pairs and the window, returns :class:`Gap` values with the words
a practitioner reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from joinedup.chronology.dates import long_date

QUIET_DAYS = 28
STOPPED_DAYS = 90
STOPPED_MIN_EVENTS = 3

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Gap:
    kind: str  # "quiet_period" or "agency_stopped"
    start: dt.date  # first day with nothing (quiet) or the agency's last event (stopped)
    end: dt.date
    days: int
    text: str
    agency: str = ""
    events: int = 0  # stopped: how many events the agency had recorded


def quiet_periods(days: Iterable[dt.date], start: dt.date, end: dt.date,
                  min_days: int = QUIET_DAYS) -> list[Gap]:
    """Runs of at least ``min_days`` whole days from ``start`` to ``end`` (both included)
    with none of ``days`` in them."""
    found: list[Gap] = []
    cursor = start  # the first day not yet known to have an event
    previous: dt.date | None = None
    for day in sorted({d for d in days if start <= d <= end}):
        length = (day - cursor).days
        if length >= min_days:
            found.append(_quiet(cursor, day - _ONE_DAY, length, previous, day))
        cursor = day + _ONE_DAY
        previous = day
    length = (end - cursor).days + 1
    if length >= min_days:
        found.append(_quiet(cursor, end, length, previous, None))
    return found


def _quiet(first: dt.date, last: dt.date, days: int, before: dt.date | None,
           after: dt.date | None) -> Gap:
    context = []
    if before:
        context.append(f"the last event before it was on {long_date(before)}")
    context.append(f"the next was on {long_date(after)}" if after
                   else "nothing since, up to the end of the chronology")
    text = (f"No agency recorded anything about the child or their carers for {days} days, "
            f"from {long_date(first)} to {long_date(last)} ({'; '.join(context)}).")
    return Gap("quiet_period", first, last, days, text)


def stopped_agencies(events: Iterable[tuple[dt.date, str]], end: dt.date,
                     stopped_days: int = STOPPED_DAYS, min_events: int = STOPPED_MIN_EVENTS,
                     names: Mapping[str, str] | None = None) -> list[Gap]:
    """Agencies with at least ``min_events`` of ``events`` (date, agency code) whose last one
    is more than ``stopped_days`` days before ``end``; the longest silence first."""
    counts: dict[str, int] = {}
    last: dict[str, dt.date] = {}
    for day, agency in events:
        if day > end:
            continue
        counts[agency] = counts.get(agency, 0) + 1
        if agency not in last or day > last[agency]:
            last[agency] = day
    found = []
    for agency, count in counts.items():
        silent = (end - last[agency]).days
        if count >= min_events and silent > stopped_days:
            who = agency if not names or not names.get(agency) else \
                f"{agency} ({names[agency]})"
            text = (f"{who} recorded {count} events about the child or their carers; the last "
                    f"was on {long_date(last[agency])}, {silent} days before the end of the "
                    f"chronology ({long_date(end)}). Has this agency stopped seeing the "
                    "family, or stopped sharing?")
            found.append(Gap("agency_stopped", last[agency], end, silent, text, agency, count))
    return sorted(found, key=lambda g: (-g.days, g.agency))
