"""The retention schedule: how long each class of record is kept, as data.

The defaults are ``retention_schedule.toml`` beside this module (explained in
docs/retention.md). A partnership's own file has the same shape and holds only what it
changes, for example::

    [quarantine]
    keep_days = 30
    [sign_in_records]
    enabled = false

A class's ``action`` is fixed (it is what joinedup knows how to do to that class); the
periods, labels and reasons, ``enabled`` and the person rules (``[[person_details.rules]]``,
which replace the default rules as a whole) may change. Every mistake in a file is collected
and reported at once, naming the file and the key, and nothing runs on a broken schedule.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from joinedup.errors import ConfigurationError
from joinedup.vocabulary import EVENT_TYPES, PERSON_FLAGS

ACTIONS = {"delete": "deleted", "pseudonymise": "pseudonymised",
           "remove_text": "text removed", "keep": "kept (exempt)"}
CLASS_ACTIONS = {"quarantine": "delete", "person_details": "pseudonymise",
                 "case_text": "remove_text", "information_requests": "remove_text",
                 "break_glass": "delete", "sessions": "delete", "sign_in_records": "delete",
                 "audit_trail": "keep"}
"""Every record class joinedup applies the schedule to, with what happens to it."""
PERIODIC = {"quarantine", "information_requests", "break_glass", "sessions",
            "sign_in_records", "audit_trail"}
CLASS_KEYS = {"label", "action", "keep_days", "keep_years", "counted_from", "why", "enabled",
              "family_network", "rules"}
RULE_KEYS = {"name", "label", "years_after_last_activity", "until_birthday",
             "years_after_evidence", "keep_always", "event_types", "flags", "details",
             "reviewed_child"}
MEASURES = ("years_after_last_activity", "until_birthday", "years_after_evidence",
            "keep_always")
ENVIRONMENT = "JOINEDUP_RETENTION_FILE"


@dataclass(frozen=True)
class DetailMatch:
    """Evidence in an event's details: ``event_type`` whose ``details[key]`` is one of
    ``values`` (compared without regard to case)."""

    event_type: str
    key: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class PersonRule:
    """One reason to keep a person's details, and until when."""

    name: str
    label: str
    years_after_last_activity: int | None = None
    until_birthday: int | None = None
    years_after_evidence: int | None = None
    keep_always: bool = False
    event_types: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    details: tuple[DetailMatch, ...] = ()
    reviewed_child: bool = False

    @property
    def needs_evidence(self) -> bool:
        return bool(self.event_types or self.flags or self.details or self.reviewed_child)


@dataclass(frozen=True)
class RecordClass:
    name: str
    label: str
    action: str
    counted_from: str
    why: str
    enabled: bool = True
    keep_days: int | None = None
    keep_years: int | None = None

    @property
    def period(self) -> str:
        if self.keep_years is not None:
            return f"{self.keep_years} year{'' if self.keep_years == 1 else 's'}"
        if self.keep_days is not None:
            return f"{self.keep_days} day{'' if self.keep_days == 1 else 's'}"
        return "see the rules" if self.name == "person_details" else "with person_details"


@dataclass(frozen=True)
class Schedule:
    source: str
    classes: dict[str, RecordClass]
    person_rules: tuple[PersonRule, ...]
    family_network: bool


def default_text() -> str:
    return resources.files("joinedup.operations").joinpath(
        "retention_schedule.toml").read_text("utf-8")


def load(path: Path | str | None = None) -> Schedule:
    """The defaults, with the partnership's file over them (``path``, else the file named by
    JOINEDUP_RETENTION_FILE, else none)."""
    chosen = path if path is not None else (os.environ.get(ENVIRONMENT, "").strip() or None)
    defaults = _parse(default_text(), "the built-in schedule")
    if chosen is None:
        return _build(defaults, {}, "the built-in defaults (docs/retention.md)")
    file = Path(chosen).expanduser()
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"Cannot read the retention schedule {file}: "
                                 f"{exc.strerror or exc}.") from exc
    return _build(defaults, _parse(text, str(file)), f"{file} over the built-in defaults")


def _parse(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"The retention schedule {where} is not valid TOML: {exc}.") \
            from exc


def _build(defaults: dict[str, Any], overrides: dict[str, Any], source: str) -> Schedule:
    problems: list[str] = []
    for name, table in overrides.items():
        if name not in CLASS_ACTIONS:
            problems.append(f"[{name}] is not a record class; the classes are "
                            f"{', '.join(CLASS_ACTIONS)}")
        elif not isinstance(table, dict):
            problems.append(f"{name} must be a table ([{name}])")
        elif "action" in table and table["action"] != CLASS_ACTIONS[name]:
            problems.append(f"[{name}] action cannot change: it is always "
                            f"{CLASS_ACTIONS[name]!r}")
    classes: dict[str, RecordClass] = {}
    merged_people: dict[str, Any] = {}
    for name, action in CLASS_ACTIONS.items():
        override = overrides.get(name)
        override = override if isinstance(override, dict) else {}
        base = dict(defaults.get(name, {}))
        if {"keep_days", "keep_years"} & set(override):  # a period given replaces the default
            base.pop("keep_days", None)
            base.pop("keep_years", None)
        merged = {**base, **override}
        if name == "person_details":
            merged_people = merged
        classes[name] = _record_class(name, action, merged, problems)
    rules = tuple(_rule(i, r, problems) for i, r in
                  enumerate(merged_people.get("rules", []), start=1))
    if not rules and classes["person_details"].enabled:
        problems.append("[person_details] needs at least one [[person_details.rules]]")
    names = [r.name for r in rules]
    problems += [f"two person rules are called {n!r}" for n in sorted(set(names))
                 if names.count(n) > 1]
    family = merged_people.get("family_network", True)
    if not isinstance(family, bool):
        problems.append("[person_details] family_network must be true or false")
    if problems:
        raise ConfigurationError("The retention schedule (" + source + ") has "
                                 f"{len(problems)} problem{'' if len(problems) == 1 else 's'}:"
                                 "\n  " + "\n  ".join(problems))
    return Schedule(source, classes, rules, bool(family))


def _whole(value: Any, where: str, problems: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems.append(f"{where} must be a whole number, 0 or more (got {value!r})")
        return None
    return value


def _record_class(name: str, action: str, table: dict[str, Any],
                  problems: list[str]) -> RecordClass:
    for key in table:
        if key not in CLASS_KEYS:
            problems.append(f"[{name}] has an unknown key {key!r}; keys are "
                            f"{', '.join(sorted(CLASS_KEYS - {'rules', 'family_network'}))}")
    days = _whole(table.get("keep_days"), f"[{name}] keep_days", problems)
    years = _whole(table.get("keep_years"), f"[{name}] keep_years", problems)
    if name in PERIODIC and ("keep_days" in table) == ("keep_years" in table):
        problems.append(f"[{name}] needs exactly one of keep_days or keep_years")
    if name not in PERIODIC and ("keep_days" in table or "keep_years" in table):
        problems.append(f"[{name}] has no period of its own: its rules decide")
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append(f"[{name}] enabled must be true or false")
    return RecordClass(name=name, label=str(table.get("label", name)), action=action,
                       counted_from=str(table.get("counted_from", "")),
                       why=" ".join(str(table.get("why", "")).split()),
                       enabled=bool(enabled), keep_days=days, keep_years=years)


def _rule(number: int, table: Any, problems: list[str]) -> PersonRule:
    where = f"person rule {number}"
    if not isinstance(table, dict):
        problems.append(f"{where} must be a table ([[person_details.rules]])")
        return PersonRule(name=f"rule {number}", label="")
    name = str(table.get("name") or "")
    if name:
        where = f"person rule {name!r}"
    else:
        problems.append(f"{where} needs a name")
    for key in table:
        if key not in RULE_KEYS:
            problems.append(f"{where} has an unknown key {key!r}; keys are "
                            f"{', '.join(sorted(RULE_KEYS))}")
    given = [m for m in MEASURES if table.get(m) not in (None, False)]
    if len(given) != 1:
        problems.append(f"{where} needs exactly one of {', '.join(MEASURES)}")
    event_types = tuple(str(t).upper() for t in table.get("event_types", []))
    problems += [f"{where}: {t!r} is not an event type (docs/data-contract.md)"
                 for t in event_types if t not in EVENT_TYPES]
    flags = tuple(str(f).upper() for f in table.get("flags", []))
    problems += [f"{where}: {f!r} is not a person flag (docs/data-contract.md)"
                 for f in flags if f not in PERSON_FLAGS]
    details = tuple(_detail(where, d, problems) for d in table.get("details", []))
    rule = PersonRule(
        name=name or f"rule {number}", label=str(table.get("label", name)),
        years_after_last_activity=_whole(table.get("years_after_last_activity"),
                                         f"{where} years_after_last_activity", problems),
        until_birthday=_whole(table.get("until_birthday"), f"{where} until_birthday", problems),
        years_after_evidence=_whole(table.get("years_after_evidence"),
                                    f"{where} years_after_evidence", problems),
        keep_always=table.get("keep_always") is True, event_types=event_types, flags=flags,
        details=details, reviewed_child=table.get("reviewed_child") is True)
    if rule.years_after_evidence is not None and not rule.needs_evidence:
        problems.append(f"{where} counts years after evidence but names none (event_types, "
                        "flags, details or reviewed_child)")
    if rule.keep_always and not rule.needs_evidence:
        problems.append(f"{where} would keep everyone for ever: name the evidence it needs")
    return rule


def _detail(where: str, table: Any, problems: list[str]) -> DetailMatch:
    if not isinstance(table, dict) or set(table) != {"event_type", "key", "values"}:
        problems.append(f"{where}: each of details is {{ event_type = ..., key = ..., "
                        "values = [...] }}")
        return DetailMatch("", "", ())
    event_type = str(table["event_type"]).upper()
    if event_type not in EVENT_TYPES:
        problems.append(f"{where}: {event_type!r} is not an event type (docs/data-contract.md)")
    return DetailMatch(event_type, str(table["key"]),
                       tuple(str(v).strip().upper() for v in table["values"]))
