"""Fixtures for reviews: the Baby S review as the business unit would open it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

AWARE = dt.date(2025, 5, 21)
INCIDENT = dt.date(2025, 5, 20)
WHAT = "A 9-month-old was brought to hospital with a fractured arm and an older rib fracture."


@pytest.fixture
def review(baby_s: dict[str, Any], db: None) -> Any:
    from joinedup.reviews.workflow import open_review

    return open_review(baby_s["child"], AWARE, INCIDENT, WHAT, "Baby S", "business.unit")
