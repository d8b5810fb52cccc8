"""Alerts as plain data: the stable JSON of ``joinedup alerts list --format json``.

Each alert is an object with (docs/alerts.md):

    id, rule, title, status, priority, fired_on, window: {start, end},
    child: {person_id, records: [{agency, source_person_id}]},
    evidence: [{agency, event_id, event_type, occurred_at, recorded_at, summary}],
    explanation, recommended_action, source, request_id, meeting_id,
    actioned_by: {agency, event_id, event_type, occurred_on, recorded_on, summary, line}
                 or null,
    held_back: {could_have_been_raised_on, records_made_it_true_on, days,
                late_entries: [{agency, event_id, event_type, occurred_on, recorded_on,
                                working_days_late}]} or null,
    history: [{at, who, kind, note}]            (only with history=True)

actioned_by is the recorded entry a run recognised as meeting the rule's action
(``recognition.py``), with its line ("Actioned by Strategy discussion on 5 March 2025, ...").
held_back is set on an urgent or high alert that late recording held back
(``held_back.py``), and null otherwise.

priority is urgent, high or routine (docs/rules.md, "Priority"). Lists come most urgent
first and, within a tier, longest-waiting (fired earliest) first. Dates are ISO 8601;
occurred_at and recorded_at keep the time when the agency gave one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import cache
from typing import Any

from django.db.models import QuerySet

from joinedup.alerts.catalogue import load_catalogue
from joinedup.alerts.held_back import held_back_alerts
from joinedup.alerts.models import Alert, AlertChange
from joinedup.alerts.priority import in_queue_order
from joinedup.alerts.recognition import actioned_line
from joinedup.chronology.models import Event
from joinedup.people.models import PersonRecord


def filtered(*, status: list[str] | None = None, rules: list[str] | None = None,
             child_id: int | None = None, since: dt.date | None = None) -> QuerySet[Alert]:
    query = Alert.objects.all()
    if status:
        query = query.filter(status__in=status)
    if rules:
        query = query.filter(rule__in=[r.upper() for r in rules])
    if child_id is not None:
        query = query.filter(child_id=child_id)
    if since is not None:
        query = query.filter(fired_on__gte=since)
    return in_queue_order(query)


@cache
def priority_note(rule_id: str) -> tuple[str, str, str]:
    """The tier the shipped catalogue gives a rule, with its reason and source; empty
    words for a rule no longer in the catalogue."""
    for rule in load_catalogue():
        if rule.id == rule_id:
            return rule.priority, rule.priority_reason, rule.priority_source
    return "", "", ""


def _iso(moment: dt.datetime, time_known: bool) -> str:
    from django.utils import timezone

    local = timezone.localtime(moment)
    return local.isoformat() if time_known else local.date().isoformat()


def as_dicts(alerts: list[Alert], *, history: bool = False) -> list[dict[str, Any]]:
    """The documented objects, read 500 alerts at a time (SQLite limits how many values
    one statement may carry)."""
    out: list[dict[str, Any]] = []
    for start in range(0, len(alerts), 500):
        out.extend(_chunk(alerts[start:start + 500], history))
    return out


def _actioned_by(event_ids: set[int]) -> dict[int, dict[str, str]]:
    """The entries recognised as meeting these alerts' actions, by event id."""
    return {e.pk: {"agency": e.agency.code, "event_id": e.source_id,
                   "event_type": e.event_type, "occurred_on": e.occurred_on.isoformat(),
                   "recorded_on": e.recorded_on.isoformat(), "summary": e.summary,
                   "line": actioned_line(e)}
            for e in Event.objects.select_related("agency").filter(pk__in=event_ids)}


def _chunk(alerts: list[Alert], history: bool) -> list[dict[str, Any]]:
    ids = [a.id for a in alerts]
    records: dict[int, list[dict[str, str]]] = defaultdict(list)
    for pid, agency, source in (PersonRecord.objects
                                .filter(person_id__in={a.child_id for a in alerts})
                                .order_by("agency__code", "source_id")
                                .values_list("person_id", "agency__code", "source_id")):
        records[pid].append({"agency": agency, "source_person_id": source})
    evidence: dict[int, list[dict[str, Any]]] = defaultdict(list)
    through = Alert.evidence.through
    rows = (through.objects.filter(alert_id__in=ids)
            .order_by("event__occurred_at", "event__agency__code", "event__source_id")
            .values_list("alert_id", "event__agency__code", "event__source_id",
                         "event__event_type", "event__occurred_at",
                         "event__occurred_time_known", "event__recorded_at",
                         "event__summary"))
    for alert_id, agency, source, kind, occurred, known, recorded, summary in rows:
        evidence[alert_id].append({
            "agency": agency, "event_id": source, "event_type": kind,
            "occurred_at": _iso(occurred, known), "recorded_at": _iso(recorded, True),
            "summary": summary})
    actioned = _actioned_by({a.actioned_by_id for a in alerts if a.actioned_by_id})
    held = held_back_alerts(alerts)
    changes: dict[int, list[dict[str, str]]] = defaultdict(list)
    if history:
        for change in AlertChange.objects.filter(alert_id__in=ids).order_by("at", "id"):
            changes[change.alert_id].append({"at": change.at.isoformat(), "who": change.who,
                                             "kind": change.kind, "note": change.note})
    out = []
    for a in alerts:
        item: dict[str, Any] = {
            "id": a.id, "rule": a.rule, "title": a.title, "status": a.status,
            "priority": a.priority,
            "fired_on": a.fired_on.isoformat(),
            "window": {"start": a.window_start.isoformat(), "end": a.window_end.isoformat()},
            "child": {"person_id": a.child_id, "records": records[a.child_id]},
            "evidence": evidence[a.id], "explanation": a.explanation,
            "recommended_action": a.recommended_action, "source": a.source,
            "request_id": a.request_id, "meeting_id": a.meeting_id,
            "actioned_by": actioned.get(a.actioned_by_id) if a.actioned_by_id else None,
            "held_back": held[a.id].as_dict() if a.id in held else None,
        }
        if history:
            item["history"] = changes[a.id]
        out.append(item)
    return out
