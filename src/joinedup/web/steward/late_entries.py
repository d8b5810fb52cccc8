"""Late recording, for an agency's managers (issue 16): how long the agency took to record
what happened over 12 months (to this month, or to its latest entry), and its latest entries
recorded late, so a team can be asked why. "Late" is what the "Recorded late" rule counts
(web/late_recording.py).

A team manager sees their own agency; a data steward chooses any agency. The entries are
listed by the agency's own reference, kind and dates, never with a person's name: the
agency finds the record in its own system.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from joinedup.access import Role, roles_of
from joinedup.agencies import Agency
from joinedup.chronology import Event
from joinedup.vocabulary import event_label
from joinedup.web.late_recording import late_after
from joinedup.web.permissions import roles_required
from joinedup.web.steward import figures
from joinedup.web.work.viewer import viewer_of
from joinedup.workdays import working_days_between

SHOWN = 100
"""The latest late entries listed."""
SCANNED = 2_000
"""Entries recorded more than that many calendar days after they happened, read newest
first to find the ones late in working days (every such entry is a candidate)."""


@dataclass(frozen=True)
class LateEntry:
    reference: str
    kind: str
    occurred_on: dt.date
    recorded_on: dt.date
    working_days: int


def latest_late(agency: Agency, since: dt.date, after: int) -> list[LateEntry]:
    """The agency's current entries recorded since ``since`` more than ``after`` working days
    after they happened, newest recorded first (at most SHOWN)."""
    candidates = (Event.objects.filter(agency=agency, is_current=True,
                                       recorded_on__gte=since,
                                       recorded_on__gt=F("occurred_on") + dt.timedelta(
                                           days=after))
                  .order_by("-recorded_on", "-id")
                  .values_list("source_id", "event_type", "occurred_on", "recorded_on")
                  [:SCANNED])
    found = []
    for source_id, event_type, occurred_on, recorded_on in candidates:
        days = working_days_between(occurred_on, recorded_on)
        if days > after:
            found.append(LateEntry(source_id, event_label(event_type), occurred_on,
                                   recorded_on, days))
            if len(found) == SHOWN:
                break
    return found


def _agencies_for(request: HttpRequest) -> list[Agency]:
    """A data steward may look at any agency; anyone else at their own."""
    if Role.DATA_STEWARD in roles_of(request.user):
        return list(Agency.objects.order_by("name"))
    own = viewer_of(request).agency_id
    return list(Agency.objects.filter(pk=own)) if own is not None else []


def _last_month(agency: Agency | None) -> dt.date:
    """The 12 months shown end with this month, or earlier with the month of the agency's
    latest entry (an agency that stopped sending returns still has its record shown)."""
    today = timezone.localdate()
    if agency is None:
        return today
    latest = (Event.objects.filter(agency=agency, is_current=True)
              .order_by("-recorded_on").values_list("recorded_on", flat=True).first())
    return min(today, latest) if latest else today


@roles_required(Role.TEAM_MANAGER, Role.DATA_STEWARD)
def late_entries(request: HttpRequest) -> HttpResponse:
    """GET /recording/: the agency's recording delay and its latest late entries."""
    agencies = _agencies_for(request)
    chosen = request.GET.get("agency", "").strip().upper()
    agency = next((a for a in agencies if a.code == chosen), agencies[0] if agencies else None)
    period = figures.period_ending(_last_month(agency))
    after = late_after()
    delay = None
    entries: list[LateEntry] = []
    if agency is not None:
        delay = next(iter(figures.recording_delay(period, agency)), None)
        entries = latest_late(agency, period.start, after)
    return render(request, "steward/late_entries.html", {
        "agency": agency, "agencies": agencies, "delay": delay, "entries": entries,
        "period": period, "late_after": after, "shown": SHOWN,
        "may_choose": len(agencies) > 1,
        "agency_items": [{"value": a.code, "text": a.name, "selected": a == agency}
                         for a in agencies],
    })
