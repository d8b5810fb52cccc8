"""Adult services' information on a child's chronology, as each reader may see it: in full,
as a headline (type and date, the summary replaced by whom to ask, no details) or not at all;
the reader's own agency's events always in full; and the CSV, the printed chronology and the
swimlane built from the narrowed chronology."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from typing import Any

from joinedup.chronology.assembly import build
from joinedup.chronology.render import to_csv, to_html
from joinedup.chronology.render.data import spreadsheet_safe
from joinedup.chronology.render.swimlane import draw
from joinedup.chronology.versions import EventVersion
from joinedup.people.network import Relation, RelationIndex
from joinedup.visibility import Reader as Viewer

CHILD, MOTHER, FATHER = 1, 2, 3
NAMES = {CHILD: "Amy Stone", MOTHER: "Jo Stone", FATHER: "Lee Dunn"}
KINDS = {"HV": "HEALTH_VISITING", "PROBATION": "PROBATION", "AMH": "ADULT_MENTAL_HEALTH",
         "POLICE": "POLICE", "CSC": "CHILDRENS_SOCIAL_CARE"}
NETWORK = RelationIndex([
    Relation("HV", "MOTHER_OF", MOTHER, CHILD, "HV-2", "HV-1"),
    Relation("PROBATION", "FATHER_OF", FATHER, CHILD, "P-3", "P-1"),
]).network(CHILD)
UTC = dt.UTC


def ev(pk: int, agency: str, person: int, kind: str, day: str, summary: str,
       **details: Any) -> EventVersion:
    on = dt.date.fromisoformat(day)
    return EventVersion(pk, agency, f"{agency}-E{pk}", 1, True, kind,
                        dt.datetime.combine(on, dt.time(12), UTC), on, False, on,
                        dt.datetime(2025, 12, 1, tzinfo=UTC), person, summary=summary,
                        details=dict(details), worker_role="worker")


EVENTS = [
    ev(1, "HV", CHILD, "NEW_BIRTH_VISIT", "2025-04-10", "Baby well."),
    ev(2, "PROBATION", FATHER, "CUSTODY_RELEASE", "2025-04-11",
       "Released on licence; no contact with Jo Stone.", licence="no contact"),
    ev(3, "PROBATION", FATHER, "HOME_CIRCUMSTANCES_CHECK", "2025-04-12",
       "Release address approved; no children."),
    ev(4, "AMH", MOTHER, "MEDICATION_PRESCRIBED", "2025-04-13", "Sertraline 100 mg."),
    ev(5, "AMH", MOTHER, "MENTAL_HEALTH_CONCERN", "2025-04-14", "Low mood, intrusive memories."),
    ev(6, "POLICE", FATHER, "DA_INCIDENT", "2025-04-15", "=HYPERLINK(\"http://x\")"),
]


def chronology(viewer: Viewer | None) -> Any:
    return build(CHILD, EVENTS, NETWORK, NAMES, viewer=viewer, agency_kinds=KINDS,
                 agency_names={code: code.title() for code in KINDS},
                 today=dt.date(2026, 1, 1))


def by_type(c: Any) -> dict[str, Any]:
    return {e.event_type: e for e in c.entries}


def test_a_health_visitor_sees_probations_release_as_a_headline_only() -> None:
    entries = by_type(chronology(Viewer("HV", "HEALTH_VISITING")))
    release = entries["CUSTODY_RELEASE"]
    assert (release.occurred_on, release.event_label) == (dt.date(2025, 4, 11),
                                                          "Released from custody")
    assert release.summary == "Held by probation: ask the probation officer"
    assert release.details == {} and release.shared_as == "headline"
    assert "Art. 10" in release.lawful_basis  # criminal offence data
    check = entries["HOME_CIRCUMSTANCES_CHECK"]
    assert check.summary.startswith("Release address") and check.shared_as == "full"
    assert "Art. 9(2)(g)" in check.lawful_basis
    # the health visitor's own agency's events and other agencies' are not "shared"
    assert entries["NEW_BIRTH_VISIT"].shared_as == "" and \
        entries["NEW_BIRTH_VISIT"].lawful_basis == ""


def test_adult_mental_health_medication_is_withheld_from_the_health_visitor() -> None:
    c = chronology(Viewer("HV", "HEALTH_VISITING"))
    entries = by_type(c)
    assert "MEDICATION_PRESCRIBED" not in entries
    assert entries["MENTAL_HEALTH_CONCERN"].summary == (
        "Held by adult mental health services: ask the care coordinator")
    assert "Sertraline" not in to_csv(c) and "Sertraline" not in to_html(c)


def test_the_probation_officer_sees_their_own_agencys_events_in_full() -> None:
    entries = by_type(chronology(Viewer("PROBATION", "PROBATION")))
    release = entries["CUSTODY_RELEASE"]
    assert release.summary.startswith("Released on licence")
    assert release.details == {"licence": "no contact"} and release.shared_as == ""
    # another agency's adult information is still narrowed for them
    assert entries["MENTAL_HEALTH_CONCERN"].shared_as == "headline"
    assert "MEDICATION_PRESCRIBED" not in entries


def test_without_a_viewer_nothing_is_narrowed_and_a_reader_without_an_agency_is_outside() -> None:
    everything = chronology(None)
    assert len(everything.entries) == len(EVENTS)
    assert all(e.shared_as == "" for e in everything.entries)
    outsider = by_type(chronology(Viewer()))
    assert outsider["CUSTODY_RELEASE"].shared_as == "headline"
    assert "MEDICATION_PRESCRIBED" not in outsider


def test_an_adult_outside_the_family_is_not_named_in_a_headline() -> None:
    visitor = ev(7, "POLICE", 9, "ARREST", "2025-04-16", "Arrested at the flat.")
    visitor.related_person, visitor.subject_name = CHILD, "Sam Hill"
    seen = build(CHILD, [*EVENTS, visitor], NETWORK, NAMES, agency_kinds=KINDS,
                 viewer=Viewer("HV", "HEALTH_VISITING"), today=dt.date(2026, 1, 1))
    arrest = by_type(seen)["ARREST"]
    assert arrest.person_name == "" and arrest.role_label == "outside the family network"
    police = build(CHILD, [*EVENTS, visitor], NETWORK, NAMES, agency_kinds=KINDS,
                   viewer=Viewer("POLICE", "POLICE"), today=dt.date(2026, 1, 1))
    assert by_type(police)["ARREST"].person_name == "Sam Hill"


def test_withheld_events_leave_no_trace_in_the_gaps() -> None:
    lone = [ev(1, "HV", CHILD, "NEW_BIRTH_VISIT", "2025-01-01", "Baby well."),
            *(ev(10 + n, "AMH", MOTHER, "APPOINTMENT_ATTENDED",
                 (dt.date(2025, 1, 15) + dt.timedelta(days=14 * n)).isoformat(), "Seen.")
              for n in range(10)),
            ev(2, "HV", CHILD, "HV_VISIT", "2025-06-01", "Baby well.")]
    hv = build(CHILD, lone, NETWORK, NAMES, viewer=Viewer("HV", "HEALTH_VISITING"),
               agency_kinds=KINDS, today=dt.date(2026, 1, 1))
    assert [g.kind for g in hv.gaps] == ["quiet_period"]  # AMH's visits are not counted
    amh = build(CHILD, lone, NETWORK, NAMES, viewer=Viewer("AMH", "ADULT_MENTAL_HEALTH"),
                agency_kinds=KINDS, today=dt.date(2026, 1, 1))
    assert amh.gaps == []


def test_csv_cells_that_a_spreadsheet_would_run_are_made_text() -> None:
    for text in ("=1+2", "+44 161", "-3", "@SUM(A1)", "\tx", "\rx"):
        assert spreadsheet_safe(text) == "'" + text
    assert spreadsheet_safe("Baby well.") == "Baby well." and spreadsheet_safe(-3) == -3
    rows = list(csv.DictReader(io.StringIO(to_csv(chronology(None)))))
    incident = next(r for r in rows if r["event_type"] == "DA_INCIDENT")
    assert incident["summary"] == "'=HYPERLINK(\"http://x\")"
    visit = next(r for r in rows if r["event_type"] == "NEW_BIRTH_VISIT")
    assert visit["summary"] == "Baby well." and visit["date"] == "2025-04-10"


def test_the_printed_chronology_says_how_much_is_shared_and_on_what_basis() -> None:
    html = to_html(chronology(Viewer("HV", "HEALTH_VISITING")), dt.date(2026, 1, 1),
                   swimlane=True)
    assert "Shown as a headline only (the detail stays with the agency). Lawful basis: UK " \
           "GDPR Art. 6(1)(e)" in html
    assert "Released on licence" not in html
    assert "shown to a reader at HV under the partnership" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html  # the swimlane, drawn once


def test_the_swimlane_is_well_formed_with_one_lane_per_agency() -> None:
    picture = draw(chronology(Viewer("HV", "HEALTH_VISITING")))
    root = ET.fromstring(picture.svg)
    ns = "{http://www.w3.org/2000/svg}"
    lanes = root.findall(f"{ns}g[@class='jup-swimlane__lane']")
    assert picture.lanes == ["AMH", "HV", "POLICE", "PROBATION"]  # AMH: the headline only
    assert len(lanes) == 4
    assert root.get("role") == "img" and root.get("aria-labelledby") == \
        "swimlane-title swimlane-desc"
    assert root.find(f"{ns}title").text.startswith("Events by agency, 10 April 2025")  # type: ignore[union-attr]
    assert root.find(f"{ns}desc") is not None
    assert "style=" not in picture.svg
    marks = root.findall(f".//{ns}circle") + root.findall(f".//{ns}polygon")
    assert len(marks) >= 5  # five events, plus the legend's two marks
    assert picture.counts == {"AMH": [1], "HV": [1], "POLICE": [1], "PROBATION": [2]}
    assert picture.concerns["PROBATION"] == 1 and picture.bucket_label(
        picture.buckets[0]) == "Apr 2025"
    assert not root.findall(f".//{ns}a")  # no links unless asked (the printed chronology)
    linked = ET.fromstring(draw(chronology(Viewer("HV", "HEALTH_VISITING")),
                                link=lambda e: f"/entry/{e.event}").svg)
    assert len(linked.findall(f".//{ns}a")) == 5


def test_a_lane_is_labelled_with_the_agency_name_on_two_lines_at_most() -> None:
    from joinedup.chronology.render.swimlane import _lane_label

    label = ET.fromstring(_lane_label("Children's Social Care (previous local area)", 20.0))
    lines = [t.text for t in label]
    assert lines == ["Children's Social", "Care (previous loca\u2026"]
    assert [t.text for t in ET.fromstring(_lane_label("Health Visiting", 20.0))] == [
        "Health Visiting"]


def test_a_long_swimlane_counts_by_year_and_labels_years() -> None:
    spread = [ev(n, "HV", CHILD, "HV_VISIT", f"{2015 + n}-06-01", "Seen.") for n in range(8)]
    picture = draw(build(CHILD, spread, NETWORK, NAMES, today=dt.date(2026, 1, 1)))
    assert picture.bucket == "year" and len(picture.buckets) == 8
    assert picture.counts["HV"] == [1] * 8
    ET.fromstring(picture.svg)
    assert ">2020<" in picture.svg
