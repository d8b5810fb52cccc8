"""The sentences of state titles, one way of saying it for each rule of the catalogue
(``state_titles.py`` says what a title may hold). Each answers None when it cannot make
a sentence from what it may mention, and the title is then the rule's own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from joinedup.alerts.catalogue import Clause, Rule
from joinedup.alerts.engine import Firing
from joinedup.alerts.title_words import (
    age,
    between,
    count,
    day,
    later,
    listed,
    lower,
    noun,
    working_days,
)


@dataclass(frozen=True)
class EvidenceEvent:
    """What a title may know of one evidence event: its type and the day it happened, the
    agency (to count agencies, never named) and whether it is kept out of titles (a
    victim-support service holds it, or the sharing policy shows it to no partner)."""

    event_type: str
    occurred_on: dt.date
    agency: str = ""
    kept_back: bool = False


@dataclass(frozen=True)
class Fired:
    firing: Firing
    rule: Rule
    seen: tuple[EvidenceEvent, ...]  # not held by victim support, in date order
    hidden: bool  # some evidence is held by victim support

    def of(self, types: Iterable[str]) -> list[EvidenceEvent]:
        wanted = set(types)
        return [e for e in self.seen if e.event_type in wanted]

    def clause(self, operator: str) -> Clause | None:
        return next((c for c in self.rule.clauses if c.operator == operator), None)

    def trigger_clause(self) -> tuple[Clause, EvidenceEvent | None] | None:
        """The no_follow_up clause that fired, and the event that set it off (None when it
        built on another rule's firing)."""
        for clause in self.rule.clauses:
            if clause.operator != "no_follow_up":
                continue
            if any(self.firing.key.startswith(f"{r} ") for r in
                   clause.params.get("trigger_rules", ())):
                return clause, None
            trigger = clause.params.get("trigger")
            found = self.of(trigger.types) if trigger is not None else []
            if found and not self.hidden:
                return clause, found[0]
        return None


_RELEASES = {"CUSTODY_RELEASE": "Risk adult released from custody",
             "LICENCE_START": "Risk adult's licence started",
             "LICENCE_END": "Risk adult's licence ended"}
_STEPS = {"STEP_DOWN": "Stepped down", "CASE_CLOSURE": "Case closed",
          "EH_EPISODE_END": "Early help ended"}
_DISENGAGING = {"APPOINTMENT_MISSED": "missed appointments",
                "MEDICATION_STOPPED": "medication stopped",
                "PROGRAMME_DROPOUT": "a programme dropped",
                "NO_ACCESS_VISIT": "no access at a visit"}
_ARRIVALS = {"GP_REGISTRATION": "Registered with a GP from another area",
             "NEW_BIRTH_VISIT": "New birth visit to a family from another area"}
"""Other arrivals (a transfer in, a refuge) read "Moved from another area": a title never
says that someone went to a refuge."""


# ---------------------------------------------------------------- one event


def _one(f: Fired, types: Iterable[str]) -> EvidenceEvent | None:
    found = f.of(types)
    return found[0] if found and not f.hidden else None


def _nim_injury(f: Fired) -> str | None:
    e = _one(f, ["INJURY"])
    if e is None:
        return None
    return f"Injury on {day(e.occurred_on)} to a baby who is not independently mobile"


def _fracture(f: Fired) -> str | None:
    e = _one(f, ["INJURY"])
    return None if e is None else f"Fracture on {day(e.occurred_on)} with no suitable explanation"


def _release_near(f: Fired) -> str | None:
    e = _one(f, _RELEASES)
    return None if e is None else f"{_RELEASES[e.event_type]} on {day(e.occurred_on)}, near a child"


def _da_incident(f: Fired) -> str | None:
    e = _one(f, ["DA_INCIDENT"])
    if e is None:
        return None
    return (f"Domestic abuse incident on {day(e.occurred_on)}, in pregnancy, around a "
                  "baby under one or at high risk")


def _licence_end(f: Fired) -> str | None:
    if _one(f, ["CUSTODY_RELEASE", "LICENCE_START", "LICENCE_END"]) is None:
        return None
    ends, fired = f.firing.window_end, f.firing.fired_on
    when = f", in {count((ends - fired).days, 'day')}" if ends > fired else ""
    return f"Risk adult's licence ends on {day(ends)}{when}"


def _recorded_late(f: Fired) -> str | None:
    e = _one(f, [x.event_type for x in f.seen])
    clause = f.clause("each_event")
    if e is None or clause is None:
        return None
    late = next((c.number for c in clause.params["select"].where
                 if c.kind == "recorded_late_working_days"), 5)
    return (f"{noun(e.event_type)} on {day(e.occurred_on)} recorded on "
            f"{day(f.firing.fired_on)}, more than {working_days(int(late))} later")


# ---------------------------------------------------------------- counts


def _counted(f: Fired) -> tuple[list[EvidenceEvent], dict[str, Any]] | None:
    clause = f.clause("count_within")
    if clause is None or not f.firing.key.startswith("day ") or not f.seen:
        return None
    return list(f.seen), clause.params


def _range(events: list[EvidenceEvent]) -> str:
    return between(events[0].occurred_on, events[-1].occurred_on)


def _presentations(f: Fired) -> str | None:
    found = _counted(f)
    if found is None:
        return None
    events, p = found
    days = len({e.occurred_on for e in events})
    if days < p["at_least"]:
        return None
    return (f"Baby under one seen with an injury or at an emergency department on "
            f"{count(days, 'different day')} {_range(events)}")


def _cumulative(f: Fired) -> str | None:
    found = _counted(f)
    if found is None:
        return None
    events, p = found
    names = [name for name, types in p.get("categories", {}).items()
             if any(e.event_type in types for e in events)]
    if len(names) < p["at_least"]:
        return None
    words = listed([name.replace("_", " ").replace("ill health", "ill-health")
                     for name in names])
    return f"{words[:1].upper()}{words[1:]} recorded for the child's carers {_range(events)}"


def _not_brought(f: Fired) -> str | None:
    found = _counted(f)
    if found is None:
        e = _one(f, ["APPOINTMENT_MISSED"])
        if e is None:
            return None
        return f"Appointment missed on {day(e.occurred_on)} while on a plan"
    events, p = found
    if len(events) < p["at_least"]:
        return None
    return f"{count(len(events), 'missed appointment')} {_range(events)}"


def _disengaging(f: Fired) -> str | None:
    found = _counted(f)
    if found is None:
        return None
    events, p = found
    agencies = len({e.agency for e in events})
    if len(events) < p["at_least"] or agencies < p.get("min_agencies", 1):
        return None
    kinds = listed(list(dict.fromkeys(_DISENGAGING.get(e.event_type, lower(
        noun(e.event_type))) for e in events)))
    return (f"{count(len(events), 'sign')} of disengagement from {agencies} agencies "
            f"{_range(events)}: {kinds}")


def _jigsaw(f: Fired) -> str | None:
    found = _counted(f)
    if found is None:
        return None
    events, p = found
    agencies = len({e.agency for e in events})
    if len(events) < p["at_least"] or agencies < p.get("min_agencies", 1):
        return None
    return (f"Concerns from {agencies} agencies {_range(events)}; no professionals meeting "
            "or information shared")


# ---------------------------------------------------------------- nothing followed


def _nothing_after(f: Fired, started: Callable[[Clause, EvidenceEvent | None], str | None],
                   missing: Callable[[Clause], str]) -> str | None:
    found = f.trigger_clause()
    if found is None:
        return None
    clause, trigger = found
    opening = started(clause, trigger)
    return opening and f"{opening}; {missing(clause)}"


def _after(what: str) -> Callable[[Clause], str]:
    return lambda clause: f"{what} after {working_days(clause.params['within_working_days'])}"


def _history(f: Fired) -> str | None:
    def started(clause: Clause, trigger: EvidenceEvent | None) -> str | None:
        if trigger is None:
            return None
        if trigger.event_type == "INFO_REQUEST_SENT":
            return f"Information requested on {day(trigger.occurred_on)}"
        arrived = _ARRIVALS.get(trigger.event_type, "Moved from another area")
        return f"{arrived} on {day(trigger.occurred_on)}"

    def missing(clause: Clause) -> str:
        days = working_days(clause.params["within_working_days"])
        if "INFO_RECEIVED" in clause.params["response"].types:
            return f"no reply after {days}"
        return f"no history requested within {days}"

    return _nothing_after(f, started, missing)


_SERIOUS = {"NIM_INJURY": "Injury to a baby who is not independently mobile",
            "UNEXPLAINED_FRACTURE": "Fracture with no suitable explanation"}


def _no_strategy(f: Fired) -> str | None:
    def started(clause: Clause, trigger: EvidenceEvent | None) -> str | None:
        if trigger is not None:
            return f"Child protection referral on {day(trigger.occurred_on)}"
        if f.hidden:
            return None
        words = _SERIOUS.get(f.firing.key.split(" ", 1)[0], "Serious concern")
        return f"{words} on {day(f.firing.window_start)}"

    return _nothing_after(f, started, _after("no strategy discussion"))


def _release_followed(f: Fired) -> str | None:
    def started(clause: Clause, trigger: EvidenceEvent | None) -> str | None:
        e = _one(f, _RELEASES)
        return None if e is None else f"{_RELEASES[e.event_type]} on {day(e.occurred_on)}"

    return _nothing_after(f, started, _after(
        "no assessment, information shared or professionals meeting"))


def _family_concern(f: Fired) -> str | None:
    def started(clause: Clause, trigger: EvidenceEvent | None) -> str | None:
        if trigger is None:
            return None
        what = "referral" if trigger.event_type == "REFERRAL" else "contact"
        return f"Concern from a family member on {day(trigger.occurred_on)} (a {what})"

    return _nothing_after(f, started, _after("no assessment or strategy discussion"))


def _adult(f: Fired) -> str | None:
    clause = f.clause("adult_not_assessed")
    if clause is None:
        return None
    p = clause.params
    return (f"Risk adult around a child under {age(p['child_under_months'])} from "
            f"{day(f.firing.window_start)}; no assessment or information from children's "
            f"social care within {count(p['within_days'], 'day')}")


# ---------------------------------------------------------------- two events


def _step_then_release(f: Fired) -> str | None:
    steps, releases = f.of(_STEPS), f.of(["CUSTODY_RELEASE", "LICENCE_END"])
    if f.hidden or not steps or not releases:
        return None
    step, release = steps[0], releases[0]
    return (f"{_STEPS[step.event_type]} on {day(step.occurred_on)}; "
            f"{lower(_RELEASES[release.event_type])} on {day(release.occurred_on)}, "
            f"{later(step.occurred_on, release.occurred_on)}")


def _new_concern(f: Fired) -> str | None:
    clause = f.clause("followed_by")
    if clause is None:
        return None
    steps = f.of(clause.params["first"].types)
    if not steps:
        return None
    step = steps[0]
    concerns = [e for e in f.seen if e is not step and e.occurred_on >= step.occurred_on]
    if not concerns:
        return None
    opening = f"{_STEPS.get(step.event_type, noun(step.event_type))} on {day(step.occurred_on)}"
    if len(concerns) == 1:
        e = concerns[0]
        return (f"{opening}; {lower(noun(e.event_type))} on {day(e.occurred_on)}, "
                f"{later(step.occurred_on, e.occurred_on)}")
    return f"{opening}; {count(len(concerns), 'new concern')} {_range(concerns)}"


def _thin_step_down(f: Fired) -> str | None:
    clause = f.clause("sparse_before")
    step = _one(f, ["STEP_DOWN"]) if clause else None
    if clause is None or step is None:
        return None
    p = clause.params
    return (f"Stepped down on {day(step.occurred_on)} with input from fewer than "
            f"{count(p['fewer_than_agencies'], 'agency', 'agencies')} in the "
            f"{count(p['within_days'], 'day')} before")


def _care_history(f: Fired) -> str | None:
    clause = f.clause("thin_history")
    if clause is None or f.hidden:
        return None
    p = clause.params
    starts, ends = f.of([p["period_start"]]), f.of([p["period_end"]])
    summaries = f.of(p["summary_types"])
    if not starts and summaries:
        return (f"Care-experienced parent whose care history is "
                f"{count(len(summaries), 'summary', 'summaries')} "
                f"{between(summaries[0].occurred_on, summaries[-1].occurred_on)}")
    if not starts:
        return None
    period = f"from {day(starts[0].occurred_on)}"
    if ends and ends[-1].occurred_on >= starts[0].occurred_on:
        period += f" to {day(ends[-1].occurred_on)}"
    return (f"Parent looked after as a child {period}; no more than "
            f"{count(p['at_most'], 'entry', 'entries')} about that time")


PHRASES: dict[str, Callable[[Fired], str | None]] = {
    "NIM_INJURY": _nim_injury,
    "UNEXPLAINED_FRACTURE": _fracture,
    "REPEAT_PRESENTATION_U1": _presentations,
    "UNASSESSED_RISKY_ADULT": _adult,
    "RELEASE_NEAR_CHILD": _release_near,
    "LICENCE_END_CLIFF": _licence_end,
    "RELEASE_AFTER_STEP_DOWN": _step_then_release,
    "CUMULATIVE_PARENTAL_RISK": _cumulative,
    "DA_PREGNANCY_INFANCY": _da_incident,
    "WAS_NOT_BROUGHT": _not_brought,
    "DISENGAGEMENT_CLUSTER": _disengaging,
    "POST_STEP_DOWN_DETERIORATION": _new_concern,
    "THIN_STEP_DOWN": _thin_step_down,
    "TRANSFER_IN_NO_HISTORY": _history,
    "CARE_HISTORY_THIN": _care_history,
    "RECORDING_LAG": _recorded_late,
    "NO_STRATEGY_DISCUSSION": _no_strategy,
    "RELEASE_NOT_FOLLOWED_UP": _release_followed,
    "JIGSAW_GAP": _jigsaw,
    "FAMILY_CONCERN_UNACTIONED": _family_concern,
}
"""How each rule of the catalogue says the state that fired it."""
