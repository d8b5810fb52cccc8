"""`joinedup backup`, `joinedup restore` and `joinedup retention ...`: keeping the partnership's
data safe, and no longer than it should be (docs/operations.md, docs/retention.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from joinedup.cli.common import (
    OutputFormat,
    console,
    console_err,
    current_user,
    date_option,
    open_db,
    print_json,
)
from joinedup.operations import manifest as manifests
from joinedup.operations import restore_backup as put_back
from joinedup.operations import retention, take_backup
from joinedup.operations import retention_schedule as schedule

retention_app = typer.Typer(help="The retention schedule: what is due for removal, and doing it.",
                            no_args_is_help=True)

ScheduleOption = Annotated[Path | None, typer.Option(
    "--schedule", help="The partnership's schedule file over the defaults (else "
                       "JOINEDUP_RETENTION_FILE)")]


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n = n / 1024  # type: ignore[assignment]
    return f"{n} bytes"


def backup(
    path: Annotated[Path, typer.Argument(help="The backup file to write, or a folder for a "
                                              "dated one")],
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Back up the database, safely while the web application and loads run."""

    target, made = take_backup(path)
    if output is OutputFormat.json:
        print_json({"backup": str(target), "manifest": str(manifests.manifest_path(target)),
                    **made.as_json()})
        return
    console.print(f"Backed up the {made.source} to {target} ({_size(made.bytes)}).")
    console.print(f"Manifest: {manifests.manifest_path(target)}")
    console.print(f"  holds {manifests.describe_counts(made.counts)}")
    entries = made.audit["head_id"]
    console.print(f"  audit trail: {entries:,} entr{'y' if entries == 1 else 'ies'}, last hash "
                  f"{made.audit['head_hash'] or 'none'}")
    console.print(f"  SHA-256 of the backup: {made.sha256}")


def restore(
    path: Annotated[Path, typer.Argument(help="A backup made by `joinedup backup`")],
    force: Annotated[bool, typer.Option(
        "--force", help="Replace a database that already holds data (a copy of it is saved "
                        "first)")] = False,
) -> None:
    """Restore a backup into the configured database, then verify it against its manifest."""

    result = put_back(path, force=force, say=console.print)
    table = Table(title="Checked against the backup's manifest")
    for column in ("what", "manifest", "restored", ""):
        table.add_column(column, overflow="fold")
    apps = [c for c in result.checks if c.what.startswith("latest migration of ")]
    for check in result.checks:
        if check in apps and check.ok:
            continue
        shown = [check.expected, check.found]
        if check.what == "audit trail's last hash":
            shown = [h[:16] + "..." if len(h) > 16 else h for h in shown]
        table.add_row(check.what, *shown, "same" if check.ok else "[bold red]DIFFERENT[/]")
    if apps and all(c.ok for c in apps):
        table.add_row("latest migration of each app", f"{len(apps)} apps", f"{len(apps)} apps",
                      "same")
    console.print(table)
    if result.audit_entries is not None and not result.audit_problems:
        n = result.audit_entries
        console.print(f"The audit trail is intact: {n:,} entr{'y' if n == 1 else 'ies'}.")
    if result.ok:
        console.print("Verified: the restored database holds what the backup's manifest "
                      "says it held.")
        return
    differences = result.differences()
    console_err.print(f"NOT verified: {len(differences)} difference"
                      f"{'' if len(differences) == 1 else 's'} from the manifest:")
    for line in differences[:40]:
        console_err.print(f"  {line}")
    raise typer.Exit(1)


@retention_app.command("run")
def retention_run(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what is due; change "
                                                            "nothing")] = False,
    apply: Annotated[bool, typer.Option("--apply", help="Remove or pseudonymise what is "
                                                        "due")] = False,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="The day to apply the schedule on (default today)")] = None,
    schedule_file: ScheduleOption = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """What the retention schedule says is due (--dry-run), or doing it (--apply)."""
    if dry_run == apply:
        raise typer.BadParameter("say --dry-run to see what is due, or --apply to do it",
                                 param_hint="--dry-run / --apply")
    day = date_option(as_of, "--as-of")
    open_db()
    from django.utils import timezone

    chosen = schedule.load(schedule_file)
    when = day or timezone.localdate()
    results = retention.run(chosen, when, apply=apply, who=current_user())
    if output is OutputFormat.json:
        print_json({"as_of": when.isoformat(), "applied": apply, "schedule": chosen.source,
                    "classes": [r.as_json() for r in results]})
        return
    table = Table(title=f"Retention on {when:%d/%m/%Y} ({'applied' if apply else 'dry run'})")
    for column in ("class", "kept for", "what happens", "due", "oldest due since",
                   *(("done",) if apply else ())):
        table.add_column(column, overflow="fold")
    for r in results:
        table.add_row(r.name, r.period, r.what_happens, f"{r.due:,}",
                      f"{r.oldest:%d/%m/%Y}" if r.oldest else "-",
                      *((f"{r.done:,}",) if apply else ()))
    console.print(table)
    console.print(f"Schedule: {chosen.source}.")
    for r in results:
        if r.note and (r.due or not r.enabled):
            console.print(f"{r.name}: {r.due:,} due, {r.note}.")
    if not apply:
        console.print("Dry run: nothing was changed. `joinedup retention run --apply` does it.")
        return
    done = [r for r in results if r.done]
    if not done:
        console.print("Nothing was due: nothing was changed.")
    for r in done:
        counts = ", ".join(f"{k.replace('_', ' ')}: {n:,}" for k, n in r.details.items() if n)
        console.print(f"{r.name}: {r.what_happens}: {counts} (written to the audit trail).")


@retention_app.command("schedule")
def retention_schedule(
    schedule_file: ScheduleOption = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """The retention schedule in force: each class, how long it is kept, and why."""

    chosen = schedule.load(schedule_file)
    if output is OutputFormat.json:
        print_json({"schedule": chosen.source, "family_network": chosen.family_network,
                    "classes": [{"class": c.name, "label": c.label, "action": c.action,
                                 "keep_days": c.keep_days, "keep_years": c.keep_years,
                                 "counted_from": c.counted_from, "why": c.why,
                                 "enabled": c.enabled} for c in chosen.classes.values()],
                    "person_rules": [{"name": r.name, "label": r.label}
                                     for r in chosen.person_rules]})
        return
    table = Table(title=f"Retention schedule: {chosen.source}")
    for column in ("class", "what", "kept for", "counted from", "then"):
        table.add_column(column, overflow="fold")
    for c in chosen.classes.values():
        table.add_row(c.name, c.label, c.period, c.counted_from,
                      schedule.ACTIONS[c.action] if c.enabled else "switched off")
    console.print(table)
    console.print("A person's identifying details are kept until the latest of:")
    for rule in chosen.person_rules:
        console.print(f"  {rule.name}: {rule.label}")
    if chosen.family_network:
        console.print("and never before anyone in their family network (two relationships "
                      "away) is due.")
    console.print("These are defaults to confirm with the partnership's Data Protection "
                  "Officer, not legal advice (docs/retention.md).")
