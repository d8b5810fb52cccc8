"""One way into a child's pages (the case page, chronology and its downloads, the agencies
side by side, "When could we have known?").

:func:`child_page` opens the child's record through the access policy once: the look is
written to the audit trail with what the page was asked for, or, when the user has no
legitimate relationship with the child (or the person is not a child, or does not exist),
the refusal is written and :class:`joinedup.access.policy.AccessDenied` raised, which
``web/refusals.py`` answers with the neutral page. What the page then needs about the child
comes from the :class:`ChildPage` it returns: why the user may see the record, the reader
the visibility gate shows it to, and the breadcrumbs that lead back to the child.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from joinedup.access import AuditAction, Reason, reader_for
from joinedup.visibility import Reader
from joinedup.web.permissions import open_child


@dataclass
class ChildPage:
    """A child's record, opened for one request."""

    request: HttpRequest
    child_id: int
    reasons: list[Reason]
    """The user's legitimate relationships with the child (never empty)."""

    @cached_property
    def reader(self) -> Reader:
        """Who reads the record, as the visibility gate sees them (read once, when a page
        first needs it: a download refused for its filters never does)."""
        return reader_for(self.request.user, self.child_id)

    def breadcrumbs(self, name: str, here: str | None = None) -> list[dict[str, str]]:
        """Children > the child > this page (``here``); on the case page itself, the
        child's name is the last crumb."""
        crumbs = [{"text": "Children", "href": reverse("children")}]
        if here is None:
            return [*crumbs, {"text": name}]
        return [*crumbs, {"text": name, "href": reverse("child", args=[self.child_id])},
                {"text": here}]

    def render(self, template: str, context: dict[str, Any], *,
               status: int = 200) -> HttpResponse:
        """The page, drawn with the child's number (every child page shows it)."""
        return render(self.request, template, {"child_id": self.child_id, **context},
                      status=status)


def child_page(request: HttpRequest, child_id: int, action: str = AuditAction.VIEW_CHILD,
               **details: Any) -> ChildPage:
    """The child's record opened for this request, the look audited with ``details``; or
    :class:`AccessDenied` (audited) where the user may not see it."""
    reasons = open_child(request, child_id, action, **details)
    return ChildPage(request, child_id, reasons)
