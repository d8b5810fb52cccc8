"""Addresses of pages other areas build (alerts, requests, meetings), for the case pages'
links. Every area's pages are always installed (``web/urls.py``), so a name that does not
reverse is a mistake in the code and raises :class:`django.urls.NoReverseMatch`."""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

_SLOT = 987654321
"""Stands for the object's number while an address is worked out once per page name."""


def page(name: str, object_id: int) -> str:
    """The address of page ``name`` for ``object_id``.

    A case page can link to hundreds of alerts, so each page name is reversed once and the
    number put in its place."""
    return _pattern(name, get_urlconf(), get_script_prefix()).format(int(object_id))


@lru_cache(maxsize=64)
def _pattern(name: str, urlconf: str | None, prefix: str) -> str:
    """``prefix``: the site's address prefix, part of every address reversed (and of the
    cache's key)."""
    address = reverse(name, urlconf=urlconf, args=[_SLOT])
    return address.replace("{", "{{").replace("}", "}}").replace(str(_SLOT), "{}")


def alert(alert_id: int) -> str:
    return page("alert", alert_id)


def request(request_id: int) -> str:
    return page("request", request_id)


def meeting(meeting_id: int) -> str:
    return page("meeting", meeting_id)
