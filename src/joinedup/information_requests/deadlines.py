"""When a request is due and how late it is, in working days (pure; no database).

Agencies answer requests within a number of *working* days (default 15, the same clock as a
rapid review), so a request sent just before Christmas is not late because of the bank
holidays. A request is overdue from the day after its due date while no reply has come:
on the due day itself it is still in time.
"""

from __future__ import annotations

import datetime as dt

from joinedup.workdays import add_working_days, working_days_between

DEFAULT_DUE_WORKING_DAYS = 15


def due_date(requested_on: dt.date, working_days: int = DEFAULT_DUE_WORKING_DAYS) -> dt.date:
    """The ``working_days``-th working day after ``requested_on``."""
    return add_working_days(requested_on, working_days)


def is_overdue(status: str, due_on: dt.date, on: dt.date) -> bool:
    """Only a request still waiting for a reply can be overdue, and only after its due day."""
    return status == "sent" and on > due_on


def working_days_overdue(status: str, due_on: dt.date, on: dt.date) -> int:
    """Working days since the due date (0 when not overdue). A request due on a Friday is
    overdue on the Saturday but 0 working days late until the Monday (1)."""
    if not is_overdue(status, due_on, on):
        return 0
    return working_days_between(due_on, on)
