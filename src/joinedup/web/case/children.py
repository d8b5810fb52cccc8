"""Finding a child: by name, NHS number, an agency's reference (``HV:HV-5510871``) or
joinedup's person number, and by default the children the user works with.

Only children the user may open are ever found: the search runs inside
``policy.visible_children(user)``, so a child the user has no relationship with is not
listed, not counted and not hinted at ("no child found" is the same answer whether the
child does not exist or is not the user's to see).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from joinedup.access import (
    Allocation,
    BreakGlass,
    Membership,
    ReviewPanelMember,
    Team,
    may_be_protected,
    policy,
    reader_for,
    readers_for,
)
from joinedup.people import Person, PersonRecord, PersonSummary, children_only, summaries
from joinedup.reviews import panel_still_open
from joinedup.web.case.case_page import gated_summaries
from joinedup.web.paging import paginate

PER_PAGE = 25


@dataclass(frozen=True)
class Found:
    summary: PersonSummary
    why: str


def _current(day: dt.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def matching(text: str, agency_id: int | None = None) -> Q:
    """Persons matching what was typed: a person number or NHS number (digits), an agency's
    reference (``AGENCY:ID``), or else every word in a name (given, family or other names).
    With ``agency_id``, only that agency's records are searched (and no person number)."""
    compact = text.replace(" ", "")
    searched = PersonRecord.objects.all() if agency_id is None else \
        PersonRecord.objects.filter(agency_id=agency_id)
    if compact.isdigit():
        by_nhs = searched.filter(nhs_number=compact).values("person_id")
        if agency_id is not None:
            return Q(id__in=by_nhs)
        return Q(id=int(compact)) | Q(id__in=by_nhs) if len(compact) < 19 \
            else Q(id__in=by_nhs)
    agency, sep, source_id = text.partition(":")
    if sep and agency.strip() and source_id.strip() and " " not in agency.strip():
        records = searched.filter(agency__code=agency.strip().upper(),
                                  source_id__iexact=source_id.strip())
        return Q(id__in=records.values("person_id"))
    where = Q()
    for word in text.split()[:5]:
        records = (searched.annotate(others=Cast("other_names", TextField()))
                   .filter(Q(given_name__icontains=word) | Q(family_name__icontains=word)
                           | Q(others__icontains=word)))
        where &= Q(id__in=records.values("person_id"))
    return where


SEARCH_CHECKED = 200
"""How many of a search's results are checked against the victim-support protection."""


def _protected_from(user: Any, text: str, persons: QuerySet[Person]) -> list[int]:
    """The children found by ``text`` whom the visibility gate protects from this reader
    (a perpetrator-side reader: docs/security.md) and whom only other agencies' records
    matched: finding them would tell the reader a new name or another agency's reference."""
    hidden = []
    found = [int(p) for p in persons.values_list("id", flat=True)[:SEARCH_CHECKED]]
    agency = Membership.objects.filter(user=user).values_list("agency_id", flat=True).first()
    for pid in may_be_protected(found):
        if reader_for(user, pid).shows_identity(pid):
            continue
        if agency is None or not Person.objects.filter(
                Q(pk=pid) & matching(text, agency)).exists():
            hidden.append(int(pid))
    return hidden


def _why(user: Any, ids: list[int], today: dt.date) -> dict[int, str]:
    """The strongest reason the user may open each child, in a few words, found for the
    whole page at once (``policy.legitimate_reasons`` explains one child in full)."""
    now = timezone.now()
    teams = Team.objects.filter(members__user=user).values("id")
    found: dict[int, str] = {}
    sources: list[tuple[str, QuerySet[Any]]] = [
        ("Break-glass", BreakGlass.objects.filter(user=user, child_id__in=ids,
                                                  started_at__lte=now, expires_at__gt=now)
         .values_list("child_id", flat=True)),
        ("Review panel", ReviewPanelMember.objects.filter(panel_still_open(today), user=user,
                                                          review__child_id__in=ids)
         .values_list("review__child_id", flat=True)),
        ("Your team is allocated", Allocation.objects.filter(
            _current(today), team__in=teams, child_id__in=ids)
         .values_list("child_id", flat=True)),
        ("Allocated to you", Allocation.objects.filter(_current(today), user=user,
                                                       child_id__in=ids)
         .values_list("child_id", flat=True)),
    ]
    for words, query in sources:  # later ones win: allocation is the strongest reason
        for child_id in query:
            found[int(child_id)] = words
    return {i: found.get(i, "Your agency works with the family") for i in ids}


def searched_children(user: Any, text: str, today: dt.date) -> QuerySet[Person]:
    """The children this user may open that match ``text`` (every such child without it):
    only inside ``policy.visible_children``, and never a protected child found only through
    another agency's records (module docstring)."""
    persons = children_only(Person.objects.filter(
        id__in=policy.visible_children(user), retired_at__isnull=True), today)
    if text:
        persons = persons.filter(matching(text))
        persons = persons.exclude(id__in=_protected_from(user, text, persons))
    return persons


def children(request: HttpRequest) -> HttpResponse:
    """GET /children/: the search box and the children found, or the user's children."""
    text = request.GET.get("q", "").strip()[:100]
    user: Any = request.user
    today = timezone.localdate()
    persons = searched_children(user, text, today)
    teams = Team.objects.filter(members__user=user).values("id")
    allocated = Allocation.objects.filter(_current(today)).filter(
        Q(user=user) | Q(team__in=teams)).values("child_id")
    records = PersonRecord.objects.filter(person_id=OuterRef("pk"))
    persons = persons.annotate(  # no aggregates: counting the page stays one flat query
        allocated=Case(When(id__in=allocated, then=Value(0)), default=Value(1),
                       output_field=IntegerField()),
        family=Subquery(records.exclude(family_name="").order_by("family_name")
                        .values("family_name")[:1]),
        given=Subquery(records.order_by("given_name").values("given_name")[:1]),
    ).order_by("allocated", "family", "given", "id")
    page, pagination = paginate(persons.values_list("id", flat=True), request.GET, PER_PAGE)
    ids = [int(i) for i in page.object_list]
    readers = readers_for(user, ids)
    plain = summaries(ids)
    people = {i: gated_summaries(readers[i], {i: plain[i]})[i] for i in ids if i in plain}
    why = _why(user, ids, today)
    found = [Found(people[i], why[i]) for i in ids if i in people]
    return render(request, "case/children.html", {
        "text": text, "found": found, "page": page, "pagination": pagination,
        "total": page.paginator.count, "today": today})
