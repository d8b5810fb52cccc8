"""Alerts and chronologies for signed-in users, under the web pages' access rules.

- Alerts: the list is narrowed inside the query to the children the user may open
  (``policy.filter_children``), so it never holds, or counts, a child they may not open.
  The evidence of each alert is shown through the visibility gate (as on the alert
  pages): withheld entries are left out and counted, headline entries carry the
  replacement instead of their summary. So is the entry a run recognised as meeting the
  alert's action (``actioned_by``): one the reader may not see is given as withheld, with
  no agency, type, dates or words; a headline one carries the replacement.
- Chronology: opened through ``policy.open_child_record`` (the look, or the refusal, is
  written to the audit trail) and assembled through the visibility gate for the user
  (``joinedup.visibility``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest

from joinedup.access import AuditAction, audit, policy, reader_for
from joinedup.agencies import Agency
from joinedup.alerts import Alert, as_dicts, filtered
from joinedup.chronology import assemble, to_dict
from joinedup.visibility import Held, Reader, sight


def alerts(request: HttpRequest, user: Any, statuses: list[str], limit: int,
           offset: int) -> dict[str, Any]:
    query = policy.filter_children(filtered(status=statuses or None), user)
    total = query.count()
    page = list(query[offset:offset + limit])
    kinds = dict(Agency.objects.values_list("code", "kind"))
    persons = _evidence_persons([a.pk for a in page])
    doers = _actioned_persons([a.pk for a in page])
    readers: dict[int, Reader] = {}
    items = []
    for item in as_dicts(page):
        child = int(item["child"]["person_id"])
        if child not in readers:
            readers[child] = reader_for(user, child)
        items.append({**_shared(item, readers[child], kinds, persons),
                      "actioned_by": _actioned_by(item, readers[child], kinds, doers)})
    audit.record(user, AuditAction.VIEW_PAGE, object_type="api",
                 object_id=request.path[:100],
                 details={"address": request.get_full_path()[:500], "status": 200,
                          "alerts": [item["id"] for item in items]})
    return {"items": items, "total": total, "limit": limit, "offset": offset}


Holding = tuple[tuple[Any, Any], Held]
"""An entry's subject and related person, and what a headline of it may name."""


def _evidence_persons(alert_ids: list[int]) -> dict[tuple[int, str, str], Holding]:
    """(alert, agency, event id) -> the evidence event's subject and related person, and
    what its agency sent that a headline may name."""

    rows = Alert.evidence.through.objects.filter(alert_id__in=alert_ids).values_list(
        "alert_id", "event__agency__code", "event__source_id", "event__subject__person_id",
        "event__related_person__person_id", "event__details", "event__extra")
    return {(a, agency, source): ((subject, related), Held.of(details, extra))
            for a, agency, source, subject, related, details, extra in rows}


def _actioned_persons(alert_ids: list[int]) -> dict[int, Holding]:
    """alert -> the subject and related person of the entry that met its action, and what
    a headline of it may name."""
    rows = Alert.objects.filter(pk__in=alert_ids, actioned_by__isnull=False).values_list(
        "pk", "actioned_by__subject__person_id", "actioned_by__related_person__person_id",
        "actioned_by__details", "actioned_by__extra")
    return {alert: ((subject, related), Held.of(details, extra))
            for alert, subject, related, details, extra in rows}


WITHHELD_ACTION = "An entry that is not shown to you met its action"


def _actioned_by(item: dict[str, Any], reader: Reader, kinds: dict[str, str],
                 doers: dict[int, Holding]) -> dict[str, Any] | None:
    """The entry that met the alert's action, through the gate as its evidence is."""
    met = item.get("actioned_by")
    if not met:
        return None
    about, held = doers.get(item["id"], ((None, None), Held()))
    seen = sight(reader, met["agency"], kinds.get(met["agency"], ""), met["event_type"],
                 about, held)
    if not seen.show:
        return {"withheld": True, "agency": "", "event_id": "", "event_type": "",
                "occurred_on": None, "recorded_on": None, "summary": "",
                "line": WITHHELD_ACTION, "shared_as": ""}
    if seen.full:
        return {**met, "withheld": False, "shared_as": ""}
    return {**met, "withheld": False, "summary": seen.replacement, "shared_as": "headline"}


def _shared(item: dict[str, Any], reader: Reader, kinds: dict[str, str],
            persons: dict[tuple[int, str, str], Holding]) -> dict[str, Any]:
    shown = []
    withheld = 0
    for evidence in item["evidence"]:
        about, held = persons.get((item["id"], evidence["agency"], evidence["event_id"]),
                                  ((None, None), Held()))
        seen = sight(reader, evidence["agency"], kinds.get(evidence["agency"], ""),
                     evidence["event_type"], about, held)
        if not seen.show:
            withheld += 1
            continue
        if seen.full:
            shown.append({**evidence, "shared_as": ""})
        else:
            shown.append({**evidence, "summary": seen.replacement, "shared_as": "headline"})
    child = dict(item["child"])
    child["records"] = ([r for r in child["records"] if reader.shows_agency(r["agency"])]
                        if reader.shows_identity(child["person_id"]) else [])
    return {**item, "child": child, "evidence": shown, "evidence_withheld": withheld}


def chronology(request: HttpRequest, user: Any, child_id: int, *,
               known_by: dt.date | None, date_from: dt.date | None,
               date_to: dt.date | None) -> dict[str, Any]:
    """The child's chronology document for ``user``; AccessDenied (audited) without a
    legitimate relationship."""

    filters = {name: value.isoformat() for name, value in
               (("known_by", known_by), ("from", date_from), ("to", date_to)) if value}
    policy.open_child_record(user, child_id, AuditAction.VIEW_CHRONOLOGY,
                             details={"address": request.get_full_path()[:500],
                                      "via": "api", "filters": filters})
    chronology = assemble(child_id, viewer=reader_for(user, child_id), known_by=known_by,
                          period=(date_from, date_to))
    return to_dict(chronology)
