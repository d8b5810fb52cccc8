"""Addresses of pages other areas build (alerts, requests, meetings, break-glass), so the
case pages link to them even while an area is still being put together."""

from __future__ import annotations

from functools import lru_cache

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

_SLOT = 987654321
"""Stands for the object's number while an address is worked out once per page name."""


def page(name: str, object_id: int, fallback: str | None = None) -> str | None:
    """The address of page ``name`` for ``object_id``; ``fallback`` (formatted with the id)
    when no such page is installed, or None for no link.

    A case page can link to hundreds of alerts, so each page name is reversed once and the
    number put in its place."""
    pattern = _pattern(name, get_urlconf(), get_script_prefix())
    if pattern is None:
        return fallback.format(object_id) if fallback else None
    return pattern.format(int(object_id))


@lru_cache(maxsize=64)
def _pattern(name: str, urlconf: str | None, prefix: str) -> str | None:
    """``prefix``: the site's address prefix, part of every address reversed (and of the
    cache's key)."""
    try:
        address = reverse(name, urlconf=urlconf, args=[_SLOT])
    except NoReverseMatch:
        return None
    return address.replace("{", "{{").replace("}", "}}").replace(str(_SLOT), "{}")


def alert(alert_id: int) -> str:
    return page("alert", alert_id, "/alerts/{}/") or ""


def request(request_id: int) -> str | None:
    return page("request", request_id)


def meeting(meeting_id: int) -> str | None:
    return page("meeting", meeting_id)
