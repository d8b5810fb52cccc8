"""Action recognised without a click: a recorded event that meets an alert's recommended
action marks it actioned (docs/alerts.md, "Action recognised").

A rule's ``met_by`` (catalogue.toml, docs/rules.md) selects the events that meet its action:
a strategy discussion, a section 47 enquiry or a child protection medical after an injury,
the history received after a transfer, a professionals meeting after several agencies'
concerns. During a run, one query over the snapshot finds, for every firing of such a rule,
the earliest matching event on the chronology (of the child, or of whoever ``met_by`` says)
that occurred on or after the first evidence event's day (the window's start when the
alert has no evidence), and is not itself evidence of the firing.

Then each open or acknowledged alert of those firings that no run has recognised before
moves to actioned through ``states.py`` (the move "recognised", by ``joinedup``, with a
note naming the event), and the event joins its evidence. A dismissed alert is never
changed; an actioned one keeps what acted on it; an alert a person reopened after a run
recognised its action stays open (the person saw the event and judged it not enough).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from joinedup.alerts import states
from joinedup.alerts.compiler import firing_table, selector_sql
from joinedup.alerts.dialects import DUCKDB, Dialect
from joinedup.alerts.models import Alert, AlertChange, AlertRun, AlertStatus
from joinedup.chronology.models import Event
from joinedup.vocabulary import event_label

if TYPE_CHECKING:
    import duckdb

    from joinedup.alerts.catalogue import Rule, Selector

Met = dict[tuple[str, int, str], int]
"""(rule, child, key) of a firing: the event that meets its action."""

RECOGNISER = "joinedup"
"""Who the alert's history says recognised the action."""


def _met_sql(rule: Rule, met_by: Selector, d: Dialect) -> str:
    """The firings of one rule with the earliest event that meets its action."""
    fired = firing_table(rule.id, d)
    return f"""SELECT rule, child_id, key, event_pk FROM (
        WITH ev AS (SELECT child_id, key, {d.unnest("evidence")} AS pk FROM {fired}),
        earliest AS (SELECT ev.child_id, ev.key, min(e.occ) AS occ
                       FROM ev JOIN event e ON e.event_pk = ev.pk
                      GROUP BY ev.child_id, ev.key),
        fs AS (SELECT f.child_id, f.key, f.evidence, coalesce(earliest.occ, f.win_start) AS since
                 FROM {fired} f LEFT JOIN earliest
                   ON earliest.child_id = f.child_id AND earliest.key = f.key),
        m AS ({selector_sql(met_by, d)})
        SELECT '{rule.id}' AS rule, fs.child_id, fs.key, m.event_pk,
               row_number() OVER (PARTITION BY fs.child_id, fs.key
                                  ORDER BY m.occ, m.rec, m.event_pk) AS nth
          FROM fs JOIN m ON m.child_id = fs.child_id AND m.occ >= fs.since
           AND NOT {d.contains("fs.evidence", "m.event_pk")}) met
     WHERE nth = 1"""  # noqa: S608 - a checked rule id and catalogue values only


def met_sql(rules: list[Rule], d: Dialect = DUCKDB) -> str | None:
    """One query for all the rules with ``met_by``: rows of (rule, child, key, event), over
    the snapshot and the rules' firing tables (None when no rule has ``met_by``)."""
    parts = [_met_sql(rule, rule.met_by, d) for rule in rules
             if rule.enabled and rule.met_by is not None]
    return " UNION ALL ".join(parts) if parts else None


def as_met(rows: Iterable[Sequence[Any]]) -> Met:
    """The rows of :func:`met_sql`, from either engine."""
    return {(str(rule), int(child), str(key)): int(event) for rule, child, key, event in rows}


def met_actions(con: duckdb.DuckDBPyConnection, rules: list[Rule]) -> Met:
    """Every firing (already evaluated on this snapshot) whose action is on the record, with
    the event that meets it: one query for all the rules with ``met_by``."""
    sql = met_sql(rules)
    return as_met(con.execute(sql).fetchall()) if sql else {}


def actioned_line(event: Event) -> str:
    """"Actioned by Strategy discussion on 5 March 2025, recorded 6 March 2025 by
    Children's Social Care"."""
    return (f"Actioned by {event_label(event.event_type)} on {_day(event.occurred_on)}, "
            f"recorded {_day(event.recorded_on)} by {event.agency.name}")


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def recognise(met: Met, *, run: AlertRun, now: dt.datetime) -> int:
    """Open and acknowledged alerts whose action is on the record, moved to actioned with
    the event as evidence (inside the run's transaction, their rows locked); how many."""
    if not met:
        return 0
    waiting = Alert.objects.select_for_update().filter(
        rule__in=sorted({rule for rule, _, _ in met}), actioned_by__isnull=True,
        status__in=[AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED])
    found = [(pk, status, met[(rule, child, key)]) for pk, rule, child, key, status
             in waiting.values_list("pk", "rule", "child_id", "key", "status")
             if (rule, child, key) in met]
    wanted = sorted({event for _, _, event in found})
    events = {e.pk: e for start in range(0, len(wanted), 2_000)  # SQLite's parameter limit
              for e in Event.objects.select_related("agency").filter(
                  pk__in=wanted[start:start + 2_000])}
    through = Alert.evidence.through
    changed, changes, links = [], [], []
    for pk, status, event_pk in found:
        event = events[event_pk]
        changed.append(Alert(pk=pk, status=states.after(pk, status, "recognised"),
                             actioned_by_id=event_pk, updated_at=now))
        changes.append(AlertChange(alert_id=pk, at=now, who=RECOGNISER, kind="recognised",
                                   run=run, note=f"{actioned_line(event)} "
                                                 f"({event.agency.code} entry {event.source_id})"))
        links.append(through(alert_id=pk, event_id=event_pk))
    Alert.objects.bulk_update(changed, ["status", "actioned_by", "updated_at"], batch_size=2_000)
    through.objects.bulk_create(links, batch_size=5_000, ignore_conflicts=True)
    AlertChange.objects.bulk_create(changes, batch_size=5_000)
    return len(changed)
