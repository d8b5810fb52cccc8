"""Alerts and chronologies for signed-in users, under the web pages' access rules.

- Alerts: the list is narrowed inside the query to the children the user may open
  (``policy.filter_children``), so it never holds, or counts, a child they may not open.
  The evidence of each alert is shown under the sharing policy for the user's agency (as on
  the alert pages): withheld entries are left out and counted, headline entries carry the
  policy's replacement instead of their summary.
- Chronology: opened through ``policy.open_child_record`` (the look, or the refusal, is
  written to the audit trail) and assembled for the user's agency as viewer, so the
  adult-services sharing policy applies (``chronology.sharing``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest

from joinedup.access import audit, policy
from joinedup.access.models import AuditAction
from joinedup.access.sharing import shareable
from joinedup.chronology.sharing import Viewer, viewer_of


def alerts(request: HttpRequest, user: Any, statuses: list[str], limit: int,
           offset: int) -> dict[str, Any]:
    from joinedup.alerts.listing import as_dicts, filtered
    from joinedup.ingest.models import Agency

    query = policy.filter_children(filtered(status=statuses or None), user)
    total = query.count()
    page = list(query[offset:offset + limit])
    viewer = viewer_of(user)
    kinds = dict(Agency.objects.values_list("code", "kind"))
    items = [_shared(item, viewer, kinds) for item in as_dicts(page)]
    audit.record(user, AuditAction.VIEW_PAGE, object_type="api",
                 object_id=request.path[:100],
                 details={"address": request.get_full_path()[:500], "status": 200,
                          "alerts": [item["id"] for item in items]})
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def _shared(item: dict[str, Any], viewer: Viewer, kinds: dict[str, str]) -> dict[str, Any]:
    shown = []
    withheld = 0
    for evidence in item["evidence"]:
        share = shareable(kinds.get(evidence["agency"], ""), evidence["event_type"],
                          viewer.kind, same_agency=viewer.agency == evidence["agency"])
        if not share.show:
            withheld += 1
            continue
        if share.summary_visible:
            shown.append({**evidence, "shared_as": ""})
        else:
            shown.append({**evidence, "summary": share.replacement, "shared_as": "headline"})
    return {**item, "evidence": shown, "evidence_withheld": withheld}


def chronology(request: HttpRequest, user: Any, child_id: int, *,
               known_by: dt.date | None, date_from: dt.date | None,
               date_to: dt.date | None) -> dict[str, Any]:
    """The child's chronology document for ``user``; AccessDenied (audited) without a
    legitimate relationship."""
    from joinedup.chronology.assembly import assemble
    from joinedup.chronology.render.data import to_dict

    filters = {name: value.isoformat() for name, value in
               (("known_by", known_by), ("from", date_from), ("to", date_to)) if value}
    policy.open_child_record(user, child_id, AuditAction.VIEW_CHRONOLOGY,
                             details={"address": request.get_full_path()[:500],
                                      "via": "api", "filters": filters})
    chronology = assemble(child_id, viewer=viewer_of(user), known_by=known_by,
                          period=(date_from, date_to))
    return to_dict(chronology)
