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
from collections.abc import Callable
from dataclasses import dataclass

from joinedup.alerts.catalogue import Rule
from joinedup.alerts.compiler import firing_table, rule_sql
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


def _day(number: int) -> dt.date:
    return dt.date.fromordinal(max(1, min(number, dt.date.max.toordinal())))


def evaluate(snapshot: Snapshot, rules: list[Rule],
             progress: Callable[[str], None] | None = None) -> list[Firing]:
    """Every firing of every enabled rule, sorted by child, date and rule."""
    cut = min(d for d in (snapshot.as_of, snapshot.known_by) if d is not None) \
        if (snapshot.as_of or snapshot.known_by) else None
    cut_dn = cut.toordinal() if cut else None
    con = snapshot.con
    firings: list[Firing] = []
    for rule in rules:
        if progress:
            progress(rule.id)
        table = firing_table(rule.id)
        if rule.enabled:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {rule_sql(rule, cut_dn=cut_dn)}")
        else:  # a disabled rule fires nothing, and nothing builds on it
            con.execute(f"""CREATE OR REPLACE TEMP TABLE {table} (child_id BIGINT, key VARCHAR,
                            fired INTEGER, win_start INTEGER, win_end INTEGER,
                            evidence BIGINT[])""")
            continue
        for child, key, fired, start, end, evidence in con.execute(
                f"SELECT * FROM {table}").fetchall():  # noqa: S608 - a rule id (checked pattern), quoted
            firings.append(Firing(rule.id, int(child), str(key), _day(fired), _day(start),
                                  _day(end), tuple(int(e) for e in evidence or ())))
    firings.sort(key=lambda f: (f.child_id, f.fired_on, f.rule, f.key))
    return firings
