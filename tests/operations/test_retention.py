"""The retention schedule applied to a crafted partnership on a fixed day (1 January 2040):
what is due, that a dry run changes nothing, that applying removes exactly what is due (and
keeps everything else), that the audit chain stays whole, and that a second run does nothing.
Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from joinedup.errors import ConfigurationError
from joinedup.operations import retention
from joinedup.operations import retention_schedule as schedule
from joinedup.operations.person_retention import FOREVER, Facts, add_years, keep_until

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

AS_OF = dt.date(2040, 1, 1)
WHO = "records.manager"


def _person(pid: str, given: str, family: str, born: str, **more: str) -> dict[str, str]:
    return {"person_id": pid, "given_name": given, "family_name": family,
            "date_of_birth": born, "sex": "F", "postcode": "SK1 3XE",
            "address": "12 Acacia Avenue, Stockport", **more}


def _event(eid: str, pid: str, kind: str, on: str, summary: str, **more: str) -> dict[str, str]:
    return {"event_id": eid, "person_id": pid, "event_type": kind, "occurred_at": on,
            "recorded_at": on, "summary": summary, **more}


@pytest.fixture
def partnership(db: None, make_return: Any) -> SimpleNamespace:
    """Families whose records are past every rule, and families kept by one rule each."""
    from axes.models import AccessLog
    from django.contrib.sessions.models import Session

    from joinedup.access.models import BreakGlass
    from joinedup.access.users import add_user
    from joinedup.agencies.registry import register_agency
    from joinedup.information_requests.meetings import record_meeting
    from joinedup.information_requests.requests import receive_response, send_request
    from joinedup.ingest.loading import load_return
    from joinedup.people.models import Person, PersonRecord
    from joinedup.reviews.workflow import open_review

    register_agency("HV", "Health Visiting", "HEALTH_VISITING", "E08000007")
    register_agency("CSC", "Children's Social Care", "CHILDRENS_SOCIAL_CARE", "E08000007")
    hv = make_return(
        people=[
            _person("A1", "Amy", "Archer", "2005-01-01", nhs_number="9434765919"),
            _person("A2", "Alice", "Archer", "1980-06-01", sex="Q"),  # a warning: sex
            _person("B1", "Ben", "Baker", "2003-02-01"),
            _person("B2", "Bill", "Baker", "1975-03-01"),
            _person("C1", "Cara", "Cole", "2020-04-01"),
            _person("D1", "Dan", "Drake", "1970-05-01"),
            _person("F1", "Finn", "Fox", "2001-07-01"),
            _person("", "", "", ""),  # quarantined: no id, no family name
        ],
        events=[
            _event("HV-A1", "A1", "HV_VISIT", "2006-03-01", "Visit at 12 Acacia Avenue"),
            _event("HV-A2", "A2", "HV_VISIT", "2007-03-01", "Mother seen alone"),
            _event("HV-B2", "B2", "HV_VISIT", "2009-03-01", "Father present"),
            _event("HV-C1", "C1", "HV_VISIT", "2021-03-01", "New birth visit"),
            _event("HV-D1", "D1", "HV_VISIT", "2010-03-01", "Adult seen"),
            _event("HV-F1", "F1", "HV_VISIT", "2002-03-01", "Visit"),
        ],
        relationships=[{"person_id": "A2", "related_person_id": "A1",
                        "relationship": "MOTHER_OF"},
                       {"person_id": "B2", "related_person_id": "B1",
                        "relationship": "FATHER_OF"}],
    )
    csc = make_return(
        people=[_person("CA1", "Amy", "Archer", "2005-01-01"),
                _person("CB1", "Ben", "Baker", "2003-02-01"),
                _person("CE1", "Eve", "Evans", "2000-08-01")],
        events=[_event("CSC-A1", "CA1", "CONTACT", "2007-05-01", "Contact from school"),
                _event("CSC-B1", "CB1", "LAC_EPISODE_START", "2010-06-01", "Came into care"),
                _event("CSC-E1", "CE1", "CASE_CLOSURE", "2004-09-01", "Adopted",
                       details='{"reason_for_closure": "RC1"}')],
    )
    load_return(hv, "HV")
    load_return(csc, "CSC")
    records = {f"{r.agency.code}:{r.source_id}": r for r in PersonRecord.objects.all()}
    groups = {1: ["HV:A1", "CSC:CA1"], 2: ["HV:A2"], 3: ["HV:B1", "CSC:CB1"], 4: ["HV:B2"],
              5: ["HV:C1"], 6: ["CSC:CE1"], 7: ["HV:F1"]}  # as linkage would group them
    for pid, refs in groups.items():
        Person.objects.create(id=pid)
        PersonRecord.objects.filter(id__in=[records[r].id for r in refs]).update(person_id=pid)
    records = {f"{r.agency.code}:{r.source_id}": r for r in PersonRecord.objects.all()}
    open_review(7, dt.date(2025, 1, 10), dt.date(2025, 1, 2), "A serious incident.",
                "Child F", WHO)
    request = send_request(from_agency="HV", to_agency="CSC", person_id=5,
                           reason="HEALTH_HISTORY", question="What does CSC know of Cara Cole?",
                           who=WHO, requested_on=dt.date(2021, 1, 4))
    receive_response(request.pk, response="Nothing known.", who=WHO,
                     received_on=dt.date(2021, 1, 11))
    meeting = record_meeting(child_id=1, agency="CSC", held_on=dt.date(2008, 1, 8),
                             attending=["HV"], decisions="Amy to be seen weekly at home",
                             who=WHO, chaired_by="Sam Chair",
                             actions=[{"description": "Visit Amy weekly", "owner": "HV team",
                                       "due_on": "2008-02-01"}])
    user = add_user("hv.worker", "HV", ["practitioner"], by=WHO)[0]
    reviewed = BreakGlass.objects.create(
        user=user, child_id=5, reason="Disclosure at school", expires_at=timezone.now(),
        reviewed_by="csc.lead", reviewed_at=timezone.now(), outcome="justified")
    pending = BreakGlass.objects.create(user=user, child_id=5, reason="Out of hours",
                                        expires_at=timezone.now())
    Session.objects.create(session_key="old", session_data="x",
                           expire_date=timezone.make_aware(dt.datetime(2030, 1, 1)))
    Session.objects.create(session_key="new", session_data="x",
                           expire_date=timezone.make_aware(dt.datetime(2045, 1, 1)))
    AccessLog.objects.create(user_agent="Firefox", ip_address="10.0.0.1", username="hv.worker",
                             http_accept="text/html", path_info="/sign-in/")
    return SimpleNamespace(records=records, request=request, meeting=meeting,
                           reviewed=reviewed, pending=pending)


def snapshot() -> dict[str, Any]:
    """Everything retention could touch, to compare before and after."""
    from axes.models import AccessLog
    from django.contrib.sessions.models import Session

    from joinedup.access.models import AuditEntry, BreakGlass
    from joinedup.chronology.models import Event
    from joinedup.information_requests.models import InformationRequest, ProfessionalsMeeting
    from joinedup.ingest.models import QuarantinedRow, RowWarning
    from joinedup.people.models import LinkDecision, PersonRecord, PersonRecordVersion

    return {
        "records": sorted(PersonRecord.objects.values_list(
            "id", "person_id", "given_name", "family_name", "date_of_birth", "nhs_number",
            "postcode", "address", "pseudonymised_at")),
        "versions": sorted((v.id, str(v.content)) for v in PersonRecordVersion.objects.all()),
        "events": sorted(Event.objects.values_list("id", "subject_id", "summary")),
        "requests": sorted(InformationRequest.objects.values_list("id", "question",
                                                                  "response")),
        "meetings": sorted(ProfessionalsMeeting.objects.values_list("id", "decisions")),
        "quarantine": QuarantinedRow.objects.count(), "warnings": RowWarning.objects.count(),
        "break_glass": BreakGlass.objects.count(), "sessions": Session.objects.count(),
        "sign_ins": AccessLog.objects.count(), "decisions": LinkDecision.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


# quarantine: the nameless row and Alice's sex warning. person_details: Amy's two records,
# Alice's, Dan's (unlinked). case_text: five events (Amy's two, the meeting's on Amy's
# chronology, Alice's, Dan's), the meeting and its action.


def by_class(results: list[retention.ClassResult]) -> dict[str, int]:
    return {r.name: r.due for r in results}


EXPECTED_DUE = {"quarantine": 2, "person_details": 4, "case_text": 7,
                "information_requests": 1, "break_glass": 1, "sessions": 1,
                "sign_in_records": 1}


def test_a_dry_run_lists_what_is_due_and_changes_nothing(partnership: SimpleNamespace) -> None:
    before = snapshot()
    results = retention.run(schedule.load(), AS_OF, apply=False, who=WHO)
    due = by_class(results)
    assert {k: due[k] for k in EXPECTED_DUE} == EXPECTED_DUE
    assert due["audit_trail"] == before["audit"] > 0  # reported, never removed
    oldest = {r.name: r.oldest for r in results}
    assert oldest["person_details"] == dt.date(2016, 3, 1)  # Dan Drake: last seen 2010 + 6
    assert oldest["information_requests"] == dt.date(2027, 1, 11)  # answered 2021 + 6
    assert all(r.done == 0 for r in results)
    assert snapshot() == before


def test_applying_removes_exactly_what_is_due(partnership: SimpleNamespace) -> None:
    from django.contrib.sessions.models import Session

    from joinedup.access import audit
    from joinedup.access.models import AuditEntry, BreakGlass
    from joinedup.chronology.models import Event
    from joinedup.information_requests.models import MeetingAction, ProfessionalsMeeting
    from joinedup.ingest.models import QuarantinedRow, RowWarning
    from joinedup.people.models import LinkDecision, PersonRecord, PersonRecordVersion

    before = snapshot()
    results = retention.run(schedule.load(), AS_OF, apply=True, who=WHO)
    assert {r.name: r.done for r in results if r.done} == EXPECTED_DUE
    # person details: blanked in the record and every version; ids and links kept
    gone = {"HV:A1", "CSC:CA1", "HV:A2", "HV:D1"}
    for ref, record in partnership.records.items():
        now = PersonRecord.objects.get(pk=record.pk)
        assert now.person_id == record.person_id and now.source_id == record.source_id
        if ref in gone:
            assert (now.given_name, now.family_name, now.date_of_birth, now.nhs_number,
                    now.postcode, now.address) == ("", "", None, "", "", "")
            assert now.pseudonymised_at is not None and now.sex == record.sex
            for version in PersonRecordVersion.objects.filter(person_record=record):
                assert "Archer" not in str(version.content) and \
                    "Acacia" not in str(version.content)
        else:
            assert (now.given_name, now.family_name, now.date_of_birth) == \
                (record.given_name, record.family_name, record.date_of_birth)
            assert now.pseudonymised_at is None
    # their events keep their place on the chronology, without the text
    assert Event.objects.count() == len(before["events"])
    for event in Event.objects.select_related("subject"):
        ref = f"{event.subject.agency.code}:{event.subject.source_id}"
        assert (event.summary == "") == (ref in gone), ref
    meeting = ProfessionalsMeeting.objects.get(pk=partnership.meeting.pk)
    assert meeting.decisions == retention.REMOVED_TEXT and meeting.chaired_by == ""
    assert MeetingAction.objects.get(meeting=meeting).description == retention.REMOVED_TEXT
    # Amy's two agencies' records stay one person whatever linkage does next
    amy = sorted((partnership.records["HV:A1"].pk, partnership.records["CSC:CA1"].pk))
    assert LinkDecision.objects.filter(record_a_id=amy[0], record_b_id=amy[1],
                                       decision="must_link", who=WHO).exists()
    # the rest
    partnership.request.refresh_from_db()
    assert partnership.request.question == retention.REMOVED_TEXT
    assert partnership.request.response == "" and partnership.request.status == "received"
    assert QuarantinedRow.objects.count() == 0 and RowWarning.objects.count() == 0
    assert list(BreakGlass.objects.values_list("id", flat=True)) == [partnership.pending.pk]
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]
    # audited, one entry per class, and the chain is whole
    entries = AuditEntry.objects.filter(object_type="retention").order_by("id")
    assert [e.object_id for e in entries] == list(EXPECTED_DUE)
    assert entries[1].details["counts"] == {"person_records": 4, "persons": 3, "versions": 4,
                                            "kept_together": 1}
    assert all(e.actor == WHO and e.details["as_of"] == "2040-01-01" for e in entries)
    assert AuditEntry.objects.count() == before["audit"] + len(EXPECTED_DUE)
    assert audit.verify() == []


def test_a_second_run_changes_nothing(partnership: SimpleNamespace) -> None:
    from joinedup.access import audit

    retention.run(schedule.load(), AS_OF, apply=True, who=WHO)
    after_first = snapshot()
    again = retention.run(schedule.load(), AS_OF, apply=True, who=WHO)
    assert {r.name: r.due for r in again if r.name != "audit_trail"} == {
        name: 0 for name in schedule.CLASS_ACTIONS if name != "audit_trail"}
    assert all(r.done == 0 for r in again)
    assert snapshot() == after_first
    assert audit.verify() == []


def test_the_same_record_sent_again_stays_pseudonymised(partnership: SimpleNamespace,
                                                         make_return: Any) -> None:
    from joinedup.ingest.loading import load_return
    from joinedup.people.models import PersonRecord

    retention.run(schedule.load(), AS_OF, apply=True, who=WHO)
    again = make_return(people=[
        _person("A1", "Amy", "Archer", "2005-01-01", nhs_number="9434765919"),
        _person("G1", "Gus", "Green", "2019-01-01")])
    result = load_return(again, "HV")
    assert result.tables["people"].unchanged == 1 and result.tables["people"].new == 1
    amy = PersonRecord.objects.get(pk=partnership.records["HV:A1"].pk)
    assert amy.family_name == "" and amy.date_of_birth is None
    assert amy.pseudonymised_at is not None


def test_the_family_network_keeps_a_looked_after_childs_father(
        partnership: SimpleNamespace, tmp_path: Path) -> None:
    due = by_class(retention.run(schedule.load(), AS_OF, apply=False, who=WHO))
    assert due["person_details"] == 4  # Bill Baker is kept with his son Ben (in care)
    alone = tmp_path / "alone.toml"
    alone.write_text("[person_details]\nfamily_network = false\n")
    due = by_class(retention.run(schedule.load(alone), AS_OF, apply=False, who=WHO))
    assert due["person_details"] == 5  # without the network, Bill's own dates have passed


def test_a_partnerships_file_changes_periods_and_switches_classes_off(
        partnership: SimpleNamespace, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "ours.toml"
    own.write_text("[quarantine]\nkeep_days = 36500\n[sessions]\nenabled = false\n")
    monkeypatch.setenv("JOINEDUP_RETENTION_FILE", str(own))
    chosen = schedule.load()
    assert str(own) in chosen.source
    results = {r.name: r for r in retention.run(chosen, AS_OF, apply=True, who=WHO)}
    assert results["quarantine"].due == 0 and results["quarantine"].period == "36500 days"
    assert not results["sessions"].enabled and results["sessions"].done == 0
    assert "switched off" in results["sessions"].note
    assert results["person_details"].done == 4


def test_switching_person_details_off_leaves_their_text_too(partnership: SimpleNamespace,
                                                           tmp_path: Path) -> None:
    off = tmp_path / "off.toml"
    off.write_text("[person_details]\nenabled = false\n")
    results = {r.name: r for r in retention.run(schedule.load(off), AS_OF, apply=True,
                                                 who=WHO)}
    assert results["person_details"].done == 0 and results["case_text"].done == 0
    assert results["quarantine"].done == 2


def test_a_broken_schedule_says_every_problem_and_nothing_runs(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("""
[quarantine]
keep_days = -1
action = "keep"
[shredding]
keep_days = 3
[[person_details.rules]]
name = "babies"
until_birthday = 1
event_types = ["BIRTHDAY_PARTY"]
""")
    with pytest.raises(ConfigurationError) as raised:
        schedule.load(bad)
    message = str(raised.value)
    assert "has 4 problems" in message
    assert "[shredding] is not a record class" in message
    assert "[quarantine] action cannot change: it is always 'delete'" in message
    assert "[quarantine] keep_days must be a whole number, 0 or more (got -1)" in message
    assert "'BIRTHDAY_PARTY' is not an event type" in message
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        (tmp_path / "worse.toml").write_text("[quarantine\n")
        schedule.load(tmp_path / "worse.toml")
    with pytest.raises(ConfigurationError, match="Cannot read the retention schedule"):
        schedule.load(tmp_path / "missing.toml")


@pytest.mark.parametrize(("facts", "expected"), [
    (Facts(date_of_birth=dt.date(2005, 1, 1), last_event=dt.date(2006, 1, 1)),
     (dt.date(2030, 1, 1), "childhood")),
    (Facts(date_of_birth=dt.date(1990, 1, 1), last_event=dt.date(2020, 5, 5)),
     (dt.date(2026, 5, 5), "last_involvement")),
    (Facts(flags={"CARE_EXPERIENCED"}, last_event=dt.date(2020, 5, 5)),  # no date of birth
     (FOREVER, "looked_after")),
    (Facts(date_of_birth=dt.date(1990, 1, 1), evidence={"child_protection": dt.date(1995, 1, 1)},
           last_event=dt.date(1995, 1, 1)), (dt.date(2030, 1, 1), "child_protection")),
    (Facts(date_of_birth=dt.date(2000, 1, 1), reviewed=True), (FOREVER, "practice_review")),
    (Facts(), None),
])
def test_each_rule_keeps_a_person_until_its_date(facts: Facts, expected: Any) -> None:
    kept = keep_until(facts, schedule.load().person_rules, 1)
    assert (kept.until, kept.rule) == expected if kept else expected is None


def test_years_are_added_to_29_february() -> None:
    assert add_years(dt.date(2024, 2, 29), 6) == dt.date(2030, 2, 28)
    assert add_years(dt.date(2024, 2, 29), -4) == dt.date(2020, 2, 29)
