"""Evaluating the catalogue over a snapshot: every firing of every rule, with its evidence.

The engine runs each rule's compiled SQL on the snapshot's DuckDB connection, in an order
where a rule comes after the rules it builds on (NO_STRATEGY_DISCUSSION starts from the
firings of NIM_INJURY, UNEXPLAINED_FRACTURE and RELEASE_NEAR_CHILD), and keeps each rule's
firings as a table ``fire_<rule_id>`` for the rules after it.

Alerts are history: with ``as_of`` D the result holds every firing up to D, each with its
own date, not only what is still true on D.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from joinedup.alerts.catalogue import Rule
from joinedup.alerts.compiler import firing_table, rule_sql
from joinedup.alerts.recognition import Met
from joinedup.alerts.snapshot import Snapshot


@dataclass(frozen=True)
class Firing:
    rule: str
    child_id: int
    key: str
    fired_on: dt.date
    window_start: dt.date
    window_end: dt.date
    evidence: tuple[int, ...]  # event ids (Event primary keys)


@dataclass
class Evaluation:
    """What one engine found on one snapshot: the firings, the actions already on the
    record (``recognition.py``), the snapshot's size and the dates it was taken for."""

    firings: list[Firing]
    met: Met
    counts: dict[str, int]
    as_of: dt.date | None
    known_by: dt.date | None


FIRING_COLUMNS = ("child_id BIGINT, key VARCHAR, fired INTEGER, win_start INTEGER, "
                  "win_end INTEGER, evidence BIGINT[]")
"""The columns of a rule's firing table (``compiler.rule_sql``)."""


def _day(number: int) -> dt.date:
    return dt.date.fromordinal(max(1, min(number, dt.date.max.toordinal())))


def cut_day_number(as_of: dt.date | None, known_by: dt.date | None) -> int | None:
    """The day number after which firings are dropped (the earlier of the two dates)."""
    given = [d for d in (as_of, known_by) if d is not None]
    return min(given).toordinal() if given else None


def as_firing(rule_id: str, row: Sequence[Any]) -> Firing:
    """A row of a rule's firing table, from either engine."""
    child, key, fired, start, end, evidence = row
    return Firing(rule_id, int(child), str(key), _day(fired), _day(start), _day(end),
                  tuple(sorted(int(e) for e in evidence or ())))


def in_order(firings: list[Firing]) -> list[Firing]:
    """Sorted by child, date and rule (and key)."""
    return sorted(firings, key=lambda f: (f.child_id, f.fired_on, f.rule, f.key))


def evaluate(snapshot: Snapshot, rules: list[Rule],
             progress: Callable[[str], None] | None = None) -> list[Firing]:
    """Every firing of every enabled rule, sorted by child, date and rule."""
    cut_dn = cut_day_number(snapshot.as_of, snapshot.known_by)
    con = snapshot.con
    firings: list[Firing] = []
    for rule in rules:
        if progress:
            progress(rule.id)
        table = firing_table(rule.id)
        if rule.enabled:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {rule_sql(rule, cut_dn=cut_dn)}")
        else:  # a disabled rule fires nothing, and nothing builds on it
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({FIRING_COLUMNS})")
            continue
        firings.extend(as_firing(rule.id, row) for row in con.execute(
            f"SELECT * FROM {table}").fetchall())  # noqa: S608 - a rule id (checked pattern), quoted
    return in_order(firings)
