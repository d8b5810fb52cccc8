"""Replay: "when could we have known?"

For one child and a period, each rule's firings are worked out twice:

- on what had **happened** by each day (everything now known, cut at each day): a firing
  on day F was true on F;
- on what had been **recorded** by each day (``known_by``): the first day K on which the
  records then held made the same firing (same rule, same key) true.

K - F is the cost of late recording for that alert, in days. Each line carries its rule's
own title (the lines are read rule by rule) and, as ``state``, the title its alert would
carry: the state that fired it (``state_titles.py``). Rules only change their
answer on a day something was recorded, so the known-by evaluation is made on those days
only (a binary search from each firing's own day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from joinedup.alerts.agency_measures import child_alert_rules
from joinedup.alerts.catalogue import Rule, load_catalogue
from joinedup.alerts.engine import Firing, evaluate
from joinedup.alerts.snapshot import Snapshot, from_database
from joinedup.alerts.state_titles import snapshot_evidence, titles
from joinedup.errors import ActionError


@dataclass(frozen=True)
class ReplayLine:
    rule: str
    title: str
    key: str
    happened_on: dt.date
    known_on: dt.date | None  # None: not visible on the records by the end of the period
    evidence: tuple[int, ...]
    state: str = ""  # the title its alert would carry: the state that fired it

    @property
    def delay_days(self) -> int | None:
        return None if self.known_on is None else (self.known_on - self.happened_on).days


@dataclass
class Replay:
    child_id: int
    start: dt.date
    end: dt.date
    lines: list[ReplayLine]
    evaluations: int

    def first_by_rule(self) -> list[ReplayLine]:
        """Each rule's first firing in the period (the answer to "when, at the earliest")."""
        first: dict[str, ReplayLine] = {}
        for line in sorted(self.lines, key=lambda x: (x.happened_on, x.rule, x.key)):
            first.setdefault(line.rule, line)
        return sorted(first.values(), key=lambda x: (x.happened_on, x.rule))


def replay(child_id: int, start: dt.date, end: dt.date, *,
           rules: list[Rule] | None = None, rules_path: Path | None = None) -> Replay:
    if end < start:
        raise ActionError(f"The replay ends ({end:%d/%m/%Y}) before it starts "
                          f"({start:%d/%m/%Y}).")
    rules = rules if rules is not None else child_alert_rules(load_catalogue(rules_path))
    by_id = {r.id: r for r in rules}
    with from_database(child_ids=[child_id], as_of=end) as snapshot:
        happened = [f for f in evaluate(snapshot, rules) if f.child_id == child_id
                    and start <= f.fired_on <= end]
        states = titles(happened, by_id, snapshot_evidence(snapshot, happened))
        days = [d for d in snapshot.recorded_days() if d <= end]
        found, evaluations = _search_known_days(snapshot, rules, child_id, happened, days)
    lines = [ReplayLine(f.rule, by_id[f.rule].title, f.key, f.fired_on, found[i], f.evidence,
                        states[f]) for i, f in enumerate(happened)]
    return Replay(child_id, start, end, lines, evaluations)


def _with_dependencies(rules: list[Rule], wanted: set[str]) -> list[Rule]:
    by_id = {r.id: r for r in rules}
    needed: set[str] = set()
    stack = list(wanted)
    while stack:
        rule_id = stack.pop()
        if rule_id not in needed:
            needed.add(rule_id)
            stack.extend(by_id[rule_id].depends_on())
    return [r for r in rules if r.id in needed]  # the catalogue's order keeps deps first


def _search_known_days(snapshot: Snapshot, rules: list[Rule], child_id: int,
                       happened: list[Firing], days: list[dt.date],
                       ) -> tuple[list[dt.date | None], int]:
    """For each firing, the first recorded day on which the records then held made it true.

    A binary search over the recorded days from the firing's own day, made for all firings
    at once in rounds, so each round looks at each day once and runs only the rules still
    being searched for. It assumes that once records make a firing true, later records keep
    it true, which holds for a firing that is true on everything known at the end."""
    candidates = [[f.fired_on, *(d for d in days if d > f.fired_on)] for f in happened]
    low = [0] * len(happened)
    high = [len(c) - 1 for c in candidates]
    found: list[dt.date | None] = [None] * len(happened)
    evaluations = 0
    while True:
        asks: dict[dt.date, set[str]] = {}
        for i, firing in enumerate(happened):
            if low[i] <= high[i]:
                asks.setdefault(candidates[i][(low[i] + high[i]) // 2], set()).add(firing.rule)
        if not asks:
            return found, evaluations
        results: dict[dt.date, set[tuple[str, str]]] = {}
        for day in sorted(asks):
            snapshot.select(known_by=day)
            evaluations += 1
            results[day] = {(f.rule, f.key) for f in
                            evaluate(snapshot, _with_dependencies(rules, asks[day]))
                            if f.child_id == child_id}
        for i, firing in enumerate(happened):
            if low[i] > high[i]:
                continue
            mid = (low[i] + high[i]) // 2
            if (firing.rule, firing.key) in results[candidates[i][mid]]:
                found[i] = candidates[i][mid]
                high[i] = mid - 1
            else:
                low[i] = mid + 1


def firings_before(lines: list[ReplayLine], day: dt.date) -> list[ReplayLine]:
    """Lines visible on the records before ``day`` (for "before the injury")."""
    return [x for x in lines if x.known_on is not None and x.known_on < day]


__all__ = ["Replay", "ReplayLine", "firings_before", "replay"]
