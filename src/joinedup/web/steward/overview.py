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
from joinedup.web.steward import figures, response_figures

CHOICES_MONTHS = 120
"""How far back the period can be chosen (ten years of months)."""

OUTCOME_PARTS = (
    charts.Part("open", "Open", charts.RED),
    charts.Part("acknowledged", "Acknowledged", charts.GREY),
    charts.Part("actioned", "Actioned", charts.GREEN),
    charts.Part("dismissed", "Dismissed", charts.BLUE),
)

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


def _outcome_charts(period: figures.Period, grouped: dict[str, Any]) -> dict[str, Any]:
    by_priority = response_figures.outcomes_by(period, grouped, "priority")
    shown = by_priority[:-1]  # the priorities, without the line for all alerts
    return {
        "outcomes_by_rule": response_figures.outcomes_by(period, grouped, "rule"),
        "outcomes_by_priority": by_priority,
        "outcomes_chart": charts.stacked_bars(
            "alert-outcomes", "What happened to the alerts, by priority",
            "One bar per priority: the alerts raised in these months still open, "
            "acknowledged, actioned and dismissed today. The tables below give the numbers, "
            "by priority and by rule.",
            OUTCOME_PARTS, [(r.label, {"open": r.open, "acknowledged": r.acknowledged,
                                       "actioned": r.actioned, "dismissed": r.dismissed})
                            for r in shown],
            empty="No alert was raised in these months."),
        "first_look_chart": charts.delay_chart(
            "first-look", "Time to first look at an alert, by priority, in working days",
            "For each priority, a thick bar to the median and a thin line to the 90th "
            "percentile of the working days from the alert being raised to a person first "
            "acknowledging, acting on or dismissing it.",
            [(r.label, r.median_days, r.p90_days) for r in shown
             if r.median_days is not None and r.p90_days is not None],
            empty="No one has looked at an alert raised in these months yet."),
    }


def _reply_chart(period: figures.Period, today: dt.date) -> dict[str, Any]:
    replies = response_figures.replies_by_route(period, today)
    return {
        "replies": replies,
        "replies_chart": charts.delay_chart(
            "reply-times", "Time to reply to an information request, in working days",
            "For each agency asking and agency or area asked, a thick bar to the median "
            "and a thin line to the 90th percentile of the working days from a request "
            "being sent to its reply.",
            [(f"{r.asking} to {r.asked}", r.median, r.p90) for r in replies[:-1]
             if r.median is not None and r.p90 is not None],
            empty="No request sent in these months has been answered yet."),
    }


def _trend(period: figures.Period, today: dt.date, children: int,
           by_month: dict[str, Any]) -> dict[str, Any]:
    months = response_figures.monthly_trend(period, today, children, by_month)
    rows = [("Alerts raised", [m.alerts for m in months]),
            ("Alerts dismissed", [m.dismissed for m in months]),
            ("Information requests sent", [m.requests for m in months]),
            ("Requests answered", [m.answered for m in months])]
    return {
        "trend": months,
        "rates": response_figures.rates(period, children),
        "trend_chart": charts.small_multiples(
            "monthly-trend", "The main figures, month by month",
            "One row per figure, one bar per month: alerts raised and dismissed (by the "
            "month they were raised), information requests sent and answered (by the month "
            "they were sent). The table below gives these and the rates and times.",
            [_short_month(m) for m in period.months], rows,
            empty="Nothing was raised or sent in these months."),
    }


def overview_figures(request: HttpRequest) -> dict[str, Any]:
    """Every figure of the overview for the 12 months asked for (``?to=2025-03``), as the
    page, the spreadsheet and the board report show them."""
    today = timezone.localdate()
    choices = _month_choices(today)
    month = _chosen_month(request.GET.get("to"), choices)
    period = figures.period_ending(month)
    grouped = response_figures.outcomes(period)
    context: dict[str, Any] = {
        "as_on": today, "period": period, "month": month,
        "month_choices": [{"value": f"{m:%Y-%m}", "text": _month_label(m),
                           "selected": m == month} for m in choices],
        "month_columns": [f"{m:%b %Y}" for m in period.months],
        **_alert_charts(period), **_outcome_charts(period, grouped),
        **_reply_chart(period, today),
        **_delay_chart(period), **_overdue_charts(today),
        **_review_chart(today), **_reach_chart(),
    }
    context.update(_trend(period, today, context["children"], grouped["month"]))
    return context


@roles_required(Role.SAFEGUARDING_LEAD, Role.BUSINESS_UNIT)
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "steward/overview.html", overview_figures(request))
