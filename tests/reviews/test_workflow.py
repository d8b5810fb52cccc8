"""Opening a review, each step of the timetable, overdue flags and the decision (real DB)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from joinedup.errors import ActionError, NextStep, NotFoundError
from joinedup.reviews import clocks
from joinedup.reviews.listing import review_dict, review_row
from joinedup.reviews.models import ReviewStatus, StepStatus
from joinedup.reviews.workflow import (
    agencies_known_on,
    decide,
    open_review,
    overdue_steps,
    record_step,
)
from tests.reviews.conftest import AWARE, INCIDENT, WHAT

CSPR_CRITERIA = {"c": "Probation knew the father's risk; children's social care did not.",
                 "b": "Transfers between areas came up in an earlier review."}


def _steps(review: Any, on: dt.date) -> dict[tuple[str, str | None], dict[str, Any]]:
    return {(s["kind"], s["agency"]): s for s in review_dict(review, on)["steps"]}


def test_opening_sets_the_timetable_and_asks_every_agency_in_the_chronology(
        review: Any, baby_s: dict[str, Any]) -> None:
    from joinedup.chronology.assembly import assemble

    steps = _steps(review, AWARE)
    assert steps[(clocks.SIN, None)]["due_on"] == "2025-05-29"  # 26 May is a bank holiday
    assert steps[(clocks.RAPID_REVIEW, None)]["due_on"] == "2025-06-12"
    assert steps[(clocks.PANEL_MEETING, None)]["planned_from"] == "2025-06-05"
    assert steps[(clocks.PANEL_MEETING, None)]["due_on"] == "2025-06-09"
    known = {e.agency for e in assemble(baby_s["child"], known_by=AWARE, as_of=AWARE).entries}
    asked = {agency for kind, agency in steps if kind == clocks.AGENCY_SUMMARY}
    assert asked == known and {"PROBATION", "CSC_PREV", "HOSPITAL"} <= asked
    assert all(s["due_on"] == "2025-06-05" for (kind, _), s in steps.items()
               if kind == clocks.AGENCY_SUMMARY)
    assert review.status == ReviewStatus.RAPID_REVIEW
    assert [h.what for h in review.history.all()] == ["opened"]


def test_agencies_asked_are_those_known_on_the_day_of_awareness(
        baby_s: dict[str, Any], db: None) -> None:
    early = agencies_known_on(baby_s["child"], dt.date(2024, 6, 1))
    late = agencies_known_on(baby_s["child"], AWARE)
    assert set(early) < set(late)


def test_each_step_recorded_with_the_overdue_flag(review: Any) -> None:
    due = dt.date(2025, 5, 29)
    assert not any(s.kind == clocks.SIN for s in overdue_steps(review, due))
    assert any(s.kind == clocks.SIN for s in overdue_steps(review, due + dt.timedelta(days=1)))
    sin = _steps(review, due + dt.timedelta(days=1))[(clocks.SIN, None)]
    assert sin["overdue"] and sin["working_days_overdue"] == 1

    record_step(review.pk, "sin", "bu", done_on=dt.date(2025, 5, 30))
    step = _steps(review, dt.date(2025, 6, 30))[(clocks.SIN, None)]
    assert (step["status"], step["done_on"], step["overdue"], step["late"]) == (
        "done", "2025-05-30", False, True)

    summary = record_step(review.pk, "agency_summary", "bu", agency="probation",
                          done_on=dt.date(2025, 6, 4),
                          note="Father released on licence a week after the birth.")
    assert summary.agency.code == "PROBATION" and summary.note.startswith("Father")
    record_step(review.pk, "panel_meeting", "bu", done_on=dt.date(2025, 6, 6))
    again = record_step(review.pk, "PANEL_MEETING", "bu", done_on=dt.date(2025, 6, 9))
    assert again.due_on is None and again.status == StepStatus.DONE  # a panel can meet twice
    record_step(review.pk, "rapid_review", "bu", done_on=dt.date(2025, 6, 11))
    record_step(review.pk, "sent-to-panel", "bu", done_on=dt.date(2025, 6, 12))

    row = review_row(review, dt.date(2025, 6, 6))
    assert {(s["kind"], s["agency"]) for s in row["overdue_steps"]} == {
        (clocks.AGENCY_SUMMARY, a) for a in agencies_known_on(review.child_id, AWARE)
        if a != "PROBATION"}
    assert not review_row(review, dt.date(2025, 6, 5))["overdue"]  # the due day itself
    kinds = [h.what for h in review.history.all()]
    assert kinds.count("step_panel_meeting") == 2 and "step_sin" in kinds


def test_step_mistakes_are_refused_with_a_message(review: Any) -> None:
    record_step(review.pk, "sin", "bu", done_on=dt.date(2025, 5, 27))
    with pytest.raises(ActionError, match="already recorded as done on 2025-05-27"):
        record_step(review.pk, "sin", "bu", done_on=dt.date(2025, 5, 28))
    with pytest.raises(ActionError, match="not a review step"):
        record_step(review.pk, "coffee", "bu")
    with pytest.raises(ActionError,
                       match="Say whose summary it is: the agency's code") as no_agency:
        record_step(review.pk, "agency_summary", "bu", note="text")
    assert no_agency.value.hint == NextStep.GIVE_DETAIL(detail="agency")
    with pytest.raises(ActionError,
                       match="The agency's summary is required: give its text") as no_note:
        record_step(review.pk, "agency_summary", "bu", agency="HV")
    assert no_note.value.hint == NextStep.GIVE_DETAIL(detail="note")
    with pytest.raises(NotFoundError, match="no agency with code 'NOPE'"):
        record_step(review.pk, "agency_summary", "bu", agency="NOPE", note="x")
    with pytest.raises(ActionError, match="only for an agency summary"):
        record_step(review.pk, "rapid_review", "bu", agency="HV")
    with pytest.raises(ActionError, match="no publication steps"):
        record_step(review.pk, "published", "bu")
    with pytest.raises(ActionError, match="before the local authority became aware"):
        record_step(review.pk, "panel_meeting", "bu", done_on=dt.date(2025, 5, 1))
    with pytest.raises(ActionError, match="in the future"):
        record_step(review.pk, "panel_meeting", "bu", done_on=dt.date(2099, 1, 1))
    with pytest.raises(NotFoundError, match="There is no review 999999"):
        record_step(999999, "sin", "bu")
    record_step(review.pk, "agency_summary", "bu", agency="HV", note="Summary",
                done_on=dt.date(2025, 6, 2))
    with pytest.raises(ActionError, match="already recorded as received"):
        record_step(review.pk, "agency_summary", "bu", agency="HV", note="Again")


def test_decision_needs_reasons_and_a_criterion_for_a_local_review(review: Any) -> None:
    with pytest.raises(ActionError, match="reasons for the decision"):
        decide(review.pk, "local_cspr", CSPR_CRITERIA, " ", "bu")
    with pytest.raises(ActionError, match="at least one regulation 11 criterion"):
        decide(review.pk, "local_cspr", {"a": "", "c": "  "}, "Agreed by the partners", "bu")
    with pytest.raises(ActionError, match="criteria are a, b, c and d"):
        decide(review.pk, "local_cspr", {"e": "x"}, "Agreed", "bu")
    with pytest.raises(ActionError, match="not a decision"):
        decide(review.pk, "shrug", {}, "Agreed", "bu")
    assert review.history.filter(what="decided").count() == 0

    decided = decide(review.pk, "local_cspr", CSPR_CRITERIA, "Agreed by the three partners",
                     "bu", decided_on=dt.date(2025, 6, 12))
    assert decided.status == ReviewStatus.CSPR
    assert decided.criteria == {"a": "", "b": CSPR_CRITERIA["b"], "c": CSPR_CRITERIA["c"],
                                "d": ""}
    steps = _steps(decided, dt.date(2025, 12, 13))
    assert steps[(clocks.PUBLICATION, None)]["due_on"] == "2025-12-12"
    assert steps[(clocks.PUBLICATION, None)]["overdue"]
    assert steps[(clocks.PUBLICATION_NOTICE, None)]["due_on"] == "2025-12-03"
    with pytest.raises(ActionError, match="already decided"):
        decide(review.pk, "other_learning", {}, "Changed our minds", "bu")

    record_step(review.pk, "publication_notice", "bu", done_on=dt.date(2025, 12, 1))
    record_step(review.pk, "published", "bu", done_on=dt.date(2025, 12, 10))
    decided.refresh_from_db()
    assert decided.status == ReviewStatus.PUBLISHED
    assert [h.what for h in decided.history.all()][-4:] == [
        "decided", "publication_scheduled", "step_publication_notice", "step_publication"]


def test_other_learning_needs_reasons_but_no_criterion(review: Any) -> None:
    decided = decide(review.pk, "other_learning", {}, "Single-agency learning suffices",
                     "bu", decided_on=dt.date(2025, 6, 12))
    assert decided.status == ReviewStatus.DECIDED
    assert not decided.steps.filter(kind=clocks.PUBLICATION).exists()


def test_opening_checks_its_input(baby_s: dict[str, Any], db: None) -> None:
    with pytest.raises(ActionError, match="after the date the local authority became aware"):
        open_review(baby_s["child"], INCIDENT, AWARE, WHAT, "Baby S", "bu")
    with pytest.raises(ActionError, match="pseudonym"):
        open_review(baby_s["child"], AWARE, INCIDENT, WHAT, " ", "bu")
    with pytest.raises(ActionError, match="What happened"):
        open_review(baby_s["child"], AWARE, INCIDENT, "", "Baby S", "bu")
    with pytest.raises(NotFoundError, match="no person 999999"):
        open_review(999999, AWARE, INCIDENT, WHAT, "Baby S", "bu")
    with pytest.raises(ActionError, match="in the future"):
        open_review(baby_s["child"], dt.date(2099, 1, 2), INCIDENT, WHAT, "Baby S", "bu")


def test_closing_a_review_needs_a_reason_and_happens_once(review: Any, settings: Any) -> None:
    from joinedup.reviews.workflow import close_review

    settings.JOINEDUP_PANEL_GRACE_DAYS = 30
    for empty in ("", "   "):
        with pytest.raises(ActionError, match="Say why review .* is being closed") as refused:
            close_review(review.pk, empty, "business.unit", on=dt.date(2025, 12, 1))
        assert "--" not in str(refused.value)  # plain words, no command-line option
    with pytest.raises(ActionError, match="in the future"):
        close_review(review.pk, "Learning published.", "business.unit",
                     on=dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(ActionError, match="before the local authority became aware"):
        close_review(review.pk, "Learning published.", "business.unit",
                     on=AWARE - dt.timedelta(days=1))
    review.refresh_from_db()
    assert review.status == ReviewStatus.RAPID_REVIEW and review.closed_on is None

    closed = close_review(review.pk, "Learning published and actions done.", "business.unit",
                          on=dt.date(2025, 12, 1))
    assert (closed.status, closed.closed_on) == (ReviewStatus.CLOSED, dt.date(2025, 12, 1))
    last = review.history.last()
    assert (last.what, last.who) == ("closed", "business.unit")
    assert "Learning published and actions done." in last.note
    assert "ends after 2025-12-31" in last.note  # 30 days' grace, the last day included
    assert review_row(closed, dt.date(2025, 12, 2))["closed_on"] == "2025-12-01"
    with pytest.raises(ActionError, match="already closed on 2025-12-01") as twice:
        close_review(review.pk, "Again.", "business.unit")
    assert "--" not in str(twice.value)
    assert [h.what for h in review.history.all()].count("closed") == 1
    with pytest.raises(NotFoundError):
        close_review(999999, "No such review.", "business.unit")
