"""The pair page says what the family showed: each step that joins Baby S's unborn record
to her, and a plain warning on possible twins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from joinedup.people.linking import resolve_record, review_queue
from tests.helpers import load_unnamed_twins
from tests.web.steward.test_linkage_pages import SignIn, steward, text_of

pytestmark = pytest.mark.django_db


def test_the_pair_page_explains_each_step_from_unborn_to_born(
        signed_in: SignIn, web_case: dict[str, Any]) -> None:
    unborn, born = resolve_record("CSC_PREV:MCR-1120457"), resolve_record("HV:HV-5510871")
    page = steward(signed_in).get(f"/data/linkage/{unborn.pk}/{born.pk}/")
    assert page.status_code == 200
    shown = text_of(page)
    assert "Every step holds, so linkage joins it to the child born" in shown
    assert f"Same mother (person {web_case['mother']}) on both records" in shown
    assert "Expected 6 September 2024, born 9 August 2024: 28 days apart (within 8 weeks)" in (
        shown)
    assert "Family name Brennan is the mother's" in shown
    assert "Possible twins" not in shown


def test_possible_twins_carry_a_plain_warning(signed_in: SignIn, tmp_path: Path) -> None:
    load_unnamed_twins(tmp_path)
    pair = next(p for p in review_queue() if "possible twins" in p.reasons)
    page = steward(signed_in).get(f"/data/linkage/{pair.record_a_id}/{pair.record_b_id}/")
    assert page.status_code == 200
    shown = text_of(page)
    assert "Possible twins: both born " in shown
    assert "Twins are never joined automatically" in shown
    assert "Through the family" not in shown
