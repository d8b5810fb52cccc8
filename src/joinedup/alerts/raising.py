"""``joinedup alerts run``: evaluate the rules and store what fired.

Each firing becomes an alert identified by (rule, child, key). A firing already stored is
left alone when nothing changed; when its date, window or evidence changed (a late record
arrived, an event was corrected) the alert is updated and the change written in its
history; a dismissed alert that gains new evidence is reopened, because the person who
dismissed it did not see that evidence. Each alert carries its rule's priority; when the
catalogue in force gives a rule another tier, every alert of that rule takes it, and its
history says so. Nothing is ever deleted: an alert whose firing is no
longer found (the evidence was corrected away) keeps its history.

Each alert's title says the state that fired it (``state_titles.py``), set when it is
raised and again whenever its firing reads differently: a run also gives a stored alert
whose firing did not change the title its firing now reads as (no history line: the
firing is the same).

An open or acknowledged alert whose action is already on the record (a strategy discussion
after an injury...) is marked actioned, with that event as evidence (``recognition.py``).

The reopening is a move of ``joinedup.alerts.states``, like a person's; the alerts about to
change are locked first, so a run never writes back a status someone changed meanwhile.
Changed alerts get their evidence replaced in bulk: one delete and one insert for all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from joinedup.alerts import states
from joinedup.alerts.agency_measures import child_alert_rules, retire_open_alerts
from joinedup.alerts.catalogue import Rule, default_catalogue_text, load_catalogue
from joinedup.alerts.engine import Evaluation, Firing, evaluate
from joinedup.alerts.models import Alert, AlertChange, AlertRun, AlertStatus
from joinedup.alerts.priority import Priority
from joinedup.alerts.recognition import Met, met_actions, recognise
from joinedup.alerts.snapshot import from_database
from joinedup.alerts.spark_engine import run_on_spark
from joinedup.alerts.state_titles import evidence_events, titles
from joinedup.errors import ActionError

Progress = Callable[[str], None]


@dataclass
class RunResult:
    run_id: int
    firings: int
    raised: int = 0
    updated: int = 0
    reopened: int = 0
    unchanged: int = 0
    retiered: int = 0
    recognised: int = 0
    retired: int = 0  # open alerts of rules that became agency measures, dismissed
    retitled: int = 0  # unchanged firings whose alert's title now reads differently
    by_rule: dict[str, int] = field(default_factory=dict)
    snapshot: dict[str, int] = field(default_factory=dict)
    engine: str = "duckdb"  # where the rules ran: one of ENGINES


def rules_digest(rules_path: Path | None) -> str:
    text = default_catalogue_text() + (rules_path.read_text("utf-8") if rules_path else "")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


ENGINES = ("duckdb", "spark")
"""Where the rules can run: DuckDB on this machine, or Spark (local mode or a cluster)."""


def run_alerts(*, as_of: dt.date | None = None, known_by: dt.date | None = None,
               rules_path: Path | None = None, who: str,
               progress: Progress | None = None, engine: str = "duckdb",
               snapshot_folder: Path | None = None) -> RunResult:
    """Evaluate the rules and store what fired. On ``engine="spark"`` the rules run on
    Spark over a snapshot written as Parquet: ``snapshot_folder`` (written earlier, its
    own as-of and known-by in force) or one taken now from the database."""
    rules = child_alert_rules(load_catalogue(rules_path))
    if engine not in ENGINES:
        raise ActionError(f"There is no rules engine {engine!r}: use duckdb or spark.")
    if snapshot_folder is not None and engine != "spark":
        raise ActionError("A snapshot written as files is read by the Spark engine only.")
    check = (lambda rule_id: progress(f"Checking rule {rule_id}")) if progress else None
    if progress and snapshot_folder is None:
        progress("Taking a snapshot of events, persons and families")
    if engine == "spark":
        done = run_on_spark(rules, folder=snapshot_folder, as_of=as_of, known_by=known_by,
                            progress=check)
    else:
        with from_database(as_of=as_of, known_by=known_by) as snapshot:
            done = Evaluation(evaluate(snapshot, rules, progress=check),
                              met_actions(snapshot.con, rules), dict(snapshot.counts),
                              as_of, known_by)
    firings, as_of, known_by = done.firings, done.as_of, done.known_by
    counts, met = done.counts, done.met
    if progress:
        progress(f"Storing {len(firings):,} firings")
    result = store(firings, rules, as_of=as_of, known_by=known_by, who=who,
                   digest=rules_digest(rules_path), snapshot_counts=counts, met=met,
                   engine=engine)
    with transaction.atomic():  # alerts raised before their rule became an agency measure
        result.retired = retire_open_alerts(AlertRun.objects.get(pk=result.run_id),
                                            timezone.now())
    return result


def _describe_change(alert: Alert, firing: Firing, old: set[int]) -> str:
    parts = []
    added = set(firing.evidence) - old
    removed = old - set(firing.evidence)
    if added:
        parts.append(f"{len(added)} new evidence event{'s' if len(added) != 1 else ''}")
    if removed:
        parts.append(f"{len(removed)} evidence event{'s' if len(removed) != 1 else ''} "
                     "no longer part of it (corrected or superseded)")
    if alert.fired_on != firing.fired_on:
        parts.append(f"fired on {firing.fired_on:%d/%m/%Y} (was {alert.fired_on:%d/%m/%Y})")
    if (alert.window_start, alert.window_end) != (firing.window_start, firing.window_end):
        parts.append(f"window now {firing.window_start:%d/%m/%Y} to "
                     f"{firing.window_end:%d/%m/%Y}")
    return "; ".join(parts)


def _chunks(ids: list[int], size: int = 2_000) -> list[list[int]]:
    """Ids in slices small enough for one statement's parameters on every backend."""
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def store(firings: list[Firing], rules: list[Rule], *, as_of: dt.date | None,
          known_by: dt.date | None, who: str, digest: str,
          snapshot_counts: dict[str, int] | None = None, met: Met | None = None,
          engine: str = "duckdb") -> RunResult:
    """Store firings as alerts in one transaction: all of a run, or none of it. The run's
    record says which ``engine`` found them."""
    by_id = {r.id: r for r in rules}
    through = Alert.evidence.through
    with transaction.atomic():
        run = AlertRun.objects.create(who=who, as_of=as_of, known_by=known_by,
                                      rules_digest=digest)
        result = RunResult(run.id, len(firings), snapshot=snapshot_counts or {}, engine=engine)
        result.retiered = _retier(rules, run, who)
        existing, old_evidence = _stored_alerts(sorted({f.rule for f in firings}))
        now = timezone.now()
        named = titles(firings, by_id, evidence_events(e for f in firings for e in f.evidence))
        new, touched, retitled = _sort_firings(firings, existing, old_evidence, by_id, named,
                                               run, now, result)
        # The alerts about to change, locked and their status read again: someone may have
        # acknowledged or dismissed one since they were read above.
        ids = [alert.id for alert, *_ in touched]
        changed, changes, links = _change(touched, _locked_statuses(ids), run, now, who,
                                          result)
        for chunk in _chunks(ids):
            through.objects.filter(alert_id__in=chunk).delete()
        created = Alert.objects.bulk_create([a for a, _ in new], batch_size=2_000)
        for alert, (_, firing) in zip(created, new, strict=True):
            links.extend(through(alert_id=alert.id, event_id=e) for e in firing.evidence)
            changes.append(AlertChange(alert=alert, at=now, who=who, kind="raised", run=run,
                                       note=f"Raised by run {run.id}"))
        result.raised = len(created)
        Alert.objects.bulk_update(changed, ["fired_on", "window_start", "window_end",
                                            "last_run", "updated_at", "status", "title"],
                                  batch_size=2_000)
        Alert.objects.bulk_update(retitled, ["title"], batch_size=2_000)
        through.objects.bulk_create(links, batch_size=5_000)  # type: ignore[arg-type]
        AlertChange.objects.bulk_create(changes, batch_size=5_000)
        result.recognised = recognise(met or {}, run=run, now=now)
        _finish(run, result)
    return result


Touched = tuple[Alert, Firing, str, bool]
"""A stored alert whose firing changed: the alert, the firing, the change in words, and
whether the firing gained evidence."""


def _stored_alerts(rules_run: list[str]) -> tuple[dict[tuple[str, int, str], Alert],
                                                  dict[int, set[int]]]:
    """Every stored alert of these rules by (rule, child, key), and each one's evidence
    events by alert id."""
    through = Alert.evidence.through
    # Every stored alert of these rules, read whole: filtering by ten thousand children
    # would pass more parameters than SQLite accepts in one statement.
    existing = {(a.rule, a.child_id, a.key): a for a in Alert.objects.filter(
        rule__in=rules_run).iterator(chunk_size=20_000)}
    old_evidence: dict[int, set[int]] = {}
    for alert_id, event_id in through.objects.filter(
            alert__rule__in=rules_run).values_list(
                "alert_id", "event_id").iterator(chunk_size=50_000):
        old_evidence.setdefault(alert_id, set()).add(event_id)
    return existing, old_evidence


def _sort_firings(firings: list[Firing], existing: dict[tuple[str, int, str], Alert],
                  old_evidence: dict[int, set[int]], by_id: dict[str, Rule],
                  named: dict[Firing, str], run: AlertRun, now: dt.datetime,
                  result: RunResult,
                  ) -> tuple[list[tuple[Alert, Firing]], list[Touched], list[Alert]]:
    """The firings that raise a new alert (the alert not saved yet), the stored alerts
    whose firing changed (with their new titles), and the unchanged ones whose title now
    reads differently; counts each firing by rule, and the unchanged ones."""
    new: list[tuple[Alert, Firing]] = []
    touched: list[Touched] = []
    retitled: list[Alert] = []
    for firing in firings:
        result.by_rule[firing.rule] = result.by_rule.get(firing.rule, 0) + 1
        alert = existing.get((firing.rule, firing.child_id, firing.key))
        if alert is None:
            rule = by_id[firing.rule]
            new.append((Alert(
                rule=firing.rule, child_id=firing.child_id, key=firing.key,
                fired_on=firing.fired_on, window_start=firing.window_start,
                window_end=firing.window_end, title=named[firing],
                explanation=rule.explain(), recommended_action=rule.action,
                source=rule.source, priority=rule.priority, first_run=run, last_run=run,
                created_at=now, updated_at=now), firing))
            continue
        old = old_evidence.get(alert.id, set()) - {alert.actioned_by_id}  # not the rule's
        note = _describe_change(alert, firing, old)
        title_changed = alert.title != named[firing]
        alert.title = named[firing]
        if not note:
            result.unchanged += 1
            if title_changed:
                retitled.append(alert)
            continue
        touched.append((alert, firing, note, bool(set(firing.evidence) - old)))
    result.retitled = len(retitled)
    return new, touched, retitled


def _retier(rules: list[Rule], run: AlertRun, who: str) -> int:
    """Stored alerts whose rule now has another tier take it, each with a line in its
    history; how many changed."""
    now = timezone.now()
    changed = 0
    for rule in rules:
        stale = list(Alert.objects.filter(rule=rule.id).exclude(priority=rule.priority)
                     .values_list("id", "priority"))
        if not stale:
            continue
        tier = Priority(rule.priority).label
        AlertChange.objects.bulk_create(
            [AlertChange(alert_id=alert_id, at=now, who=who, kind="updated", run=run,
                         note=f"Priority now {tier} (was {Priority(old).label}): the rule's "
                              "tier in the catalogue changed")
             for alert_id, old in stale], batch_size=5_000)
        for chunk in _chunks([alert_id for alert_id, _ in stale]):
            Alert.objects.filter(pk__in=chunk).update(priority=rule.priority, updated_at=now)
        changed += len(stale)
    return changed


def _locked_statuses(ids: list[int]) -> dict[int, str]:
    """The status of each of these alerts, read again with their rows locked."""
    status: dict[int, str] = {}
    for chunk in _chunks(ids):
        status.update(Alert.objects.select_for_update().filter(pk__in=chunk)
                      .values_list("pk", "status"))
    return status


def _change(touched: list[Touched], status: dict[int, str], run: AlertRun, now: dt.datetime,
            who: str, result: RunResult) -> tuple[list[Alert], list[AlertChange], list[object]]:
    """The changed alerts (not saved yet), their history and their new evidence links;
    a dismissed alert that gained evidence is reopened."""
    through = Alert.evidence.through
    changed: list[Alert] = []
    changes: list[AlertChange] = []
    links: list[object] = []
    for alert, firing, note, gained in touched:
        alert.status = status[alert.id]
        kind = "updated"
        # A dismissed alert that gained evidence is reopened: whoever dismissed it did
        # not see that evidence. (An actioned one stays actioned: it was acted on.)
        if alert.status == AlertStatus.DISMISSED and gained:
            alert.status = states.after(alert.id, alert.status, "reopened")
            kind = "reopened"
            note = "Reopened: " + note + ", after it was dismissed"
            result.reopened += 1
        else:
            result.updated += 1
        alert.fired_on, alert.window_start = firing.fired_on, firing.window_start
        alert.window_end, alert.last_run, alert.updated_at = firing.window_end, run, now
        changed.append(alert)
        changes.append(AlertChange(alert=alert, at=now, who=who, kind=kind, note=note,
                                   run=run))
        links.extend(through(alert_id=alert.id, event_id=e) for e in firing.evidence)
        if alert.actioned_by_id and alert.actioned_by_id not in firing.evidence:
            # the event that met its action stays evidence
            links.append(through(alert_id=alert.id, event_id=alert.actioned_by_id))
    return changed, changes, links


def _finish(run: AlertRun, result: RunResult) -> None:
    """The run marked finished, with its counts."""
    run.finished_at = timezone.now()
    run.counts = {"firings": result.firings, "raised": result.raised,
                  "updated": result.updated, "reopened": result.reopened,
                  "unchanged": result.unchanged, "retiered": result.retiered,
                  "recognised": result.recognised, "retitled": result.retitled,
                  "by_rule": result.by_rule,
                  "snapshot": result.snapshot, "engine": result.engine}
    run.save(update_fields=["finished_at", "counts"])
