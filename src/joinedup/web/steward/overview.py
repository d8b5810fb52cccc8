"""The partnership overview: alerts, recording delay, what is overdue, reviews against their
clocks and the reach of briefings, as charts drawn on the server with the numbers beside
them. Counts only: nothing on the page names or links to a child."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from joinedup.access import Role
from joinedup.web import charts
from joinedup.web.late_recording import late_after
from joinedup.web.permissions import roles_required
from joinedup.web.steward import figures

CHOICES_MONTHS = 120
"""How far back the period can be chosen (ten years of months)."""

CLOCK_PARTS = (
    charts.Part("on_time", "Done on time", charts.GREEN),
    charts.Part("late", "Done late", charts.BLUE),
    charts.Part("due", "Not yet due", charts.GREY),
    charts.Part("overdue", "Overdue", charts.RED),
)


def _month_label(day: dt.date) -> str:
    return f"{day:%B %Y}"


def _short_month(day: dt.date) -> str:
    return f"{day:%b}"


def _month_choices(today: dt.date) -> list[dt.date]:
    first = figures.first_month() or today.replace(day=1)
    this = today.replace(day=1)
    months = [figures.add_months(this, -i) for i in range(CHOICES_MONTHS)]
    return [m for m in months if m >= first] or [this]


def _chosen_month(raw: str | None, choices: list[dt.date]) -> dt.date:
    """The month asked for (``?to=2025-03``), or this month when none or not a choice."""
    try:
        wanted = dt.date.fromisoformat(f"{raw}-01") if raw else None
    except ValueError:
        wanted = None
    return wanted if wanted in choices else choices[0]


def _alert_charts(period: figures.Period) -> dict[str, Any]:
    columns = [_short_month(m) for m in period.months]
    span = f"{_month_label(period.start)} to {_month_label(period.months[-1])}"
    by_rule = figures.alerts_by_rule(period)
    by_agency = figures.alerts_by_agency(period)
    by_priority = figures.alerts_by_priority(period)
    children = figures.children_on(period.end)
    return {
        "by_rule": by_rule, "by_agency": by_agency, "by_priority": by_priority,
        "children": children,
        "by_priority_chart": charts.small_multiples(
            "alerts-by-priority", "Alerts raised each month per 1,000 children, by priority",
            f"One row per priority, one bar per month from {span}: alerts raised for every "
            f"1,000 of the {children:,} children known on the last day; the total is the 12 "
            "months'. The table below gives the counts.",
            columns, [(s.label, [round(n * 1000 / max(children, 1), 1) for n in s.counts])
                      for s in by_priority],
            empty="No alert was raised in these months."),
        "by_rule_chart": charts.small_multiples(
            "alerts-by-rule", "Alerts raised each month, by rule",
            f"One row per rule, one bar per month from {span}; the total is at the end of "
            "each row. The table below gives every number.",
            columns, [(s.label, s.counts) for s in by_rule],
            empty="No alert was raised in these months."),
        "by_agency_chart": charts.small_multiples(
            "alerts-by-agency", "Alerts raised each month, by agency",
            f"One row per agency whose records were evidence for an alert, one bar per month "
            f"from {span}. An alert resting on two agencies' records counts for both.",
            columns, [(s.label, s.counts) for s in by_agency],
            empty="No alert was raised in these months."),
    }


def _delay_chart(period: figures.Period) -> dict[str, Any]:
    delays = figures.recording_delay(period)
    return {
        "delays": delays, "late_after": late_after(),
        "quarters": figures.quarter_labels(period),
        "delay_chart": charts.delay_chart(
            "recording-delay", "Recording delay by agency, in working days",
            "For each agency, a thick bar to the median and a thin line to the 90th "
            "percentile of the working days between the day something happened and the day "
            "it was recorded.",
            [(d.name, d.median, d.p90) for d in delays],
            empty="No event happened in these months."),
    }


def _overdue_charts(today: dt.date) -> dict[str, Any]:
    requests = figures.overdue_requests(today)
    actions = figures.overdue_actions(today)
    return {
        "overdue_requests": requests, "overdue_actions": actions,
        "requests_chart": charts.bar_chart(
            "overdue-requests", "Overdue information requests, by the agency asked",
            "One bar per agency or area asked: requests still waiting for a reply after "
            "their due date.",
            [(o.name, o.count) for o in requests], colour=charts.RED,
            empty="No information request is overdue."),
        "actions_chart": charts.bar_chart(
            "overdue-actions", "Overdue actions, by the owner's agency",
            "One bar per agency: actions from professionals meetings and practice reviews "
            "still open after their due date.",
            [(o.name, o.count) for o in actions], colour=charts.RED,
            empty="No action is overdue."),
    }


def _review_chart(today: dt.date) -> dict[str, Any]:
    reviews = figures.review_clocks(today)
    return {
        "reviews": reviews,
        "reviews_chart": charts.stacked_bars(
            "review-clocks", "Practice reviews against their clocks",
            "One bar per review: its timetable's steps done on time, done late, not yet "
            "due and overdue.",
            CLOCK_PARTS, [(r.pseudonym, r.steps) for r in reviews],
            empty="There is no open practice review."),
    }


def _reach_chart() -> dict[str, Any]:
    reach, published = figures.briefing_reach()
    return {
        "reach": reach, "published": published,
        "reach_chart": charts.bar_chart(
            "briefing-reach", "People reached by 7-minute briefings, by agency",
            "One bar per agency: how many people attended team sessions where a published "
            "briefing was presented.",
            [(r.name, r.attendees) for r in reach if r.attendees],
            empty="No learning activity has been recorded yet."),
    }


@roles_required(Role.SAFEGUARDING_LEAD, Role.BUSINESS_UNIT)
def overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    choices = _month_choices(today)
    month = _chosen_month(request.GET.get("to"), choices)
    period = figures.period_ending(month)
    context: dict[str, Any] = {
        "as_on": today, "period": period,
        "month_choices": [{"value": f"{m:%Y-%m}", "text": _month_label(m),
                           "selected": m == month} for m in choices],
        "month_columns": [f"{m:%b %Y}" for m in period.months],
        **_alert_charts(period), **_delay_chart(period), **_overdue_charts(today),
        **_review_chart(today), **_reach_chart(),
    }
    return render(request, "steward/overview.html", context)
