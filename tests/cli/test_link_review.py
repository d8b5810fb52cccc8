"""`joinedup link review` narrowed by agency, band and reason, with the pairs set aside last;
`joinedup link not-sure` sets a pair aside."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.people.test_pair_review import score_three_pairs

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(tmp_path: Path, db: None) -> None:
    score_three_pairs(tmp_path)


def probabilities(result: Any) -> list[float]:
    assert result.exit_code == 0, result.output
    return [row["match_probability"] for row in json.loads(result.stdout)]


def test_the_review_narrows_by_agency_band_and_reason(
        scored: None, cli: Callable[..., Any]) -> None:
    assert probabilities(cli("link", "review", "--format", "json")) == [0.93, 0.80, 0.60]
    assert probabilities(cli("link", "review", "--agency", "police", "--format", "json")) == [
        0.80, 0.60]
    assert probabilities(cli("link", "review", "--band", "low", "--format", "json")) == [0.60]
    conflicting = cli("link", "review", "--reason", "conflicting NHS number", "--format", "json")
    assert probabilities(conflicting) == [0.93]
    assert json.loads(conflicting.stdout)[0]["reasons"] == [
        "conflicting NHS number", "two of this name at this postcode"]  # all are Jade Walker
    wrong = cli("link", "review", "--band", "top")
    assert wrong.exit_code == 2 and "high, middle or low" in wrong.output


def test_not_sure_puts_the_pair_last_with_who(scored: None, cli: Callable[..., Any]) -> None:
    aside = cli("link", "not-sure", "HV:H1", "GP:G1", "--note", "asking the GP practice")
    assert aside.exit_code == 0, aside.output
    assert "Set aside as not sure: HV:H1 and GP:G1" in aside.stdout
    listed = cli("link", "review", "--format", "json")
    assert probabilities(listed) == [0.80, 0.60, 0.93]
    last = json.loads(listed.stdout)[-1]["set_aside"]
    assert last["note"] == "asking the GP practice" and last["who"]
    table = cli("link", "review")
    assert "set aside by" in table.stdout
    missing = cli("link", "not-sure", "HV:NOPE", "GP:G1")
    assert missing.exit_code == 1 and "no person record" in missing.output
