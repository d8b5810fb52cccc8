"""Every details key a rule of the catalogue reads is in docs/data-contract.md, section
"Details each rule reads": with the event types it is read on, the words a rule matches, the
rules that read it and how each statutory format fills it. An agency learns from the docs
alone what to send for each rule to work."""

from __future__ import annotations

from dataclasses import dataclass, field

from joinedup.alerts.blocks import BLOCK_TYPES
from joinedup.alerts.catalogue import (
    CONDITIONS,
    OPERATORS,
    Condition,
    Rule,
    Selector,
    load_catalogue,
)
from tests.helpers import REPO

SECTION = "## Details each rule reads"
FORMATS = "### How each format fills them"
ANY_EVENT = "any event type"

READS_KEY = {"from_other_area": "previous_area"}
"""Conditions that read a details key they do not name."""
READS_NO_DETAILS = {"child_under_months", "child_flag", "child_on_plan",
                    "recorded_late_working_days", "any"}
"""Conditions that read no details (``any`` only holds other conditions)."""


@dataclass
class KeyRead:
    """One details key and where the catalogue reads it."""

    event_types: set[str] = field(default_factory=set)
    rules: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # the values a details_is matches


def _types(selector: Selector) -> set[str]:
    return set(selector.types or BLOCK_TYPES.get(selector.block, ()) or (ANY_EVENT,))


def _conditions(conditions: tuple[Condition, ...]) -> list[Condition]:
    found: list[Condition] = []
    for cond in conditions:
        found.append(cond)
        found.extend(_conditions(cond.any_of))
    return found


def _note(found: dict[str, KeyRead], key: str, types: set[str], rule: str,
          words: tuple[str, ...] = ()) -> None:
    read = found.setdefault(key, KeyRead())
    read.event_types |= types
    read.rules.add(rule)
    read.words.update(words)


def keys_read(rules: list[Rule]) -> dict[str, KeyRead]:
    """Every details key the rules read, from their conditions and their operators' details
    parameters (``before_planned_end``'s ``date_field``)."""
    found: dict[str, KeyRead] = {}
    for rule in rules:
        for clause in rule.clauses:
            spec = OPERATORS[clause.operator]
            selectors = [v for v in clause.params.values() if isinstance(v, Selector)]
            if rule.met_by is not None:  # the events that meet its action
                selectors.append(rule.met_by)
            for selector in selectors:
                for cond in _conditions(selector.where):
                    if cond.kind.startswith("details_"):
                        _note(found, cond.key, _types(selector), rule.id, cond.values)
                    elif cond.kind in READS_KEY:
                        _note(found, READS_KEY[cond.kind], _types(selector), rule.id)
            for name, value in clause.params.items():
                if spec[name][0] == "details key" and value:
                    types = set().union(*(_types(s) for s in selectors)) if selectors else set()
                    _note(found, value, types or {ANY_EVENT}, rule.id)
    return found


def _rows(table: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in table.splitlines() if line.startswith("| `")]


def section_of(contract: str) -> tuple[str, str]:
    """The table of keys and the table of formats of the section."""
    assert SECTION in contract, f"docs/data-contract.md has no section {SECTION!r}"
    text = contract.split(SECTION, 1)[1].split("\n## ", 1)[0]
    assert FORMATS in text, f"the section {SECTION!r} has no part {FORMATS!r}"
    keys, formats = text.split(FORMATS, 1)
    return keys, formats


def undocumented(found: dict[str, KeyRead], contract: str) -> list[str]:
    """What the section leaves out, one line a problem, naming the key."""
    keys_table, formats_table = section_of(contract)
    rows = {row[1]: row for row in _rows(keys_table) if len(row) >= 5}
    formats = [row[0] for row in _rows(formats_table)]
    problems = []
    for key, read in sorted(found.items()):
        row = rows.get(f"`{key}`")
        if row is None:
            problems.append(f"{key}: no row for it in the table of keys")
            continue
        types, words, readers = row[0], row[2], row[3]
        problems += [f"{key}: event type {t} not named" for t in sorted(read.event_types)
                     if (f"`{t}`" if t != ANY_EVENT else t) not in types]
        problems += [f"{key}: the word {w!r} a rule matches is not given" for w in
                     sorted(read.words) if f"`{w}`" not in words]
        problems += [f"{key}: rule {r} reads it but is not named" for r in sorted(read.rules)
                     if r not in readers]
        if not any(f"`{key}`" in cell for cell in formats):
            problems.append(f"{key}: not in the table of how each format fills it")
    return problems


def _contract() -> str:
    return (REPO / "docs" / "data-contract.md").read_text("utf-8")


def test_every_details_key_a_rule_reads_is_in_the_data_contract() -> None:
    found = keys_read(load_catalogue())
    assert {"source", "dash_score", "type", "explanation", "mobility",
            "previous_area"} <= set(found)  # the walk finds what docs must cover
    problems = undocumented(found, _contract())
    assert not problems, ("docs/data-contract.md, section 'Details each rule reads', "
                          "leaves out:\n" + "\n".join(problems))


def test_every_condition_is_known_to_read_details_or_not() -> None:
    """A new condition must say here which details key it reads, or that it reads none."""
    unsorted = [kind for kind in CONDITIONS if not kind.startswith("details_")
                and kind not in READS_KEY and kind not in READS_NO_DETAILS]
    assert not unsorted, f"conditions not sorted into reading details or not: {unsorted}"


RULE = """
[[rule]]
id = "MADE_UP"
title = "A made-up rule"
explanation = "Synthetic, for the test."
source = "None."
action = "None."
priority = "routine"
priority_reason = "A test."
priority_source = "None."
[[rule.clause]]
operator = "each_event"
select = { types = ["INJURY"], whose = "child", where = [{ any = [
  { details_true = "made_up_key" }, { details_is = { key = "type", values = ["scald"] } }] }] }
[[rule.clause]]
operator = "before_planned_end"
select = { types = ["LICENCE_START"], whose = "risk_adult" }
date_field = "made_up_end"
days_before = 30
"""


def test_a_key_missing_from_the_docs_is_named() -> None:
    found = keys_read(load_catalogue(text=RULE))
    assert set(found) == {"made_up_key", "type", "made_up_end"}
    assert found["made_up_end"].event_types == {"LICENCE_START"}
    problems = undocumented(found, _contract())
    assert "made_up_key: no row for it in the table of keys" in problems
    assert "made_up_end: no row for it in the table of keys" in problems
    assert "type: the word 'scald' a rule matches is not given" in problems
    assert "type: rule MADE_UP reads it but is not named" in problems


def test_a_key_left_out_of_the_format_table_is_named() -> None:
    keys_table, formats_table = section_of(_contract())
    without = formats_table.replace("`dash_score`", "the score")
    contract = f"{SECTION}{keys_table}{FORMATS}{without}"
    problems = undocumented(keys_read(load_catalogue()), contract)
    assert problems == ["dash_score: not in the table of how each format fills it"]
