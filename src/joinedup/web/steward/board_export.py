"""The partnership overview for the board report: every table of the page as a spreadsheet
(CSV, one number a line) and as a printable A4 PDF with the charts. Counts only, as on the
page, and for the same people (safeguarding leads and the business unit).

Both are made from :func:`board_tables`, so the two downloads and the page agree."""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from markupsafe import Markup

from joinedup.access import Role
from joinedup.web.permissions import roles_required
from joinedup.web.steward.overview import overview_figures

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes as the start of a formula in a cell."""

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    """One table of the overview: its caption, its column headers and its rows (the first
    ``labels`` cells of each row name it), and the chart drawn from it, if any."""

    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    chart: Markup | None = None
    labels: int = 1


def _months(f: dict[str, Any]) -> list[str]:
    return [*f["month_columns"], "Total"]


def _series(caption: str, series: Iterable[Any], f: dict[str, Any], chart: str) -> Table:
    return Table(caption, ["", *_months(f)], [[s.label, *s.counts, s.total] for s in series],
                 f[chart])


def _outcomes(caption: str, rows: Iterable[Any], chart: Markup | None) -> Table:
    return Table(caption, ["", "Raised", "Still open", "Acknowledged", "Actioned",
                           "Actioned: found in the records", "Dismissed",
                           "Looked at by a person",
                           "Time to first look: median (working days)",
                           "Time to first look: 90th percentile (working days)",
                           "Time to first look: median (hours)",
                           "Time to first look: 90th percentile (hours)"],
                 [[r.label, r.raised, r.open, r.acknowledged, r.actioned, r.recognised,
                   r.dismissed, r.looked, r.median_days, r.p90_days, r.median_hours,
                   r.p90_hours] for r in rows], chart)


def _responses(f: dict[str, Any]) -> list[Table]:
    return [
        _outcomes("What happened to the alerts, by priority", f["outcomes_by_priority"],
                  f["outcomes_chart"] + f["first_look_chart"]),
        _outcomes("What happened to the alerts, by rule", f["outcomes_by_rule"], None),
        Table("Information request reply times, by route",
              ["Asked by", "Asked", "Sent", "Answered", "Median (working days)",
               "90th percentile (working days)", "Answered by the due date",
               "Answered by the due date (%)", "Waiting, overdue", "Waiting, not yet due",
               "Withdrawn"],
              [[r.asking, r.asked, r.sent, r.answered, r.median, r.p90, r.on_time,
                r.on_time_percent, r.late_waiting, r.waiting, r.withdrawn]
               for r in f["replies"]], f["replies_chart"], labels=2),
        Table(f"Rates per 1,000 children known ({f['children']:,} children)",
              ["", "Count", "Per 1,000 children"],
              [[r.label, r.count, r.per_thousand] for r in f["rates"]]),
        Table("The main figures, month by month",
              ["Month", "Alerts raised", "Alerts per 1,000 children", "Dismissed",
               "Looked at", "Median time to first look (working days)", "Requests sent",
               "Answered", "Answered by the due date (%)",
               "Median time to reply (working days)"],
              [[f"{m.month:%b %Y}", m.alerts, m.alerts_per_thousand, m.dismissed, m.looked,
                m.median_days_to_look, m.requests, m.answered, m.on_time_percent,
                m.median_days_to_reply] for m in f["trend"]], f["trend_chart"]),
    ]


def _standing(f: dict[str, Any]) -> list[Table]:
    return [
        Table("Recording delay by agency, in working days",
              ["Agency", "Events", "Median", "90th percentile", "Recorded the same day (%)",
               f"Recorded more than {f['late_after']} working days late",
               f"Recorded more than {f['late_after']} working days late (%)"],
              [[d.name, d.events, d.median, d.p90, d.same_day_percent, d.late,
                d.late_percent] for d in f["delays"]], f["delay_chart"]),
        Table("Overdue information requests, by the agency asked",
              ["Agency asked", "Overdue requests", "Longest overdue (working days)"],
              [[o.name, o.count, o.longest] for o in f["overdue_requests"]],
              f["requests_chart"]),
        Table("Overdue actions, by the owner's agency",
              ["Owner's agency", "From professionals meetings", "From practice reviews",
               "Total", "Longest overdue (working days)"],
              [[o.name, o.detail["meeting"], o.detail["review"], o.count, o.longest]
               for o in f["overdue_actions"]], f["actions_chart"]),
        Table("Reviews: steps and recommended actions",
              ["Review", "Steps done on time", "Steps done late", "Steps not yet due",
               "Steps overdue", "Actions open", "Actions overdue", "Actions done"],
              [[r.pseudonym, r.steps["on_time"], r.steps["late"], r.steps["due"],
                r.steps["overdue"], r.actions_open, r.actions_overdue, r.actions_done]
               for r in f["reviews"]], f["reviews_chart"]),
        Table(f"Learning activities by agency ({f['published']} briefings published)",
              ["Agency", "Briefings used", "Teams", "Sessions", "People attending"],
              [[r.name, r.briefings, r.teams, r.sessions, r.attendees] for r in f["reach"]],
              f["reach_chart"]),
    ]


def board_tables(f: dict[str, Any]) -> list[Table]:
    """Every table of the overview, in the page's order."""
    return [
        _series("Alerts raised each month, by priority", f["by_priority"], f,
                "by_priority_chart"),
        _series("Alerts raised each month, by rule", f["by_rule"], f, "by_rule_chart"),
        _series("Alerts raised each month, by agency whose records were evidence",
                f["by_agency"], f, "by_agency_chart"),
        *_responses(f), *_standing(f),
    ]


def _safe(value: Cell) -> Cell:
    """Text a spreadsheet would run as a formula, with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def board_csv(f: dict[str, Any]) -> str:
    """One number a line: the table, the row, the column and the value ("" for none)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["table", "row", "column", "value"])
    start, end = f["period"].start, f["period"].end
    writer.writerow(["About these figures", "Period", "",
                     f"{_day(start)} to {_day(end)}"])
    writer.writerow(["About these figures", "Overdue and reviews as on", "", _day(f["as_on"])])
    writer.writerow(["About these figures", "Children known on the period's last day", "",
                     f["children"]])
    for table in board_tables(f):
        for row in table.rows:
            label = " to ".join(str(c) for c in row[:table.labels] if c)
            for column, value in zip(table.columns[table.labels:], row[table.labels:],
                                     strict=True):
                writer.writerow([_safe(table.caption), _safe(label), column,
                                 "" if value is None else value])
    return out.getvalue()


def _file_name(f: dict[str, Any], extension: str) -> str:
    return f"partnership-overview-12-months-to-{f['month']:%Y-%m}.{extension}"


@roles_required(Role.SAFEGUARDING_LEAD, Role.BUSINESS_UNIT)
def overview_csv(request: HttpRequest) -> HttpResponse:
    figures = overview_figures(request)
    response = HttpResponse(board_csv(figures), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(figures, "csv")}"'
    return response


def board_pdf(request: HttpRequest, f: dict[str, Any]) -> bytes:
    """The overview as a tagged A4 PDF: each chart with its table."""
    html = render_to_string("steward/overview_board.html",
                            {**f, "tables": board_tables(f)}, request=request)
    with warnings.catch_warnings():  # as joinedup.chronology's PDF: nothing a user can act on
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset will be required",
                                category=DeprecationWarning)
        # WeasyPrint (and its fonts) load only when a PDF is written
        from weasyprint import HTML
    document = HTML(string=html).render(pdf_tags=True)
    return bytes(document.write_pdf(pdf_tags=True))


@roles_required(Role.SAFEGUARDING_LEAD, Role.BUSINESS_UNIT)
def overview_pdf(request: HttpRequest) -> HttpResponse:
    figures = overview_figures(request)
    response = HttpResponse(board_pdf(request, figures), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(figures, "pdf")}"'
    return response
