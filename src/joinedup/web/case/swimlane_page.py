"""The agencies side by side: the child's chronology as a per-agency swimlane picture
(``chronology.render.swimlane``, drawn on the server) with its numbers in a table.

It reads the chronology page's filters (``chronology_query``), so "as known on" works here
too, and applies the same sharing policy: a withheld entry is not drawn, a headline entry is
a mark like any other. By default it starts at the child's first event (an unborn baby's
included), because older events of the adults would squeeze the child's months into a
corner; the page says how many earlier events are left out and how to see them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.safestring import mark_safe

from joinedup.access import AuditAction
from joinedup.chronology import draw, period_of
from joinedup.web.case.child_context import child_page
from joinedup.web.case.chronology_pages import export_links
from joinedup.web.case.chronology_query import ChronologyQuery


def swimlane(request: HttpRequest, child_id: int) -> HttpResponse:
    """GET /children/<id>/swimlane/."""
    query = ChronologyQuery.read(request.GET)
    opened = child_page(request, child_id, AuditAction.VIEW_CHRONOLOGY, page="swimlane",
                        **query.audit_details())
    c = query.assemble(child_id, opened.reader)
    query.check_person(c)
    whole = period_of(c.entries)
    start = query.date_from if "from" not in query.errors and query.date_from else c.start
    if start is None and whole:
        start = whole[0]
    picture = draw(c, start, query.date_to if "to" not in query.errors else None) \
        if c.entries else None
    rows = []
    if picture:
        for agency in picture.lanes:
            counts = picture.counts[agency]
            rows.append((agency, c.agency_names.get(agency, agency), counts, sum(counts),
                         picture.concerns[agency]))
    return opened.render("case/swimlane.html", {
        "c": c, "query": query, "picture": picture,
        "crumbs": opened.breadcrumbs(c.child_name, "Agencies side by side"),
        "svg": mark_safe(picture.svg) if picture else "",  # noqa: S308 - escaped when drawn
        "rows": rows, "totals": [sum(col) for col in zip(*(r[2] for r in rows), strict=True)]
        if rows else [],
        "concern_total": sum(r[4] for r in rows),
        **export_links(child_id, query),
    }, status=400 if query.errors else 200)
