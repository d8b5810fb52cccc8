"""Which version of each event a chronology shows, as of what had been recorded by a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from joinedup.chronology.versions import EventVersion, known_from, visible_versions

UTC = dt.UTC


def version(source_id: str = "E1", number: int = 1, *, recorded: str = "2025-03-05",
            loaded: str = "2025-03-06T10:00:00+00:00", current: bool = True,
            occurred: str = "2025-03-03", **kw: Any) -> EventVersion:
    day = dt.date.fromisoformat(occurred)
    return EventVersion(
        pk=hash((source_id, number)) % 10_000, agency=kw.pop("agency", "HV"),
        source_id=source_id, version=number, is_current=current, event_type="HV_VISIT",
        occurred_at=dt.datetime.combine(day, dt.time(), UTC), occurred_on=day,
        occurred_time_known=False, recorded_on=dt.date.fromisoformat(recorded),
        loaded_at=dt.datetime.fromisoformat(loaded), subject_person=1, **kw)


def test_a_first_version_is_known_from_the_day_the_agency_recorded_it() -> None:
    first = version(recorded="2025-03-05", loaded="2025-06-01T09:00:00+00:00")
    assert known_from(first) == dt.date(2025, 3, 5)
    # joinedup received the return months later, but the agency knew on 5 March
    assert visible_versions([first], known_by=dt.date(2025, 3, 5)) == [first]
    assert visible_versions([first], known_by=dt.date(2025, 3, 4)) == []


def test_a_correction_loaded_later_is_invisible_before_it_was_loaded() -> None:
    first = version(number=1, current=False, recorded="2025-03-05")
    # the correction claims to have been recorded on 6 March but arrived on 20 March
    fix = version(number=2, recorded="2025-03-06", loaded="2025-03-20T12:00:00+00:00")
    assert known_from(fix) == dt.date(2025, 3, 20)
    assert visible_versions([first, fix], known_by=dt.date(2025, 3, 19)) == [first]
    assert visible_versions([first, fix], known_by=dt.date(2025, 3, 20)) == [fix]


def test_loaded_at_is_read_as_a_date_in_england() -> None:
    # 23:30 UTC on 31 March 2025 is 00:30 on 1 April in British Summer Time
    fix = version(number=2, recorded="2025-03-06", loaded="2025-03-31T23:30:00+00:00")
    assert known_from(fix) == dt.date(2025, 4, 1)


def test_a_correction_recorded_after_it_was_loaded_counts_from_its_recording() -> None:
    fix = version(number=2, recorded="2025-04-10", loaded="2025-04-01T09:00:00+00:00")
    assert known_from(fix) == dt.date(2025, 4, 10)


def test_without_a_known_by_date_the_current_version_is_shown() -> None:
    first = version(number=1, current=False)
    fix = version(number=2, current=True, loaded="2030-01-01T00:00:00+00:00")
    other = version("E2", agency="GP")
    assert sorted(v.version for v in visible_versions([first, fix, other])) == [1, 2]
    assert fix in visible_versions([first, fix, other])


def test_the_highest_known_version_wins_and_events_are_kept_apart_by_agency() -> None:
    versions = [version(number=n, current=n == 3, recorded="2025-03-05",
                        loaded=f"2025-03-{10 + n}T09:00:00+00:00") for n in (1, 2, 3)]
    same_id_elsewhere = version(agency="GP", recorded="2025-03-01")
    shown = visible_versions([*reversed(versions), same_id_elsewhere],
                             known_by=dt.date(2025, 3, 12))
    assert {(v.agency, v.version) for v in shown} == {("HV", 2), ("GP", 1)}
