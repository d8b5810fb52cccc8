"""GOV.UK pagination for every long list of the web pages, keeping the list's filters in every
link."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict

PER_PAGE = 25


def paginate(query: Sequence[Any] | QuerySet[Any], params: QueryDict, per_page: int = PER_PAGE
             ) -> tuple[Page[Any], dict[str, Any] | None]:
    """The page asked for (``?page=N``; out of range: the nearest) and the parameters of
    ``govukPagination`` (None when everything fits on one page)."""
    page = Paginator(query, per_page).get_page(params.get("page"))
    last = page.paginator.num_pages
    if last <= 1:
        return page, None

    def href(number: int) -> str:
        kept = params.copy()
        kept["page"] = str(number)
        return f"?{kept.urlencode()}"

    wanted = sorted({1, last, page.number - 1, page.number, page.number + 1} & set(
        range(1, last + 1)))
    items: list[dict[str, Any]] = []
    for number in wanted:
        if items and number - items[-1].get("number", number) > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page.number})
    return page, {
        "items": items,
        "previous": {"href": href(page.number - 1)} if page.has_previous() else None,
        "next": {"href": href(page.number + 1)} if page.has_next() else None,
    }
