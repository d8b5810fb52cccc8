"""The order rules run in: a rule comes after the rules it builds on (``trigger_rules``), so
their firings are there when it starts from them. A rule naming a rule that is not in the
catalogue, or rules building on each other in a circle, stop the load."""

from __future__ import annotations

from typing import TYPE_CHECKING

from joinedup.errors import RuleError

if TYPE_CHECKING:
    from joinedup.alerts.catalogue import Rule


def in_dependency_order(rules: list[Rule]) -> list[Rule]:
    by_id = {r.id: r for r in rules}
    for rule in rules:
        for dep in rule.depends_on():
            if dep not in by_id:
                raise RuleError(f"Rule {rule.id}, field trigger_rules: {dep} is not a rule")
    ordered: list[Rule] = []
    visiting: set[str] = set()

    def visit(rule: Rule) -> None:
        if rule in ordered:
            return
        if rule.id in visiting:
            raise RuleError(f"Rule {rule.id}, field trigger_rules: the rules depend on each "
                            "other in a circle")
        visiting.add(rule.id)
        for dep in rule.depends_on():
            visit(by_id[dep])
        visiting.discard(rule.id)
        ordered.append(rule)

    for rule in rules:
        visit(rule)
    return ordered
