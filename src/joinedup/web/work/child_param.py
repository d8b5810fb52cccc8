"""The ``?child=<person number>`` of pages about one child's requests and meetings."""

from __future__ import annotations

from django.http import HttpRequest


def child_param(request: HttpRequest) -> int | None:
    value = (request.GET.get("child") or "").strip()
    return int(value) if value.isdigit() else None
