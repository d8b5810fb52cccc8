"""How quickly information requests were answered: counts only, never a person.

For the requests sent in a span of days, grouped by route (the agency that asked and the
agency or area asked) or by the month they were sent: how many were answered, the working
days each reply took (a histogram, so the reader can take any percentile), and how many
were answered by their due date. A request still waiting after its due date counts as not
answered in time; one still waiting before its due date, or withdrawn, is not counted
either way (its outcome is not known yet, or there is none).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from joinedup.information_requests.models import InformationRequest, RequestStatus
from joinedup.workdays import working_days_between

GROUPINGS = ("route", "month")


@dataclass
class Replies:
    """The requests of one route or month and how they were answered."""

    key: tuple[str, str] | str
    asking: str = ""  # the asking agency's name (by route)
    asked: str = ""  # the agency's name (by route, when it is registered here)
    area: str = ""  # the area's code (by route, when the agency asked is not registered)
    sent: int = 0
    answered: int = 0
    on_time: int = 0  # answered on or before the due date
    late_waiting: int = 0  # still waiting after the due date
    waiting: int = 0  # still waiting, not yet due
    withdrawn: int = 0
    days: Counter[int] = field(default_factory=Counter)  # working days to reply

    @property
    def decided(self) -> int:
        """The requests whose timeliness is known: answered, or overdue."""
        return self.answered + self.late_waiting

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.on_time / self.decided, 1) if self.decided else None


def request_replies(start: dt.date, end: dt.date, today: dt.date,
                by: str = "route") -> dict[tuple[str, str] | str, Replies]:
    """The requests sent (``requested_on``) from ``start`` to ``end`` inclusive, grouped
    ``by`` route or month (``YYYY-MM``), as they stand on ``today``. The database groups
    them by route, dates and status; only those groups come back."""
    if by not in GROUPINGS:
        raise ValueError(f"reply times are grouped by one of {GROUPINGS}, not {by!r}")
    rows = (InformationRequest.objects.filter(requested_on__range=(start, end))
            .values_list("from_agency__code", "from_agency__name", "to_agency__code",
                         "to_agency__name", "to_area", "status", "requested_on", "due_on",
                         "received_on")
            .annotate(n=Count("id")).order_by())
    found: dict[tuple[str, str] | str, Replies] = {}
    for (asking, asking_name, asked, asked_name, area, status, requested_on, due_on,
         received_on, n) in rows.iterator(chunk_size=20_000):
        key: tuple[str, str] | str = ((asking, asked or area) if by == "route"
                                      else f"{requested_on:%Y-%m}")
        names = ((asking_name, asked_name or "", "" if asked else area) if by == "route"
                 else ("", "", ""))
        group = found.setdefault(key, Replies(key, *names))
        group.sent += n
        if status == RequestStatus.WITHDRAWN:
            group.withdrawn += n
        elif status == RequestStatus.RECEIVED and received_on is not None:
            group.answered += n
            group.on_time += n if received_on <= due_on else 0
            group.days[max(0, working_days_between(requested_on, received_on))] += n
        elif due_on < today:
            group.late_waiting += n
        else:
            group.waiting += n
    return found
