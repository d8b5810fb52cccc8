"""The SQL rules engine agrees with the plain-Python oracle (tests/alerts/oracle.py).

Random small chronologies (one or two children, a few adults in network roles, flags,
events of the types the catalogue uses with the details keys it reads, corrections known
later, recording delays, dates across Christmas and Easter bank holidays) are evaluated by
both; they must raise the same (rule, child, key, fired_on) firings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from joinedup.alerts.blocks import PLAN_KINDS, RISK_EVENT_TYPES, RISK_FLAGS
from joinedup.alerts.catalogue import Rule, Selector, load_catalogue
from joinedup.alerts.engine import evaluate
from joinedup.alerts.snapshot import EventRow, from_rows
from joinedup.vocabulary import CONCERN_EVENT_TYPES, EVENT_TYPES
from tests.alerts import oracle

START = dt.date(2024, 10, 1)  # Christmas 2024, Easter 2025, Christmas 2025, Easter 2026
SPAN_DAYS = 600
OWN_AREA, OTHER_AREA = "E08000007", "E08000003"
AGENCIES = (  # code, kind, own area
    ("CSC", "CHILDRENS_SOCIAL_CARE", OWN_AREA),
    ("POL", "POLICE", OWN_AREA),
    ("GP1", "GP", OWN_AREA),
    ("HOSP", "HOSPITAL", OWN_AREA),
    ("PROB", "PROBATION", OWN_AREA),
    ("HV", "HEALTH_VISITING", OTHER_AREA),
)
ADULT_ROLES = ("MOTHER", "FATHER", "PARTNER_OF_PARENT", "EX_PARTNER", "ADULT_HOUSEHOLD_MEMBER",
               "REGULAR_VISITOR", "GRANDPARENT", "OTHER_RELATIVE", "KINSHIP_CARER",
               "FOSTER_CARER")
FLAGS = (*RISK_FLAGS, "CARE_EXPERIENCED", "NOT_INDEPENDENTLY_MOBILE", "PREGNANT")


@cache
def rules() -> list[Rule]:
    return load_catalogue()


@cache
def event_types() -> tuple[str, ...]:
    """Every event type the catalogue names, the building blocks' types and one other."""
    found: set[str] = set(CONCERN_EVENT_TYPES) | set(RISK_EVENT_TYPES) | {"HOME_VISIT"}
    found |= {"DA_INCIDENT"}  # its perpetrator (related person) becomes a risk adult
    found |= {t for pair in PLAN_KINDS for t in pair}
    for rule in rules():
        for clause in rule.clauses:
            for value in clause.params.values():
                if isinstance(value, Selector):
                    found |= set(value.types)
                elif isinstance(value, str) and value.isupper():
                    found.add(value)
                elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
                    found |= {v for v in value if v.isupper() and "_" in v and v not in
                              {r.id for r in rules()}}
    return tuple(sorted(found & set(EVENT_TYPES)))


def day(offset: int) -> dt.date:
    return START + dt.timedelta(days=offset)


DETAILS: dict[str, st.SearchStrategy[Any]] = {
    "type": st.sampled_from(["fracture", "Fracture", "bruise", ""]),
    "explanation": st.sampled_from(["fell from sofa", ""]),
    "explanation_unsuitable": st.sampled_from([True, False, "yes", "no", "1"]),
    "healing": st.sampled_from([True, "true", "no"]),
    "incidental": st.sampled_from([True, "0"]),
    "different_ages": st.sampled_from(["yes", False]),
    "mobility": st.sampled_from(["not mobile", "Not Independently Mobile", "crawling"]),
    "dash_score": st.sampled_from([3, 13, 14, 20, "15", "high"]),
    "victim_pregnant": st.sampled_from([True, False, "yes", "no"]),
    "previous_area": st.sampled_from([OWN_AREA, OTHER_AREA, ""]),
    "licence_end": st.just("unknown"),  # or a date near the event: details_for
    "source": st.sampled_from(["parent", "relative", "police", "Relative"]),
    "level": st.sampled_from(["cp", "CP", "cin", "child protection"]),
}


@dataclass(frozen=True)
class Case:
    events: list[EventRow]
    network: list[tuple[int, int, str]]
    children: dict[int, dt.date | None]
    flags: list[tuple[int, str]]
    as_of: dt.date | None
    known_by: dt.date | None


RELEVANT_KEYS = {
    "INJURY": ("type", "explanation", "explanation_unsuitable", "healing", "incidental",
               "different_ages", "mobility"),
    "DA_INCIDENT": ("dash_score", "victim_pregnant"),
    "TRANSFER_IN": ("previous_area",),
    "REFUGE_ENTRY": ("previous_area",),
    "GP_REGISTRATION": ("previous_area",),
    "NEW_BIRTH_VISIT": ("previous_area",),
    "CUSTODY_RELEASE": ("licence_end",),
    "LICENCE_START": ("licence_end",),
    "REFERRAL": ("source", "level"),
    "CONTACT": ("source",),
}
HOT_TYPES = (*RELEVANT_KEYS, "ED_ATTENDANCE", "APPOINTMENT_MISSED", "STEP_DOWN", "CASE_CLOSURE",
             "LICENCE_END", "STRATEGY_DISCUSSION", "INFO_REQUEST_SENT", "INFO_RECEIVED",
             "MAPPA_LEVEL", "CIN_PLAN_START", "CP_PLAN_END", "LAC_EPISODE_START",
             "LAC_EPISODE_END", "SUBSTANCE_MISUSE_CONCERN", "MENTAL_HEALTH_CONCERN",
             "ASSESSMENT_START")


def details_for(draw: st.DrawFn, event_type: str, occurred: dt.date) -> dict[str, Any]:
    relevant = RELEVANT_KEYS.get(event_type, ())
    keys = draw(st.lists(st.sampled_from(relevant), max_size=len(relevant), unique=True)) \
        if relevant else []
    if draw(st.integers(0, 4)) == 0:
        keys.append(draw(st.sampled_from(sorted(DETAILS))))
    details = {k: draw(DETAILS[k]) for k in keys}
    if "licence_end" in details and draw(st.integers(0, 4)):
        details["licence_end"] = (occurred + dt.timedelta(days=draw(st.integers(-5, 90)))
                                  ).isoformat()
    return details


@st.composite
def households(draw: st.DrawFn, base: int) -> Case:
    """One family: one or two children, one to four adults, their flags and events (person
    ids from ``base``, event ids from ``base * 100``)."""
    child_ids = [base + 1, base + 2][:draw(st.integers(1, 2))]
    dob_choice = st.one_of(
        st.integers(-300, SPAN_DAYS).map(day),  # babies, some born during the span
        st.none(),
        st.integers(-365 * 18 + 30, -365 * 18 + SPAN_DAYS).map(day),  # turning 18
    ).filter(lambda d: d is None or (d.month, d.day) != (2, 29))
    children = {c: draw(dob_choice) for c in child_ids}
    adults = list(range(base + 10, base + 10 + draw(st.integers(1, 4))))
    network: list[tuple[int, int, str]] = []
    for c in child_ids:
        for a in adults:
            for role in draw(st.lists(st.sampled_from(ADULT_ROLES), max_size=2, unique=True)):
                network.append((c, a, role))
        for other in child_ids:
            if other != c and draw(st.booleans()):  # a brother or sister, or a teenage parent
                network.append((c, other, draw(st.sampled_from(["SIBLING", "SIBLING", "FATHER",
                                                                "MOTHER"]))))
    persons = child_ids + adults
    flags = draw(st.lists(st.tuples(st.one_of(st.sampled_from(adults), st.sampled_from(persons)),
                                    st.sampled_from(FLAGS)), max_size=4, unique=True))
    spread = draw(st.sampled_from([60, 200, SPAN_DAYS]))
    first_centre = draw(st.integers(0, SPAN_DAYS - spread))
    centres = draw(st.lists(st.integers(first_centre, first_centre + spread), min_size=1,
                            max_size=3))
    # A few event types per family, so that clusters and pairs form.
    theme = draw(st.lists(st.one_of(st.sampled_from(HOT_TYPES), st.sampled_from(event_types())),
                          min_size=1, max_size=6, unique=True))
    events: list[EventRow] = []
    pk = base * 100
    for _ in range(draw(st.integers(0, 25))):
        occurred = day(draw(st.sampled_from(centres)) + draw(st.integers(-20, 20)))
        delay = draw(st.one_of(st.integers(0, 8), st.integers(0, 30)))
        agency, kind, area = draw(st.sampled_from(AGENCIES))
        event_type = draw(st.sampled_from(theme)) if draw(st.integers(0, 3)) \
            else draw(st.sampled_from(event_types()))
        person = draw(st.one_of(st.sampled_from(child_ids), st.sampled_from(persons)))
        related = draw(st.one_of(st.none(), st.sampled_from(persons)))
        pk += 1
        details = details_for(draw, event_type, occurred)
        first = EventRow(pk, agency, person, event_type, occurred,
                         occurred + dt.timedelta(days=delay), details, related, kind, area,
                         source_id=f"S{pk}")
        events.append(first)
        if draw(st.integers(0, 5)) == 0:  # a correction, known later
            new_occurred = occurred + dt.timedelta(days=draw(st.sampled_from([0, 0, -3, 2, 40])))
            recorded = max(first.recorded_on, new_occurred)
            new_type = draw(st.sampled_from([event_type, event_type, *theme]))
            pk += 1
            events.append(EventRow(
                pk, agency, person, new_type, new_occurred, recorded,
                details_for(draw, new_type, new_occurred), related, kind, area,
                source_id=first.source_id, version=2,
                known_on=recorded + dt.timedelta(days=draw(st.integers(0, 60)))))
    return Case(events, network, children, flags, None, None)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """One to three unrelated families in one snapshot, with a random as-of and known-by."""
    families = [draw(households(base)) for base in range(100, 100 * (draw(st.integers(1, 3)) + 1),
                                                         100)]
    cut = st.one_of(st.none(), st.none(), st.integers(0, SPAN_DAYS + 40).map(day))
    return Case([e for f in families for e in f.events],
                [r for f in families for r in f.network],
                {c: d for f in families for c, d in f.children.items()},
                [x for f in families for x in f.flags], draw(cut), draw(cut))


def engine_firings(case: Case) -> set[tuple[str, int, str, dt.date]]:
    with from_rows(case.events, case.network, case.children, case.flags, as_of=case.as_of,
                   known_by=case.known_by) as snapshot:
        return {(f.rule, f.child_id, f.key, f.fired_on) for f in evaluate(snapshot, rules())}


def oracle_firings(case: Case) -> set[tuple[str, int, str, dt.date]]:
    return oracle.evaluate(case.events, case.network, case.children, case.flags, rules(),
                           as_of=case.as_of, known_by=case.known_by)


def assert_agree(case: Case) -> None:
    engine, expected = engine_firings(case), oracle_firings(case)
    assert engine - expected == set() and expected - engine == set(), (
        f"engine only: {sorted(engine - expected)}; oracle only: {sorted(expected - engine)}")


def csc(pk: int, person: int, event_type: str, occurred: dt.date, **more: Any) -> EventRow:
    return EventRow(pk, "CSC", person, event_type, occurred, occurred,
                    agency_kind="CHILDRENS_SOCIAL_CARE", source_id=f"S{pk}", **more)


D = dt.date
REGRESSIONS = {
    # Found by the property test (engine as of 26 Nov 2026, 22:15): UNASSESSED_RISKY_ADULT
    # fired for child 101, 281 days before birth on S (not unborn, not under 24 months),
    # when another child (102, born on S) was in the snapshot. Fixed in the SQL since.
    "unborn limit with another child": Case(
        [csc(10001, 101, "INJURY", START),
         csc(10002, 101, "INJURY", START, version=2, known_on=START)],
        [(101, 110, "FATHER")], {101: day(281), 102: day(0)}, [(110, "MAPPA_1")], None, None),
    # Deadlines across Christmas: a CP referral on Christmas Eve is due on 27 December and
    # fires on Saturday the 28th; a family's contact on the 20th is due 10 working days on.
    "christmas deadlines": Case(
        [csc(1, 1, "REFERRAL", D(2024, 12, 24), details={"level": "cp"}),
         csc(2, 1, "CONTACT", D(2024, 12, 20), details={"source": "Parent"}),
         csc(3, 1, "STRATEGY_DISCUSSION", D(2024, 12, 16))],
        [], {1: D(2020, 1, 1)}, [], D(2024, 12, 28), None),
    # A correction moving an event after the as-of day takes it out; known-by picks the
    # version known then.
    "corrections": Case(
        [csc(1, 1, "INJURY", D(2025, 1, 10), details={"type": "fracture"}),
         EventRow(2, "CSC", 1, "INJURY", D(2025, 2, 10), D(2025, 2, 11),
                  {"type": "fracture", "explanation": "fell"}, None, "CHILDRENS_SOCIAL_CARE",
                  source_id="S1", version=2, known_on=D(2025, 3, 1)),
         csc(3, 1, "APPOINTMENT_MISSED", D(2025, 1, 15)),
         csc(4, 1, "APPOINTMENT_MISSED", D(2025, 4, 15))],
        [], {1: D(2024, 10, 1)}, [], D(2025, 2, 1), D(2025, 2, 20)),
    # The 18th birthday of a child born on 29 February, and the count window's far edge
    # (exactly 90 days before).
    "eighteenth birthday": Case(
        [csc(1, 1, "INJURY", D(2026, 2, 27), details={"type": "fracture"}),
         csc(2, 1, "INJURY", D(2026, 2, 28), details={"type": "fracture"}),
         csc(3, 1, "APPOINTMENT_MISSED", D(2025, 11, 29)),
         csc(4, 1, "APPOINTMENT_MISSED", D(2026, 2, 27))],
        [], {1: D(2008, 2, 29)}, [], None, None),
    # Risk adults: a perpetrator from the day of the incident, a response naming the adult
    # as related person, a child unborn exactly 280 days before birth.
    "risk adults": Case(
        [csc(1, 1, "HOME_VISIT", D(2025, 1, 10)),
         EventRow(2, "POL", 50, "DA_INCIDENT", D(2025, 1, 20), D(2025, 1, 20), related_id=11),
         csc(3, 60, "INFO_RECEIVED", D(2024, 12, 11), related_id=12),
         EventRow(4, "PROB", 11, "CUSTODY_RELEASE", D(2025, 1, 20), D(2025, 1, 21),
                  {"licence_end": "2025-03-01"}),
         EventRow(5, "PROB", 11, "LICENCE_END", D(2025, 3, 1), D(2025, 3, 1)),
         csc(6, 1, "STEP_DOWN", D(2025, 5, 30))],
        [(1, 11, "EX_PARTNER"), (1, 12, "REGULAR_VISITOR"), (1, 13, "GRANDPARENT")],
        {1: D(2025, 10, 17)}, [(12, "VIOLENT_OFFENDER"), (13, "MAPPA_2")], None, None),
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_engine_agrees_with_oracle_on(name: str) -> None:
    assert_agree(REGRESSIONS[name])


@pytest.mark.slow
@settings(max_examples=110, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases())
@example(REGRESSIONS["unborn limit with another child"])
def test_engine_agrees_with_oracle(case: Case) -> None:
    assert_agree(case)


def test_thin_history_window_without_an_end_is_not_inverted() -> None:
    case = Case([csc(1, 1, "HOME_VISIT", D(2025, 1, 1)),
                 csc(2, 20, "LAC_EPISODE_START", D(2025, 2, 1))],
                [(1, 20, "MOTHER")], {1: None}, [], None, None)
    with from_rows(case.events, case.network, case.children, case.flags) as snapshot:
        (firing,) = [f for f in evaluate(snapshot, rules()) if f.rule == "CARE_HISTORY_THIN"]
    assert firing.window_start <= firing.window_end
