"""The review timetable: when each step of a rapid review and a local review is due (pure).

The clocks start on the day the local authority became aware of the serious incident
(``aware_on``), not the day it happened, because that is when the duty arises
(docs/reviews.md). They run in England and Wales working days, so a review opened the week before
Christmas is not made late by the bank holidays:

- serious incident notification (SIN) to the national Panel: within 5 working days;
- agency summaries: requested on working day 2, due on working day 10, so the panel has
  them before it meets;
- the rapid review panel meeting: working days 10 to 12 (due by day 12);
- the rapid review complete, and a copy sent to the Panel: within 15 working days;
- for a local child safeguarding practice review (CSPR): publication within 6 calendar
  months of the decision to start it, with notice to the Panel 7 working days before
  (the 2018 wording, still to be checked against the current guidance).

A step is overdue from the day after its due date while it is not done: on the due day
itself it is still in time, as with information requests.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from joinedup.workdays import add_working_days, is_working_day, working_days_between

SIN = "SIN"
AGENCY_SUMMARY = "AGENCY_SUMMARY"
PANEL_MEETING = "PANEL_MEETING"
RAPID_REVIEW = "RAPID_REVIEW"
SENT_TO_PANEL = "SENT_TO_PANEL"
PUBLICATION_NOTICE = "PUBLICATION_NOTICE"
PUBLICATION = "PUBLICATION"

STEP_LABELS = {
    SIN: "Serious incident notification to the national Panel",
    AGENCY_SUMMARY: "Agency summary",
    PANEL_MEETING: "Rapid review panel meeting",
    RAPID_REVIEW: "Rapid review complete",
    SENT_TO_PANEL: "Rapid review sent to the national Panel",
    PUBLICATION_NOTICE: "Notice of publication to the national Panel",
    PUBLICATION: "Local review published",
}
STEP_KINDS = tuple(STEP_LABELS)


@dataclass(frozen=True)
class Timetable:
    """Working days from awareness for each rapid review step; statutory ones first."""

    sin: int = 5
    rapid_review: int = 15
    summaries_requested: int = 2
    summaries_due: int = 10
    panel_from: int = 10
    panel_by: int = 12
    publication_months: int = 6
    notice_working_days: int = 7


DEFAULT = Timetable()


@dataclass(frozen=True)
class PlannedStep:
    """A step as the timetable plans it: what, for which agency, from when, due when."""

    kind: str
    due_on: dt.date
    planned_from: dt.date | None = None
    agency: str | None = None


def rapid_review_steps(aware_on: dt.date, agencies: list[str],
                       timetable: Timetable = DEFAULT) -> list[PlannedStep]:
    """The steps created when a review opens, one agency summary per agency code given."""
    def day(n: int) -> dt.date:
        return add_working_days(aware_on, n)

    steps = [PlannedStep(SIN, day(timetable.sin))]
    steps += [PlannedStep(AGENCY_SUMMARY, day(timetable.summaries_due),
                          day(timetable.summaries_requested), code)
              for code in sorted(set(agencies))]
    steps += [PlannedStep(PANEL_MEETING, day(timetable.panel_by), day(timetable.panel_from)),
              PlannedStep(RAPID_REVIEW, day(timetable.rapid_review)),
              PlannedStep(SENT_TO_PANEL, day(timetable.rapid_review))]
    return steps


def publication_steps(decided_on: dt.date, timetable: Timetable = DEFAULT
                      ) -> list[PlannedStep]:
    """The steps a decision to start a local review adds: notice, then publication."""
    published_by = add_months(decided_on, timetable.publication_months)
    notice_by = subtract_working_days(published_by, timetable.notice_working_days)
    return [PlannedStep(PUBLICATION_NOTICE, notice_by), PlannedStep(PUBLICATION, published_by)]


def planned_from(kind: str, aware_on: dt.date, timetable: Timetable = DEFAULT) -> dt.date | None:
    """When work on a step is planned to start (agency summaries are requested, the panel
    may meet), or None for steps that are simply due by a date."""
    if kind == AGENCY_SUMMARY:
        return add_working_days(aware_on, timetable.summaries_requested)
    if kind == PANEL_MEETING:
        return add_working_days(aware_on, timetable.panel_from)
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, or the month's last day when it is
    shorter (31 August + 6 months is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def subtract_working_days(day: dt.date, days: int) -> dt.date:
    """The working day ``days`` working days before ``day`` (``add_working_days`` reversed:
    ``add_working_days(result, days) == day`` when ``day`` is a working day)."""
    current = day
    remaining = days
    while remaining:
        current -= dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def is_overdue(done: bool, due_on: dt.date | None, on: dt.date) -> bool:
    """Not done and ``on`` is after the due day (on the due day it is still in time)."""
    return not done and due_on is not None and on > due_on


def working_days_overdue(done: bool, due_on: dt.date | None, on: dt.date) -> int:
    """Working days past the due day; 0 when not overdue (a step due on Friday is overdue on
    Saturday but 0 working days late until Monday)."""
    if due_on is None or not is_overdue(done, due_on, on):
        return 0
    return working_days_between(due_on, on)
