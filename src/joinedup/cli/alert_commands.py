"""`joinedup alerts ...` and `joinedup replay`: the early-warning rules and what they found."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from joinedup.alerts import (
    RULE_ENGINES,
    acknowledge,
    act_with_meeting,
    act_with_request,
    as_dicts,
    dismiss,
    filtered,
    get_alert,
    load_catalogue,
    reopen,
    replay_alerts,
    run_alerts,
)
from joinedup.cli.common import (
    OutputFormat,
    console,
    current_user,
    date_option,
    open_db,
    print_json,
)
from joinedup.people import resolve_person

alerts_app = typer.Typer(help="Early-warning alerts: run the rules, list, act on alerts.",
                         no_args_is_help=True)

RulesOption = Annotated[Path | None, typer.Option(
    "--rules", help="A TOML file changing windows and thresholds (docs/rules.md)",
    exists=True, dir_okay=False)]


@alerts_app.command("run")
def run(
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Consider what had happened by this date")] = None,
    known_by: Annotated[str | None, typer.Option(
        "--known-by", help="Consider only what had been recorded by this date")] = None,
    rules: RulesOption = None,
    engine: Annotated[str, typer.Option(
        "--engine", help="duckdb (default, this machine) or spark")] = "duckdb",
    snapshot: Annotated[Path | None, typer.Option(
        "--snapshot", help="With --engine spark: a snapshot folder written by "
                           "'joinedup snapshot export' (its dates are used)",
        exists=True, file_okay=False)] = None,
) -> None:
    """Evaluate every rule and store the alerts (re-running never duplicates them)."""
    as_of_day = date_option(as_of, "--as-of")
    known_day = date_option(known_by, "--known-by")
    if engine not in RULE_ENGINES:
        raise typer.BadParameter("use duckdb or spark", param_hint="--engine")
    if snapshot is not None and engine != "spark":
        raise typer.BadParameter("a snapshot folder is read by --engine spark",
                                 param_hint="--snapshot")
    open_db()

    with console.status("Checking the rules", spinner="dots") as status:
        result = run_alerts(as_of=as_of_day, known_by=known_day, rules_path=rules,
                            who=current_user(), progress=lambda m: status.update(m),
                            engine=engine, snapshot_folder=snapshot)
    scope = result.snapshot
    where = "Spark" if result.engine == "spark" else "DuckDB"
    console.print(f"Run {result.run_id} ({where}): {scope.get('child', 0):,} children, "
                  f"{scope.get('event', 0):,} events checked; {result.firings:,} firings: "
                  f"{result.raised:,} new alerts, {result.updated:,} updated, "
                  f"{result.reopened:,} reopened, {result.unchanged:,} unchanged; "
                  f"{result.recognised:,} actioned by an entry already on the record.")
    if result.retitled:
        console.print(f"{result.retitled:,} alert titles now say the state that fired them.")
    if result.retired:
        console.print(f"{result.retired:,} 'Recorded late' alerts dismissed: late recording "
                      "is measured for each agency now, not raised on a child.")
    if result.by_rule:
        table = Table(title="Firings by rule")
        table.add_column("rule")
        table.add_column("firings", justify="right")
        for rule_id, count in sorted(result.by_rule.items()):
            table.add_row(rule_id, f"{count:,}")
        console.print(table)


@alerts_app.command("list")
def list_alerts(
    status: Annotated[list[str] | None, typer.Option(
        "--status", help="open, acknowledged, actioned or dismissed (repeatable)")] = None,
    rule: Annotated[list[str] | None, typer.Option("--rule", help="A rule id (repeatable)")]
    = None,
    child: Annotated[str | None, typer.Option(
        "--child", help="Person id or AGENCY:SOURCE_PERSON_ID")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Only alerts that fired on or after this date")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """List stored alerts: the most urgent first and, within a priority, the longest
    waiting (fired earliest) first."""
    since_day = date_option(since, "--since")
    known = {"open", "acknowledged", "actioned", "dismissed"}
    for value in status or []:
        if value not in known:
            raise typer.BadParameter(f"{value!r}: use one of {', '.join(sorted(known))}",
                                     param_hint="--status")
    open_db()

    child_id = resolve_person(child) if child else None
    alerts = list(filtered(status=status, rules=rule, child_id=child_id, since=since_day))
    if output is OutputFormat.json:
        print_json(as_dicts(alerts))
        return
    table = Table(title=f"{len(alerts):,} alerts")
    for column in ("id", "priority", "fired on", "rule", "child", "status", "evidence"):
        table.add_column(column, overflow="fold")
    counts = {a.id: a.evidence.count() for a in alerts[:500]}
    for a in alerts[:500]:
        table.add_row(str(a.id), a.priority, a.fired_on.strftime("%d/%m/%Y"), a.rule,
                      str(a.child_id), a.status, f"{counts[a.id]} events")
    console.print(table)
    if len(alerts) > 500:
        console.print("Showing the first 500; narrow with --child, --rule, --status or "
                      "--since, or use --format json.")


@alerts_app.command("show")
def show(alert_id: int,
         output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table) -> None:
    """One alert: why it fired, the evidence, the window, and its history."""
    open_db()

    (item,) = as_dicts([get_alert(alert_id)], history=True)
    if output is OutputFormat.json:
        print_json(item)
        return
    console.print(f"[bold]Alert {item['id']}: {item['title']}[/bold] ({item['rule']}), "
                  f"{item['status']}, priority {item['priority']}")
    console.print(f"Child: person {item['child']['person_id']} ("
                  + ", ".join(f"{r['agency']}:{r['source_person_id']}"
                              for r in item["child"]["records"]) + ")")
    console.print(f"Fired on {item['fired_on']}; window {item['window']['start']} to "
                  f"{item['window']['end']}.")
    console.print(f"Why: {item['explanation']}")
    console.print(f"Source: {item['source']}")
    console.print(f"Recommended action: {item['recommended_action']}")
    if item["actioned_by"]:
        met = item["actioned_by"]
        console.print(f"{met['line']} ({met['agency']} entry {met['event_id']}).",
                      markup=False)
    if item["held_back"]:
        _print_held_back(item["held_back"])
    table = Table(title="Evidence")
    for column in ("occurred", "recorded", "agency", "event", "summary"):
        table.add_column(column, overflow="fold")
    for e in item["evidence"]:
        table.add_row(e["occurred_at"][:10], e["recorded_at"][:10], e["agency"],
                      f"{e['event_type']} ({e['event_id']})", e["summary"])
    console.print(table)
    for change in item["history"]:
        console.print(f"  {change['at'][:16]} {change['who']}: {change['kind']}"
                      + (f" - {change['note']}" if change["note"] else ""))


def _print_held_back(held: dict[str, Any]) -> None:
    """Which late entries held the alert back, and by how long (docs/alerts.md)."""
    late = "; ".join(
        f"{e['agency']} recorded {e['event_type']} {e['event_id']} of {e['occurred_on']} on "
        f"{e['recorded_on']}, {e['working_days_late']} working days late"
        for e in held["late_entries"])
    console.print(f"Held back by late recording: {late}. On what had happened it could have "
                  f"been raised on {held['could_have_been_raised_on']}; the records made it "
                  f"true on {held['records_made_it_true_on']} ({held['days']} "
                  f"day{'s' if held['days'] != 1 else ''} later).",
                  markup=False)


@alerts_app.command("rules")
def list_rules(rules: RulesOption = None,
               output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
               ) -> None:
    """The rules in force, with their windows, sources and recommended actions."""

    catalogue = load_catalogue(rules)
    if output is OutputFormat.json:
        print_json([{"id": r.id, "title": r.title, "enabled": r.enabled,
                     "priority": r.priority, "priority_reason": r.priority_reason,
                     "priority_source": r.priority_source,
                     "explanation": r.explain(), "source": r.source,
                     "recommended_action": r.action, "parameters": r.parameters,
                     "operators": [c.operator for c in r.clauses]} for r in catalogue])
        return
    table = Table(title=f"{len(catalogue)} rules")
    for column in ("rule", "on", "priority", "what it watches", "recommended action"):
        table.add_column(column, overflow="fold")
    for r in catalogue:
        table.add_row(r.id, "yes" if r.enabled else "off", r.priority, r.explain(), r.action)
    console.print(table)


Who = Annotated[str | None, typer.Option("--who", help="Who is acting (default: you)")]


@alerts_app.command("ack")
def ack(alert_id: int, note: Annotated[str, typer.Option("--note")] = "",
        who: Who = None) -> None:
    """Acknowledge an alert: someone has seen it and is looking into it."""
    open_db()

    alert = acknowledge(alert_id, who=who or current_user(), note=note)
    console.print(f"Alert {alert.id} acknowledged.")


@alerts_app.command("dismiss")
def dismiss_alert(alert_id: int,
                  reason: Annotated[str, typer.Option("--reason", help="Why (required)")],
                  who: Who = None) -> None:
    """Dismiss an alert, saying why no action is needed."""
    open_db()

    alert = dismiss(alert_id, who=who or current_user(), reason=reason)
    console.print(f"Alert {alert.id} dismissed.")


@alerts_app.command("reopen")
def reopen_alert(alert_id: int,
                 reason: Annotated[str, typer.Option("--reason", help="Why (required)")],
                 who: Who = None) -> None:
    """Reopen a dismissed or actioned alert."""
    open_db()

    alert = reopen(alert_id, who=who or current_user(), reason=reason)
    console.print(f"Alert {alert.id} reopened.")


@alerts_app.command("request")
def act_request(
    alert_id: int,
    from_agency: Annotated[str, typer.Option("--from", help="The agency asking")],
    person: Annotated[str, typer.Option("--person", help="Whom the request is about")],
    reason: Annotated[str, typer.Option("--reason", help="e.g. TRANSFER_IN_HISTORY, "
                                                         "RISK_ADULT, CARE_HISTORY")],
    question: Annotated[str, typer.Option("--question")],
    to_agency: Annotated[str | None, typer.Option("--to", help="The agency asked")] = None,
    to_area: Annotated[str | None, typer.Option(
        "--to-area", help="Or the area: its name (e.g. Manchester) or GSS code")]
    = None,
    due_days: Annotated[int, typer.Option("--due-days", help="Working days to answer")] = 15,
    who: Who = None,
) -> None:
    """Act on an alert by sending an information request (it goes on the chronology)."""
    open_db()

    alert = act_with_request(alert_id, who=who or current_user(), from_agency=from_agency,
                             person_id=resolve_person(person), reason=reason,
                             question=question, to_agency=to_agency, to_area=to_area,
                             due_working_days=due_days)
    console.print(f"Alert {alert.id} actioned: information request {alert.request_id} sent.")


@alerts_app.command("meeting")
def act_meeting(
    alert_id: int,
    agency: Annotated[str, typer.Option("--agency", help="The chair's agency")],
    on: Annotated[str, typer.Option("--on", help="The date the meeting was held")],
    attending: Annotated[str, typer.Option("--attending", help="Agency codes, comma-separated")],
    decisions: Annotated[str, typer.Option("--decisions")],
    chair: Annotated[str, typer.Option("--chair")] = "",
    who: Who = None,
) -> None:
    """Act on an alert by recording the professionals meeting held about it."""
    held_on = date_option(on, "--on")
    assert held_on is not None  # noqa: S101 - narrows the type: a required option is never None
    open_db()

    alert = act_with_meeting(alert_id, who=who or current_user(), agency=agency,
                             held_on=held_on,
                             attending=[c.strip() for c in attending.split(",") if c.strip()],
                             decisions=decisions, chaired_by=chair)
    console.print(f"Alert {alert.id} actioned: professionals meeting {alert.meeting_id} "
                  "recorded.")


def replay_command(
    child: Annotated[str, typer.Argument(help="Person id or AGENCY:SOURCE_PERSON_ID")],
    date_from: Annotated[str, typer.Option("--from", help="First day of the period")],
    date_to: Annotated[str, typer.Option("--to", help="Last day (e.g. the day of the harm)")],
    rules: RulesOption = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """When each alert would have fired: on what had happened, and on what was recorded."""
    start = date_option(date_from, "--from")
    end = date_option(date_to, "--to")
    assert start is not None and end is not None  # noqa: S101 - narrows the type: required options are never None
    open_db()

    child_id = resolve_person(child)
    with console.status("Replaying the rules day by day", spinner="dots"):
        result = replay_alerts(child_id, start, end, rules_path=rules)
    if output is OutputFormat.json:
        print_json({"child": child_id, "from": start.isoformat(), "to": end.isoformat(),
                    "alerts": [{"rule": x.rule, "title": x.title, "state": x.state,
                                "key": x.key,
                                "happened_on": x.happened_on.isoformat(),
                                "known_on": x.known_on.isoformat() if x.known_on else None,
                                "late_recording_days": x.delay_days,
                                "evidence_event_pks": list(x.evidence)}
                               for x in result.lines]})
        return
    table = Table(title=f"Replay for person {child_id}, {start:%d/%m/%Y} to {end:%d/%m/%Y}: "
                        "each rule's first alert")
    for column in ("rule", "true on what had happened", "visible on the records",
                   "cost of late recording", "alerts in period"):
        table.add_column(column, overflow="fold")
    per_rule: dict[str, int] = {}
    for line in result.lines:
        per_rule[line.rule] = per_rule.get(line.rule, 0) + 1
    for line in result.first_by_rule():
        delay = ("not by the end" if line.delay_days is None else
                 "none" if line.delay_days == 0 else
                 f"{line.delay_days} day{'s' if line.delay_days != 1 else ''}")
        table.add_row(line.rule, line.happened_on.strftime("%d/%m/%Y"),
                      line.known_on.strftime("%d/%m/%Y") if line.known_on else "-", delay,
                      str(per_rule[line.rule]))
    console.print(table)
    if not result.lines:
        console.print("No rule fired for this child in the period.")
