"""The alerts list: every alert on a child the reader may open, most urgent first and, within
a tier, longest-waiting first, with how many there are of each tier and filters (rule,
status, the agency behind the evidence, the child, whose children, when it fired)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse

from joinedup.access import AuditAction
from joinedup.alerts import Alert, AlertStatus, counts_by_tier, in_queue_order, load_catalogue
from joinedup.web.govuk_forms import ErrorSummary, typed_parts
from joinedup.web.paging import paginate
from joinedup.web.permissions import open_child
from joinedup.web.work import queries
from joinedup.web.work.forms import AlertFilterForm, agency_choices, text
from joinedup.web.work.pages import names_of, page
from joinedup.web.work.viewer import allocated_children

STATUSES = {
    "active": ("Open or acknowledged", [AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]),
    "open": ("Open: nobody has looked yet", [AlertStatus.OPEN]),
    "acknowledged": ("Acknowledged: someone is looking into it", [AlertStatus.ACKNOWLEDGED]),
    "actioned": ("Actioned: a meeting or a request", [AlertStatus.ACTIONED]),
    "dismissed": ("Dismissed", [AlertStatus.DISMISSED]),
    "all": ("Any status", []),
}
SCOPES = {
    "all": "All children you may see",
    "allocated": "Children allocated to you or your team",
    "others": "Other children you may see",
}


@cache
def rule_choices() -> list[tuple[str, str]]:
    """(rule id, title) of the catalogue, by title."""
    return sorted(((r.id, r.title) for r in load_catalogue()), key=lambda pair: pair[1])


def alert_list(request: HttpRequest) -> HttpResponse:
    params = request.GET
    form = AlertFilterForm(params)
    errors = ErrorSummary(form)
    form.is_valid()
    filters: dict[str, Any] = {
        "rule": text(params, "rule").upper(), "status": text(params, "status") or "active",
        "agency": text(params, "agency").upper(), "child": text(params, "child"),
        "scope": text(params, "scope") or "all",
        "fired_from": typed_parts(params, "fired_from"),
        "fired_to": typed_parts(params, "fired_to"),
    }
    if filters["status"] not in STATUSES:
        filters["status"] = "active"
    if filters["scope"] not in SCOPES:
        filters["scope"] = "all"
    found = queries.alerts(request.user)
    if filters["rule"]:
        found = found.filter(rule=filters["rule"])
    wanted = STATUSES[filters["status"]][1]
    if wanted:
        found = found.filter(status__in=wanted)
    if filters["agency"]:
        behind = Alert.evidence.through.objects.filter(event__agency__code=filters["agency"])
        found = found.filter(id__in=behind.values("alert_id"))
    number = form.cleaned_data.get("child")
    if number is not None:
        # one child's alerts are part of their record: the look is audited as such
        open_child(request, number, AuditAction.VIEW_CHILD, list="alerts")
        found = found.filter(child_id=number)
    if filters["scope"] == "allocated":
        found = found.filter(child_id__in=allocated_children(request.user))
    elif filters["scope"] == "others":
        found = found.exclude(child_id__in=allocated_children(request.user))
    fired_from, fired_to = form.dates
    if fired_from:
        found = found.filter(fired_on__gte=fired_from)
    if fired_to:
        found = found.filter(fired_on__lte=fired_to)
    tiers = counts_by_tier(found)
    found = in_queue_order(found.select_related("child"))
    shown, pagination = paginate(found, params)
    alerts = list(shown)
    return page(request, "work/alerts.html", {
        "alerts": alerts, "page": shown, "pagination": pagination,
        "total": shown.paginator.count, "tiers": tiers, "filters": filters, "errors": errors,
        "statuses": STATUSES, "scopes": SCOPES, "rules": rule_choices(),
        "agencies": agency_choices(),
        "names": names_of((a.child_id for a in alerts), request.user),
        "filtered": any(key in params for key in ("rule", "agency", "child", "scope",
                                                  "fired_from-day", "fired_to-day")),
    })
