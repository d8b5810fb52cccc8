""""When could we have known?": the early-warning rules replayed over one child's record
(``alerts.replay``, as ``joinedup replay`` does on the command line).

For each rule: the day it became true on what had happened, and the day it became visible
on what had been recorded; the difference is what late recording cost, and whose late
entries caused it (through the visibility gate, ``web/held_back_words.py``). Replaying a long
record takes seconds (the rules are run again for many days), so the page runs it only when
asked (the form's button) and keeps the answer for the same child, period and data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.core.cache import cache
from django.db.models import Max
from django.http import HttpRequest, HttpResponse

from joinedup.access import AuditAction
from joinedup.alerts import Replay, ReplayLine, late_after, late_in_replay, replay_alerts
from joinedup.chronology import Event, assemble, period_of
from joinedup.errors import JoinedUpError
from joinedup.ingest import ValueProblem, parse_date
from joinedup.web.case.child_context import child_page
from joinedup.web.govuk_forms import PARTS, DateField, date_parts, typed_parts
from joinedup.web.held_back_words import replay_notes

KEEP_SECONDS = 3600


@dataclass(frozen=True)
class RuleRow:
    line: ReplayLine
    alerts: int

    @property
    def held_back(self) -> str:
        days = self.line.delay_days
        if days is None:
            return "Not visible on the records by the end of the period"
        if days == 0:
            return "None"
        return f"{days} day{'s' if days != 1 else ''}"


@dataclass(frozen=True)
class Summary:
    rules: int
    same_day: int
    late: int
    late_days: int
    longest: int
    never: int


def summarise(result: Replay) -> tuple[list[RuleRow], Summary]:
    per_rule: dict[str, int] = {}
    for line in result.lines:
        per_rule[line.rule] = per_rule.get(line.rule, 0) + 1
    rows = [RuleRow(line, per_rule[line.rule]) for line in result.first_by_rule()]
    delays = [r.line.delay_days for r in rows]
    late = [d for d in delays if d]
    return rows, Summary(len(rows), sum(1 for d in delays if d == 0), len(late), sum(late),
                         max(late, default=0), sum(1 for d in delays if d is None))


def cached_replay(child_id: int, start: dt.date, end: dt.date) -> Replay:
    """The replay, kept while no event has been loaded since (new events get new ids)."""
    latest = Event.objects.aggregate(latest=Max("id"))["latest"] or 0
    key = f"joinedup:replay:{child_id}:{start.isoformat()}:{end.isoformat()}:{latest}"
    found = cache.get(key)
    if isinstance(found, Replay):
        return found
    result = replay_alerts(child_id, start, end)
    cache.set(key, result, KEEP_SECONDS)
    return result


def _date(text: str, what: str, errors: dict[str, str], name: str) -> dt.date | None:
    if not text:
        errors[name] = f"Enter {what}"
        return None
    try:
        if len(text) > 10:
            raise ValueProblem("too long", "")
        return parse_date(text)
    except ValueProblem:
        errors[name] = f"{what[0].upper()}{what[1:]} must be a real date, like 3 3 2025"
        return None


PERIOD = {"from": "the first day of the period", "to": "the last day of the period"}


def _period(request: HttpRequest, errors: dict[str, str]) -> tuple[
        dict[str, dt.date | None], dict[str, str], dict[str, dict[str, str]]]:
    """Each day of the period: from its day, month and year boxes (``from-day``...), read
    by the forms' :class:`DateField`, or from a whole date in the address
    (``from=2025-03-03``, as links from alerts and the command line carry it); with the
    dates as typed (for the audit trail) and the boxes to show."""
    days: dict[str, dt.date | None] = {}
    typed: dict[str, str] = {}
    boxes: dict[str, dict[str, str]] = {}
    for name, what in PERIOD.items():
        parts = typed_parts(request.GET, name)
        if any(parts.values()):
            try:
                days[name] = DateField(what, example="like 3 3 2025").clean(
                    [parts[part] for part in PARTS])
            except forms.ValidationError as exc:
                days[name] = None
                errors[name] = exc.messages[0]
            day = days[name]
            typed[name] = day.isoformat() if day else "/".join(parts.values())
            boxes[name] = parts
        else:
            typed[name] = request.GET.get(name, "").strip()[:20]
            days[name] = _date(typed[name], what, errors, name)
            boxes[name] = date_parts(days[name])
    return days, typed, boxes


def replay_page(request: HttpRequest, child_id: int) -> HttpResponse:
    """GET /children/<id>/replay/: the form, and with ``from`` and ``to`` the replay."""
    asked = any(key == name or key.startswith(f"{name}-") for key in request.GET
                for name in ("from", "to"))
    errors: dict[str, str] = {}
    days, typed, boxes = _period(request, errors)
    if not asked:
        errors.clear()
    opened = child_page(request, child_id, AuditAction.VIEW_CHILD, page="replay",
                        period=typed if asked else None)
    c = assemble(child_id, viewer=opened.reader)
    whole = period_of(c.entries)
    start = end = None
    result = rows = summary = None
    if asked:
        start, end = days["from"], days["to"]
        if start and end and end < start:
            errors["to"] = "The last day must be on or after the first day"
        if not errors and start and end:
            try:
                result = cached_replay(child_id, start, end)
            except JoinedUpError as exc:
                errors["from"] = str(exc)
        if result is not None:
            rows, summary = summarise(result)
    start = start or (whole[0] if whole else None)
    end = end or (whole[1] if whole else None)
    for name, day in (("from", start), ("to", end)):  # the boxes start filled
        if not any(boxes[name].values()) and day is not None:
            boxes[name] = date_parts(day)
    return opened.render("case/replay.html", {
        "child_name": c.child_name, "typed": typed, "boxes": boxes,
        "crumbs": opened.breadcrumbs(c.child_name, "When could we have known?"),
        "start": start, "end": end,
        "errors": errors,
        "error_list": [{"text": m, "href": f"#{n}"} for n, m in errors.items()],
        "result": result, "rows": rows, "summary": summary,
        "late_after": late_after(),
        "late_notes": (replay_notes(late_in_replay(result.lines), opened.reader)
                       if result is not None else {}),
    }, status=400 if errors else 200)
