"""Every rule of the catalogue on small hand-built chronologies (docs/rules.md is the spec).

For each of the 19 rules: an example that raises the alert (on which day, about which child,
on which recorded events), the near miss a practitioner would recognise, and the edges of its
window: the day before, on and after the boundary. Windows counted in working days are tried
across the Christmas 2026 bank holidays (Friday 25 and the substitute Monday 28 December) and
Easter 2026 (Good Friday 3 and Easter Monday 6 April).

The family used unless a test says otherwise: the child (1), born on 15 January 2026 (six
months old on 15 July 2026, one on 15 January 2027), the mother (2), the father (3) and a
grandmother (4). Each test evaluates only the rule it is about (and the rules that rule
builds on), on a snapshot of a handful of events.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from joinedup.alerts.catalogue import load_catalogue
from joinedup.alerts.engine import Firing, evaluate
from joinedup.alerts.snapshot import EventRow, from_rows

D = dt.date.fromisoformat
CHILD, MOTHER, FATHER, GRANDMOTHER, PARTNER, BROTHER = 1, 2, 3, 4, 5, 6
BORN = D("2026-01-15")
SCHOOL_AGE = D("2019-09-01")  # a child of six or seven in 2026: no baby rules apply
FAMILY = ((CHILD, MOTHER, "MOTHER"), (CHILD, FATHER, "FATHER"),
          (CHILD, GRANDMOTHER, "GRANDPARENT"))
HOME_AREA = "E08000007"  # the area of every agency in these tests
OTHER_AREA = "E09000030"
KINDS = {"HV": "HEALTH_VISITING", "GP": "GP", "ED": "HOSPITAL", "CSC": "CHILDRENS_SOCIAL_CARE",
         "POLICE": "POLICE", "PROBATION": "PROBATION", "PRISON": "PRISON", "MW": "MIDWIFERY",
         "AMH": "ADULT_MENTAL_HEALTH", "EH": "EARLY_HELP", "DRUGS": "ADULT_SOCIAL_CARE"}

CATALOGUE = load_catalogue()
_BY_ID = {rule.id: rule for rule in CATALOGUE}


def ev(pk: int, event_type: str, occurred: str | dt.date, *, who: int = CHILD, by: str = "HV",
       recorded: str | dt.date | None = None, related: int | None = None,
       source_id: str = "", version: int = 1, known: str | None = None,
       **details: Any) -> EventRow:
    """One recorded event: ``ev(1, "INJURY", "2026-03-02", by="ED", type="bruise")``."""
    day = D(occurred) if isinstance(occurred, str) else occurred
    rec = D(recorded) if isinstance(recorded, str) else (recorded or day)
    return EventRow(pk, by, who, event_type, day, rec, details, related_id=related,
                    agency_kind=KINDS[by], agency_area=HOME_AREA, source_id=source_id,
                    version=version, known_on=D(known) if known else None)


def _rule_and_what_it_builds_on(rule_id: str) -> list:
    needed = {rule_id}
    pending = [rule_id]
    while pending:
        for dep in _BY_ID[pending.pop()].depends_on():
            if dep not in needed:
                needed.add(dep)
                pending.append(dep)
    return [rule for rule in CATALOGUE if rule.id in needed]  # already in dependency order


def alerts(rule_id: str, events: list[EventRow], *, born: dt.date | None = BORN,
           family: tuple[tuple[int, int, str], ...] = FAMILY,
           flags: tuple[tuple[int, str], ...] = (), children: dict[int, dt.date | None] | None
           = None, as_of: dt.date | None = None, known_by: dt.date | None = None
           ) -> list[Firing]:
    """The firings of one rule on a small chronology."""
    kids = children if children is not None else {CHILD: born}
    with from_rows(events, family, kids, flags, as_of=as_of, known_by=known_by) as snapshot:
        return [f for f in evaluate(snapshot, _rule_and_what_it_builds_on(rule_id))
                if f.rule == rule_id]


def raised(rule_id: str, events: list[EventRow], **kwargs: Any) -> list[tuple]:
    """What a safeguarding lead sees: (child, the day it was raised, the evidence)."""
    return [(f.child_id, f.fired_on, f.evidence) for f in alerts(rule_id, events, **kwargs)]


def days_raised(rule_id: str, events: list[EventRow], **kwargs: Any) -> list[dt.date]:
    return [f.fired_on for f in alerts(rule_id, events, **kwargs)]


def _plus(day: str, days: int) -> dt.date:
    return D(day) + dt.timedelta(days=days)


# --- Every rule, once, through the whole catalogue ------------------------------------------

def test_the_whole_catalogue_raises_each_alert_on_the_baby_s_pattern() -> None:
    """A baby with a risk-flagged father: injury, release, missed appointments. The full
    catalogue raises the expected alerts, each naming the child, its day and evidence."""
    events = [
        ev(1, "BIRTH", "2026-01-15", by="MW"),
        ev(2, "INJURY", "2026-03-02", by="ED", type="bruise", explanation="fell"),
        ev(3, "CUSTODY_RELEASE", "2026-03-09", who=FATHER, by="PRISON"),
        ev(4, "APPOINTMENT_MISSED", "2026-04-01", by="GP"),
        ev(5, "APPOINTMENT_MISSED", "2026-05-01", by="HV"),
    ]
    with from_rows(events, FAMILY, {CHILD: BORN}, [(FATHER, "MAPPA_2")]) as snapshot:
        found = {(f.rule, f.child_id, f.fired_on, f.evidence) for f in
                 evaluate(snapshot, load_catalogue())}
    assert ("NIM_INJURY", CHILD, D("2026-03-02"), (2,)) in found
    assert ("RELEASE_NEAR_CHILD", CHILD, D("2026-03-09"), (3,)) in found
    assert ("NO_STRATEGY_DISCUSSION", CHILD, D("2026-03-04"), (2,)) in found
    # the release asks for notification and an assessment within 10 working days, not a
    # strategy discussion; nothing followed it
    assert ("RELEASE_NOT_FOLLOWED_UP", CHILD, D("2026-03-24"), (3,)) in found
    assert ("UNASSESSED_RISKY_ADULT", CHILD, D("2026-02-15"), ()) in found
    assert ("WAS_NOT_BROUGHT", CHILD, D("2026-05-01"), (4, 5)) in found
    # Hospital, prison and GP: three agencies' concerns in 90 days, and no meeting.
    assert ("JIGSAW_GAP", CHILD, D("2026-04-01"), (2, 3, 4)) in found
    assert len(found) == 7


# --- NIM_INJURY -------------------------------------------------------------------------------

def test_bruise_on_a_six_week_old_baby_raises_nim_injury() -> None:
    found = alerts("NIM_INJURY", [ev(1, "INJURY", "2026-03-02", by="ED", type="bruise")])
    assert [(f.rule, f.child_id, f.fired_on, f.evidence) for f in found] == [
        ("NIM_INJURY", CHILD, D("2026-03-02"), (1,))]
    assert (found[0].window_start, found[0].window_end) == (D("2026-03-02"), D("2026-03-02"))


@pytest.mark.parametrize(("injured_on", "alert"), [
    ("2026-07-14", True),   # the day before the six-month birthday
    ("2026-07-15", False),  # the six-month birthday
    ("2026-07-16", False),  # six months and one day old
], ids=["day-before-six-months", "six-month-birthday", "six-months-and-a-day"])
def test_nim_injury_stops_at_the_six_month_birthday(injured_on: str, alert: bool) -> None:
    found = raised("NIM_INJURY", [ev(1, "INJURY", injured_on, by="ED", type="bruise")])
    assert found == ([(CHILD, D(injured_on), (1,))] if alert else [])


@pytest.mark.parametrize(("flags", "details"), [
    (((CHILD, "NOT_INDEPENDENTLY_MOBILE"),), {"type": "burn"}),
    ((), {"type": "bruise", "mobility": "Not Independently Mobile"}),
    ((), {"type": "bruise", "mobility": "not mobile"}),
], ids=["flagged-not-mobile", "recorded-not-independently-mobile", "recorded-not-mobile"])
def test_injury_to_an_older_baby_who_cannot_move_about_raises_nim_injury(
        flags: tuple, details: dict) -> None:
    # Nine months old: past six months, but not independently mobile.
    found = raised("NIM_INJURY", [ev(1, "INJURY", "2026-10-15", by="ED", **details)],
                   flags=flags)
    assert found == [(CHILD, D("2026-10-15"), (1,))]


@pytest.mark.parametrize(("events", "born"), [
    ([ev(1, "INJURY", "2026-10-15", by="ED", type="bruise", mobility="crawling")], BORN),
    ([ev(1, "INJURY", "2026-03-02", by="ED", who=MOTHER, type="bruise")], BORN),
    ([ev(1, "INJURY", "2026-03-02", by="ED", type="bruise")], None),
], ids=["nine-month-old-crawling", "injury-to-the-mother", "date-of-birth-unknown"])
def test_no_nim_injury_for_a_mobile_child_an_adult_or_an_unknown_age(
        events: list[EventRow], born: dt.date | None) -> None:
    assert alerts("NIM_INJURY", events, born=born) == []


# --- UNEXPLAINED_FRACTURE --------------------------------------------------------------------

@pytest.mark.parametrize("details", [
    {"type": "fracture"},
    {"type": "Fracture", "explanation": "  "},
    {"type": "fracture", "explanation": "rolled off the sofa", "explanation_unsuitable": "yes"},
    {"type": "fracture", "explanation": "fell in the park", "healing": True},
    {"type": "fracture", "explanation": "fell in the park", "incidental": "1"},
    {"type": "fracture", "explanation": "fell in the park", "different_ages": "true"},
], ids=["no-explanation", "blank-explanation", "explanation-unsuitable", "healing",
        "found-incidentally", "different-ages"])
def test_fracture_without_a_suitable_explanation_raises_an_alert(details: dict) -> None:
    found = raised("UNEXPLAINED_FRACTURE",
                   [ev(1, "INJURY", "2026-03-02", by="ED", **details)], born=SCHOOL_AGE)
    assert found == [(CHILD, D("2026-03-02"), (1,))]


@pytest.mark.parametrize(("who", "details"), [
    (CHILD, {"type": "fracture", "explanation": "fell from the climbing frame at school"}),
    (CHILD, {"type": "fracture", "explanation": "fell from the climbing frame",
             "explanation_unsuitable": "no", "healing": "false"}),
    (CHILD, {"type": "bruise"}),
    (MOTHER, {"type": "fracture"}),
], ids=["explained-fracture", "explanation-judged-suitable", "unexplained-bruise",
        "mothers-fracture"])
def test_no_unexplained_fracture_alert_for_an_explained_fracture_or_other_injury(
        who: int, details: dict) -> None:
    events = [ev(1, "INJURY", "2026-03-02", by="ED", who=who, **details)]
    assert alerts("UNEXPLAINED_FRACTURE", events, born=SCHOOL_AGE) == []


# --- REPEAT_PRESENTATION_U1 ------------------------------------------------------------------

def test_two_presentations_of_a_baby_raise_repeat_presentation_on_the_second() -> None:
    events = [ev(1, "ED_ATTENDANCE", "2026-03-02", by="ED"),
              ev(2, "INJURY", "2026-04-20", by="GP", type="bruise")]
    found = alerts("REPEAT_PRESENTATION_U1", events)
    assert [(f.child_id, f.fired_on, f.evidence) for f in found] == [
        (CHILD, D("2026-04-20"), (1, 2))]
    # From 90 days before the second presentation to the day of it.
    assert (found[0].window_start, found[0].window_end) == (D("2026-01-20"), D("2026-04-20"))


@pytest.mark.parametrize(("days_later", "alert"), [(89, True), (90, True), (91, False)])
def test_repeat_presentation_window_is_the_90_days_before_the_second(
        days_later: int, alert: bool) -> None:
    second = _plus("2026-03-02", days_later)
    events = [ev(1, "ED_ATTENDANCE", "2026-03-02", by="ED"),
              ev(2, "ED_ATTENDANCE", second, by="ED")]
    assert raised("REPEAT_PRESENTATION_U1", events) == (
        [(CHILD, second, (1, 2))] if alert else [])


@pytest.mark.parametrize(("second", "alert"), [
    ("2027-01-14", True), ("2027-01-15", False), ("2027-01-16", False)],
    ids=["day-before-first-birthday", "first-birthday", "day-after"])
def test_repeat_presentation_counts_only_presentations_before_the_first_birthday(
        second: str, alert: bool) -> None:
    events = [ev(1, "ED_ATTENDANCE", "2026-12-01", by="ED"),
              ev(2, "ED_ATTENDANCE", second, by="ED")]
    assert days_raised("REPEAT_PRESENTATION_U1", events) == ([D(second)] if alert else [])


def test_two_presentations_on_the_same_day_are_not_repeat_presentations() -> None:
    events = [ev(1, "ED_ATTENDANCE", "2026-03-02", by="ED"),
              ev(2, "INJURY", "2026-03-02", by="ED", type="bruise")]
    assert alerts("REPEAT_PRESENTATION_U1", events) == []


def test_a_third_presentation_in_the_same_cluster_does_not_raise_a_second_alert() -> None:
    events = [ev(1, "ED_ATTENDANCE", "2026-03-02", by="ED"),
              ev(2, "ED_ATTENDANCE", "2026-03-10", by="ED"),
              ev(3, "ED_ATTENDANCE", "2026-03-20", by="ED")]
    assert raised("REPEAT_PRESENTATION_U1", events) == [(CHILD, D("2026-03-10"), (1, 2))]


# --- UNASSESSED_RISKY_ADULT ------------------------------------------------------------------

BIRTH = ev(1, "BIRTH", "2026-01-15", by="MW")  # the child's first own event


def test_father_under_mappa_not_assessed_by_social_care_raises_an_alert_after_30_days() -> None:
    # The father is a risk adult from his MAPPA event (June 2025); the baby's record starts
    # at birth on 15 January 2026; nothing reaches children's social care by 14 February.
    events = [BIRTH, ev(2, "MAPPA_LEVEL", "2025-06-01", who=FATHER, by="PROBATION", level="2")]
    found = alerts("UNASSESSED_RISKY_ADULT", events)
    assert [(f.child_id, f.fired_on, f.evidence) for f in found] == [
        (CHILD, D("2026-02-15"), (2,))]
    assert (found[0].window_start, found[0].window_end) == (D("2026-01-15"), D("2026-02-14"))


def test_perpetrator_of_domestic_abuse_becomes_a_risk_adult_from_the_incident() -> None:
    events = [BIRTH, ev(2, "DA_INCIDENT", "2026-04-01", who=MOTHER, by="POLICE",
                        related=FATHER)]
    assert raised("UNASSESSED_RISKY_ADULT", events) == [(CHILD, D("2026-05-02"), (2,))]


@pytest.mark.parametrize(("assessed_on", "alert"), [
    ("2025-12-15", True),   # 31 days before the start: too early to count
    ("2025-12-16", False),  # 30 days before
    ("2026-02-14", False),  # the 30th day after
    ("2026-02-15", True),   # the 31st day after: the alert was already due
])
def test_a_social_care_assessment_of_the_father_within_30_days_either_side_prevents_it(
        assessed_on: str, alert: bool) -> None:
    events = [BIRTH, ev(2, "ASSESSMENT_START", assessed_on, who=FATHER, by="CSC")]
    found = days_raised("UNASSESSED_RISKY_ADULT", events, flags=((FATHER, "VIOLENT_OFFENDER"),))
    assert found == ([D("2026-02-15")] if alert else [])


@pytest.mark.parametrize(("response", "alert"), [
    (ev(2, "INFO_RECEIVED", "2026-01-20", by="CSC", who=FATHER), False),
    (ev(2, "ASSESSMENT_START", "2026-01-20", by="HV", related=FATHER), True),
    (ev(2, "ASSESSMENT_START", "2026-01-20", by="CSC", related=MOTHER), True),
], ids=["information-about-him-reaches-social-care", "assessed-by-health-visitor-only",
        "social-care-assessed-the-mother-only"])
def test_only_social_care_assessing_or_hearing_about_the_adult_himself_counts(
        response: EventRow, alert: bool) -> None:
    found = days_raised("UNASSESSED_RISKY_ADULT", [BIRTH, response],
                        flags=((FATHER, "SEX_OFFENDER_REGISTERED"),))
    assert found == ([D("2026-02-15")] if alert else [])


@pytest.mark.parametrize(("family", "flags"), [
    (FAMILY, ()),
    (FAMILY, ((GRANDMOTHER, "VIOLENT_OFFENDER"),)),
    (FAMILY, ((FATHER, "DA_VICTIM"),)),
], ids=["father-has-no-risk-flag", "risk-flag-on-the-grandmother", "father-is-a-victim"])
def test_no_unassessed_risky_adult_without_a_risk_adult_in_a_risk_role(
        family: tuple, flags: tuple) -> None:
    assert alerts("UNASSESSED_RISKY_ADULT", [BIRTH], family=family, flags=flags) == []


@pytest.mark.parametrize(("risk_from", "alert"), [
    ("2028-01-14", True), ("2028-01-15", False), ("2028-01-16", False)],
    ids=["day-before-second-birthday", "second-birthday", "day-after"])
def test_unassessed_risky_adult_only_while_the_child_is_under_two(
        risk_from: str, alert: bool) -> None:
    events = [BIRTH, ev(2, "SEX_OFFENDER_REGISTERED", risk_from, who=FATHER, by="POLICE")]
    assert days_raised("UNASSESSED_RISKY_ADULT", events) == (
        [_plus(risk_from, 31)] if alert else [])


def test_unassessed_risky_adult_counts_an_unborn_child_up_to_40_weeks_before_birth() -> None:
    # The child's own record opens 280 days before birth (pre-birth work).
    events = [ev(1, "PRE_BIRTH_ASSESSMENT", _plus("2026-01-15", -280), by="HV")]
    found = days_raised("UNASSESSED_RISKY_ADULT", events, flags=((FATHER, "MAPPA_1"),))
    assert found == [_plus("2026-01-15", -280 + 31)]


def test_a_record_opened_more_than_40_weeks_before_birth_is_not_an_unborn_child() -> None:
    events = [ev(1, "PRE_BIRTH_ASSESSMENT", _plus("2026-01-15", -281), by="HV")]
    assert alerts("UNASSESSED_RISKY_ADULT", events, flags=((FATHER, "MAPPA_1"),)) == []


# --- RELEASE_NEAR_CHILD ----------------------------------------------------------------------

@pytest.mark.parametrize(("event_type", "by"), [("CUSTODY_RELEASE", "PRISON"),
                                                ("LICENCE_START", "PROBATION")])
def test_release_of_a_mappa_father_raises_release_near_child(event_type: str, by: str) -> None:
    events = [ev(1, event_type, "2026-03-02", who=FATHER, by=by)]
    found = alerts("RELEASE_NEAR_CHILD", events, flags=((FATHER, "MAPPA_2"),))
    assert [(f.rule, f.child_id, f.fired_on, f.evidence) for f in found] == [
        ("RELEASE_NEAR_CHILD", CHILD, D("2026-03-02"), (1,))]


def test_release_of_a_father_is_raised_on_each_of_his_children() -> None:
    other_child = 7
    family = (*FAMILY, (other_child, FATHER, "FATHER"))
    events = [ev(1, "CUSTODY_RELEASE", "2026-03-02", who=FATHER, by="PRISON")]
    found = raised("RELEASE_NEAR_CHILD", events, family=family, flags=((FATHER, "MAPPA_2"),),
                   children={CHILD: BORN, other_child: SCHOOL_AGE})
    assert found == [(CHILD, D("2026-03-02"), (1,)), (other_child, D("2026-03-02"), (1,))]


@pytest.mark.parametrize(("registered_on", "alert"), [
    ("2026-03-01", True), ("2026-03-02", True), ("2026-03-03", False)],
    ids=["registered-day-before-release", "registered-on-release-day", "registered-day-after"])
def test_release_near_child_needs_the_father_to_be_a_risk_adult_on_the_day(
        registered_on: str, alert: bool) -> None:
    events = [ev(1, "SEX_OFFENDER_REGISTERED", registered_on, who=FATHER, by="POLICE"),
              ev(2, "CUSTODY_RELEASE", "2026-03-02", who=FATHER, by="PRISON")]
    assert raised("RELEASE_NEAR_CHILD", events) == (
        [(CHILD, D("2026-03-02"), (2,))] if alert else [])


def test_release_of_the_perpetrator_of_an_earlier_domestic_abuse_incident_is_raised() -> None:
    events = [ev(1, "DA_INCIDENT", "2026-02-01", who=MOTHER, by="POLICE", related=FATHER),
              ev(2, "CUSTODY_RELEASE", "2026-03-02", who=FATHER, by="PRISON")]
    assert raised("RELEASE_NEAR_CHILD", events) == [(CHILD, D("2026-03-02"), (2,))]


@pytest.mark.parametrize(("role", "alert"), [
    ("PARTNER_OF_PARENT", True), ("EX_PARTNER", True), ("ADULT_HOUSEHOLD_MEMBER", True),
    ("REGULAR_VISITOR", True), ("OTHER_RELATIVE", False), ("KINSHIP_CARER", False)])
def test_release_near_child_covers_the_men_and_women_around_the_child(
        role: str, alert: bool) -> None:
    events = [ev(1, "CUSTODY_RELEASE", "2026-03-02", who=PARTNER, by="PRISON")]
    found = days_raised("RELEASE_NEAR_CHILD", events, family=(*FAMILY, (CHILD, PARTNER, role)),
                        flags=((PARTNER, "SEXUAL_OFFENDER"),))
    assert found == ([D("2026-03-02")] if alert else [])


@pytest.mark.parametrize(("who", "flags"), [
    (FATHER, ()), (GRANDMOTHER, ((GRANDMOTHER, "VIOLENT_OFFENDER"),)),
    (MOTHER, ((MOTHER, "VIOLENT_OFFENDER"),))],
    ids=["father-has-no-risk-flag", "flagged-grandmother", "flagged-mother"])
def test_no_release_near_child_for_someone_not_a_risk_adult_in_a_risk_role(
        who: int, flags: tuple) -> None:
    events = [ev(1, "CUSTODY_RELEASE", "2026-03-02", who=who, by="PRISON")]
    assert alerts("RELEASE_NEAR_CHILD", events, flags=flags) == []


# --- LICENCE_END_CLIFF -----------------------------------------------------------------------

MAPPA_FATHER = ((FATHER, "MAPPA_1"),)


def test_licence_end_named_at_release_raises_an_alert_30_days_before_it() -> None:
    events = [ev(1, "CUSTODY_RELEASE", "2026-03-02", who=FATHER, by="PRISON",
                 licence_end="2026-09-30")]
    found = alerts("LICENCE_END_CLIFF", events, flags=MAPPA_FATHER)
    assert [(f.child_id, f.fired_on, f.evidence) for f in found] == [
        (CHILD, D("2026-08-31"), (1,))]
    assert (found[0].window_start, found[0].window_end) == (D("2026-08-31"), D("2026-09-30"))


def test_licence_start_and_the_licence_end_itself_are_one_alert() -> None:
    events = [ev(1, "LICENCE_START", "2026-03-02", who=FATHER, by="PROBATION",
                 licence_end="2026-09-30"),
              ev(2, "LICENCE_END", "2026-09-30", who=FATHER, by="PROBATION")]
    assert raised("LICENCE_END_CLIFF", events, flags=MAPPA_FATHER) == [
        (CHILD, D("2026-08-31"), (1, 2))]


def test_licence_end_recorded_with_no_warning_is_raised_on_its_day() -> None:
    events = [ev(1, "CUSTODY_RELEASE", "2026-03-02", who=FATHER, by="PRISON"),
              ev(2, "LICENCE_END", "2026-09-30", who=FATHER, by="PROBATION")]
    assert raised("LICENCE_END_CLIFF", events, flags=MAPPA_FATHER) == [
        (CHILD, D("2026-09-30"), (2,))]


@pytest.mark.parametrize(("released", "raised_on"), [
    ("2026-08-30", "2026-08-31"),  # released 31 days before the end
    ("2026-08-31", "2026-08-31"),  # 30 days before
    ("2026-09-01", "2026-09-01"),  # 29 days before: raised on release
    ("2026-09-30", "2026-09-30"),  # released on the last day of the licence
])
def test_licence_end_cliff_is_raised_30_days_before_or_on_release_if_later(
        released: str, raised_on: str) -> None:
    events = [ev(1, "CUSTODY_RELEASE", released, who=FATHER, by="PRISON",
                 licence_end="2026-09-30")]
    assert days_raised("LICENCE_END_CLIFF", events, flags=MAPPA_FATHER) == [D(raised_on)]


@pytest.mark.parametrize(("as_of", "alert"), [("2026-08-30", False), ("2026-08-31", True)])
def test_licence_end_cliff_is_not_raised_before_its_day(as_of: str, alert: bool) -> None:
    events = [ev(1, "CUSTODY_RELEASE", "2026-03-02", who=FATHER, by="PRISON",
                 licence_end="2026-09-30")]
    found = days_raised("LICENCE_END_CLIFF", events, flags=MAPPA_FATHER, as_of=D(as_of))
    assert found == ([D("2026-08-31")] if alert else [])


@pytest.mark.parametrize(("details", "flags"), [
    ({"licence_end": "2026-09-30"}, ()),
    ({}, MAPPA_FATHER),
    ({"licence_end": "2026-02-01"}, MAPPA_FATHER),
    ({"licence_end": "not known"}, MAPPA_FATHER),
], ids=["father-has-no-risk-flag", "no-licence-end", "end-before-release", "end-not-a-date"])
def test_no_licence_end_cliff_without_a_risk_adult_and_a_future_end(
        details: dict, flags: tuple) -> None:
    events = [ev(1, "CUSTODY_RELEASE", "2026-03-02", who=FATHER, by="PRISON", **details)]
    assert alerts("LICENCE_END_CLIFF", events, flags=flags) == []


# --- RELEASE_AFTER_STEP_DOWN -----------------------------------------------------------------

VIOLENT_FATHER = ((FATHER, "VIOLENT_OFFENDER"),)
STEP_DOWN = ev(1, "STEP_DOWN", "2026-06-01", by="CSC")


def test_fathers_release_a_month_after_step_down_raises_an_alert_on_release() -> None:
    events = [STEP_DOWN, ev(2, "CUSTODY_RELEASE", "2026-07-01", who=FATHER, by="PRISON")]
    found = alerts("RELEASE_AFTER_STEP_DOWN", events, flags=VIOLENT_FATHER)
    assert [(f.child_id, f.fired_on, f.evidence) for f in found] == [
        (CHILD, D("2026-07-01"), (1, 2))]
    assert (found[0].window_start, found[0].window_end) == (D("2026-03-03"), D("2026-08-30"))


def test_stepping_down_a_month_after_the_fathers_release_raises_on_the_step_down() -> None:
    events = [STEP_DOWN, ev(2, "CUSTODY_RELEASE", "2026-05-01", who=FATHER, by="PRISON"),
              ev(3, "LICENCE_END", "2026-07-01", who=FATHER, by="PROBATION")]
    assert raised("RELEASE_AFTER_STEP_DOWN", events, flags=VIOLENT_FATHER) == [
        (CHILD, D("2026-06-01"), (1, 2, 3))]


@pytest.mark.parametrize(("days", "alert"), [
    (-91, False), (-90, True), (-89, True), (89, True), (90, True), (91, False)])
def test_release_after_step_down_looks_90_days_either_side(days: int, alert: bool) -> None:
    released = _plus("2026-06-01", days)
    events = [STEP_DOWN, ev(2, "CUSTODY_RELEASE", released, who=FATHER, by="PRISON")]
    expected = [(CHILD, max(released, D("2026-06-01")), (1, 2))] if alert else []
    assert raised("RELEASE_AFTER_STEP_DOWN", events, flags=VIOLENT_FATHER) == expected


def test_early_help_closure_counts_as_a_step_down() -> None:
    events = [ev(1, "EH_EPISODE_END", "2026-06-01", by="EH"),
              ev(2, "LICENCE_END", "2026-06-20", who=FATHER, by="PROBATION")]
    assert days_raised("RELEASE_AFTER_STEP_DOWN", events, flags=VIOLENT_FATHER) == [
        D("2026-06-20")]


def test_no_release_after_step_down_when_the_father_is_not_a_risk_adult() -> None:
    events = [STEP_DOWN, ev(2, "CUSTODY_RELEASE", "2026-07-01", who=FATHER, by="PRISON")]
    assert alerts("RELEASE_AFTER_STEP_DOWN", events) == []


# --- CUMULATIVE_PARENTAL_RISK ----------------------------------------------------------------

def test_mothers_mental_health_and_fathers_domestic_abuse_raise_cumulative_risk() -> None:
    events = [ev(1, "MENTAL_HEALTH_CONCERN", "2026-03-02", who=MOTHER, by="AMH"),
              ev(2, "DA_INCIDENT", "2026-06-10", who=FATHER, by="POLICE")]
    assert raised("CUMULATIVE_PARENTAL_RISK", events) == [(CHILD, D("2026-06-10"), (1, 2))]


@pytest.mark.parametrize(("days_later", "alert"), [(364, True), (365, True), (366, False)])
def test_cumulative_parental_risk_window_is_the_365_days_before_the_second(
        days_later: int, alert: bool) -> None:
    second = _plus("2026-03-02", days_later)
    events = [ev(1, "SUBSTANCE_MISUSE_CONCERN", "2026-03-02", who=MOTHER, by="DRUGS"),
              ev(2, "MARAC_REFERRAL", second, who=MOTHER, by="POLICE")]
    assert days_raised("CUMULATIVE_PARENTAL_RISK", events) == ([second] if alert else [])


def test_a_partner_of_the_mother_counts_as_a_carer() -> None:
    family = (*FAMILY, (CHILD, PARTNER, "PARTNER_OF_PARENT"))
    events = [ev(1, "MENTAL_HEALTH_CONCERN", "2026-03-02", who=MOTHER, by="AMH"),
              ev(2, "SUBSTANCE_MISUSE_CONCERN", "2026-04-01", who=PARTNER, by="DRUGS")]
    assert raised("CUMULATIVE_PARENTAL_RISK", events, family=family) == [
        (CHILD, D("2026-04-01"), (1, 2))]


@pytest.mark.parametrize("second", [
    ev(2, "MARAC_REFERRAL", "2026-04-01", who=MOTHER, by="POLICE"),
    ev(2, "SUBSTANCE_MISUSE_CONCERN", "2026-04-01", who=GRANDMOTHER, by="DRUGS"),
], ids=["domestic-abuse-twice", "grandmother-is-not-a-carer"])
def test_no_cumulative_risk_from_one_kind_of_risk_or_a_non_carer(second: EventRow) -> None:
    events = [ev(1, "DA_INCIDENT", "2026-03-02", who=MOTHER, by="POLICE"), second]
    assert alerts("CUMULATIVE_PARENTAL_RISK", events) == []


# --- DA_PREGNANCY_INFANCY --------------------------------------------------------------------

def test_domestic_abuse_against_the_mother_of_a_six_week_old_raises_an_alert() -> None:
    events = [ev(1, "DA_INCIDENT", "2026-03-02", who=MOTHER, by="POLICE", related=FATHER)]
    assert raised("DA_PREGNANCY_INFANCY", events) == [(CHILD, D("2026-03-02"), (1,))]


@pytest.mark.parametrize(("details", "alert"), [
    ({"victim_pregnant": "yes"}, True),
    ({"victim_pregnant": True}, True),
    ({"dash_score": 14}, True),
    ({"dash_score": "16"}, True),
    ({"dash_score": 13}, False),
    ({"victim_pregnant": "no", "dash_score": 9}, False),
    ({"victim_pregnant": True, "dash_score": 20}, True),
], ids=["pregnant-yes", "pregnant-true", "dash-14", "dash-16-as-text", "dash-13",
        "not-pregnant-low-dash", "pregnant-and-high-risk-one-alert"])
def test_da_with_an_older_child_needs_pregnancy_or_a_dash_score_of_14(
        details: dict, alert: bool) -> None:
    events = [ev(1, "DA_INCIDENT", "2026-03-02", who=MOTHER, by="POLICE", **details)]
    assert raised("DA_PREGNANCY_INFANCY", events, born=SCHOOL_AGE) == (
        [(CHILD, D("2026-03-02"), (1,))] if alert else [])


@pytest.mark.parametrize(("incident", "alert"), [
    (_plus("2026-01-15", -281), False),  # more than 40 weeks before birth
    (_plus("2026-01-15", -280), True),   # unborn
    (D("2027-01-14"), True),             # the day before the first birthday
    (D("2027-01-15"), False),            # the first birthday
    (D("2027-01-16"), False),
], ids=["281-days-before-birth", "280-days-before-birth", "day-before-first-birthday",
        "first-birthday", "day-after-first-birthday"])
def test_da_pregnancy_infancy_covers_the_unborn_child_and_the_first_year(
        incident: dt.date, alert: bool) -> None:
    events = [ev(1, "DA_INCIDENT", incident, who=MOTHER, by="POLICE")]
    assert days_raised("DA_PREGNANCY_INFANCY", events) == ([incident] if alert else [])


def test_no_da_alert_when_the_victim_is_the_grandmother() -> None:
    events = [ev(1, "DA_INCIDENT", "2026-03-02", who=GRANDMOTHER, by="POLICE", dash_score=20)]
    assert alerts("DA_PREGNANCY_INFANCY", events) == []


# --- WAS_NOT_BROUGHT -------------------------------------------------------------------------

def test_two_missed_appointments_raise_was_not_brought_on_the_second() -> None:
    events = [ev(1, "APPOINTMENT_MISSED", "2026-03-02", by="GP"),
              ev(2, "APPOINTMENT_MISSED", "2026-04-15", by="HV")]
    found = alerts("WAS_NOT_BROUGHT", events, born=SCHOOL_AGE)
    assert [(f.rule, f.child_id, f.fired_on, f.evidence) for f in found] == [
        ("WAS_NOT_BROUGHT", CHILD, D("2026-04-15"), (1, 2))]
    assert (found[0].window_start, found[0].window_end) == (D("2026-01-15"), D("2026-04-15"))


@pytest.mark.parametrize(("days_later", "alert"), [(89, True), (90, True), (91, False)])
def test_was_not_brought_window_is_the_90_days_before_the_second(
        days_later: int, alert: bool) -> None:
    second = _plus("2026-03-02", days_later)
    events = [ev(1, "APPOINTMENT_MISSED", "2026-03-02", by="GP"),
              ev(2, "APPOINTMENT_MISSED", second, by="GP")]
    assert raised("WAS_NOT_BROUGHT", events, born=SCHOOL_AGE) == (
        [(CHILD, second, (1, 2))] if alert else [])


def test_two_appointments_missed_on_the_same_day_count_as_two() -> None:
    events = [ev(1, "APPOINTMENT_MISSED", "2026-03-02", by="GP"),
              ev(2, "APPOINTMENT_MISSED", "2026-03-02", by="ED")]
    assert raised("WAS_NOT_BROUGHT", events, born=SCHOOL_AGE) == [
        (CHILD, D("2026-03-02"), (1, 2))]


def test_was_not_brought_fires_once_per_cluster_and_again_after_it_breaks_up() -> None:
    events = [ev(1, "APPOINTMENT_MISSED", "2026-03-02", by="GP"),
              ev(2, "APPOINTMENT_MISSED", "2026-03-20", by="GP"),
              ev(3, "APPOINTMENT_MISSED", "2026-04-10", by="GP"),
              ev(4, "APPOINTMENT_MISSED", "2026-09-01", by="GP"),
              ev(5, "APPOINTMENT_MISSED", "2026-09-20", by="GP")]
    assert raised("WAS_NOT_BROUGHT", events, born=SCHOOL_AGE) == [
        (CHILD, D("2026-03-20"), (1, 2)), (CHILD, D("2026-09-20"), (4, 5))]


def test_the_mothers_missed_appointments_are_not_the_child_not_brought() -> None:
    events = [ev(1, "APPOINTMENT_MISSED", "2026-03-02", who=MOTHER, by="GP"),
              ev(2, "APPOINTMENT_MISSED", "2026-03-20", who=MOTHER, by="GP")]
    assert alerts("WAS_NOT_BROUGHT", events, born=SCHOOL_AGE) == []


@pytest.mark.parametrize(("missed", "alert"), [
    ("2026-01-31", False),  # the day before the plan started
    ("2026-02-01", True),   # the day the plan started
    ("2026-04-30", True),   # the last day of the plan
    ("2026-05-01", False),  # the day the plan ended
])
def test_one_missed_appointment_while_on_a_child_in_need_plan_raises_was_not_brought(
        missed: str, alert: bool) -> None:
    events = [ev(10, "CIN_PLAN_START", "2026-02-01", by="CSC"),
              ev(11, "CIN_PLAN_END", "2026-05-01", by="CSC"),
              ev(1, "APPOINTMENT_MISSED", missed, by="GP")]
    assert raised("WAS_NOT_BROUGHT", events, born=SCHOOL_AGE) == (
        [(CHILD, D(missed), (1,))] if alert else [])


def test_one_missed_appointment_on_an_open_child_protection_plan_raises_was_not_brought() -> None:
    events = [ev(10, "CP_PLAN_START", "2026-02-01", by="CSC"),
              ev(1, "APPOINTMENT_MISSED", "2026-09-01", by="GP")]
    assert raised("WAS_NOT_BROUGHT", events, born=SCHOOL_AGE) == [
        (CHILD, D("2026-09-01"), (1,))]


# --- DISENGAGEMENT_CLUSTER -------------------------------------------------------------------

def _disengaging(third: str | dt.date, third_by: str = "AMH") -> list[EventRow]:
    return [ev(1, "APPOINTMENT_MISSED", "2026-03-02", who=MOTHER, by="GP"),
            ev(2, "NO_ACCESS_VISIT", "2026-03-20", by="HV"),
            ev(3, "MEDICATION_STOPPED", third, who=FATHER, by=third_by)]


def test_three_signs_of_disengagement_from_three_agencies_raise_an_alert() -> None:
    assert raised("DISENGAGEMENT_CLUSTER", _disengaging("2026-04-10")) == [
        (CHILD, D("2026-04-10"), (1, 2, 3))]


@pytest.mark.parametrize(("days_later", "alert"), [(59, True), (60, True), (61, False)])
def test_disengagement_window_is_the_60_days_before_the_third(
        days_later: int, alert: bool) -> None:
    third = _plus("2026-03-02", days_later)
    assert days_raised("DISENGAGEMENT_CLUSTER", _disengaging(third)) == (
        [third] if alert else [])


def test_no_disengagement_cluster_when_only_one_agency_saw_it() -> None:
    events = [ev(1, "APPOINTMENT_MISSED", "2026-03-02", who=MOTHER, by="GP"),
              ev(2, "APPOINTMENT_MISSED", "2026-03-20", by="GP"),
              ev(3, "MEDICATION_STOPPED", "2026-04-10", who=FATHER, by="GP")]
    assert alerts("DISENGAGEMENT_CLUSTER", events) == []


def test_a_grandmothers_missed_appointment_is_not_disengagement_on_the_case() -> None:
    events = _disengaging("2026-04-10")
    events[0] = ev(1, "APPOINTMENT_MISSED", "2026-03-02", who=GRANDMOTHER, by="GP")
    assert alerts("DISENGAGEMENT_CLUSTER", events) == []


# --- POST_STEP_DOWN_DETERIORATION ------------------------------------------------------------

def test_new_concern_after_step_down_raises_post_step_down_deterioration() -> None:
    events = [ev(1, "STEP_DOWN", "2026-03-02", by="CSC"),
              ev(2, "SUBSTANCE_MISUSE_CONCERN", "2026-05-01", who=MOTHER, by="DRUGS"),
              ev(3, "DA_INCIDENT", "2026-06-01", who=MOTHER, by="POLICE")]
    found = alerts("POST_STEP_DOWN_DETERIORATION", events)
    assert [(f.child_id, f.fired_on, f.evidence) for f in found] == [
        (CHILD, D("2026-05-01"), (1, 2, 3))]
    assert (found[0].window_start, found[0].window_end) == (D("2026-03-02"), D("2026-09-01"))


@pytest.mark.parametrize(("days_later", "alert"), [
    (-1, False), (0, True), (182, True), (183, True), (184, False)])
def test_post_step_down_window_is_from_the_step_down_to_183_days_after(
        days_later: int, alert: bool) -> None:
    concern = _plus("2026-03-02", days_later)
    events = [ev(1, "CASE_CLOSURE", "2026-03-02", by="CSC"),
              ev(2, "ED_ATTENDANCE", concern, by="ED")]
    assert days_raised("POST_STEP_DOWN_DETERIORATION", events) == ([concern] if alert else [])


@pytest.mark.parametrize("after", [
    ev(2, "HV_VISIT", "2026-05-01", by="HV"),
    ev(2, "MENTAL_HEALTH_CONCERN", "2026-05-01", who=GRANDMOTHER, by="AMH"),
], ids=["routine-visit", "concern-about-the-grandmother"])
def test_no_deterioration_alert_for_routine_contact_or_someone_outside_the_case(
        after: EventRow) -> None:
    events = [ev(1, "STEP_DOWN", "2026-03-02", by="CSC"), after]
    assert alerts("POST_STEP_DOWN_DETERIORATION", events) == []


# --- THIN_STEP_DOWN --------------------------------------------------------------------------

def test_step_down_with_only_social_care_input_raises_thin_step_down() -> None:
    events = [ev(1, "STEP_DOWN", "2026-03-02", by="CSC"),
              ev(2, "HOME_VISIT", "2026-02-20", by="CSC")]
    found = alerts("THIN_STEP_DOWN", events)
    assert [(f.child_id, f.fired_on, f.evidence) for f in found] == [
        (CHILD, D("2026-03-02"), (1, 2))]
    assert (found[0].window_start, found[0].window_end) == (D("2026-01-31"), D("2026-03-02"))


@pytest.mark.parametrize(("health_visit", "alert"), [
    ("2026-01-30", True),   # 31 days before: outside the window
    ("2026-01-31", False),  # 30 days before
    ("2026-03-02", False),  # the day of the step-down
    ("2026-03-03", True),   # after the step-down
])
def test_thin_step_down_counts_agencies_in_the_30_days_before(
        health_visit: str, alert: bool) -> None:
    events = [ev(1, "STEP_DOWN", "2026-03-02", by="CSC"),
              ev(2, "HOME_VISIT", "2026-02-20", by="CSC"),
              ev(3, "HV_VISIT", health_visit, who=MOTHER, by="HV")]
    assert days_raised("THIN_STEP_DOWN", events) == ([D("2026-03-02")] if alert else [])


def test_the_step_down_record_itself_is_not_input_from_social_care() -> None:
    events = [ev(1, "STEP_DOWN", "2026-03-02", by="CSC"),
              ev(2, "HV_VISIT", "2026-02-20", by="HV")]
    assert raised("THIN_STEP_DOWN", events) == [(CHILD, D("2026-03-02"), (1, 2))]


def test_a_grandmothers_gp_visit_is_not_input_on_the_case() -> None:
    events = [ev(1, "STEP_DOWN", "2026-03-02", by="CSC"),
              ev(2, "HOME_VISIT", "2026-02-20", by="CSC"),
              ev(3, "GP_CONSULTATION", "2026-02-25", who=GRANDMOTHER, by="GP")]
    assert raised("THIN_STEP_DOWN", events) == [(CHILD, D("2026-03-02"), (1, 2))]


# --- TRANSFER_IN_NO_HISTORY ------------------------------------------------------------------

def _arrived(day: str, *, request: str | None = None, **details: Any) -> list[EventRow]:
    """The mother transfers in on ``day``; a request (answered next day) on ``request``."""
    details = details or {"previous_area": OTHER_AREA}
    events = [ev(1, "TRANSFER_IN", day, who=MOTHER, by="CSC", **details)]
    if request:
        events += [ev(2, "INFO_REQUEST_SENT", request, who=MOTHER, by="CSC"),
                   ev(3, "INFO_RECEIVED", _plus(request, 1), who=MOTHER, by="CSC")]
    return events


def test_transfer_in_from_another_area_with_no_request_raises_after_5_working_days() -> None:
    found = alerts("TRANSFER_IN_NO_HISTORY", _arrived("2026-03-02"))
    assert [(f.child_id, f.fired_on, f.evidence) for f in found] == [
        (CHILD, D("2026-03-10"), (1,))]
    assert (found[0].window_start, found[0].window_end) == (D("2026-03-02"), D("2026-03-09"))


@pytest.mark.parametrize(("arrived", "requested", "raised_on"), [
    ("2026-03-02", "2026-03-02", None),          # Monday: the same day
    ("2026-03-02", "2026-03-09", None),          # the 5th working day
    ("2026-03-02", "2026-03-10", "2026-03-10"),  # the 6th working day
    ("2026-03-02", "2026-03-01", "2026-03-10"),  # the day before arrival does not count
    # Christmas 2026: Friday 25 and Monday 28 December are bank holidays.
    ("2026-12-21", "2026-12-30", None),          # 5th: 22, 23, 24, 29, 30
    ("2026-12-21", "2026-12-31", "2026-12-31"),  # 6th
    ("2026-12-24", "2027-01-05", None),          # 5th: 29, 30, 31, 4, 5 (1 Jan a holiday)
    ("2026-12-24", "2027-01-06", "2027-01-06"),  # 6th
    # Easter 2026: Good Friday 3 and Easter Monday 6 April.
    ("2026-04-01", "2026-04-10", None),          # 5th: 2, 7, 8, 9, 10
    ("2026-04-01", "2026-04-13", "2026-04-11"),  # 6th; raised the day after Friday 10th
])
def test_transfer_in_request_must_go_by_the_5th_working_day(
        arrived: str, requested: str, raised_on: str | None) -> None:
    found = days_raised("TRANSFER_IN_NO_HISTORY", _arrived(arrived, request=requested))
    assert found == ([D(raised_on)] if raised_on else [])


@pytest.mark.parametrize("details", [{"previous_area": HOME_AREA}, {"previous_area": ""},
                                     {"reason": "moved within the borough"}],
                         ids=["same-area", "blank-area", "no-previous-area"])
def test_no_transfer_alert_when_the_family_did_not_come_from_another_area(
        details: dict) -> None:
    assert alerts("TRANSFER_IN_NO_HISTORY", _arrived("2026-03-02", **details)) == []


@pytest.mark.parametrize(("arrival", "alert"), [
    (ev(1, "GP_REGISTRATION", "2026-03-02", by="GP", previous_area=OTHER_AREA), True),
    (ev(1, "NEW_BIRTH_VISIT", "2026-03-02", by="HV", previous_area=OTHER_AREA), True),
    (ev(1, "REFUGE_ENTRY", "2026-03-02", who=MOTHER, by="CSC", previous_area=OTHER_AREA), True),
    (ev(1, "TRANSFER_IN", "2026-03-02", who=GRANDMOTHER, by="CSC", previous_area=OTHER_AREA),
     False),
], ids=["child-registers-with-a-gp", "new-birth-visit", "mother-enters-a-refuge",
        "grandmother-transfers-in"])
def test_other_arrivals_on_the_case_raise_transfer_in_no_history(
        arrival: EventRow, alert: bool) -> None:
    assert raised("TRANSFER_IN_NO_HISTORY", [arrival]) == (
        [(CHILD, D("2026-03-10"), (1,))] if alert else [])


@pytest.mark.parametrize(("sent", "received", "raised_on"), [
    ("2026-03-02", "2026-03-23", None),          # the 15th working day
    ("2026-03-02", "2026-03-24", "2026-03-24"),  # the 16th
    ("2026-03-02", None, "2026-03-24"),          # never answered
    ("2026-12-21", "2027-01-14", None),          # the 15th working day over Christmas
    ("2026-12-21", None, "2027-01-15"),
])
def test_information_request_must_be_answered_within_15_working_days(
        sent: str, received: str | None, raised_on: str | None) -> None:
    events = [ev(1, "INFO_REQUEST_SENT", sent, who=MOTHER, by="CSC")]
    if received:
        events.append(ev(2, "INFO_RECEIVED", received, who=MOTHER, by="CSC"))
    assert raised("TRANSFER_IN_NO_HISTORY", events) == (
        [(CHILD, D(raised_on), (1,))] if raised_on else [])


# --- CARE_HISTORY_THIN -----------------------------------------------------------------------

def test_care_experienced_mother_with_a_one_line_history_raises_an_alert_from_birth() -> None:
    events = [BIRTH, ev(2, "CARE_HISTORY_SUMMARY", "2026-02-01", who=MOTHER, by="CSC")]
    found = alerts("CARE_HISTORY_THIN", events, flags=((MOTHER, "CARE_EXPERIENCED"),))
    assert [(f.child_id, f.fired_on, f.evidence) for f in found] == [
        (CHILD, D("2026-01-15"), (2,))]


def _care_episode(*during: str) -> list[EventRow]:
    return [BIRTH, ev(2, "LAC_EPISODE_START", "2005-04-01", who=MOTHER, by="CSC"),
            ev(3, "LAC_EPISODE_END", "2010-04-01", who=MOTHER, by="CSC"),
            *(ev(10 + i, "HOME_VISIT", day, who=MOTHER, by="CSC")
              for i, day in enumerate(during))]


@pytest.mark.parametrize(("during", "alert"), [
    ((), True),
    (("2007-06-01",), True),
    (("2007-06-01", "2008-06-01"), False),
    (("2005-04-01", "2007-06-01", "2010-04-01"), True),  # start and end days are not inside
], ids=["nothing-recorded", "one-entry", "two-entries", "entries-on-the-start-and-end-days"])
def test_care_history_thin_counts_entries_strictly_inside_the_care_period(
        during: tuple[str, ...], alert: bool) -> None:
    found = raised("CARE_HISTORY_THIN", _care_episode(*during))
    assert found == ([(CHILD, D("2026-01-15"), (2, 3))] if alert else [])


@pytest.mark.parametrize(("flags", "events", "alert"), [
    (((FATHER, "CARE_EXPERIENCED"),), [BIRTH], True),
    (((MOTHER, "CARE_EXPERIENCED"),),
     [BIRTH, ev(2, "CARE_HISTORY_SUMMARY", "2026-02-01", who=MOTHER, by="CSC"),
      ev(3, "CARE_HISTORY_SUMMARY", "2026-02-10", who=MOTHER, by="CSC")], False),
    ((), [BIRTH], False),
    (((GRANDMOTHER, "CARE_EXPERIENCED"),), [BIRTH], False),
], ids=["care-experienced-father-nothing-recorded", "two-summaries",
        "mother-not-care-experienced", "care-experienced-grandmother"])
def test_care_history_thin_is_about_parents_whose_care_is_barely_recorded(
        flags: tuple, events: list[EventRow], alert: bool) -> None:
    assert days_raised("CARE_HISTORY_THIN", events, flags=flags) == (
        [D("2026-01-15")] if alert else [])


# --- RECORDING_LAG ---------------------------------------------------------------------------

def test_visit_recorded_six_working_days_late_raises_recording_lag_on_the_recorded_day() -> None:
    events = [ev(1, "HV_VISIT", "2026-03-02", who=MOTHER, recorded="2026-03-10")]
    found = alerts("RECORDING_LAG", events)
    assert [(f.child_id, f.fired_on, f.evidence) for f in found] == [
        (CHILD, D("2026-03-10"), (1,))]
    assert (found[0].window_start, found[0].window_end) == (D("2026-03-02"), D("2026-03-10"))


@pytest.mark.parametrize(("occurred", "recorded", "late"), [
    ("2026-03-02", "2026-03-02", False),  # the same day
    ("2026-03-02", "2026-03-09", False),  # 5 working days (Monday to Monday)
    ("2026-03-02", "2026-03-10", True),   # 6
    ("2026-03-07", "2026-03-13", False),  # a Saturday, recorded on Friday: 5
    ("2026-03-07", "2026-03-16", True),   # 6
    ("2026-12-21", "2026-12-30", False),  # 5 over Christmas: 22, 23, 24, 29, 30
    ("2026-12-21", "2026-12-31", True),   # 6
    ("2026-12-24", "2027-01-05", False),  # 5: 29, 30, 31, 4, 5
    ("2026-12-24", "2027-01-06", True),   # 6
    ("2026-04-01", "2026-04-10", False),  # 5 over Easter: 2, 7, 8, 9, 10
    ("2026-04-01", "2026-04-13", True),   # 6
])
def test_recording_lag_is_more_than_5_working_days(
        occurred: str, recorded: str, late: bool) -> None:
    events = [ev(1, "HOME_VISIT", occurred, by="CSC", recorded=recorded)]
    assert raised("RECORDING_LAG", events) == ([(CHILD, D(recorded), (1,))] if late else [])


def test_recording_lag_ignores_events_of_people_outside_the_case() -> None:
    events = [ev(1, "GP_CONSULTATION", "2026-03-02", who=GRANDMOTHER, by="GP",
                 recorded="2026-04-01")]
    assert alerts("RECORDING_LAG", events) == []


@pytest.mark.parametrize(("known_by", "alert"), [("2026-03-09", False), ("2026-03-10", True)])
def test_recording_lag_is_not_known_before_the_event_was_recorded(
        known_by: str, alert: bool) -> None:
    events = [ev(1, "HV_VISIT", "2026-03-02", who=MOTHER, recorded="2026-03-10")]
    found = days_raised("RECORDING_LAG", events, known_by=D(known_by))
    assert found == ([D("2026-03-10")] if alert else [])


# --- NO_STRATEGY_DISCUSSION ------------------------------------------------------------------

def _injury_and_discussion(injured: str, discussed: str | None, **kwargs: Any) -> list[Firing]:
    """A bruise on a two-month-old baby (NIM_INJURY), and perhaps a strategy discussion."""
    events = [ev(1, "INJURY", injured, by="ED", type="bruise")]
    if discussed:
        events.append(ev(2, "STRATEGY_DISCUSSION", discussed, by="CSC"))
    return alerts("NO_STRATEGY_DISCUSSION", events, born=_plus(injured, -60), **kwargs)


def test_injured_baby_with_no_strategy_discussion_raises_an_alert_after_one_working_day() -> None:
    found = _injury_and_discussion("2026-03-02", None)
    assert [(f.child_id, f.fired_on, f.evidence) for f in found] == [
        (CHILD, D("2026-03-04"), (1,))]
    assert found[0].key.startswith("NIM_INJURY")
    assert (found[0].window_start, found[0].window_end) == (D("2026-03-02"), D("2026-03-03"))


@pytest.mark.parametrize(("injured", "discussed", "raised_on"), [
    ("2026-03-02", "2026-02-22", "2026-03-04"),  # 8 days before: too early to count
    ("2026-03-02", "2026-02-23", None),          # 7 days before (already under discussion)
    ("2026-03-02", "2026-03-02", None),          # the same day
    ("2026-03-02", "2026-03-03", None),          # the next working day
    ("2026-03-02", "2026-03-04", "2026-03-04"),  # the second working day: too late
    ("2026-03-06", "2026-03-09", None),          # Friday; Monday is the next working day
    ("2026-03-06", None, "2026-03-10"),
    ("2026-12-24", "2026-12-29", None),          # Christmas Eve; Tuesday 29th is next
    ("2026-12-24", None, "2026-12-30"),
    ("2026-04-02", "2026-04-07", None),          # Maundy Thursday; Tuesday 7th is next
    ("2026-04-02", None, "2026-04-08"),
])
def test_strategy_discussion_is_due_by_the_next_working_day(
        injured: str, discussed: str | None, raised_on: str | None) -> None:
    found = _injury_and_discussion(injured, discussed)
    assert [f.fired_on for f in found] == ([D(raised_on)] if raised_on else [])


@pytest.mark.parametrize(("as_of", "alert"), [("2026-03-03", False), ("2026-03-04", True)])
def test_no_strategy_discussion_is_not_raised_before_the_deadline_has_passed(
        as_of: str, alert: bool) -> None:
    assert bool(_injury_and_discussion("2026-03-02", None, as_of=D(as_of))) is alert


def test_a_strategy_discussion_recorded_on_the_mother_is_not_on_the_childs_record() -> None:
    events = [ev(1, "INJURY", "2026-03-02", by="ED", type="bruise"),
              ev(2, "STRATEGY_DISCUSSION", "2026-03-03", who=MOTHER, by="CSC")]
    assert days_raised("NO_STRATEGY_DISCUSSION", events) == [D("2026-03-04")]


@pytest.mark.parametrize(("event", "born", "flags", "raised_on"), [
    (ev(1, "REFERRAL", "2026-03-02", by="CSC", level="Child Protection"), SCHOOL_AGE, (),
     "2026-03-04"),
    (ev(1, "REFERRAL", "2026-03-02", by="CSC", level="CP"), SCHOOL_AGE, (), "2026-03-04"),
    (ev(1, "REFERRAL", "2026-03-02", by="CSC", level="early help"), SCHOOL_AGE, (), None),
    (ev(1, "INJURY", "2026-03-02", by="ED", type="fracture"), SCHOOL_AGE, (), "2026-03-04"),
    (ev(1, "INJURY", "2026-08-03", by="ED", type="bruise"), BORN, (), None),
    # a release near a child calls for notification and assessment, not a strategy
    # discussion (RELEASE_NOT_FOLLOWED_UP)
    (ev(1, "CUSTODY_RELEASE", "2026-03-02", who=FATHER, by="PRISON"), SCHOOL_AGE,
     ((FATHER, "MAPPA_3"),), None),
    (ev(1, "CUSTODY_RELEASE", "2026-03-02", who=FATHER, by="PRISON"), SCHOOL_AGE, (), None),
], ids=["child-protection-referral", "cp-referral", "early-help-referral",
        "unexplained-fracture", "bruise-on-a-mobile-baby-of-six-months", "mappa-father-released",
        "father-with-no-risk-flag-released"])
def test_serious_concerns_that_need_a_strategy_discussion(
        event: EventRow, born: dt.date, flags: tuple, raised_on: str | None) -> None:
    found = raised("NO_STRATEGY_DISCUSSION", [event], born=born, flags=flags)
    assert found == ([(CHILD, D(raised_on), (1,))] if raised_on else [])


def test_a_fracture_in_a_baby_is_two_reasons_for_a_strategy_discussion() -> None:
    # The injury sets off both NIM_INJURY and UNEXPLAINED_FRACTURE; each is its own trigger.
    events = [ev(1, "INJURY", "2026-03-02", by="ED", type="fracture")]
    found = alerts("NO_STRATEGY_DISCUSSION", events)
    assert sorted(f.key.split()[0] for f in found) == ["NIM_INJURY", "UNEXPLAINED_FRACTURE"]
    assert {(f.fired_on, f.evidence) for f in found} == {(D("2026-03-04"), (1,))}
    events.append(ev(2, "STRATEGY_DISCUSSION", "2026-03-02", by="CSC"))
    assert alerts("NO_STRATEGY_DISCUSSION", events) == []


# --- RELEASE_NOT_FOLLOWED_UP -----------------------------------------------------------------

def _release_and(*then: EventRow) -> list[tuple[int, dt.date, tuple[int, ...]]]:
    """A MAPPA father released on Monday 2 March 2026, and what followed."""
    events = [ev(1, "CUSTODY_RELEASE", "2026-03-02", who=FATHER, by="PRISON"), *then]
    return raised("RELEASE_NOT_FOLLOWED_UP", events, flags=((FATHER, "MAPPA_2"),))


def test_a_release_near_a_child_with_nothing_after_it_is_raised_after_ten_working_days() -> None:
    # ten working days after Monday 2 March end on Monday 16 March; raised the day after
    assert _release_and() == [(CHILD, D("2026-03-17"), (1,))]


@pytest.mark.parametrize(("follow_up", "who", "by"), [
    ("ASSESSMENT_START", CHILD, "CSC"), ("INFO_RECEIVED", FATHER, "CSC"),
    ("INFO_SHARED", FATHER, "PROBATION"), ("PROFESSIONALS_MEETING", CHILD, "CSC"),
    ("STRATEGY_DISCUSSION", CHILD, "CSC")])
def test_an_assessment_information_shared_or_a_meeting_is_the_follow_up(
        follow_up: str, who: int, by: str) -> None:
    assert _release_and(ev(2, follow_up, "2026-03-16", who=who, by=by)) == []


def test_a_follow_up_after_the_window_is_too_late_and_one_before_the_release_counts() -> None:
    late = ev(2, "ASSESSMENT_START", "2026-03-17", by="CSC")
    assert _release_and(late) == [(CHILD, D("2026-03-17"), (1,))]
    planned = ev(2, "INFO_SHARED", "2026-02-20", who=FATHER, by="PROBATION")
    assert _release_and(planned) == []


def test_no_follow_up_is_asked_for_the_release_of_someone_not_a_risk_adult() -> None:
    events = [ev(1, "CUSTODY_RELEASE", "2026-03-02", who=FATHER, by="PRISON")]
    assert raised("RELEASE_NOT_FOLLOWED_UP", events) == []


# --- JIGSAW_GAP ------------------------------------------------------------------------------

def _three_agencies(third: str | dt.date, *extra: EventRow) -> list[EventRow]:
    return [ev(1, "MENTAL_HEALTH_CONCERN", "2026-03-02", who=MOTHER, by="GP"),
            ev(2, "DA_INCIDENT", "2026-04-01", who=MOTHER, by="POLICE"),
            ev(3, "ED_ATTENDANCE", third, by="ED"), *extra]


def test_concerns_from_three_agencies_with_no_meeting_raise_jigsaw_gap() -> None:
    found = alerts("JIGSAW_GAP", _three_agencies("2026-05-01"))
    assert [(f.child_id, f.fired_on, f.evidence) for f in found] == [
        (CHILD, D("2026-05-01"), (1, 2, 3))]
    assert (found[0].window_start, found[0].window_end) == (D("2026-01-31"), D("2026-05-01"))


@pytest.mark.parametrize(("days_later", "alert"), [(89, True), (90, True), (91, False)])
def test_jigsaw_gap_window_is_the_90_days_before_the_third_agencys_concern(
        days_later: int, alert: bool) -> None:
    third = _plus("2026-03-02", days_later)
    assert days_raised("JIGSAW_GAP", _three_agencies(third)) == ([third] if alert else [])


@pytest.mark.parametrize(("meeting", "alert"), [
    (ev(9, "PROFESSIONALS_MEETING", "2026-01-30", by="CSC"), True),  # before the window
    (ev(9, "PROFESSIONALS_MEETING", "2026-01-31", by="CSC"), False),  # first day of it
    (ev(9, "PROFESSIONALS_MEETING", "2026-04-15", by="CSC"), False),
    (ev(9, "INFO_SHARED", "2026-05-01", who=MOTHER, by="GP"), False),  # the last day
    (ev(9, "PROFESSIONALS_MEETING", "2026-04-15", who=GRANDMOTHER, by="CSC"), True),
], ids=["meeting-the-day-before-the-window", "meeting-on-its-first-day", "meeting-in-it",
        "information-shared-on-the-last-day", "meeting-about-the-grandmother"])
def test_a_professionals_meeting_or_information_sharing_in_the_window_closes_the_gap(
        meeting: EventRow, alert: bool) -> None:
    found = days_raised("JIGSAW_GAP", _three_agencies("2026-05-01", meeting))
    assert found == ([D("2026-05-01")] if alert else [])


@pytest.mark.parametrize("third", [
    ev(3, "ED_ATTENDANCE", "2026-05-01", by="GP"),
    ev(3, "ED_ATTENDANCE", "2026-05-01", who=GRANDMOTHER, by="ED"),
], ids=["only-two-agencies", "third-concern-about-the-grandmother"])
def test_no_jigsaw_gap_with_concerns_from_fewer_than_three_agencies_on_the_case(
        third: EventRow) -> None:
    assert alerts("JIGSAW_GAP", [*_three_agencies("2026-05-01")[:2], third]) == []


# --- FAMILY_CONCERN_UNACTIONED ---------------------------------------------------------------

def test_grandparents_concern_not_acted_on_raises_an_alert_after_10_working_days() -> None:
    events = [ev(1, "CONTACT", "2026-03-02", by="CSC", source="Grandparent")]
    found = alerts("FAMILY_CONCERN_UNACTIONED", events, born=SCHOOL_AGE)
    assert [(f.child_id, f.fired_on, f.evidence) for f in found] == [
        (CHILD, D("2026-03-17"), (1,))]
    assert (found[0].window_start, found[0].window_end) == (D("2026-03-02"), D("2026-03-16"))


@pytest.mark.parametrize(("raised_by", "response", "raised_on"), [
    ("2026-03-02", ev(2, "ASSESSMENT_START", "2026-03-16", by="CSC"), None),   # 10th wd
    ("2026-03-02", ev(2, "S47_START", "2026-03-05", by="CSC"), None),
    ("2026-03-02", ev(2, "STRATEGY_DISCUSSION", "2026-03-02", by="CSC"), None),
    ("2026-03-02", ev(2, "ASSESSMENT_START", "2026-03-17", by="CSC"), "2026-03-17"),  # 11th
    ("2026-03-02", ev(2, "ASSESSMENT_START", "2026-03-01", by="CSC"), "2026-03-17"),  # before
    ("2026-03-02", ev(2, "HOME_VISIT", "2026-03-05", by="CSC"), "2026-03-17"),
    # Christmas: 22, 23, 24, 29, 30, 31, 4, 5, 6, 7 January 2027.
    ("2026-12-21", ev(2, "ASSESSMENT_START", "2027-01-07", by="CSC"), None),
    ("2026-12-21", ev(2, "ASSESSMENT_START", "2027-01-08", by="CSC"), "2027-01-08"),
    # Easter: 2, 7, 8, 9, 10, 13, 14, 15, 16, 17 April.
    ("2026-04-01", ev(2, "ASSESSMENT_START", "2026-04-17", by="CSC"), None),
    ("2026-04-01", ev(2, "ASSESSMENT_START", "2026-04-20", by="CSC"), "2026-04-18"),
])
def test_family_concern_needs_an_assessment_by_the_10th_working_day(
        raised_by: str, response: EventRow, raised_on: str | None) -> None:
    events = [ev(1, "REFERRAL", raised_by, by="CSC", source="parent"), response]
    assert days_raised("FAMILY_CONCERN_UNACTIONED", events, born=SCHOOL_AGE) == (
        [D(raised_on)] if raised_on else [])


@pytest.mark.parametrize("source", ["school", "police", ""])
def test_no_family_concern_alert_for_a_contact_from_a_professional(source: str) -> None:
    events = [ev(1, "CONTACT", "2026-03-02", by="CSC", source=source)]
    assert alerts("FAMILY_CONCERN_UNACTIONED", events, born=SCHOOL_AGE) == []


# --- What every rule shares -------------------------------------------------------------------

@pytest.mark.parametrize(("recorded", "alert"), [
    ("2026-03-09", True), ("2026-03-10", False), ("2026-03-11", False)],
    ids=["day-before-18th-birthday", "18th-birthday", "day-after"])
def test_no_alert_is_raised_on_or_after_the_childs_18th_birthday(
        recorded: str, alert: bool) -> None:
    events = [ev(1, "HOME_VISIT", "2026-02-20", by="CSC", recorded=recorded)]
    found = days_raised("RECORDING_LAG", events, born=D("2008-03-10"))
    assert found == ([D(recorded)] if alert else [])


def test_alerts_are_raised_for_a_child_whose_date_of_birth_is_unknown() -> None:
    events = [ev(1, "HOME_VISIT", "2026-03-02", by="CSC", recorded="2026-03-10")]
    assert raised("RECORDING_LAG", events, born=None) == [(CHILD, D("2026-03-10"), (1,))]


def test_as_of_uses_the_corrected_date_of_an_event() -> None:
    # Recorded on 1 March as happening that day; corrected on 20 April: it happened on
    # 1 April. As of 15 March, by what is known now, the injury had not yet happened.
    events = [ev(1, "INJURY", "2026-03-01", by="ED", type="bruise", source_id="X1"),
              ev(2, "INJURY", "2026-04-01", by="ED", type="bruise", source_id="X1",
                 recorded="2026-04-20", version=2)]
    assert alerts("NIM_INJURY", events, as_of=D("2026-03-15")) == []


def test_a_correction_to_an_event_keeps_the_key_of_its_alert() -> None:
    events = [ev(1, "INJURY", "2026-03-02", by="ED", type="bruise", source_id="X1"),
              ev(2, "INJURY", "2026-03-02", by="ED", type="bruise", source_id="X1",
                 recorded="2026-03-05", version=2, site="cheek")]
    before = alerts("NIM_INJURY", events, known_by=D("2026-03-04"))
    after = alerts("NIM_INJURY", events, known_by=D("2026-03-05"))
    assert len(before) == len(after) == 1
    assert before[0].key == after[0].key
