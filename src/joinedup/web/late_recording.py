"""When an entry counts as recorded late, for every page that says so (the overview's
recording delay, the note on a child's chronology): the threshold of the rule catalogue's
"Recorded late" rule, so the pages and the rule never disagree."""

from __future__ import annotations

from functools import cache

from joinedup.alerts import load_catalogue

LATE_RULE = "RECORDING_LAG"
LATE_CONDITION = "recorded_late_working_days"
DEFAULT_LATE_AFTER = 5


@cache
def late_after() -> int:
    """The working days after which an entry counts as recorded late: the threshold of the
    catalogue's "Recorded late" rule, so that the overview and the rule never disagree.
    Read once a process: the catalogue is part of the installed code."""
    for rule in load_catalogue():
        if rule.id != LATE_RULE:
            continue
        for clause in rule.clauses:
            selector = clause.params.get("select")
            for condition in getattr(selector, "where", ()):
                if condition.kind == LATE_CONDITION:
                    return int(condition.number)
    return DEFAULT_LATE_AFTER
