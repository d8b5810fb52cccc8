"""Loading returns: what a data steward sees happen to good rows, bad rows and re-sends."""

from __future__ import annotations

import json

import openpyxl
import pytest

from joinedup.agencies.models import Submission
from joinedup.chronology.models import Event
from joinedup.errors import AgencyError, NextStep, UnreadableFileError
from joinedup.ingest.loading import load_return
from joinedup.ingest.models import QuarantinedRow, RowWarning
from joinedup.people.models import PersonRecord, PersonRecordVersion, RelationshipRecord
from tests.helpers import EVENT, PERSON

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_good_rows_load_and_bad_rows_go_to_quarantine_with_every_reason(agency, make_return):
    folder = make_return(
        people=[PERSON, {**PERSON, "person_id": "", "family_name": ""}],
        events=[
            EVENT,
            {**EVENT, "event_id": "E2", "event_type": "A_AND_E", "occurred_at": "31/02/2025"},
            {**EVENT, "event_id": "E3", "person_id": "NOBODY"},
        ],
    )
    result = load_return(folder, "HV")
    assert Event.objects.count() == 1
    assert PersonRecord.objects.get().family_name == "Walker"
    assert result.tables["events"].quarantined == 2
    assert result.tables["people"].quarantined == 1
    bad = QuarantinedRow.objects.get(table="events", row_number=3)
    assert bad.location == "events.csv"
    # both problems with the row are reported, not just the first
    assert "'A_AND_E' is not an event type" in bad.reason
    assert "'31/02/2025' is not a real date" in bad.reason
    assert bad.raw["event_type"] == "A_AND_E"
    unknown = QuarantinedRow.objects.get(table="events", row_number=4)
    assert unknown.column == "person_id" and "NOBODY" in unknown.reason
    missing = QuarantinedRow.objects.get(table="people")
    assert {p["column"] for p in missing.problems} == {"person_id", "family_name"}


def test_a_warning_loads_the_row_without_the_field_and_keeps_the_raw_value(agency, make_return):
    folder = make_return(people=[{**PERSON, "nhs_number": "9434765918", "postcode": "SK1",
                                  "date_of_birth": "2003-13-01"}])
    result = load_return(folder, "HV")
    person = PersonRecord.objects.get()
    assert (person.nhs_number, person.postcode, person.date_of_birth) == ("", "", None)
    assert person.given_name == "Jade"
    assert result.tables["people"].warnings == 3
    kept = {w.column: w.raw_value for w in RowWarning.objects.all()}
    assert kept == {"nhs_number": "9434765918", "postcode": "SK1", "date_of_birth": "2003-13-01"}


def test_values_are_normalised(agency, make_return):
    folder = make_return(people=[{**PERSON, "nhs_number": "943 476 5919", "postcode": "sk13xe",
                                  "date_of_birth": "14/03/2003", "other_names": "Jade Smith; JJ",
                                  "flags": "care_experienced;DA_VICTIM", "team": "North"}])
    load_return(folder, "HV")
    person = PersonRecord.objects.get()
    assert person.nhs_number == "9434765919"
    assert person.postcode == "SK1 3XE"
    assert person.date_of_birth.isoformat() == "2003-03-14"
    assert person.other_names == ["Jade Smith", "JJ"]
    assert person.flags == ["CARE_EXPERIENCED", "DA_VICTIM"]
    assert person.extra == {"team": "North"}  # extra columns are kept as details


def test_the_same_return_sent_twice_changes_nothing(agency, make_return):
    folder = make_return(people=[PERSON], events=[EVENT])
    first = load_return(folder, "HV")
    again = load_return(folder, "HV")
    assert again.already_received == first.submission_id
    assert Submission.objects.count() == 1
    assert Event.objects.count() == 1


def test_the_same_rows_in_a_new_file_change_nothing(agency, make_return):
    load_return(make_return(people=[PERSON], events=[EVENT]), "HV")
    second = load_return(make_return(people=[PERSON], events=[EVENT], relationships=[]), "HV")
    assert second.tables["events"].unchanged == 1 and second.rows_loaded == 0
    assert Event.objects.count() == 1
    assert PersonRecordVersion.objects.count() == 1


def test_a_correction_is_a_new_version_and_the_old_one_is_kept(agency, make_return):
    load_return(make_return(people=[PERSON], events=[EVENT]), "HV")
    corrected = {**EVENT, "summary": "Visit at home; baby seen", "recorded_at": "2025-01-20"}
    result = load_return(make_return(people=[{**PERSON, "postcode": "SK2 6AA"}],
                                     events=[corrected]), "HV")
    assert result.tables["events"].corrected == 1
    versions = list(Event.objects.filter(source_id="E1").order_by("version"))
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[0].summary == "Visit at home" and versions[0].superseded_at is not None
    assert versions[1].summary == "Visit at home; baby seen"
    person = PersonRecord.objects.get()
    assert (person.version, person.postcode) == (2, "SK2 6AA")
    old, new = person.versions.order_by("version")
    assert old.content["postcode"] == "SK1 3XE" and old.superseded_at is not None
    assert new.content["postcode"] == "SK2 6AA" and new.superseded_at is None


def test_events_can_refer_to_people_sent_earlier(agency, make_return):
    load_return(make_return(people=[PERSON]), "HV")
    result = load_return(make_return(events=[EVENT]), "HV")
    assert result.tables["events"].new == 1


@pytest.mark.parametrize("earlier_events", [False, True], ids=["first events", "later events"])
def test_events_about_people_never_sent_are_refused_on_every_load(agency, make_return,
                                                                  earlier_events):
    """The agency's first events take a shorter road through the merge (merge._first_events);
    what is refused and what is warned about is the same either way."""
    if earlier_events:
        load_return(make_return(people=[PERSON], events=[{**EVENT, "event_id": "E0"}]), "HV")
    result = load_return(make_return(people=[PERSON], events=[
        EVENT,
        {**EVENT, "event_id": "E2", "person_id": "NOBODY", "related_person_id": "NOONE"},
        {**EVENT, "event_id": "E3", "related_person_id": "NOONE"},
        {**EVENT, "event_id": "E2", "summary": "a repeated id"},
    ]), "HV")
    events = result.tables["events"]
    assert (events.new, events.quarantined, events.warnings) == (2, 2, 1)
    refused = {r.row_number: (r.column, r.reason) for r in QuarantinedRow.objects.all()}
    assert refused == {
        3: ("person_id", "no person with person_id 'NOBODY' has been sent by HV"),
        5: ("event_id", "the id 'E2' is also on row 3"),
    }
    warned = RowWarning.objects.get(table="events")
    assert (warned.row_number, warned.column, warned.raw_value) == (4, "related_person_id",
                                                                   "NOONE")
    stored = Event.objects.filter(source_id__in=["E1", "E3"]).order_by("source_id")
    assert [(e.source_id, e.related_person_id) for e in stored] == [("E1", None), ("E3", None)]


def test_duplicate_ids_in_one_file_keep_the_first_row(agency, make_return):
    result = load_return(make_return(people=[PERSON], events=[
        EVENT, {**EVENT, "summary": "second copy"}]), "HV")
    assert Event.objects.get().summary == "Visit at home"
    row = QuarantinedRow.objects.get()
    assert row.row_number == 3 and "also on row 2" in row.reason
    assert result.tables["events"].quarantined == 1


def test_dry_run_stores_nothing_but_reports_everything(agency, make_return):
    folder = make_return(people=[PERSON], events=[EVENT, {**EVENT, "event_id": "E2",
                                                          "event_type": "NOPE"}])
    result = load_return(folder, "HV", dry_run=True)
    assert result.submission_id is None
    assert result.tables["events"].new == 1 and result.tables["events"].quarantined == 1
    assert [p.column for p in result.problems] == ["event_type"]
    assert Submission.objects.count() == 0 and Event.objects.count() == 0
    assert QuarantinedRow.objects.count() == 0
    assert load_return(folder, "HV").tables["events"].new == 1  # and can then be loaded


def test_relationships_are_versioned_and_refer_to_known_people(agency, make_return):
    people = [PERSON, {**PERSON, "person_id": "B1", "given_name": "", "family_name": "Walker",
                       "date_of_birth": "", "nhs_number": ""}]
    rel = {"person_id": "P1", "related_person_id": "B1", "relationship": "MOTHER_OF",
           "details": json.dumps({"parental_responsibility": True})}
    load_return(make_return(people=people, relationships=[
        rel, {**rel, "related_person_id": "GHOST"}]), "HV")
    stored = RelationshipRecord.objects.get()
    assert stored.details == {"parental_responsibility": True}
    assert stored.person.source_id == "P1" and stored.related_person.source_id == "B1"
    assert QuarantinedRow.objects.get().column == "related_person_id"
    load_return(make_return(relationships=[{**rel, "valid_to": "2025-06-01"}]), "HV")
    assert RelationshipRecord.objects.filter(is_current=True).get().version == 2
    assert RelationshipRecord.objects.count() == 2


def test_an_unknown_agency_is_a_clear_error(db, make_return):
    with pytest.raises(AgencyError, match="no agency with code 'XX'.*Register it first") as refused:
        load_return(make_return(people=[PERSON]), "XX")
    assert refused.value.hint == NextStep.REGISTER_AGENCY(agency="XX")


def test_a_missing_required_column_stops_the_file_with_the_fix(agency, tmp_path):
    (tmp_path / "events.csv").write_text("event_id,person_id,type,occured_at,recorded_at\n")
    with pytest.raises(UnreadableFileError) as caught:
        load_return(tmp_path / "events.csv", "HV")
    message = str(caught.value)
    assert "events.csv" in message and "occurred_at (found 'occured_at': rename it)" in message
    assert Submission.objects.count() == 0


def test_a_file_that_is_not_utf8_is_refused_and_nothing_is_stored(agency, tmp_path):
    path = tmp_path / "people.csv"
    latin1 = "P2,Bront\xeb\n".encode("latin-1")
    path.write_bytes(b"person_id,family_name\nP1,Walker\n" + latin1)
    with pytest.raises(UnreadableFileError, match="people.csv, line 3: the file is not UTF-8"):
        load_return(path, "HV")
    assert PersonRecord.objects.count() == 0 and Submission.objects.count() == 0


def test_a_workbook_return_loads(agency, tmp_path):
    book = openpyxl.Workbook()
    people = book.active
    people.title = "people"
    people.append(["person_id", "given_name", "family_name", "date_of_birth"])
    import datetime as dt

    people.append(["P1", "Jade", "Walker", dt.datetime(2003, 3, 14)])
    events = book.create_sheet("Events")
    events.append(["event_id", "person_id", "event_type", "occurred_at", "recorded_at"])
    events.append([101, "P1", "HV_VISIT", dt.datetime(2025, 1, 10, 9, 30), "12/01/2025"])
    events.append([102, "P1", "HV_VISIT", None, "12/01/2025"])
    book.save(tmp_path / "return.xlsx")
    result = load_return(tmp_path / "return.xlsx", "HV")
    assert result.format == "xlsx"
    assert PersonRecord.objects.get().date_of_birth.isoformat() == "2003-03-14"
    event = Event.objects.get()
    assert event.source_id == "101" and event.occurred_time_known
    row = QuarantinedRow.objects.get()
    assert (row.location, row.row_number, row.column) == ("return.xlsx, sheet Events", 3,
                                                          "occurred_at")


def test_a_json_return_loads(agency, tmp_path):
    path = tmp_path / "return.json"
    path.write_text(json.dumps({
        "people": [PERSON],
        "events": [{**EVENT, "details": {"dash_score": 15}, "event_type": "DA_INCIDENT"}],
    }))
    load_return(path, "HV")
    assert Event.objects.get().details == {"dash_score": 15}
