"""Assembling a chronology from plain values: whose events, order, delay, significance,
filters, and gaps that look past the filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from joinedup.chronology.assembly import Filters, build
from joinedup.chronology.versions import EventVersion
from joinedup.people.network import Relation, RelationIndex

CHILD, MOTHER, FATHER, GRAN, STRANGER = 1, 2, 3, 4, 9
NAMES = {CHILD: "Amy Stone", MOTHER: "Jo Stone", FATHER: "Lee Dunn", GRAN: "Pat Stone",
         STRANGER: "Sam Hill"}
LONDON = dt.timezone(dt.timedelta(hours=1))  # British Summer Time


def rel(agency: str, kind: str, a: int, b: int) -> Relation:
    return Relation(agency, kind, a, b, f"{agency}-{a}", f"{agency}-{b}")


NETWORK = RelationIndex([rel("HV", "MOTHER_OF", MOTHER, CHILD),
                         rel("POLICE", "FATHER_OF", FATHER, CHILD),
                         rel("CSC", "MOTHER_OF", GRAN, MOTHER)]).network(CHILD)


def ev(source_id: str, person: int | None, kind: str, occurred: str, recorded: str,
       agency: str = "HV", *, time: str | None = None, **kw: Any) -> EventVersion:
    day = dt.date.fromisoformat(occurred)
    at = dt.datetime.combine(day, dt.time.fromisoformat(time or "00:00"), LONDON)
    return EventVersion(pk=int(source_id[1:]), agency=agency, source_id=source_id,
                        version=kw.pop("version", 1), is_current=kw.pop("current", True),
                        event_type=kind, occurred_at=at, occurred_on=day,
                        occurred_time_known=time is not None,
                        recorded_on=dt.date.fromisoformat(recorded),
                        loaded_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC),
                        subject_person=person, **kw)


EVENTS = [
    ev("E1", CHILD, "BIRTH", "2025-04-01", "2025-04-01", "MIDWIFERY", time="09:42"),
    ev("E2", FATHER, "CUSTODY_RELEASE", "2025-04-04", "2025-04-04", "PROBATION",
       worker_role="probation officer"),
    ev("E3", MOTHER, "HV_VISIT", "2025-04-04", "2025-04-22", "HV"),  # Easter in between
    ev("E4", STRANGER, "DA_INCIDENT", "2025-05-10", "2025-05-10", "POLICE",
       related_person=CHILD, subject_name="Sam Hill"),
    ev("E5", GRAN, "GP_CONSULTATION", "2025-05-20", "2025-05-20", "GP"),
    ev("E6", CHILD, "HV_VISIT", "2025-09-01", "2025-09-01", "HV"),
]


def chronology(**kw: Any) -> Any:
    return build(CHILD, kw.pop("versions", EVENTS), NETWORK, NAMES,
                 {CHILD: {"HV"}, FATHER: {"POLICE", "PROBATION"}}, today=dt.date(2026, 1, 1),
                 **kw)


def test_entries_say_whose_event_in_plain_words_in_date_order() -> None:
    c = chronology()
    rows = [(e.source_id, e.role_label, e.person_name) for e in c.entries]
    assert rows == [("E1", "child", "Amy Stone"), ("E3", "mother", "Jo Stone"),
                    ("E2", "father", "Lee Dunn"),  # same day: by agency, HV before PROBATION
                    ("E4", "outside the family network", "Sam Hill"),
                    ("E5", "grandparent", "Pat Stone"), ("E6", "child", "Amy Stone")]
    birth, visit, release = c.entries[0], c.entries[1], c.entries[2]
    assert birth.occurred_time == dt.time(9, 42) and visit.occurred_time is None
    assert birth.event_label == "Birth" and birth.significance == ""
    assert release.significance == "concern" and release.worker_role == "probation officer"
    # 4 April to 22 April 2025: Good Friday and Easter Monday are not working days
    assert visit.recording_delay == 10
    assert [p.role_label for p in c.network] == ["child", "mother", "father", "grandparent"]
    assert c.network[2].agencies == ("POLICE", "PROBATION")


def test_as_of_keeps_what_had_happened_and_known_by_what_had_been_recorded() -> None:
    assert [e.source_id for e in chronology(as_of=dt.date(2025, 4, 4)).entries] == \
        ["E1", "E3", "E2"]
    # the health visit of 4 April was recorded on 22 April
    assert [e.source_id for e in chronology(known_by=dt.date(2025, 4, 21)).entries] == \
        ["E1", "E2"]


def test_a_correction_shows_as_it_stood_on_the_known_by_date() -> None:
    old = ev("E7", MOTHER, "HV_VISIT", "2025-06-02", "2025-06-02", current=False,
             summary="Seen at home")
    new = ev("E7", MOTHER, "NO_ACCESS_VISIT", "2025-06-02", "2025-06-02", version=2,
             summary="No answer at the door")
    versions = [*EVENTS, old, new]
    assert [e.summary for e in chronology(versions=versions).entries
            if e.source_id == "E7"] == ["No answer at the door"]
    # the correction was loaded on 1 December 2025
    earlier = chronology(versions=versions, known_by=dt.date(2025, 11, 30))
    assert [(e.event_type, e.version) for e in earlier.entries if e.source_id == "E7"] == \
        [("HV_VISIT", 1)]


def test_filters_narrow_the_entries_but_not_the_gaps() -> None:
    everything = chronology()
    only_hv = chronology(filters=Filters(agencies=("hv",)))
    assert {e.agency for e in only_hv.entries} == {"HV"}
    assert only_hv.gaps == everything.gaps
    assert [e.source_id for e in chronology(filters=Filters(persons=(CHILD,))).entries] == \
        ["E1", "E4", "E6"]  # E4: the child is the related person
    assert [e.source_id for e in chronology(filters=Filters(types=("HV_VISIT",))).entries] \
        == ["E3", "E6"]
    period = chronology(filters=Filters(period_from=dt.date(2025, 4, 2),
                                        period_to=dt.date(2025, 5, 31)))
    assert [e.source_id for e in period.entries] == ["E3", "E2", "E4", "E5"]


def test_gaps_look_at_the_child_and_carers_only() -> None:
    c = chronology()
    quiet = [g for g in c.gaps if g.kind == "quiet_period"]
    # the grandmother's GP visit on 20 May is not on the child's own chronology
    assert [(g.start, g.end) for g in quiet] == [(dt.date(2025, 4, 5), dt.date(2025, 5, 9)),
                                                 (dt.date(2025, 5, 11), dt.date(2025, 8, 31))]
    assert (c.start, c.end) == (dt.date(2025, 4, 1), dt.date(2025, 9, 1))
    # as of a date long after the last event, the silence up to it is a gap
    later = chronology(as_of=dt.date(2025, 12, 31))
    assert later.end == dt.date(2025, 12, 31)
    assert any(g.kind == "quiet_period" and g.end == dt.date(2025, 12, 31) for g in later.gaps)


def test_an_agency_that_stopped_is_found_against_the_as_of_date() -> None:
    visits = [ev(f"E{10 + n}", MOTHER, "HV_VISIT", f"2025-0{n}-15", f"2025-0{n}-15")
              for n in range(1, 4)]
    c = chronology(versions=visits, as_of=dt.date(2025, 7, 1))
    stopped = [g for g in c.gaps if g.kind == "agency_stopped"]
    assert [(g.agency, g.events, g.days) for g in stopped] == [("HV", 3, 108)]
    # without as_of the end is the last event itself, so nobody has stopped
    assert [g.kind for g in chronology(versions=visits).gaps] == ["quiet_period"]  # January
