"""Addresses of pages other areas build (alerts, requests, meetings, break-glass), so the
case pages link to them even while an area is still being put together."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def page(name: str, object_id: int, fallback: str | None = None) -> str | None:
    """The address of page ``name`` for ``object_id``; ``fallback`` (formatted with the id)
    when no such page is installed, or None for no link."""
    try:
        return reverse(name, args=[object_id])
    except NoReverseMatch:
        return fallback.format(object_id) if fallback else None


def alert(alert_id: int) -> str:
    return page("alert", alert_id, "/alerts/{}/") or ""


def request(request_id: int) -> str | None:
    return page("request", request_id)


def meeting(meeting_id: int) -> str | None:
    return page("meeting", meeting_id)
