"""The partnership's figures for the overview: counts only, never a child.

    period_ending()      the 12 calendar months to a month
    alerts_by_rule()     alerts raised each month, per rule
    alerts_by_priority() alerts raised each month, per priority; children_on(): how many children
    alerts_by_agency()   alerts raised each month, per agency whose events are evidence
    recording_delay()    per agency: median and 90th percentile working days to record, and
                         how many were recorded late as the "Recorded late" rule counts
    overdue_requests()   information requests past their due date, by the agency asked
    overdue_actions()    professionals meeting and review actions past their due date
    review_clocks()      each review's steps: done on time, done late, due, overdue
    briefing_reach()     learning activities per agency

Every figure is one aggregate query (grouped and counted by the database); the recording
delay groups a million events into their distinct (agency, occurred, recorded) dates and
counts working days over those, the way the chronology does
(:func:`joinedup.workdays.working_days_between`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth

from joinedup.agencies import Agency, area_label
from joinedup.alerts import Alert, Priority, load_catalogue
from joinedup.briefings import activities
from joinedup.chronology import Event
from joinedup.information_requests import (
    ActionStatus as MeetingActionStatus,
)
from joinedup.information_requests import (
    InformationRequest,
    MeetingAction,
    RequestStatus,
)
from joinedup.people import Person, children_only
from joinedup.reviews import ActionStatus as ReviewActionStatus
from joinedup.reviews import Review, ReviewAction, Step, StepStatus, clocks
from joinedup.web.late_recording import late_after
from joinedup.workdays import ordinal, working_days_between

MONTHS = 12
NO_AGENCY = "Owner's agency not recorded"
"""The row of the actions whose owner (a person or a team) was recorded without an agency."""


@dataclass(frozen=True)
class Period:
    """Whole calendar months, ``start`` to ``end`` inclusive; ``months`` their first days."""

    start: dt.date
    end: dt.date
    months: tuple[dt.date, ...]

    def index(self, day: dt.date) -> int:
        return (day.year - self.start.year) * 12 + day.month - self.start.month


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_ending(month: dt.date, months: int = MONTHS) -> Period:
    """The ``months`` calendar months ending with the month of ``month``."""
    last = month.replace(day=1)
    first = add_months(last, -(months - 1))
    end = add_months(last, 1) - dt.timedelta(days=1)
    return Period(first, end, tuple(add_months(first, i) for i in range(months)))


@dataclass
class Series:
    """Counts per month for one rule or agency."""

    key: str
    label: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _series(rows: list[tuple[str, str, dt.date, int]], period: Period) -> list[Series]:
    found: dict[str, Series] = {}
    for key, label, month, count in rows:
        series = found.setdefault(key, Series(key, label, [0] * len(period.months)))
        series.counts[period.index(_as_date(month))] += count
    return sorted(found.values(), key=lambda s: (-s.total, s.label))


def alerts_by_rule(period: Period) -> list[Series]:
    """Alerts raised (by the day their rule became true) each month, per rule."""
    rows = (Alert.objects.filter(fired_on__range=(period.start, period.end))
            .annotate(month=TruncMonth("fired_on")).values_list("rule", "month")
            .annotate(n=Count("id")).order_by())
    titles = dict(Alert.objects.filter(fired_on__range=(period.start, period.end))
                  .values_list("rule", "title"))  # words for a rule no longer in the catalogue
    titles.update((rule.id, rule.title) for rule in load_catalogue())  # the rule's own
    return _series([(rule, titles.get(rule, rule), month, n) for rule, month, n in rows],
                   period)


def alerts_by_priority(period: Period) -> list[Series]:
    """Alerts raised each month, per priority, most urgent first."""
    rows = (Alert.objects.filter(fired_on__range=(period.start, period.end))
            .annotate(month=TruncMonth("fired_on")).values_list("priority", "month")
            .annotate(n=Count("id")).order_by())
    tiers = [tier.value for tier in Priority]
    found = _series([(tier, tier.capitalize(), month, n) for tier, month, n in rows], period)
    return sorted(found, key=lambda s: tiers.index(s.key) if s.key in tiers else len(tiers))


def children_on(day: dt.date) -> int:
    """How many persons are children on ``day`` (the denominator of the alert burden)."""
    return children_only(Person.objects.filter(retired_at__isnull=True), day).count()


def alerts_by_agency(period: Period) -> list[Series]:
    """Alerts raised each month, per agency with an event among the alert's evidence (an
    alert built on two agencies' records counts once for each)."""
    rows = (Alert.objects.filter(fired_on__range=(period.start, period.end))
            .annotate(month=TruncMonth("fired_on"))
            .values_list("evidence__agency__code", "evidence__agency__name", "month")
            .annotate(n=Count("id", distinct=True)).order_by())
    return _series([(code, name, month, n) for code, name, month, n in rows if code], period)


@dataclass
class Delay:
    """How long an agency took to record what happened, in working days."""

    agency: str
    name: str
    events: int
    median: int
    p90: int
    same_day: int  # events recorded the day they happened (or earlier)
    late: int = 0  # events recorded late (web/late_recording.py)
    quarters: list[tuple[int, int]] = field(default_factory=list)
    """(late, events) of each quarter of the period, in order: the trend."""

    @property
    def late_by_quarter(self) -> list[float | None]:
        """The share recorded late in each quarter (None: nothing happened then)."""
        return [round(100 * late / events, 1) if events else None
                for late, events in self.quarters]

    @property
    def same_day_percent(self) -> int:
        return round(100 * self.same_day / self.events) if self.events else 0

    @property
    def late_percent(self) -> float:
        return round(100 * self.late / self.events, 1) if self.events else 0.0


def percentile(histogram: dict[int, int], share: float) -> int:
    """Nearest-rank percentile of a histogram {value: count}: the smallest value such that
    at least ``share`` of the counts are at or below it."""
    total = sum(histogram.values())
    if not total:
        return 0
    rank = max(1, math.ceil(share * total))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)


def quarter_count(period: Period) -> int:
    return (len(period.months) + 2) // 3


def quarter_labels(period: Period) -> list[str]:
    """'Dec 2024 to Feb 2025': the three-month blocks of the period, from its start."""
    labels = []
    for i in range(quarter_count(period)):
        first = period.months[3 * i]
        last = period.months[min(3 * i + 2, len(period.months) - 1)]
        labels.append(f"{first:%b %Y} to {last:%b %Y}")
    return labels


def recording_delay(period: Period, agency: Agency | None = None) -> list[Delay]:
    """Per agency (or for ``agency`` only), the current versions of events that happened in
    the period: how many working days after the day they happened they were recorded
    (median, 90th percentile).

    The database groups the events by agency and the two dates; only the distinct date
    pairs (a few hundred thousand at most) come back to be counted in working days."""
    events = Event.objects.filter(is_current=True, occurred_on__range=(period.start, period.end))
    if agency is not None:
        events = events.filter(agency=agency)
    rows = (events.values_list("agency_id", "occurred_on", "recorded_on")
            .annotate(n=Count("id")).order_by())
    ordinals: dict[dt.date, int] = {}

    def working_day(day: dt.date) -> int:
        found = ordinals.get(day)
        if found is None:
            found = ordinals[day] = ordinal(day)
        return found

    late = late_after()
    histograms: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    quarters: dict[int, list[list[int]]] = defaultdict(
        lambda: [[0, 0] for _ in range(quarter_count(period))])
    for agency_id, occurred_on, recorded_on, n in rows.iterator(chunk_size=20_000):
        delay = working_day(recorded_on) - working_day(occurred_on)
        histograms[agency_id][delay] += n
        quarter = quarters[agency_id][period.index(occurred_on) // 3]
        quarter[0] += n if delay > late else 0
        quarter[1] += n
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=list(histograms))}
    delays = [
        Delay(agencies[pk].code, agencies[pk].name, sum(h.values()), percentile(h, 0.5),
              percentile(h, 0.9), sum(n for d, n in h.items() if d <= 0),
              sum(n for d, n in h.items() if d > late),
              [(q[0], q[1]) for q in quarters[pk]])
        for pk, h in histograms.items()
    ]
    return sorted(delays, key=lambda d: (-d.p90, -d.median, d.agency))


@dataclass
class Overdue:
    """Things past their due date, for one agency."""

    agency: str
    name: str
    count: int
    longest: int  # working days overdue of the oldest one
    detail: dict[str, int] = field(default_factory=dict)


def overdue_requests(today: dt.date) -> list[Overdue]:
    """Information requests still waiting for a reply after their due date, by the agency
    (or, for an agency not registered here, the area) asked."""
    rows = (InformationRequest.objects.filter(status=RequestStatus.SENT, due_on__lt=today)
            .values_list("to_agency__code", "to_agency__name", "to_area")
            .annotate(n=Count("id"), oldest=Min("due_on")).order_by())
    found = [Overdue(code or area, name or f"Children's services of {area_label(area)}", n,
                     working_days_between(oldest, today))
             for code, name, area, n, oldest in rows]
    return sorted(found, key=lambda o: (-o.count, o.agency))


def overdue_actions(today: dt.date) -> list[Overdue]:
    """Open actions past their due date, by the owner's agency: agreed at professionals
    meetings, and recommended by practice reviews (counted separately in ``detail``)."""
    found: dict[str, Overdue] = {}
    for kind, query in (
        ("meeting", MeetingAction.objects.filter(status=MeetingActionStatus.OPEN,
                                                 due_on__lt=today)),
        ("review", ReviewAction.objects.filter(status=ReviewActionStatus.OPEN,
                                               due_on__lt=today)),
    ):
        for code, name, n, oldest in (query.values_list("owner_agency__code",
                                                        "owner_agency__name")
                                      .annotate(n=Count("id"), oldest=Min("due_on"))
                                      .order_by()):
            entry = found.setdefault(code or "", Overdue(code or "", name or NO_AGENCY, 0, 0,
                                                         {"meeting": 0, "review": 0}))
            entry.count += n
            entry.detail[kind] += n
            entry.longest = max(entry.longest, working_days_between(oldest, today))
    return sorted(found.values(), key=lambda o: (-o.count, o.name))


@dataclass
class ReviewClock:
    """One review's timetable as on a day: its steps by where they stand, and its actions."""

    review_id: int
    pseudonym: str
    aware_on: dt.date
    status: str
    steps: dict[str, int]  # on_time, late, due, overdue
    actions_open: int
    actions_overdue: int
    actions_done: int


STEP_PARTS = ("on_time", "late", "due", "overdue")


def review_clocks(today: dt.date) -> list[ReviewClock]:
    """Every review that is not closed, most recent first: how many of its steps were done
    on time or late, and how many are still due or overdue (a step is overdue from the day
    after its due date, as in ``joinedup review status``)."""
    reviews = list(Review.objects.exclude(status="closed").order_by("-aware_on", "id"))
    steps: dict[int, dict[str, int]] = {r.pk: dict.fromkeys(STEP_PARTS, 0) for r in reviews}
    for review_id, status, due_on, done_on in (
            Step.objects.filter(review__in=reviews).exclude(status=StepStatus.NOT_NEEDED)
            .values_list("review_id", "status", "due_on", "done_on")):
        done = status == StepStatus.DONE
        if done:
            part = "late" if due_on and done_on and done_on > due_on else "on_time"
        else:
            part = "overdue" if clocks.is_overdue(False, due_on, today) else "due"
        steps[review_id][part] += 1
    actions: dict[int, tuple[int, int, int]] = {
        review_id: (open_, overdue, done) for review_id, open_, overdue, done in (
            ReviewAction.objects.filter(review__in=reviews).values_list("review_id").annotate(
                open=Count("id", filter=Q(status=ReviewActionStatus.OPEN)),
                overdue=Count("id", filter=Q(status=ReviewActionStatus.OPEN,
                                             due_on__lt=today)),
                done=Count("id", filter=Q(status=ReviewActionStatus.DONE))).order_by())}
    return [ReviewClock(r.pk, r.pseudonym, r.aware_on, r.get_status_display(), steps[r.pk],
                        *actions.get(r.pk, (0, 0, 0)))
            for r in reviews]


@dataclass
class Reach:
    """How far the published briefings have reached into one agency."""

    agency: str
    name: str
    briefings: int
    teams: int
    sessions: int
    attendees: int


def briefing_reach() -> tuple[list[Reach], int]:
    """Learning activities per registered agency (agencies with none included, last), and
    how many briefings are published (from :func:`joinedup.briefings.activities
    .reach_by_agency`)."""
    rows = activities.reach_by_agency()
    reach = [Reach(r["agency"], r["name"], len(r["briefings_used"]), r["teams"],
                   r["activities"], r["attendees"]) for r in rows]
    published = rows[0]["briefings_published"] if rows else 0
    return sorted(reach, key=lambda r: (-r.attendees, -r.sessions, r.agency)), published


def first_month() -> dt.date | None:
    """The month of the earliest alert, for the choice of period."""
    first = Alert.objects.aggregate(first=Min("fired_on"))["first"]
    return first.replace(day=1) if first else None
