"""Findings with themes and evidence, actions, the taxonomy and recurrence (real DB)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from joinedup.errors import ActionError, NextStep, NotFoundError
from joinedup.reviews.findings import add_action, add_finding, complete_action
from joinedup.reviews.listing import review_dict
from joinedup.reviews.models import Theme
from joinedup.reviews.themes import DEFAULT_THEMES, add_theme, theme_analytics
from joinedup.reviews.workflow import open_review
from tests.reviews.conftest import AWARE, WHAT


def test_findings_are_numbered_with_themes_and_evidence(review: Any) -> None:
    first = add_finding(review.pk, "The father's role was not known",
                        "Adult services knew of Baby S's father's risk.",
                        ["fathers_men", "INFO_SHARING_ADULT_CHILD"],
                        ["PROBATION:NDL-5520024", "csc:CSC-EV-884104"], "bu")
    second = add_finding(review.pk, "Transfers", "The care history stayed in the old area.",
                         ["TRANSFERS"], [], "bu")
    assert (first.number, second.number) == (1, 2)
    body = review_dict(review, AWARE)
    assert body["findings"][0]["themes"] == ["FATHERS_MEN", "INFO_SHARING_ADULT_CHILD"]
    assert body["findings"][0]["evidence"] == ["CSC:CSC-EV-884104", "PROBATION:NDL-5520024"]
    assert review.history.filter(what="finding_added").count() == 2


def test_finding_mistakes_are_refused(review: Any, baby_s: dict[str, Any]) -> None:
    from joinedup.chronology.models import Event
    from joinedup.people.network import network_for

    with pytest.raises(NotFoundError, match="There is no theme NOPE. The themes are: ") as no:
        add_finding(review.pk, "t", "n", ["NOPE"], [], "bu")
    assert no.value.hint == NextStep.ADD_THEME()
    with pytest.raises(ActionError, match="not an event reference"):
        add_finding(review.pk, "t", "n", [], ["CSC-EV-884104"], "bu")
    with pytest.raises(NotFoundError, match="There is no event CSC:NOPE"):
        add_finding(review.pk, "t", "n", [], ["CSC:NOPE"], "bu")
    with pytest.raises(ActionError, match="title"):
        add_finding(review.pk, "", "n", [], [], "bu")
    family = {baby_s["child"], *(m.person_id for m in network_for(baby_s["child"]).members)}
    stranger = (Event.objects.filter(is_current=True).exclude(subject__person_id__in=family)
                .exclude(related_person__person_id__in=family).select_related("agency").first())
    assert stranger is not None
    with pytest.raises(ActionError, match="not about Baby S"):
        add_finding(review.pk, "t", "n", [],
                    [f"{stranger.agency.code}:{stranger.source_id}"], "bu")
    assert not review.findings.exists()


def test_actions_with_owner_due_date_and_status(review: Any) -> None:
    add_finding(review.pk, "Meetings", "No professionals meeting was held.",
                ["MULTI_AGENCY_MEETINGS"], [], "bu")
    action = add_action(review.pk, "Convene a professionals meeting when adult services hold "
                        "risk about a parent", "Partnership business manager",
                        dt.date(2025, 9, 30), "bu", finding_number=1, owner_agency="csc")
    body = review_dict(review, dt.date(2025, 10, 1))["actions"][0]
    assert (body["finding"], body["owner_agency"], body["status"], body["overdue"]) == (
        1, "CSC", "open", True)
    assert not review_dict(review, dt.date(2025, 9, 30))["actions"][0]["overdue"]
    done = complete_action(action.pk, "bu", dt.date(2025, 9, 1))
    assert (done.status, done.done_on) == ("done", dt.date(2025, 9, 1))
    assert not review_dict(review, dt.date(2025, 10, 1))["actions"][0]["overdue"]
    with pytest.raises(ActionError, match="already done"):
        complete_action(action.pk, "bu")
    with pytest.raises(NotFoundError, match="no finding 7"):
        add_action(review.pk, "x", "y", dt.date(2025, 9, 30), "bu", finding_number=7)
    with pytest.raises(NotFoundError, match="no review action 999999"):
        complete_action(999999, "bu")
    with pytest.raises(ActionError, match="owner"):
        add_action(review.pk, "x", " ", dt.date(2025, 9, 30), "bu")
    assert [h.what for h in review.history.all()][-2:] == ["action_added", "action_done"]


def test_the_default_taxonomy_is_there_and_extendable(db: None) -> None:
    analytics = theme_analytics(dt.date(2025, 1, 1))
    assert {t.code for t in analytics} == {code for code, _ in DEFAULT_THEMES}
    theme = add_theme("home-conditions", "Home conditions")
    assert theme.code == "HOME_CONDITIONS"
    with pytest.raises(ActionError, match="already exists"):
        add_theme("HOME_CONDITIONS", "Again")
    with pytest.raises(ActionError, match="not a theme code"):
        add_theme("9 bad", "x")
    assert Theme.objects.count() == len(DEFAULT_THEMES) + 1


def test_a_theme_in_two_reviews_within_three_years_recurs(
        review: Any, baby_s: dict[str, Any]) -> None:
    earlier = open_review(baby_s["mother"], dt.date(2023, 3, 6), dt.date(2023, 3, 3), WHAT,
                          "Child M", "bu")
    add_finding(earlier.pk, "Transfers", "History not requested.", ["TRANSFERS"], [], "bu")
    add_finding(review.pk, "Transfers", "History not requested.", ["TRANSFERS", "RECORDING"],
                [], "bu")
    add_finding(review.pk, "Transfers again", "And again.", ["TRANSFERS"], [], "bu")
    by_code = {t.code: t for t in theme_analytics(dt.date(2025, 12, 31))}
    transfers = by_code["TRANSFERS"]
    assert transfers.reviews == sorted([earlier.pk, review.pk])
    assert transfers.by_year == {"2023": 1, "2025": 1} and transfers.recurs
    assert by_code["RECORDING"].reviews == [review.pk] and not by_code["RECORDING"].recurs
    assert not {t.code: t for t in theme_analytics(dt.date(2026, 6, 1))}["TRANSFERS"].recurs
