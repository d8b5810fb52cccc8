"""A TEST ORACLE for the early-warning rules: a slow, plain-Python evaluator.

This module exists only so the tests can check the SQL rules engine
(``joinedup.alerts.compiler`` / ``engine``) against a second, independent reading of the
specification. It was written from ``docs/rules.md`` alone, without looking at the compiled
SQL, so that a mistake in the SQL shows up as a disagreement. It is never used by the
application: it loops over every child, clause and event with no attention to speed.

It takes the same plain data as :func:`joinedup.alerts.snapshot.from_rows` (event versions,
network rows, children with their dates of birth, person flags, ``as_of``/``known_by``) and
the parsed rules (:func:`joinedup.alerts.catalogue.load_catalogue`), and returns every
firing, grouped per rule by (child, key) as docs/rules.md describes.

Only data constants are shared with the application: the role groups, risk flags and event
types, the unborn period, the plan event types (``alerts/blocks.py``), the concern event
types (``vocabulary.py``) and the working-day calendar (``workdays.py``).
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from joinedup.alerts.blocks import (
    PLAN_KINDS,
    RISK_EVENT_TYPES,
    RISK_FLAGS,
    RISK_ROLES,
    ROLE_GROUPS,
    UNBORN_DAYS,
)
from joinedup.alerts.catalogue import Clause, Condition, Rule, Selector
from joinedup.alerts.snapshot import EventRow
from joinedup.vocabulary import CONCERN_EVENT_TYPES
from joinedup.workdays import add_working_days, ordinal

ALWAYS = dt.date.min
"""The day a flagged person has been a risk adult from (flags have no date)."""

ONE_DAY = dt.timedelta(days=1)


@dataclass
class Fire:
    """One firing of one rule (before or after grouping by child and key)."""

    fired_on: dt.date
    window_start: dt.date
    window_end: dt.date
    evidence: frozenset[int] = field(default_factory=frozenset)


# --------------------------------------------------------------------------- dates


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months; the 31st becomes the last day of a short month."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    month = month0 + 1
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# --------------------------------------------------------------------------- which versions


def visible_events(events: Iterable[EventRow], as_of: dt.date | None,
                   known_by: dt.date | None) -> list[EventRow]:
    """The event versions the rules see (docs/rules.md, "as of" and "known by").

    An event is identified by its agency and source id; each version is a row. With
    ``known_by`` K, the highest version known by K (version 1 from its recorded day, a
    correction from its ``known_on``); otherwise the latest version. Then the event is seen
    only if (that version says) it had happened by the cut-off (``as_of``, ``known_by``
    K meaning as-of K too).
    """
    cut = cut_off(as_of, known_by)
    versions: dict[tuple[str, str], list[EventRow]] = defaultdict(list)
    for e in events:
        versions[(e.agency, e.source_id or f"E{e.event_pk}")].append(e)
    seen = []
    for rows in versions.values():
        if known_by is not None:
            rows = [e for e in rows if (e.known_on or e.recorded_on) <= known_by]
        if not rows:
            continue
        latest = max(rows, key=lambda e: e.version)
        if cut is not None and latest.occurred_on > cut:
            continue
        seen.append(latest)
    return sorted(seen, key=lambda e: e.event_pk)


def cut_off(as_of: dt.date | None, known_by: dt.date | None) -> dt.date | None:
    given = [d for d in (as_of, known_by) if d is not None]
    return min(given) if given else None


# --------------------------------------------------------------------------- details


def event_key(e: EventRow) -> str:
    """An event's key: the agency's own id, ``AGENCY:EVENT_ID``, the same in every version."""
    return f"{e.agency}:{e.source_id or f'E{e.event_pk}'}"


def detail_text(e: EventRow, key: str) -> str | None:
    """details[key] as text (JSON true/false as ``true``/``false``), or None if absent."""
    value = e.details.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def detail_number(e: EventRow, key: str) -> float | None:
    text = detail_text(e, key)
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def detail_date(e: EventRow, key: str) -> dt.date | None:
    text = detail_text(e, key)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


# --------------------------------------------------------------------------- one child


class ChildView:
    """What the rules see for one child: the events of the child's network, with roles."""

    def __init__(self, child: int, dob: dt.date | None, events: list[EventRow],
                 roles: dict[int, set[str]], flags: set[tuple[int, str]],
                 risk_since: dict[int, dt.date]) -> None:
        self.child = child
        self.dob = dob
        self.all_events = events  # every visible event, in or out of the network
        self.roles = roles  # person -> roles towards this child (child: CHILD_SUBJECT)
        self.flags = flags
        self.risk_since = risk_since
        own = [e.occurred_on for e in events if e.person_id == child]
        self.first_own_event = min(own) if own else None
        self.plans = self._plan_periods()

    def _plan_periods(self) -> list[tuple[dt.date, dt.date | None]]:
        periods = []
        own = [e for e in self.all_events if e.person_id == self.child]
        for start_type, end_type in PLAN_KINDS:
            for start in own:
                if start.event_type != start_type:
                    continue
                ends = [e.occurred_on for e in own
                        if e.event_type == end_type and e.occurred_on >= start.occurred_on]
                periods.append((start.occurred_on, min(ends) if ends else None))
        return periods

    # -- building blocks

    def under_months(self, day: dt.date, months: int) -> bool:
        if self.dob is None:
            return False
        return self.dob - days(UNBORN_DAYS) <= day < add_months(self.dob, months)

    def on_plan(self, day: dt.date) -> bool:
        return any(start <= day and (end is None or day < end) for start, end in self.plans)

    def is_risk_adult_on(self, person: int, day: dt.date) -> bool:
        since = self.risk_since.get(person)
        return since is not None and since <= day

    # -- selectors

    def whose_ok(self, e: EventRow, whose: str) -> bool:
        roles = self.roles.get(e.person_id, set())
        if not roles & set(ROLE_GROUPS[whose]):
            return False
        if whose == "risk_adult":
            return self.is_risk_adult_on(e.person_id, e.occurred_on)
        return True

    def condition(self, c: Condition, e: EventRow) -> bool:
        if c.kind == "any":
            return any(self.condition(sub, e) for sub in c.any_of)
        if c.kind == "details_is":
            text = detail_text(e, c.key)
            return text is not None and text.lower() in c.values
        if c.kind == "details_true":
            text = detail_text(e, c.key)
            return text is not None and text.lower() in ("true", "yes", "1")
        if c.kind == "details_missing":
            text = detail_text(e, c.key)
            return text is None or text == ""
        if c.kind == "details_at_least":
            number = detail_number(e, c.key)
            return number is not None and number >= c.number
        if c.kind == "child_under_months":
            return self.under_months(e.occurred_on, int(c.number))
        if c.kind == "child_flag":
            return (self.child, c.key) in self.flags
        if c.kind == "child_on_plan":
            return self.on_plan(e.occurred_on)
        if c.kind == "from_other_area":
            area = detail_text(e, "previous_area")
            return area is not None and area != "" and area != e.agency_area
        if c.kind == "recorded_late_working_days":
            return ordinal(e.recorded_on) - ordinal(e.occurred_on) > c.number
        raise AssertionError(f"the oracle does not know condition {c.kind}")

    def type_ok(self, sel: Selector, e: EventRow) -> bool:
        if sel.types:
            return e.event_type in sel.types
        if sel.block == "concern":
            return e.event_type in CONCERN_EVENT_TYPES
        if sel.block:
            raise AssertionError(f"the oracle does not know block {sel.block}")
        return True

    def select(self, sel: Selector) -> list[EventRow]:
        """The events on this child's chronology that the selector picks."""
        picked = []
        for e in self.all_events:
            if e.person_id not in self.roles:
                continue  # not in the child's network
            if not self.type_ok(sel, e) or not self.whose_ok(e, sel.whose):
                continue
            if sel.by_kinds and e.agency_kind not in sel.by_kinds:
                continue
            if all(self.condition(c, e) for c in sel.where):
                picked.append(e)
        return picked


# --------------------------------------------------------------------------- operators


def each_event(view: ChildView, p: dict[str, Any], _prior: Any) -> dict[str, Fire]:
    out = {}
    for e in view.select(p["select"]):
        day = e.recorded_on if p.get("fires_on", "occurred") == "recorded" else e.occurred_on
        out[event_key(e)] = Fire(day, e.occurred_on, day, frozenset({e.event_pk}))
    return out


def count_within(view: ChildView, p: dict[str, Any], _prior: Any) -> dict[str, Fire]:
    selected = view.select(p["select"])
    unless = view.select(p["unless"]) if "unless" in p else []
    width = p["within_days"]
    mode = p["distinct"]
    categories = p.get("categories", {})

    def in_window(e: EventRow, first: dt.date, last: dt.date) -> bool:
        return first <= e.occurred_on <= last

    def qualifies(day: dt.date) -> tuple[bool, list[EventRow]]:
        first = day - days(width)
        window = [e for e in selected if in_window(e, first, day)]
        if any(in_window(u, first, day) for u in unless):
            return False, window
        if mode == "events":
            count = len({e.event_pk for e in window})
        elif mode == "days":
            count = len({e.occurred_on for e in window})
        elif mode == "agencies":
            count = len({e.agency for e in window})
        else:
            count = len({name for e in window for name, types in categories.items()
                         if e.event_type in types})
        agencies = len({e.agency for e in window})
        return count >= p["at_least"] and agencies >= p.get("min_agencies", 1), window

    out = {}
    previous = False
    for day in sorted({e.occurred_on for e in selected}):
        ok, window = qualifies(day)
        if ok and not previous:
            out[f"day {day.toordinal()}"] = Fire(day, day - days(width), day,
                                                 frozenset(e.event_pk for e in window))
        previous = ok
    return out


def no_follow_up(view: ChildView, p: dict[str, Any],
                 prior: dict[str, dict[tuple[int, str], Fire]]) -> dict[str, Fire]:
    # (trigger day, key, evidence, the trigger event's id if it is an event)
    triggers: list[tuple[dt.date, str, frozenset[int], int | None]] = []
    if "trigger" in p:
        for e in view.select(p["trigger"]):
            triggers.append((e.occurred_on, event_key(e), frozenset({e.event_pk}),
                             e.event_pk))
    for rule_id in p.get("trigger_rules", ()):
        for (child, key), fire in prior[rule_id].items():
            if child == view.child:
                triggers.append((fire.fired_on, f"{rule_id} {key}", fire.evidence, None))
    responses = view.select(p["response"])
    back = p.get("look_back_days", 0)
    out: dict[str, Fire] = {}
    for day, key, evidence, trigger_pk in triggers:
        deadline = add_working_days(day, p["within_working_days"])
        answered = any(day - days(back) <= r.occurred_on <= deadline
                       for r in responses if r.event_pk != trigger_pk)
        if not answered:
            fire = Fire(deadline + ONE_DAY, day, deadline, evidence)
            out[key] = merge(out[key], fire) if key in out else fire
    return out


def followed_by(view: ChildView, p: dict[str, Any], _prior: Any) -> dict[str, Fire]:
    thens = view.select(p["then"])
    width = p["within_days"]
    out = {}
    for f in view.select(p["first"]):
        last = f.occurred_on + days(width)
        hits = [t for t in thens
                if t.event_pk != f.event_pk and f.occurred_on <= t.occurred_on <= last]
        if hits:
            out[event_key(f)] = Fire(min(t.occurred_on for t in hits), f.occurred_on, last,
                                        frozenset({f.event_pk} | {t.event_pk for t in hits}))
    return out


def near(view: ChildView, p: dict[str, Any], _prior: Any) -> dict[str, Fire]:
    bs = view.select(p["b"])
    width = p["within_days"]
    out = {}
    for a in view.select(p["a"]):
        hits = [b for b in bs if abs((b.occurred_on - a.occurred_on).days) <= width]
        if hits:
            fired = min(max(a.occurred_on, b.occurred_on) for b in hits)
            out[event_key(a)] = Fire(fired, a.occurred_on - days(width),
                                        a.occurred_on + days(width),
                                        frozenset({a.event_pk} | {b.event_pk for b in hits}))
    return out


def sparse_before(view: ChildView, p: dict[str, Any], _prior: Any) -> dict[str, Fire]:
    counted = view.select(p["counted"])
    width = p["within_days"]
    out = {}
    for t in view.select(p["trigger"]):
        first = t.occurred_on - days(width)
        window = [c for c in counted
                  if c.event_pk != t.event_pk and first <= c.occurred_on <= t.occurred_on]
        if len({c.agency for c in window}) < p["fewer_than_agencies"]:
            out[event_key(t)] = Fire(t.occurred_on, first, t.occurred_on,
                                        frozenset({t.event_pk} | {c.event_pk for c in window}))
    return out


def risk_events_of(events: list[EventRow], person: int) -> list[EventRow]:
    """The events that make ``person`` a risk adult (building block "risk adult")."""
    return [e for e in events
            if (e.event_type in RISK_EVENT_TYPES and e.person_id == person)
            or (e.event_type == "DA_INCIDENT" and e.related_id == person)]


def adult_not_assessed(view: ChildView, p: dict[str, Any], _prior: Any) -> dict[str, Fire]:
    if view.first_own_event is None:
        return {}
    response: Selector = p["response"]
    width = p["within_days"]
    out = {}
    for adult, roles in sorted(view.roles.items()):
        if not roles & set(RISK_ROLES) or adult not in view.risk_since:
            continue
        start = max(view.first_own_event, view.risk_since[adult])
        if not view.under_months(start, p["child_under_months"]):
            continue
        first, last = start - days(width), start + days(width)
        answered = any(
            view.type_ok(response, e)
            and (not response.by_kinds or e.agency_kind in response.by_kinds)
            and adult in (e.person_id, e.related_id)
            and first <= e.occurred_on <= last
            for e in view.all_events)
        if not answered:
            evidence = frozenset(e.event_pk for e in risk_events_of(view.all_events, adult)
                                 if e.occurred_on <= last)
            out[f"adult {adult}"] = Fire(last + ONE_DAY, start, last, evidence)
    return out


def before_planned_end(view: ChildView, p: dict[str, Any], _prior: Any) -> dict[str, Fire]:
    field_name = p["date_field"]
    out: dict[str, Fire] = {}
    for e in view.select(p["select"]):
        end = e.occurred_on if field_name == "" else detail_date(e, field_name)
        if end is None or end < e.occurred_on:
            continue
        fired = max(end - days(p["days_before"]), e.occurred_on)
        key = f"end {e.person_id} {end.toordinal()}"
        fire = Fire(fired, fired, end, frozenset({e.event_pk}))
        out[key] = merge(out[key], fire) if key in out else fire
    return out


def thin_history(view: ChildView, p: dict[str, Any], _prior: Any) -> dict[str, Fire]:
    if view.first_own_event is None:
        return {}
    out = {}
    group = set(ROLE_GROUPS[p["whose"]])
    for person, roles in sorted(view.roles.items()):
        if not roles & group:
            continue
        theirs = [e for e in view.all_events if e.person_id == person]
        starts = [e for e in theirs if e.event_type == p["period_start"]]
        ends = [e for e in theirs if e.event_type == p["period_end"]]
        if (person, p["flag"]) not in view.flags and not starts:
            continue
        summaries = [e for e in theirs if e.event_type in p["summary_types"]]
        between: list[EventRow] = []
        period = (view.first_own_event, view.first_own_event)
        if starts and ends:
            first = min(e.occurred_on for e in starts)
            last = max(e.occurred_on for e in ends)
            if last >= first:
                period = (first, last)
            between = [e for e in theirs if e.event_type not in p["summary_types"]
                       and first < e.occurred_on < last]
        if len(summaries) + len(between) <= p["at_most"]:
            out[f"{p['whose']} {person}"] = Fire(
                view.first_own_event, period[0], period[1],
                frozenset(e.event_pk for e in starts + ends + summaries))
    return out


OPERATORS = {
    "each_event": each_event,
    "count_within": count_within,
    "no_follow_up": no_follow_up,
    "followed_by": followed_by,
    "near": near,
    "sparse_before": sparse_before,
    "adult_not_assessed": adult_not_assessed,
    "before_planned_end": before_planned_end,
    "thin_history": thin_history,
}


def merge(a: Fire, b: Fire) -> Fire:
    """Two firings with the same child and key: the earliest day, the widest window, every
    evidence event."""
    return Fire(min(a.fired_on, b.fired_on), min(a.window_start, b.window_start),
                max(a.window_end, b.window_end), a.evidence | b.evidence)


# --------------------------------------------------------------------------- the whole run


def evaluate_full(events: Iterable[EventRow], network: Iterable[tuple[int, int, str]],
                  children: dict[int, dt.date | None], flags: Iterable[tuple[int, str]],
                  rules: list[Rule], *, as_of: dt.date | None = None,
                  known_by: dt.date | None = None) -> dict[str, dict[tuple[int, str], Fire]]:
    """Every rule's firings: rule id -> (child, key) -> the grouped firing.

    ``rules`` must come in dependency order (as :func:`load_catalogue` returns them).
    """
    seen = visible_events(events, as_of, known_by)
    flag_set = set(flags)
    risk_since: dict[int, dt.date] = {}
    for person, flag in flag_set:
        if flag in RISK_FLAGS:
            risk_since[person] = ALWAYS
    for e in seen:
        for person in {e.person_id} if e.event_type in RISK_EVENT_TYPES else set():
            risk_since[person] = min(risk_since.get(person, dt.date.max), e.occurred_on)
        if e.event_type == "DA_INCIDENT" and e.related_id is not None:
            risk_since[e.related_id] = min(risk_since.get(e.related_id, dt.date.max),
                                           e.occurred_on)
    roles: dict[int, dict[int, set[str]]] = {c: {c: {"CHILD_SUBJECT"}} for c in children}
    for child, person, role in network:
        if child in roles:
            roles[child].setdefault(person, set()).add(role)
    views = [ChildView(c, dob, seen, roles[c], flag_set, risk_since)
             for c, dob in sorted(children.items())]
    cut = cut_off(as_of, known_by)

    result: dict[str, dict[tuple[int, str], Fire]] = {}
    for rule in rules:
        grouped: dict[tuple[int, str], Fire] = {}
        if rule.enabled:
            for view in views:
                for clause in rule.clauses:
                    for key, fire in run_clause(clause, view, result).items():
                        at = (view.child, key)
                        grouped[at] = merge(grouped[at], fire) if at in grouped else fire
        kept = {}
        for (child, key), fire in grouped.items():
            if cut is not None and fire.fired_on > cut:
                continue
            dob = children[child]
            if dob is not None and fire.fired_on >= add_months(dob, 18 * 12):
                continue
            kept[(child, key)] = fire
        result[rule.id] = kept
    return result


def run_clause(clause: Clause, view: ChildView,
               prior: dict[str, dict[tuple[int, str], Fire]]) -> dict[str, Fire]:
    return OPERATORS[clause.operator](view, clause.params, prior)


def evaluate(events: Iterable[EventRow], network: Iterable[tuple[int, int, str]],
             children: dict[int, dt.date | None], flags: Iterable[tuple[int, str]],
             rules: list[Rule], *, as_of: dt.date | None = None,
             known_by: dt.date | None = None) -> set[tuple[str, int, str, dt.date]]:
    """The firings as (rule, child, key, fired_on) tuples."""
    full = evaluate_full(events, network, children, flags, rules, as_of=as_of,
                         known_by=known_by)
    return {(rule_id, child, key, fire.fired_on)
            for rule_id, fires in full.items() for (child, key), fire in fires.items()}
