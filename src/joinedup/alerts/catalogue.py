"""The rule catalogue: rules as data, checked when they are loaded.

``catalogue.toml`` (next to this module) holds every rule of docs/rules.md with its
explanation, source and recommended action, and one or more *clauses*. A clause is one
operator from a closed set (:data:`OPERATORS`) with its parameters; selectors pick events
on a child's chronology by type, by whose event it is and by a closed set of conditions.
Nothing in a rule is code: the compiler (``compiler.py``) turns each clause into SQL.

A partnership changes windows and thresholds with an overrides file::

    [WAS_NOT_BROUGHT]
    within_days = 60        # every clause of the rule with this parameter
    [THIN_STEP_DOWN]
    enabled = false
    [CARE_HISTORY_THIN]
    priority = "high"       # a tier (``priority.py``), with its reason and source if wished
    [JIGSAW_GAP]
    met_by = { types = ["PROFESSIONALS_MEETING"], whose = "child" }   # or false: none

A rule's ``met_by`` is a selector of the recorded events that meet its recommended action;
a run marks its open alerts actioned when one is recorded (``recognition.py``).

Any mistake (an unknown operator, parameter, event type, role or condition, a negative
window, a missing field) stops the load with a :class:`~joinedup.errors.RuleError` naming
the rule and the field, so a broken catalogue is never half-used.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from joinedup.alerts.priority import PRIORITY_FIELDS, check_priority
from joinedup.alerts.rule_order import in_dependency_order
from joinedup.errors import RuleError
from joinedup.vocabulary import AGENCY_KINDS, EVENT_TYPES, PERSON_FLAGS

WHOSE = {
    "child": "the child",
    "parent": "a parent (mother or father)",
    "carer": "a carer: parent, partner of a parent, household adult, kinship or foster carer",
    "household": "a carer or a regular visitor",
    "case": "the child or a carer",
    "adult": "any adult in the child's network",
    "risk_adult": "a father, partner or household adult who is a risk adult",
    "anyone": "anyone in the child's network",
}
"""Whose events a selector looks at: named groups of roles in the family network."""

BLOCKS = {"concern": "a concern event (vocabulary.CONCERN_EVENT_TYPES)"}
"""Named sets of event types a selector can use instead of listing types."""

CONDITIONS = {
    "details_is": "the event's details[key] is one of values (any case)",
    "details_true": "the event's details[key] is true",
    "details_missing": "the event's details have no value for key",
    "details_at_least": "the event's details[key] is a number at least value",
    "child_under_months": "the child was unborn (up to 40 weeks before birth) or under N months",
    "child_flag": "the child carries this person flag",
    "child_on_plan": "the child was on a child in need or child protection plan that day",
    "from_other_area": "the details name a previous_area other than the agency's own area",
    "recorded_late_working_days": "recorded more than N working days after it happened",
    "any": "at least one of a list of conditions",
}

_SELECTOR = "selector"
_INT = "whole number"
OPERATORS: dict[str, dict[str, tuple[str, bool]]] = {
    # operator: {parameter: (kind, required)}
    "each_event": {"select": (_SELECTOR, True), "fires_on": ("occurred|recorded", False)},
    "count_within": {"select": (_SELECTOR, True), "at_least": (_INT, True),
                     "within_days": (_INT, True), "distinct": ("events|days|agencies|categories",
                                                               True),
                     "categories": ("categories", False), "min_agencies": (_INT, False),
                     "unless": (_SELECTOR, False)},
    "no_follow_up": {"trigger": (_SELECTOR, False), "trigger_rules": ("rule ids", False),
                     "response": (_SELECTOR, True), "within_working_days": (_INT, True),
                     "look_back_days": (_INT, False)},
    "followed_by": {"first": (_SELECTOR, True), "then": (_SELECTOR, True),
                    "within_days": (_INT, True)},
    "near": {"a": (_SELECTOR, True), "b": (_SELECTOR, True), "within_days": (_INT, True)},
    "sparse_before": {"trigger": (_SELECTOR, True), "counted": (_SELECTOR, True),
                      "fewer_than_agencies": (_INT, True), "within_days": (_INT, True)},
    "adult_not_assessed": {"child_under_months": (_INT, True), "within_days": (_INT, True),
                           "response": (_SELECTOR, True)},
    "before_planned_end": {"select": (_SELECTOR, True), "date_field": ("details key", True),
                           "days_before": (_INT, True)},
    "thin_history": {"flag": ("person flag", True), "whose": ("whose", True),
                     "period_start": ("event type", True), "period_end": ("event type", True),
                     "summary_types": ("event types", True), "at_most": (_INT, True)},
}
"""The closed set of operators and their parameters (docs/rules.md explains each)."""

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
_RULE_ID = re.compile(r"^[A-Z][A-Z0-9_]{1,40}$")


@dataclass(frozen=True)
class Condition:
    kind: str
    key: str = ""
    values: tuple[str, ...] = ()
    number: float = 0
    any_of: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Selector:
    types: tuple[str, ...] = ()
    block: str = ""
    whose: str = "anyone"
    by_kinds: tuple[str, ...] = ()
    where: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Clause:
    operator: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    explanation: str
    source: str
    action: str
    clauses: tuple[Clause, ...]
    enabled: bool = True
    parameters: dict[str, Any] = field(default_factory=dict)
    priority: str = "routine"
    priority_reason: str = ""
    priority_source: str = ""
    met_by: Selector | None = None  # the recorded events that meet its action

    def explain(self) -> str:
        """The explanation with this partnership's windows and thresholds filled in."""
        try:
            return self.explanation.format(**self.parameters)
        except (KeyError, IndexError, ValueError):
            return self.explanation

    def depends_on(self) -> list[str]:
        return [r for c in self.clauses for r in c.params.get("trigger_rules", [])]


class _Checker:
    """Validates one rule, naming the rule and the field in every message."""

    def __init__(self, rule_id: str) -> None:
        self.rule_id = rule_id

    def fail(self, path: str, problem: str) -> RuleError:
        return RuleError(f"Rule {self.rule_id}, field {path}: {problem}")

    def integer(self, value: Any, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(path, f"must be a whole number, 0 or more (got {value!r})")
        return value

    def event_types(self, value: Any, path: str) -> tuple[str, ...]:
        if isinstance(value, str) or not isinstance(value, list) or not value:
            raise self.fail(path, "must be a non-empty list of event type codes")
        for code in value:
            if code not in EVENT_TYPES:
                raise self.fail(path, f"{code!r} is not an event type (docs/data-contract.md)")
        return tuple(value)

    def key(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not _KEY.match(value):
            raise self.fail(path, f"must be a details key in lower case (got {value!r})")
        return value

    def condition(self, raw: Any, path: str) -> Condition:
        if not isinstance(raw, dict) or len(raw) != 1:
            raise self.fail(path, "each condition is a table with exactly one entry")
        ((kind, value),) = raw.items()
        where = f"{path}.{kind}"
        if kind not in CONDITIONS:
            raise self.fail(where, f"unknown condition; the conditions are {', '.join(CONDITIONS)}")
        if kind == "any":
            if not isinstance(value, list) or not value:
                raise self.fail(where, "must be a non-empty list of conditions")
            return Condition("any", any_of=tuple(
                self.condition(c, f"{where}[{i}]") for i, c in enumerate(value)))
        if kind == "details_is":
            if not isinstance(value, dict) or set(value) != {"key", "values"}:
                raise self.fail(where, "must be { key = ..., values = [...] }")
            values = value["values"]
            if not isinstance(values, list) or not values or not all(
                    isinstance(v, str) for v in values):
                raise self.fail(f"{where}.values", "must be a non-empty list of words")
            return Condition(kind, key=self.key(value["key"], f"{where}.key"),
                             values=tuple(v.lower() for v in values))
        if kind in ("details_true", "details_missing"):
            return Condition(kind, key=self.key(value, where))
        if kind == "details_at_least":
            if not isinstance(value, dict) or set(value) != {"key", "value"}:
                raise self.fail(where, "must be { key = ..., value = N }")
            number = value["value"]
            if isinstance(number, bool) or not isinstance(number, (int, float)):
                raise self.fail(f"{where}.value", "must be a number")
            return Condition(kind, key=self.key(value["key"], f"{where}.key"), number=number)
        if kind in ("child_under_months", "recorded_late_working_days"):
            return Condition(kind, number=self.integer(value, where))
        if kind == "child_flag":
            if value not in PERSON_FLAGS:
                raise self.fail(where, f"{value!r} is not a person flag")
            return Condition(kind, key=value)
        if value is not True:  # child_on_plan, from_other_area
            raise self.fail(where, "must be true")
        return Condition(kind)

    def selector(self, raw: Any, path: str) -> Selector:
        if not isinstance(raw, dict):
            raise self.fail(path, "must be a table (types, block, whose, by_kinds, where)")
        unknown = set(raw) - {"types", "block", "whose", "by_kinds", "where"}
        if unknown:
            raise self.fail(f"{path}.{sorted(unknown)[0]}", "is not a selector field")
        if "types" in raw and "block" in raw:
            raise self.fail(path, "give either types or block, not both")
        types = self.event_types(raw["types"], f"{path}.types") if "types" in raw else ()
        block = raw.get("block", "")
        if block and block not in BLOCKS:
            raise self.fail(f"{path}.block", f"unknown block; the blocks are {', '.join(BLOCKS)}")
        whose = raw.get("whose", "anyone")
        if whose not in WHOSE:
            raise self.fail(f"{path}.whose", f"{whose!r} is not one of {', '.join(WHOSE)}")
        kinds = raw.get("by_kinds", [])
        if not isinstance(kinds, list) or any(k not in AGENCY_KINDS for k in kinds):
            raise self.fail(f"{path}.by_kinds", "must be a list of agency kinds")
        where = raw.get("where", [])
        if not isinstance(where, list):
            raise self.fail(f"{path}.where", "must be a list of conditions")
        return Selector(types, block, whose, tuple(kinds),
                        tuple(self.condition(c, f"{path}.where[{i}]")
                              for i, c in enumerate(where)))

    def clause(self, raw: Any, path: str) -> Clause:
        if not isinstance(raw, dict):
            raise self.fail(path, "must be a table")
        operator = raw.get("operator")
        if operator not in OPERATORS:
            raise self.fail(f"{path}.operator",
                            f"{operator!r} is not an operator; they are {', '.join(OPERATORS)}")
        spec = OPERATORS[operator]
        for name in raw:
            if name != "operator" and name not in spec:
                raise self.fail(f"{path}.{name}", f"is not a parameter of {operator}")
        params: dict[str, Any] = {}
        for name, (kind, required) in spec.items():
            where = f"{path}.{name}"
            if name not in raw:
                if required:
                    raise self.fail(where, f"is required by {operator}")
                continue
            value = raw[name]
            if kind == _SELECTOR:
                params[name] = self.selector(value, where)
            elif kind == _INT:
                params[name] = self.integer(value, where)
            elif kind == "event type":
                params[name] = self.event_types([value], where)[0]
            elif kind == "event types":
                params[name] = self.event_types(value, where)
            elif kind == "person flag":
                if value not in PERSON_FLAGS:
                    raise self.fail(where, f"{value!r} is not a person flag")
                params[name] = value
            elif kind == "whose":
                if value not in WHOSE:
                    raise self.fail(where, f"{value!r} is not one of {', '.join(WHOSE)}")
                params[name] = value
            elif kind == "details key":
                params[name] = value if value == "" else self.key(value, where)
            elif kind == "rule ids":
                if not isinstance(value, list) or not all(
                        isinstance(v, str) and _RULE_ID.match(v) for v in value):
                    raise self.fail(where, "must be a list of rule ids")
                params[name] = tuple(value)
            elif kind == "categories":
                if not isinstance(value, dict) or not value:
                    raise self.fail(where, "must be a table of category = [event types]")
                params[name] = {self.key(k, f"{where}.{k}"): self.event_types(v, f"{where}.{k}")
                                for k, v in value.items()}
            else:  # a choice: "a|b|c"
                if value not in kind.split("|"):
                    raise self.fail(where, f"must be one of {kind.replace('|', ', ')}")
                params[name] = value
        if operator == "no_follow_up" and "trigger" not in params and "trigger_rules" not in params:
            raise self.fail(path, "no_follow_up needs a trigger or trigger_rules")
        if operator == "count_within" and params["distinct"] == "categories" \
                and "categories" not in params:
            raise self.fail(f"{path}.categories", "is required when distinct = categories")
        return Clause(operator, params)


_TEXT_FIELDS = ("title", "explanation", "source", "action")


def parse_rule(raw: Any, overrides: dict[str, Any] | None = None) -> Rule:
    """One rule from its TOML table, with this partnership's overrides applied."""
    if not isinstance(raw, dict):
        raise RuleError("Every [[rule]] must be a table")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise RuleError(f"A rule has a missing or malformed id ({rule_id!r}); ids are like "
                        "WAS_NOT_BROUGHT")
    check = _Checker(rule_id)
    for name in _TEXT_FIELDS:
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise check.fail(name, "is required: plain words for the people who read alerts")
    unknown = set(raw) - {"id", "clause", "met_by", *_TEXT_FIELDS, *PRIORITY_FIELDS}
    if unknown:
        raise check.fail(sorted(unknown)[0], "is not a rule field")
    raw_clauses = raw.get("clause")
    if not isinstance(raw_clauses, list) or not raw_clauses:
        raise check.fail("clause", "a rule needs at least one [[rule.clause]]")
    overrides = dict(overrides or {})
    tier = check_priority(rule_id, raw, overriding=False)
    tier.update(check_priority(rule_id, {name: overrides.pop(name) for name in PRIORITY_FIELDS
                                         if name in overrides}, overriding=True))
    met_by = overrides.pop("met_by", raw.get("met_by"))  # false in the overrides: none
    met_by = None if met_by is None or met_by is False else check.selector(met_by, "met_by")
    enabled = overrides.pop("enabled", True)
    if not isinstance(enabled, bool):
        raise check.fail("enabled", "must be true or false (in the overrides file)")
    known = {name for c in raw_clauses if isinstance(c, dict) for name in c}
    for name in overrides:
        if name not in known or name == "operator":
            raise check.fail(name, "is not a parameter of this rule (in the overrides file)")
    merged = [{**c, **{k: v for k, v in overrides.items() if k in c}}
              if isinstance(c, dict) else c for c in raw_clauses]
    clauses = tuple(check.clause(c, f"clause[{i}]") for i, c in enumerate(merged))
    parameters: dict[str, Any] = {}
    for c in clauses:
        for name, value in c.params.items():
            if isinstance(value, (int, str)) and name not in parameters:
                parameters[name] = value
    return Rule(rule_id, raw["title"], raw["explanation"], raw["source"], raw["action"],
                clauses, enabled, parameters, met_by=met_by, **tier)


def default_catalogue_text() -> str:
    return resources.files("joinedup.alerts").joinpath("catalogue.toml").read_text("utf-8")


def load_catalogue(overrides_path: Path | None = None, text: str | None = None) -> list[Rule]:
    """Every rule, checked; in an order where a rule comes after the rules it builds on."""
    try:
        data = tomllib.loads(text if text is not None else default_catalogue_text())
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"The rule catalogue is not valid TOML: {exc}") from None
    overrides: dict[str, Any] = {}
    if overrides_path is not None:
        try:
            overrides = tomllib.loads(overrides_path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise RuleError(f"Cannot read the rule overrides {overrides_path}: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise RuleError(f"The rule overrides {overrides_path} are not valid TOML: {exc}") \
                from None
    raw_rules = data.get("rule", [])
    ids = [r.get("id") for r in raw_rules if isinstance(r, dict)]
    for rule_id, values in overrides.items():
        if rule_id not in ids:
            raise RuleError(f"The overrides name rule {rule_id}, which is not in the catalogue")
        if not isinstance(values, dict):
            raise RuleError(f"Rule {rule_id}: the overrides must be a [{rule_id}] table")
    rules = [parse_rule(r, overrides.get(str(r.get("id")) if isinstance(r, dict) else ""))
             for r in raw_rules]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"Rule {rule.id} is in the catalogue twice")
        seen.add(rule.id)
    return in_dependency_order(rules)

