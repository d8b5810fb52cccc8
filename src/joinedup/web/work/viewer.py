"""Who is looking: the signed-in user with their agency, which decides what lists show them,
which requests and actions they owe, and how much of another agency's entries they see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from joinedup.access import Allocation, Membership, Team


@dataclass(frozen=True)
class Viewer:
    user: Any
    username: str
    agency_id: int | None
    agency_code: str
    agency_name: str
    agency_kind: str | None


def viewer_of(request: HttpRequest) -> Viewer:
    """The user of ``request`` with their agency (cached on the request)."""
    cached = getattr(request, "_joinedup_viewer", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    user = request.user
    membership = (Membership.objects.select_related("agency").filter(user=user).first()
                  if user.is_authenticated else None)
    agency = membership.agency if membership is not None else None
    viewer = Viewer(user=user, username=user.get_username(),
                    agency_id=agency.pk if agency else None,
                    agency_code=agency.code if agency else "",
                    agency_name=agency.name if agency else "",
                    agency_kind=agency.kind if agency else None)
    request._joinedup_viewer = viewer  # type: ignore[attr-defined]
    return viewer


def allocated_children(user: Any, on: dt.date | None = None) -> QuerySet[Any]:
    """Person ids of the children allocated today to the user or to one of their teams, as
    a subquery (the first of the relationships in docs/access.md)."""
    day = on or timezone.localdate()
    current = Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    teams = Team.objects.filter(members__user=user).values("id")
    return (Allocation.objects.filter(current)
            .filter(Q(user=user) | Q(team__in=teams)).values("child_id"))
