"""What every page of this area is drawn with: links to other areas' pages, children's names,
the viewer, and the rendering itself."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from joinedup.access import readers_for
from joinedup.people import summaries
from joinedup.web.work.viewer import viewer_of


def child_href(child_id: int) -> str:
    """The child's record ("child", /children/<id>/)."""
    return reverse("child", args=[child_id])


def review_href(review_id: int) -> str:
    """The review's page ("review", /reviews/<id>/)."""
    return reverse("review", args=[review_id])


def names_of(person_ids: Iterable[int], user: Any) -> dict[int, str]:
    """The name most agencies use for each person, as the visibility gate lets ``user`` see
    it (a sealed record or a protected person's new name is not shown to a reader who may
    not see it)."""
    found = summaries(person_ids)
    readers = readers_for(user, found)
    return {pid: readers[pid].name(pid, s.name) for pid, s in found.items()}


def page(request: HttpRequest, template: str, context: dict[str, Any],
         status: int = 200) -> HttpResponse:
    return render(request, template, {"child_href": child_href, "viewer": viewer_of(request),
                                      **context}, status=status)
