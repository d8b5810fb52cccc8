"""Every kind of event has a significance with a reason, listed in docs/chronology.md; and
what was done about an event is read from its record only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from joinedup.chronology.actions import recorded_action
from joinedup.chronology.assembly import Entry
from joinedup.vocabulary import (
    EVENT_SIGNIFICANCE,
    EVENT_TYPES,
    HIGH_SIGNIFICANCE,
    SIGNIFICANCE_LEVELS,
    significance,
)

DOC = (Path(__file__).parents[2] / "docs" / "chronology.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", sorted(EVENT_TYPES))
def test_every_kind_of_event_has_a_significance_listed_in_the_docs(code: str) -> None:
    found = EVENT_SIGNIFICANCE[code]
    assert found.level in SIGNIFICANCE_LEVELS and found.reason
    assert f"| `{code}` | {found.level} | {found.reason} |" in DOC


def test_a_fracture_and_a_missed_appointment_are_told_apart() -> None:
    assert significance("INJURY").level == "high" and "INJURY" in HIGH_SIGNIFICANCE
    assert significance("APPOINTMENT_MISSED").level == "medium"
    assert significance("HV_VISIT").level == "low"
    assert significance("SOMETHING_NEW").level == "medium"


def entry(details: dict[str, object], shared_as: str = "") -> Entry:
    day = dt.date(2025, 5, 20)
    return Entry(1, "CSC", "E1", 1, dt.datetime(2025, 5, 20, tzinfo=dt.UTC), day, None,
                 "REFERRAL", "Referral", 2, "CHILD_SUBJECT", "child", "Amy", None, "text",
                 day, 0, "concern", "social worker", details, shared_as=shared_as)


def test_what_was_done_comes_from_the_record_or_is_said_to_be_missing() -> None:
    names = {"CSC": "Children's Social Care", "HV": "Health Visiting"}
    done = recorded_action(entry({"action_taken": "Strategy discussion held", "to": "hv",
                                  "no_action_reason": ""}), names)
    assert done.lines == ("Action taken: Strategy discussion held", "Passed to: Health Visiting")
    assert recorded_action(entry({"no_action_reason": "Already known to early help"}),
                           names).lines == ("No action, because: Already known to early help",)
    nothing = recorded_action(entry({"site": "arm"}), names)
    assert nothing.lines == () and nothing.note == (
        "Children's Social Care's record does not say what was done, or why nothing was.")
    held = recorded_action(entry({}, shared_as="headline"), names)
    assert held.note == "Held back: ask Children's Social Care what was done."
