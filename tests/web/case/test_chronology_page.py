"""The chronology page's parts that need no database: reading the filters from the address,
placing gaps in the timeline, paging a long chronology and naming downloads."""

from __future__ import annotations

import datetime as dt

from django.http import QueryDict

from joinedup.chronology.assembly import Chronology, build
from joinedup.chronology.versions import EventVersion
from joinedup.people.network import RelationIndex
from joinedup.web.case.chronology_pages import PER_PAGE, drawn, file_name, timeline
from joinedup.web.case.chronology_query import ChronologyQuery
from joinedup.web.paging import paginate

CHILD = 1


def visit(n: int, day: dt.date) -> EventVersion:
    return EventVersion(n, "HV", f"E{n}", 1, True, "HV_VISIT",
                        dt.datetime.combine(day, dt.time(12), dt.UTC), day, False, day,
                        None, CHILD, summary=f"Visit {n}")


def chronology(days: list[dt.date]) -> Chronology:
    return build(CHILD, [visit(n, d) for n, d in enumerate(days, 1)],
                 RelationIndex([]).network(CHILD), {CHILD: "Amy Stone"},
                 today=dt.date(2026, 1, 1))


def test_quiet_periods_sit_where_they_fall_in_either_order() -> None:
    c = chronology([dt.date(2025, 1, 1), dt.date(2025, 1, 5), dt.date(2025, 3, 1)])
    def lines(newest_first: bool) -> list[str]:
        return [i.entry.source_id if i.entry else "gap"
                for i in drawn(c, timeline(c, newest_first))]

    assert lines(False) == ["E1", "E2", "gap", "E3"]
    assert lines(True) == ["E3", "gap", "E2", "E1"]


def test_a_long_chronology_is_drawn_a_page_at_a_time_keeping_the_filters() -> None:
    start = dt.date(2020, 1, 1)
    c = chronology([start + dt.timedelta(days=n) for n in range(450)])
    items = timeline(c, False)
    page, links = paginate(items, QueryDict("agency=HV&page=2"), PER_PAGE)
    assert PER_PAGE == 200 and len(page.object_list) == 200 and page.paginator.num_pages == 3
    assert links is not None
    assert links["next"]["href"] == "?agency=HV&page=3"
    assert [i.get("number") for i in links["items"]] == [1, 2, 3]
    assert paginate(items, QueryDict("page=99"), PER_PAGE)[0].number == 3  # the nearest
    shown = drawn(c, page.object_list)
    assert [i.entry.occurred_on for i in shown if i.entry] == \
        [start + dt.timedelta(days=n) for n in range(200, 400)]


def test_only_the_entries_of_the_page_drawn_are_made() -> None:
    c = chronology([dt.date(2020, 1, 1) + dt.timedelta(days=n) for n in range(450)])
    page, _ = paginate(timeline(c, False), QueryDict("page=2"), PER_PAGE)
    drawn(c, page.object_list)
    made = sum(1 for entry in c.entries._made if entry is not None)
    assert made == 200
    assert len(list(c.entries)) == 450 and c.entries[449].source_id == "E450"


def test_filters_are_read_and_wrong_ones_explained() -> None:
    query = ChronologyQuery.read(QueryDict("from=2025-03-01&to=01/02/2025&known_by=2025-02-30"
                                           "&person=x&order=newest&unknown=1"))
    assert query.date_from == dt.date(2025, 3, 1) and query.date_to == dt.date(2025, 2, 1)
    assert set(query.errors) == {"from", "known_by", "person"}
    assert query.errors["from"].startswith("The date to show events from must be on or before")
    assert query.newest_first and query.filtered
    assert query.error_list[0]["href"] in ("#from-day", "#known_by-day", "#person")
    assert "unknown" not in query.address()
    assert query.address(known_by="") == "person=x&from=2025-03-01&to=01%2F02%2F2025&order=newest"


def test_a_download_is_named_by_person_number_and_dates_only() -> None:
    query = ChronologyQuery.read(QueryDict("known_by=2025-03-03"))
    assert file_name(6, query, "pdf", dt.date(2026, 11, 27)) == \
        "chronology-person-6-as-known-2025-03-03-2026-11-27.pdf"
    assert file_name(6, ChronologyQuery.read(QueryDict("")), "csv", dt.date(2026, 11, 27)) == \
        "chronology-person-6-2026-11-27.csv"


def agency_event(n: int, agency: str, kind: str, day: dt.date) -> EventVersion:
    return EventVersion(n, agency, f"{agency}{n}", 1, True, kind,
                        dt.datetime.combine(day, dt.time(12), dt.UTC), day, False, day,
                        None, CHILD, summary=f"{kind} {n}")


def test_gaps_stop_at_the_as_of_date_whatever_is_dated_after_it() -> None:
    today = dt.date(2026, 12, 6)
    seen = [agency_event(n, agency, "HV_VISIT", dt.date(2025, 5, 1) + dt.timedelta(days=n))
            for n in range(1, 7) for agency in ("HV", "GP")]
    ahead = [agency_event(50, "PROBATION", "LICENCE_END", dt.date(2027, 4, 18)),
             agency_event(51, "CSC", "INFO_REQUEST_SENT", today)]
    c = build(CHILD, seen + ahead, RelationIndex([]).network(CHILD), {CHILD: "Amy Stone"},
              today=today)
    assert c.end == dt.date(2025, 5, 7)  # the last time an agency saw the family
    assert c.gaps == []  # no "nothing recorded for 580 days", no agency "stopped"
    assert len(c.entries) == 14  # the entries themselves are all still shown
    # an as-of date before the last event ends the window there, and still counts gaps
    earlier = build(CHILD, seen + ahead, RelationIndex([]).network(CHILD),
                    {CHILD: "Amy Stone"}, today=today, as_of=dt.date(2025, 8, 1))
    assert earlier.end == dt.date(2025, 8, 1)
    assert [g.kind for g in earlier.gaps] == ["quiet_period"]


def test_dates_typed_in_day_month_and_year_boxes_are_read_and_checked() -> None:
    query = ChronologyQuery.read(QueryDict("from-day=3&from-month=3&from-year=2025"
                                           "&to-day=31&to-month=2&to-year=2025"
                                           "&known_by-day=&known_by-month=&known_by-year="))
    assert query.date_from == dt.date(2025, 3, 3) and query.known_by is None
    assert query.typed["from"] == "2025-03-03"  # links and downloads carry one parameter
    assert query.errors == {"to": "The date to show events up to must be a real date, "
                                  "like 3 3 2025"}
    assert query.date_boxes("to") == {"day": "31", "month": "2", "year": "2025"}
    assert query.date_boxes("from") == {"day": "3", "month": "3", "year": "2025"}
    assert query.error_list == [{"text": query.errors["to"], "href": "#to-day"}]
    part = ChronologyQuery.read(QueryDict("known_by-day=3&known_by-year=2025"))
    assert part.errors["known_by"] == "The \"as known on\" date must include a month"
    # a link with the whole date still works (the child's page and the swimlane send them)
    assert ChronologyQuery.read(QueryDict("from=03/03/2025")).date_boxes("from") == \
        {"day": "3", "month": "3", "year": "2025"}
