"""Fixtures for information requests and meetings: a fixed "today" for date rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest


@pytest.fixture
def set_today(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.date], None]:
    """Make joinedup's "today" a given date, so future-date checks and defaults are fixed."""
    from joinedup.information_requests import lookups, meetings, requests

    def set_to(day: dt.date) -> None:
        for module in (lookups, meetings, requests):
            monkeypatch.setattr(module, "today", lambda: day)

    return set_to
