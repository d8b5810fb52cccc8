"""Gaps: quiet periods with no event, and agencies that stopped seeing the family."""

from __future__ import annotations

import datetime as dt

from joinedup.chronology.gaps import quiet_periods, stopped_agencies

D = dt.date


def test_a_quiet_period_of_28_days_is_found_and_27_is_not() -> None:
    days = [D(2025, 1, 1), D(2025, 1, 29), D(2025, 3, 1)]  # 27 empty days, then 30
    gaps = quiet_periods(days, D(2025, 1, 1), D(2025, 3, 1))
    assert [(g.start, g.end, g.days) for g in gaps] == [(D(2025, 1, 30), D(2025, 2, 28), 30)]
    assert gaps[0].text == (
        "No agency recorded anything about the child or their carers for 30 days, from "
        "30 January 2025 to 28 February 2025 (the last event before it was on 29 January "
        "2025; the next was on 1 March 2025).")
    exactly = quiet_periods([D(2025, 1, 1), D(2025, 1, 30)], D(2025, 1, 1), D(2025, 1, 30))
    assert [g.days for g in exactly] == [28]


def test_quiet_periods_at_the_start_and_end_of_the_window_count() -> None:
    gaps = quiet_periods([D(2025, 3, 1)], D(2025, 1, 1), D(2025, 6, 30), min_days=28)
    assert [(g.start, g.end) for g in gaps] == [(D(2025, 1, 1), D(2025, 2, 28)),
                                                (D(2025, 3, 2), D(2025, 6, 30))]
    assert "nothing since, up to the end of the chronology" in gaps[1].text


def test_the_minimum_length_is_a_parameter() -> None:
    days = [D(2025, 1, 1), D(2025, 1, 12)]
    assert quiet_periods(days, D(2025, 1, 1), D(2025, 1, 12), min_days=10)[0].days == 10
    assert quiet_periods(days, D(2025, 1, 1), D(2025, 1, 12), min_days=11) == []


def test_an_agency_that_stopped_seeing_the_family() -> None:
    events = [(D(2024, 8, 1), "MIDWIFERY"), (D(2024, 8, 9), "MIDWIFERY"),
              (D(2024, 8, 20), "MIDWIFERY"),
              (D(2024, 1, 1), "REFUGE"), (D(2024, 2, 1), "REFUGE"),  # only two events
              (D(2025, 1, 1), "GP"), (D(2025, 2, 1), "GP"), (D(2025, 5, 1), "GP")]
    gaps = stopped_agencies(events, D(2025, 5, 23), names={"MIDWIFERY": "Maternity Services"})
    assert [(g.agency, g.events, g.start, g.days) for g in gaps] == [
        ("MIDWIFERY", 3, D(2024, 8, 20), 276)]
    assert gaps[0].text.startswith(
        "MIDWIFERY (Maternity Services) recorded 3 events about the child or their carers; "
        "the last was on 20 August 2024, 276 days before the end of the chronology "
        "(23 May 2025).")


def test_stopped_is_more_than_the_number_of_days() -> None:
    events = [(D(2025, 1, 1), "HV")] * 3
    assert stopped_agencies(events, D(2025, 1, 1) + dt.timedelta(days=90)) == []
    assert len(stopped_agencies(events, D(2025, 1, 1) + dt.timedelta(days=91))) == 1
    assert stopped_agencies(events, D(2025, 3, 1), stopped_days=30)[0].days == 59
