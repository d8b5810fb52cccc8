"""The agencies side by side: the child's chronology as a per-agency swimlane picture
(``chronology.render.swimlane``, drawn on the server) with its numbers in a table.

It reads the chronology page's filters (``chronology_query``), so "as known on" works here
too, and applies the same sharing policy: a withheld entry is not drawn, a headline entry is
a mark like any other. By default it starts at the child's first event (an unborn baby's
included), because older events of the adults would squeeze the child's months into a
corner; the page says how many earlier events are left out and how to see them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.safestring import mark_safe

from joinedup.access import AuditAction
from joinedup.chronology import Entry, Swimlane, SwimlaneLink, draw, period_of
from joinedup.web.case.child_context import child_page
from joinedup.web.case.chronology_pages import export_links
from joinedup.web.case.chronology_query import ChronologyQuery
from joinedup.web.govuk_forms import date_parts


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
    picture = draw(c, start, query.date_to if "to" not in query.errors else None,
                   link=_entry_link(child_id, query)) if c.entries else None
    return opened.render("case/swimlane.html", {
        "c": c, "query": query, "picture": picture,
        "crumbs": opened.breadcrumbs(c.child_name, "Agencies side by side"),
        "svg": mark_safe(picture.svg) if picture else "",  # noqa: S308 - escaped when drawn
        **(_table(picture) if picture else {"rows": []}),
        "shown_dates": _shown_dates(query, picture),
        **export_links(child_id, query),
    }, status=400 if query.errors else 200)


def _entry_link(child_id: int, query: ChronologyQuery) -> SwimlaneLink:
    """A mark leads to the chronology at that agency's entries of that day, as known on the
    same date as the picture."""
    chronology = reverse("chronology", args=[child_id])

    def link(entry: Entry) -> str:
        day = entry.occurred_on.isoformat()
        wanted = {"agency": entry.agency, "from": day, "to": day}
        if query.known_by and "known_by" not in query.errors:
            wanted["known_by"] = query.known_by.isoformat()
        return f"{chronology}?{urlencode(wanted)}"
    return link


def _shown_dates(query: ChronologyQuery, picture: Swimlane | None) -> dict[str, dict[str, str]]:
    """The date boxes: as typed or asked for, else the picture's first and last days."""
    drawn = {"from": picture.start, "to": picture.end} if picture else {}
    shown = {}
    for name in ("from", "to", "known_by"):
        boxes = query.date_boxes(name)
        day = drawn.get(name)
        if not any(boxes.values()) and day is not None:
            boxes = date_parts(day)
        shown[name] = boxes
    return shown


def _table(picture: Swimlane) -> dict[str, Any]:
    """The picture's numbers with a row a month (or year) and a column an agency, so that
    two years of months still fit the page's column."""
    rows = [(picture.bucket_label(bucket), [picture.counts[a][n] for a in picture.lanes])
            for n, bucket in enumerate(picture.buckets)]
    return {"rows": rows,
            "totals": [sum(picture.counts[a]) for a in picture.lanes],
            "concerns": [picture.concerns[a] for a in picture.lanes]}
