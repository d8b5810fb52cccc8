"""An alert's title says the state that fired it: for each rule of the catalogue, a real
firing of the engine on a small chronology (the family of ``test_rules.py``) and the title a
practitioner reads on it. A title never carries a name, a summary, a detail's value or an
entry held by a victim-support service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from joinedup.alerts.catalogue import load_catalogue
from joinedup.alerts.engine import Firing
from joinedup.alerts.snapshot import EventRow
from joinedup.alerts.state_titles import MAX_LENGTH, EvidenceEvent, state_title
from joinedup.visibility import VICTIM_SUPPORT_KINDS
from tests.alerts.test_rules import FATHER, HOME_AREA, MOTHER, OTHER_AREA, SCHOOL_AGE, ev
from tests.alerts.test_rules import alerts as firings_of

RULES = {rule.id: rule for rule in load_catalogue()}


def _evidence(events: list[EventRow]) -> dict[int, EvidenceEvent]:
    return {e.event_pk: EvidenceEvent(e.event_type, e.occurred_on, e.agency,
                                      e.agency_kind in VICTIM_SUPPORT_KINDS) for e in events}


def _title(firing: Firing, events: list[EventRow]) -> str:
    known = _evidence(events)
    return state_title(firing, RULES[firing.rule], [known[e] for e in firing.evidence])


def titles(rule_id: str, events: list[EventRow], **kwargs: Any) -> list[str]:
    """The titles of a rule's alerts on this chronology, in the order they fired."""
    return [_title(f, events) for f in firings_of(rule_id, events, **kwargs)]


def _refuge(pk: int, event_type: str, occurred: str, *, who: int = MOTHER,
            **details: Any) -> EventRow:
    """An entry recorded by a refuge (a victim-support service)."""
    day = dt.date.fromisoformat(occurred)
    return EventRow(pk, "REFUGE", who, event_type, day, day, details, agency_kind="REFUGE",
                    agency_area=HOME_AREA)


MAPPA_FATHER = ((FATHER, "MAPPA_2"),)

EXAMPLES: dict[str, tuple[list[EventRow], dict[str, Any], list[str]]] = {
    "NIM_INJURY": (
        [ev(1, "INJURY", "2026-03-02", by="ED", type="bruise")], {},
        ["Injury on 2 March 2026 to a baby who is not independently mobile"]),
    "UNEXPLAINED_FRACTURE": (
        [ev(1, "INJURY", "2026-06-02", by="ED", type="fracture")], {"born": SCHOOL_AGE},
        ["Fracture on 2 June 2026 with no suitable explanation"]),
    "REPEAT_PRESENTATION_U1": (
        [ev(1, "ED_ATTENDANCE", "2026-03-02", by="ED"),
         ev(2, "INJURY", "2026-04-20", by="GP", type="bruise")], {},
        ["Baby under one seen with an injury or at an emergency department on 2 different "
         "days between 2 March and 20 April 2026"]),
    "UNASSESSED_RISKY_ADULT": (
        [ev(1, "BIRTH", "2026-01-15", by="MW")], {"flags": MAPPA_FATHER},
        ["Risk adult around a child under 2 from 15 January 2026; no assessment or "
         "information from children's social care within 30 days"]),
    "RELEASE_NEAR_CHILD": (
        [ev(1, "CUSTODY_RELEASE", "2026-05-04", who=FATHER, by="PRISON")],
        {"flags": MAPPA_FATHER},
        ["Risk adult released from custody on 4 May 2026, near a child"]),
    "LICENCE_END_CLIFF": (
        [ev(1, "LICENCE_END", "2026-07-06", who=FATHER, by="PROBATION")],
        {"flags": MAPPA_FATHER}, ["Risk adult's licence ends on 6 July 2026"]),
    "RELEASE_AFTER_STEP_DOWN": (
        [ev(1, "STEP_DOWN", "2026-03-02", by="CSC"),
         ev(2, "CUSTODY_RELEASE", "2026-04-01", who=FATHER, by="PRISON")],
        {"flags": MAPPA_FATHER},
        ["Stepped down on 2 March 2026; risk adult released from custody on 1 April 2026, "
         "30 days later"]),
    "CUMULATIVE_PARENTAL_RISK": (
        [ev(1, "MENTAL_HEALTH_CONCERN", "2026-02-02", who=MOTHER, by="AMH"),
         ev(2, "DA_INCIDENT", "2026-05-11", who=MOTHER, by="POLICE", related=FATHER)], {},
        ["Domestic abuse and mental ill-health recorded for the child's carers between "
         "2 February and 11 May 2026"]),
    "DA_PREGNANCY_INFANCY": (
        [ev(1, "DA_INCIDENT", "2026-03-02", who=MOTHER, by="POLICE", related=FATHER)], {},
        ["Domestic abuse incident on 2 March 2026, in pregnancy, around a baby under one "
         "or at high risk"]),
    "WAS_NOT_BROUGHT": (
        [ev(1, "APPOINTMENT_MISSED", "2026-02-02", by="GP"),
         ev(2, "APPOINTMENT_MISSED", "2026-03-09", by="HV"),
         ev(3, "APPOINTMENT_MISSED", "2026-03-28", by="HV")], {"born": SCHOOL_AGE},
        ["2 missed appointments between 2 February and 9 March 2026"]),
    "DISENGAGEMENT_CLUSTER": (
        [ev(1, "APPOINTMENT_MISSED", "2026-03-02", who=MOTHER, by="GP"),
         ev(2, "NO_ACCESS_VISIT", "2026-03-20", by="HV"),
         ev(3, "MEDICATION_STOPPED", "2026-04-10", who=MOTHER, by="AMH")], {},
        ["3 signs of disengagement from 3 agencies between 2 March and 10 April 2026: "
         "missed appointments, no access at a visit and medication stopped"]),
    "POST_STEP_DOWN_DETERIORATION": (
        [ev(1, "STEP_DOWN", "2026-03-02", by="CSC"),
         ev(2, "ED_ATTENDANCE", "2026-04-21", by="ED")], {"born": SCHOOL_AGE},
        ["Stepped down on 2 March 2026; emergency department attendance on 21 April 2026, "
         "50 days later"]),
    "THIN_STEP_DOWN": (
        [ev(1, "STEP_DOWN", "2026-03-02", by="CSC"),
         ev(2, "HOME_VISIT", "2026-02-20", by="CSC")], {},
        ["Stepped down on 2 March 2026 with input from fewer than 2 agencies in the 30 "
         "days before"]),
    "TRANSFER_IN_NO_HISTORY": (
        [ev(1, "TRANSFER_IN", "2026-03-02", by="CSC", previous_area=OTHER_AREA),
         ev(2, "INFO_REQUEST_SENT", "2026-03-03", by="CSC")], {},
        ["Information requested on 3 March 2026; no reply after 15 working days"]),
    "CARE_HISTORY_THIN": (
        [ev(1, "BIRTH", "2026-01-15", by="MW"),
         ev(2, "LAC_EPISODE_START", "2005-04-01", who=MOTHER, by="CSC"),
         ev(3, "LAC_EPISODE_END", "2010-04-01", who=MOTHER, by="CSC")], {},
        ["Parent looked after as a child from 1 April 2005 to 1 April 2010; no more than "
         "1 entry about that time"]),
    "RECORDING_LAG": (
        [ev(1, "HOME_VISIT", "2026-03-02", by="HV", recorded="2026-03-16")], {},
        ["Home visit on 2 March 2026 recorded on 16 March 2026, more than 5 working days "
         "later"]),
    "NO_STRATEGY_DISCUSSION": (
        [ev(1, "INJURY", "2026-03-02", by="ED", type="bruise")], {},
        ["Injury to a baby who is not independently mobile on 2 March 2026; no strategy "
         "discussion after 1 working day"]),
    "RELEASE_NOT_FOLLOWED_UP": (
        [ev(1, "CUSTODY_RELEASE", "2026-05-04", who=FATHER, by="PRISON")],
        {"flags": MAPPA_FATHER},
        ["Risk adult released from custody on 4 May 2026; no assessment, information "
         "shared or professionals meeting after 10 working days"]),
    "JIGSAW_GAP": (
        [ev(1, "INJURY", "2026-03-02", by="ED", type="bruise"),
         ev(2, "APPOINTMENT_MISSED", "2026-03-20", by="GP"),
         ev(3, "MENTAL_HEALTH_CONCERN", "2026-04-01", who=MOTHER, by="AMH")],
        {"born": SCHOOL_AGE},
        ["Concerns from 3 agencies between 2 March and 1 April 2026; no professionals "
         "meeting or information shared"]),
    "FAMILY_CONCERN_UNACTIONED": (
        [ev(1, "REFERRAL", "2026-03-02", by="CSC", source="grandparent")], {},
        ["Concern from a family member on 2 March 2026 (a referral); no assessment or "
         "strategy discussion after 10 working days"]),
}


def test_every_rule_of_the_catalogue_has_an_example() -> None:
    assert sorted(EXAMPLES) == sorted(RULES)


@pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
def test_the_title_says_the_state_that_fired_the_alert(rule_id: str) -> None:
    events, kwargs, expected = EXAMPLES[rule_id]
    found = titles(rule_id, events, **kwargs)
    assert found == expected
    assert all(len(title) <= MAX_LENGTH and title != RULES[rule_id].title for title in found)


def test_a_transfer_with_no_request_says_so() -> None:
    events = [ev(1, "TRANSFER_IN", "2026-03-02", by="CSC", previous_area=OTHER_AREA)]
    assert titles("TRANSFER_IN_NO_HISTORY", events) == [
        "Moved from another area on 2 March 2026; no history requested within 5 working days"]


def test_a_missed_appointment_on_a_plan_says_so() -> None:
    events = [ev(1, "CIN_PLAN_START", "2026-02-02", by="CSC"),
              ev(2, "APPOINTMENT_MISSED", "2026-03-09", by="GP")]
    assert titles("WAS_NOT_BROUGHT", events, born=SCHOOL_AGE) == [
        "Appointment missed on 9 March 2026 while on a plan"]


def test_a_licence_end_named_at_release_gives_the_days_left() -> None:
    events = [ev(1, "CUSTODY_RELEASE", "2026-03-02", who=FATHER, by="PRISON",
                 licence_end="2026-09-01")]
    assert titles("LICENCE_END_CLIFF", events, flags=MAPPA_FATHER) == [
        "Risk adult's licence ends on 1 September 2026, in 30 days"]


def test_a_care_history_that_is_one_summary_says_so() -> None:
    events = [ev(1, "BIRTH", "2026-01-15", by="MW"),
              ev(2, "CARE_HISTORY_SUMMARY", "2026-02-01", who=MOTHER, by="CSC")]
    assert titles("CARE_HISTORY_THIN", events, flags=((MOTHER, "CARE_EXPERIENCED"),)) == [
        "Care-experienced parent whose care history is 1 summary on 1 February 2026"]


def test_an_alert_set_off_by_a_refuge_entry_takes_the_rules_title() -> None:
    """The refuge's entry is the only evidence: the title does not mention it, not even its
    date, so it is the rule's own."""
    events = [_refuge(1, "REFUGE_ENTRY", "2026-03-02", previous_area=OTHER_AREA)]
    assert titles("TRANSFER_IN_NO_HISTORY", events) == [
        "Moved from another area and no history requested"]


def test_a_victim_support_entry_is_left_out_of_a_count() -> None:
    """Two carers' risks, one of them known only from a domestic abuse service: the title
    cannot count it, so it is the rule's own; the police's incident is counted."""
    support = [ev(1, "MENTAL_HEALTH_CONCERN", "2026-02-02", who=MOTHER, by="AMH"),
               _refuge(2, "DA_INCIDENT", "2026-05-11", related=FATHER)]
    assert titles("CUMULATIVE_PARENTAL_RISK", support) == [
        RULES["CUMULATIVE_PARENTAL_RISK"].title]


NAMES = ("Testa", "Refugeworker", "Brightstart")
DETAILS = (OTHER_AREA.lower(), "grandparent", "bruise")
"""Values from the examples' details that no title may repeat."""


@pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
def test_a_title_never_carries_a_name_a_summary_a_detail_or_a_victim_support_agency(
        rule_id: str) -> None:
    """Every example again, each entry carrying a name in its details and recorded as if
    by a victim-support service too: no title holds a name, a detail's value, an agency
    code or the kind of a victim-support agency."""
    events, kwargs, _ = EXAMPLES[rule_id]
    named = [EventRow(e.event_pk, e.agency, e.person_id, e.event_type, e.occurred_on,
                      e.recorded_on, {**e.details, "worker": "Testa Refugeworker",
                                      "programme": "Brightstart"},
                      related_id=e.related_id, agency_kind=e.agency_kind,
                      agency_area=e.agency_area) for e in events]
    for title in titles(rule_id, named, **kwargs):
        assert not any(word.lower() in title.lower() for word in NAMES)
        assert not any(value in title.lower() for value in DETAILS)
        assert not any(f" {e.agency} " in f" {title} " for e in named)
    supported = [EventRow(e.event_pk, "REFUGE", e.person_id, e.event_type, e.occurred_on,
                          e.recorded_on, e.details, related_id=e.related_id,
                          agency_kind="REFUGE", agency_area=e.agency_area) for e in events]
    for firing in firings_of(rule_id, supported, **kwargs):
        title = _title(firing, supported)
        assert "refuge" not in title.lower() and "domestic abuse service" not in title.lower()
        if firing.evidence:  # every evidence entry held by a refuge: none is mentioned
            assert title == RULES[rule_id].title


# --- Stored alerts ---------------------------------------------------------------------------

BABY = 9401
INJURY_TITLE = "Injury on 3 March 2025 to a baby who is not independently mobile"


@pytest.fixture
def injured_baby(db: None, tmp_path: Any) -> None:
    """A baby of seven weeks with an injury recorded by the hospital."""
    from joinedup.agencies.registry import register_agency
    from joinedup.ingest.loading import load_return
    from joinedup.people.models import Person, PersonRecord
    from tests.helpers import write_return

    register_agency("HOSP", "Hospital", "HOSPITAL", "E08000007")
    Person.objects.create(id=BABY)
    people = [{"person_id": "H-1", "given_name": "Testa", "family_name": "Titledbaby",
               "date_of_birth": "2025-01-13", "sex": "F"}]
    events = [{"person_id": "H-1", "event_id": "H1", "event_type": "INJURY",
               "occurred_at": "2025-03-03", "recorded_at": "2025-03-03",
               "summary": "Testa Titledbaby brought in with a bruise",
               "details": '{"type": "bruise", "site": "cheek"}'}]
    folder = write_return(tmp_path / "hosp", people=people, events=events)
    assert load_return(folder, "HOSP").rows_quarantined == 0
    PersonRecord.objects.filter(source_id="H-1").update(person_id=BABY)


def test_a_run_titles_its_alerts_with_the_state_and_mends_old_titles(
        injured_baby: None) -> None:
    """A new alert is raised with its state title; an alert still carrying its rule's
    title (raised before titles said the state) takes its state title on the next run,
    without a line in its history (its firing did not change)."""
    from joinedup.alerts.models import Alert
    from joinedup.alerts.raising import run_alerts

    run_alerts(who="test")
    injury = Alert.objects.get(child_id=BABY, rule="NIM_INJURY")
    assert injury.title == INJURY_TITLE
    assert Alert.objects.get(child_id=BABY, rule="NO_STRATEGY_DISCUSSION").title == (
        "Injury to a baby who is not independently mobile on 3 March 2025; no strategy "
        "discussion after 1 working day")

    Alert.objects.filter(child_id=BABY).update(title="Injury in a baby who is not "
                                                     "independently mobile")
    history = injury.changes.count()
    result = run_alerts(who="test")
    injury.refresh_from_db()
    assert injury.title == INJURY_TITLE and result.retitled == 2
    assert injury.changes.count() == history
    assert "Testa" not in injury.title and "bruise" not in injury.title


def test_a_replay_line_keeps_its_rules_title_and_says_its_state(injured_baby: None) -> None:
    """Replay is read rule by rule: each line keeps the rule's title, and its state is the
    title the alert carries."""
    from joinedup.alerts.replay import replay

    lines = {line.rule: line for line in replay(BABY, dt.date(2025, 1, 1),
                                                dt.date(2025, 4, 1)).lines}
    assert lines["NIM_INJURY"].title == RULES["NIM_INJURY"].title
    assert lines["NIM_INJURY"].state == INJURY_TITLE


def test_a_title_keeps_back_what_the_sharing_policy_shows_to_no_partner() -> None:
    from joinedup.alerts.state_titles import kept_back

    # routine adult mental health treatment is shown to no partner: no title mentions it
    assert kept_back("ADULT_MENTAL_HEALTH", "APPOINTMENT_ATTENDED")
    assert kept_back("REFUGE", "ADULT_SERVICE_CONTACT")
    # a release's type and date are what its headline shows partners anyway
    assert not kept_back("PROBATION", "CUSTODY_RELEASE")
    assert not kept_back("HEALTH_VISITING", "APPOINTMENT_MISSED")
