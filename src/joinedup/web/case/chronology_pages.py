"""The child's chronology as a timeline, and its downloads (PDF, Word, CSV).

Both read the same filters (``chronology_query``) and apply the adult-services sharing
policy for the signed-in user's agency (``chronology.sharing``), so a download holds
exactly what the page shows to that user. Every look is audited with its filters: the page
as ``view_chronology``, a download as ``export``.

A chronology of 2,000 events is shown 200 entries a page: the whole chronology is
assembled (it is needed for the gaps and the numbers), but only the page's entries are made
and drawn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from joinedup import scratch
from joinedup.access import AuditAction
from joinedup.chronology import (
    Chronology,
    Entry,
    Gap,
    recorded_action,
    to_csv,
    write_docx,
    write_pdf,
)
from joinedup.vocabulary import EVENT_TYPES, SIGNIFICANCE_LEVELS, significance
from joinedup.web.case.child_context import child_page
from joinedup.web.case.chronology_query import ChronologyQuery
from joinedup.web.late_recording import late_after
from joinedup.web.paging import paginate

PER_PAGE = 200
FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
}


@dataclass(slots=True)
class Item:
    """One line of the timeline: an entry, or a quiet period between entries. (Not frozen:
    thousands are made for a long chronology, and frozen ones are slower to make.)"""

    entry: Entry | None = None
    gap: Gap | None = None


def timeline(chronology: Chronology, newest_first: bool,
             with_gaps: bool = True) -> list[int | Gap]:
    """The timeline in order: each entry by its place in ``chronology.entries``, with each
    quiet period placed where it falls (unless not ``with_gaps``: the significant events).
    Entries are made only for the page drawn (:func:`drawn`)."""
    quiet = sorted((g for g in chronology.gaps if g.kind == "quiet_period" and with_gaps),
                   key=lambda g: g.start)
    lines: list[int | Gap] = []
    for index, day in enumerate(chronology.entries.days()):
        while quiet and quiet[0].start <= day:
            lines.append(quiet.pop(0))
        lines.append(index)
    lines.extend(quiet)
    return lines[::-1] if newest_first else lines


def drawn(chronology: Chronology, lines: Iterable[int | Gap]) -> list[Item]:
    """The lines of one page as items for the template."""
    return [Item(gap=line) if isinstance(line, Gap) else Item(entry=chronology.entries[line])
            for line in lines]


def filter_choices(chronology: Chronology) -> dict[str, list[tuple[str, str]]]:
    """The choices of the filter form: agencies, kinds of event and people."""
    agencies = sorted({a for p in chronology.network for a in p.agencies}
                      | chronology.entries.agencies())
    return {
        "agency": [(code, f"{code}: {chronology.agency_names.get(code, code)}")
                   for code in agencies],
        "type": sorted(((code, term.label) for code, term in EVENT_TYPES.items()),
                       key=lambda pair: pair[1].lower()),
        "person": [(str(p.person_id), f"{p.name} ({p.role_label})")
                   for p in chronology.network],
    }


def late_notes(chronology: Chronology, after: int) -> list[str]:
    """One sentence per agency whose entries here were recorded more than ``after`` working
    days after they happened, the longest delay first (only agencies this reader is shown)."""
    late = chronology.entries.recorded_late(after)
    order = sorted(late, key=lambda code: (-late[code][1], code))
    return [f"{chronology.agency_names.get(code, code)}: "
            f"{late[code][0]} {'entry' if late[code][0] == 1 else 'entries'} here "
            f"{'was' if late[code][0] == 1 else 'were'} recorded more than {after} working "
            f"days after {'it' if late[code][0] == 1 else 'they'} happened, up to "
            f"{late[code][1]} working days late." for code in order]


def lawful_bases(bases: Iterable[str]) -> list[str]:
    """The lawful bases of the entries shared, each part once: a criminal offence data
    basis repeats the safeguarding basis it builds on ("...; UK GDPR Art. 6(1)(e)...")."""
    return list(dict.fromkeys(part.strip() for basis in bases for part in basis.split("; ")
                              if part.strip()))


def chronology(request: HttpRequest, child_id: int) -> HttpResponse:
    """GET /children/<id>/chronology/: the multi-agency chronology as a timeline."""
    query = ChronologyQuery.read(request.GET)
    opened = child_page(request, child_id, AuditAction.VIEW_CHRONOLOGY,
                        **query.audit_details())
    c = query.assemble(child_id, opened.reader)
    query.check_person(c)
    if "person" in query.errors and query.person is not None:
        query.person = None
        c = query.assemble(child_id, opened.reader)
    page, pagination = paginate(timeline(c, query.newest_first, not query.significant_only),
                                request.GET, PER_PAGE)
    items = drawn(c, page.object_list)
    shown = [i.entry for i in items if i.entry is not None]
    actions = ({e.event: recorded_action(e, c.agency_names) for e in shown}
               if query.significant_only else {})
    return opened.render("case/chronology.html", {
        "c": c, "query": query, "page": page, "items": items,
        "crumbs": opened.breadcrumbs(c.child_name, "Chronology"),
        "pagination": pagination, "choices": filter_choices(c),
        "headlines": c.entries.shared_as("headline"),
        "bases": lawful_bases(e.lawful_basis for e in shown if e.shared_as),
        "first_shown": shown[0] if shown else None, "last_shown": shown[-1] if shown else None,
        "stopped": [g for g in c.gaps if g.kind == "agency_stopped"],
        "quiet": [g for g in c.gaps if g.kind == "quiet_period"],
        "late_notes": late_notes(c, late_after()),
        "actions": actions, "significance": significance, "levels": SIGNIFICANCE_LEVELS,
        **export_links(child_id, query),
    }, status=400 if query.errors else 200)


def file_name(child_id: int, query: ChronologyQuery, fmt: str, today: dt.date) -> str:
    """A download's name: the person number and dates, never the child's name."""
    known = f"-as-known-{query.known_by.isoformat()}" if query.known_by else ""
    return f"chronology-person-{child_id}{known}-{today.isoformat()}.{fmt}"


def chronology_export(request: HttpRequest, child_id: int, fmt: str) -> HttpResponse:
    """GET /children/<id>/chronology.<pdf|docx|csv>: the chronology as the page shows it."""
    if fmt not in FORMATS:
        raise Http404("Chronologies download as pdf, docx or csv.")
    query = ChronologyQuery.read(request.GET)
    action = AuditAction.VIEW_CHRONOLOGY if query.errors else AuditAction.EXPORT
    opened = child_page(request, child_id, action, format=fmt, **query.audit_details())
    back = reverse("chronology", args=[child_id]) + (f"?{query.address()}"
                                                      if query.address() else "")
    if query.errors:  # the page says what is wrong with the filters
        return redirect(back)
    c = query.assemble(child_id, opened.reader)
    query.check_person(c)
    if query.errors:
        return redirect(back)
    today = timezone.localdate()
    response = HttpResponse(_render(c, fmt, today), content_type=FORMATS[fmt])
    response["Content-Disposition"] = (f'attachment; filename="'
                                       f'{file_name(child_id, query, fmt, today)}"')
    return response


def _render(c: Chronology, fmt: str, today: dt.date) -> bytes:
    if fmt == "csv":
        return to_csv(c).encode("utf-8")
    with scratch.folder("export") as folder:
        path = Path(folder) / f"chronology.{fmt}"
        if fmt == "pdf":
            write_pdf(c, path, today, swimlane=True)
        else:
            write_docx(c, path, today)
        return path.read_bytes()


def export_links(child_id: int, query: ChronologyQuery) -> dict[str, Any]:
    """The download links for a page showing these filters."""
    suffix = f"?{query.address()}" if query.address() else ""
    return {"exports": [(fmt, reverse("chronology-export", args=[child_id, fmt]) + suffix)
                        for fmt in FORMATS]}
