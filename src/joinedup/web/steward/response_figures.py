"""The overview's figures on how the partnership responds: what happened to the alerts and
how soon someone first looked at them, how quickly information requests were answered,
rates per 1,000 children and the month-by-month trend. Counts only, never a child.

    alert_outcomes()   per rule or priority: open, acknowledged, actioned, dismissed, and
                       the median and 90th percentile time to first look
    request_replies()  per route (agency asking, agency or area asked): median and 90th
                       percentile working days to reply, share answered by the due date
    rates()            alerts, children with an alert, requests and meetings per 1,000
                       children known on the period's last day
    monthly_trend()    the main figures for each month of the period
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from joinedup.agencies import area_label
from joinedup.alerts import (
    Alert,
    AlertOutcomes,
    AlertStatus,
    Priority,
    alert_outcomes,
    load_catalogue,
)
from joinedup.information_requests import (
    InformationRequest,
    MeetingStatus,
    ProfessionalsMeeting,
    Replies,
    request_replies,
)
from joinedup.web.steward.figures import Period, children_on, percentile

PER = 1000
"""Rates are per this many children."""


@dataclass(frozen=True)
class OutcomeRow:
    """One rule's or priority's alerts: where they stand and how soon they were looked at."""

    label: str
    raised: int
    open: int
    acknowledged: int
    actioned: int
    recognised: int
    dismissed: int
    looked: int
    median_days: int | None
    p90_days: int | None
    median_hours: int | None
    p90_hours: int | None


def _row(label: str, found: AlertOutcomes) -> OutcomeRow:
    looked = found.looked
    return OutcomeRow(
        label, found.raised, found.count(AlertStatus.OPEN),
        found.count(AlertStatus.ACKNOWLEDGED), found.count(AlertStatus.ACTIONED),
        found.recognised, found.count(AlertStatus.DISMISSED), looked,
        percentile(found.looked_days, 0.5) if looked else None,
        percentile(found.looked_days, 0.9) if looked else None,
        percentile(found.looked_hours, 0.5) if looked else None,
        percentile(found.looked_hours, 0.9) if looked else None)


def _all(groups: list[AlertOutcomes]) -> AlertOutcomes:
    total = AlertOutcomes("all")
    for group in groups:
        total.raised += group.raised
        total.status.update(group.status)
        total.recognised += group.recognised
        total.looked_days.update(group.looked_days)
        total.looked_hours.update(group.looked_hours)
    return total


def rule_titles(period: Period) -> dict[str, str]:
    """Each rule's own title in full; the alerts' words for a rule no longer in the
    catalogue."""
    titles = dict(Alert.objects.filter(fired_on__range=(period.start, period.end))
                  .values_list("rule", "title"))
    titles.update((rule.id, rule.title) for rule in load_catalogue())
    return titles


def outcomes(period: Period) -> dict[str, dict[str, AlertOutcomes]]:
    """The alerts raised in the period, by rule, by priority and by month (read once)."""
    return alert_outcomes(period.start, period.end)


def outcomes_by(period: Period, grouped: dict[str, dict[str, AlertOutcomes]], by: str
                ) -> list[OutcomeRow]:
    """Per rule (most alerts first) or per priority (most urgent first), and all alerts
    last."""
    found = grouped[by]
    if not found:
        return []
    if by == "priority":
        order = [tier.value for tier in Priority]
        keys = sorted(found, key=lambda k: order.index(k) if k in order else len(order))
        labels = {k: k.capitalize() for k in keys}
    else:
        titles = rule_titles(period)
        keys = sorted(found, key=lambda k: (-found[k].raised, titles.get(k, k)))
        labels = {k: titles.get(k, k) for k in keys}
    rows = [_row(labels[k], found[k]) for k in keys]
    return [*rows, _row("All alerts", _all(list(found.values())))]


@dataclass(frozen=True)
class ReplyRow:
    """One route's requests: how many, how quickly answered, how many by the due date."""

    asking: str
    asked: str
    sent: int
    answered: int
    waiting: int
    late_waiting: int
    withdrawn: int
    median: int | None
    p90: int | None
    on_time: int
    on_time_percent: float | None


def _reply_row(asking: str, asked: str, found: Replies) -> ReplyRow:
    answered = found.answered
    return ReplyRow(asking, asked, found.sent, answered, found.waiting, found.late_waiting,
                    found.withdrawn, percentile(found.days, 0.5) if answered else None,
                    percentile(found.days, 0.9) if answered else None, found.on_time,
                    found.on_time_percent)


def replies_by_route(period: Period, today: dt.date) -> list[ReplyRow]:
    """Per route, most requests first, and all requests last."""
    found = request_replies(period.start, period.end, today)
    if not found:
        return []
    groups = sorted(found.values(), key=lambda r: (-r.sent, r.asking, r.asked))
    total = Replies("all")
    for group in groups:
        for name in ("sent", "answered", "on_time", "late_waiting", "waiting", "withdrawn"):
            setattr(total, name, getattr(total, name) + getattr(group, name))
        total.days.update(group.days)
    rows = [_reply_row(g.asking, _asked(g), g) for g in groups]
    return [*rows, _reply_row("All requests", "", total)]


def _asked(found: Replies) -> str:
    """The agency's name, or the children's services of an area outside the partnership
    (by the area's name and code)."""
    return found.asked or f"Children's services of {area_label(found.area)}"


@dataclass(frozen=True)
class Rate:
    """One figure for the period and its rate per 1,000 children."""

    label: str
    count: int
    per_thousand: float | None


def per_thousand(count: int, children: int) -> float | None:
    return round(count * PER / children, 1) if children else None


def rates(period: Period, children: int) -> list[Rate]:
    """Alerts raised, children with an alert, requests sent and meetings held in the period,
    each per 1,000 of ``children`` (the children known on the period's last day)."""
    alerts = Alert.objects.filter(fired_on__range=(period.start, period.end))
    counts = (
        ("Alerts raised", alerts.count()),
        ("Children with at least one alert", alerts.values("child").distinct().count()),
        ("Information requests sent", InformationRequest.objects.filter(
            requested_on__range=(period.start, period.end)).count()),
        ("Professionals meetings held", ProfessionalsMeeting.objects.filter(
            status=MeetingStatus.HELD, held_on__range=(period.start, period.end)).count()),
    )
    return [Rate(label, n, per_thousand(n, children)) for label, n in counts]


@dataclass(frozen=True)
class Month:
    """The main figures of one month: alerts raised in it, and requests sent in it."""

    month: dt.date
    alerts: int
    alerts_per_thousand: float | None
    dismissed: int
    looked: int
    median_days_to_look: int | None
    requests: int
    answered: int
    on_time_percent: float | None
    median_days_to_reply: int | None


def monthly_trend(period: Period, today: dt.date, children: int,
                  alerts: dict[str, AlertOutcomes]) -> list[Month]:
    """Each month of the period, oldest first, from the alerts grouped by month (alerts by
    the day they were raised, requests by the day they were sent)."""
    requests = request_replies(period.start, period.end, today, "month")
    months = []
    for month in period.months:
        key = f"{month:%Y-%m}"
        a = alerts.get(key) or AlertOutcomes(key)
        r = requests.get(key) or Replies(key)
        months.append(Month(
            month, a.raised, per_thousand(a.raised, children),
            a.count(AlertStatus.DISMISSED), a.looked,
            percentile(a.looked_days, 0.5) if a.looked else None,
            r.sent, r.answered, r.on_time_percent,
            percentile(r.days, 0.5) if r.answered else None))
    return months


def child_population(period: Period) -> int:
    """The denominator of every rate: the persons known to joinedup who are children on the
    period's last day."""
    return children_on(period.end)
