"""The pair page shows the address comparison: both records' address lines and what the
model found (issue 17, part 3)."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.test import Client

from joinedup.people.linkage.comparisons import LEVELS
from joinedup.people.linking import review_queue

pytestmark = pytest.mark.django_db

SignIn = Callable[[str], Client]


def text_of(response: Any) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_a_pair_page_shows_both_address_lines_and_the_level_found(signed_in: SignIn) -> None:
    pair = next(p for p in review_queue() if p.record_a.address and p.record_b.address)
    a, b = pair.record_a, pair.record_b
    client = signed_in("data.steward")
    client.post("/data/reason/", {"reason": "Checking the week's pairs", "next": "/"})
    shown = text_of(client.get(f"/data/linkage/{a.pk}/{b.pk}/"))
    contributed = shown[shown.index("What each field contributed"):]
    row = contributed[contributed.index("Address " + a.address):]
    assert row.startswith(f"Address {a.address} {b.address}")
    labels = [label for _, label, _, _ in LEVELS["address"]]
    assert any(label[:1].upper() + label[1:] in row[:400] for label in labels), row[:400]
