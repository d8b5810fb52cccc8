"""The alerts list: the alerts on children the reader may open, each child once (its most
urgent alert, how many, the newest and a suggested next step; ``case_view``), the most
urgent first and, within a tier, the longest-waiting first, children of one household
together; with how many alerts and children there are of each tier and filters (rule,
status, the agency behind the evidence, whose children, when it fired). Filtered to one
child, it lists every alert of that child, one a row."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone

from joinedup.access import AuditAction
from joinedup.alerts import Alert, AlertStatus, counts_by_tier, in_queue_order, load_catalogue
from joinedup.web.govuk_forms import ErrorSummary, typed_parts
from joinedup.web.paging import paginate
from joinedup.web.permissions import open_child
from joinedup.web.work import case_view, queries
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


def _filters(params: QueryDict) -> dict[str, Any]:
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
    return filters


def _found(request: HttpRequest, form: AlertFilterForm, filters: dict[str, Any]
           ) -> QuerySet[Alert]:
    """The alerts the filters ask for, on children the reader may see."""
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
    return found


def _one_child(request: HttpRequest, found: QuerySet[Alert]) -> dict[str, Any]:
    """One child's list: every alert, one a row."""
    tiers = counts_by_tier(found)
    shown, pagination = paginate(in_queue_order(found.select_related("child")), request.GET)
    alerts = list(shown)
    return {"alerts": alerts, "page": shown, "pagination": pagination,
            "total": shown.paginator.count, "tiers": tiers,
            "names": names_of((a.child_id for a in alerts), request.user)}


def child_list_href(params: QueryDict) -> Callable[[int], str]:
    """The address of one child's list, with the same filters as this list."""
    kept = params.copy()
    for name in ("page", "child", "scope"):
        kept.pop(name, None)

    def href(child_id: int) -> str:
        kept["child"] = str(child_id)
        return f"{reverse('alerts')}?{kept.urlencode()}"
    return href


def _children(request: HttpRequest, found: QuerySet[Alert], status: str) -> dict[str, Any]:
    """The queue: each child once, children of one household together."""
    groups = queries.alerts_by_child(found)
    shown, pagination = paginate(groups, request.GET)
    rows = case_view.child_rows(found, list(shown), child_list_href(request.GET),
                                suggest=status in ("active", "open"))
    return {"households": case_view.households(rows, timezone.localdate()), "page": shown,
            "pagination": pagination, "total": sum(g["alerts"] for g in groups),
            "children": len(groups), "tiers": counts_by_tier(found),
            "child_tiers": case_view.children_by_tier(groups),
            "names": names_of((r.child_id for r in rows), request.user)}


def alert_list(request: HttpRequest) -> HttpResponse:
    params = request.GET
    form = AlertFilterForm(params)
    errors = ErrorSummary(form)
    form.is_valid()
    filters = _filters(params)
    found = _found(request, form, filters)
    one_child = form.cleaned_data.get("child") is not None
    shown = _one_child(request, found) if one_child else _children(request, found,
                                                                    filters["status"])
    return page(request, "work/alerts.html", {
        **shown, "one_child": one_child, "filters": filters, "errors": errors,
        "statuses": STATUSES, "scopes": SCOPES, "rules": rule_choices(),
        "agencies": agency_choices(),
        "filtered": any(key in params for key in ("rule", "agency", "child", "scope",
                                                  "fired_from-day", "fired_to-day")),
    })
