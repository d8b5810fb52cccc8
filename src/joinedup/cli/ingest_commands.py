"""Commands for agencies, loading returns, and seeing what happened to them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from joinedup.agencies import Agency, Submission, register_agency
from joinedup.cli.common import OutputFormat, console, open_db, print_json
from joinedup.errors import JoinedUpError
from joinedup.ingest import FORMATS, QuarantinedRow, RowWarning, load_database, load_return
from joinedup.vocabulary import AGENCY_KINDS

agency_app = typer.Typer(help="Register and list the agencies that send returns.",
                         no_args_is_help=True)
submissions_app = typer.Typer(help="Returns received and what happened to them.",
                              no_args_is_help=True)
quarantine_app = typer.Typer(help="Rows kept back from returns, with the reasons.",
                             no_args_is_help=True)

FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table or json")]


@agency_app.command("add")
def agency_add(
    code: Annotated[str, typer.Argument(help="Short code, e.g. HV or CSC_PREV")],
    name: Annotated[str, typer.Option("--name", help="The agency's name")],
    kind: Annotated[str, typer.Option("--kind", help=f"One of: {', '.join(AGENCY_KINDS)}")],
    area: Annotated[str, typer.Option("--area", help="ONS GSS code of its area, e.g. E08000007")],
) -> None:
    """Register an agency (registering it again with the same details changes nothing)."""
    open_db()

    agency, created = register_agency(code, name, kind, area)
    verb = "Registered" if created else "Already registered:"
    console.print(f"{verb} {agency.code} ({agency.name}, {agency.kind}, area {agency.area_code}).")


@agency_app.command("list")
def agency_list(output: FormatOption = OutputFormat.table) -> None:
    """List the registered agencies."""
    open_db()

    rows = [
        {"code": a.code, "name": a.name, "kind": a.kind, "area_code": a.area_code}
        for a in Agency.objects.all()
    ]
    if output is OutputFormat.json:
        print_json(rows)
        return
    _table("Agencies", ["code", "name", "kind", "area_code"], rows)


def ingest(
    agency: Annotated[str, typer.Option("--agency", help="Code of the sending agency")],
    path: Annotated[Path | None, typer.Argument(
        help="A file or folder holding the return (not with --from-database)")] = None,
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)}")] = "auto",
    from_database: Annotated[str | None, typer.Option(
        "--from-database", metavar="URL",
        help="Read an SSD extract from the council's database, read-only, instead of a path "
             "(postgresql://..., mssql+pymssql://..., sqlite:///...)")] = None,
    schema: Annotated[str | None, typer.Option(
        "--schema", help="With --from-database: the schema holding the SSD tables")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check everything, store nothing")]
    = False,
    output: Annotated[OutputFormat, typer.Option("--output", help="table or json")]
    = OutputFormat.table,
) -> None:
    """Check a return and load its good rows; bad rows go to quarantine with their reasons."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    _check_source(path, fmt, from_database, schema)
    open_db()

    show_bar = output is OutputFormat.table and console.is_terminal
    with Progress(TextColumn("Loading {task.description}"), BarColumn(), TaskProgressColumn(),
                  TimeElapsedColumn(), console=console, transient=True,
                  disable=not show_bar) as bar:
        task = bar.add_task(path.name if path is not None else "the SSD database", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        if from_database is not None:
            result = load_database(from_database, agency.upper(), schema=schema,
                                   dry_run=dry_run, progress=progress)
        else:
            assert path is not None  # noqa: S101 - _check_source refused neither
            result = load_return(path, agency.upper(), fmt=fmt, dry_run=dry_run,
                                 progress=progress)
    if output is OutputFormat.json:
        print_json(_result_json(result))
        return
    _print_result(result)


def _check_source(path: Path | None, fmt: str, from_database: str | None,
                  schema: str | None) -> None:
    """A path or a database, not both nor neither; a database holds an SSD extract."""
    if from_database is None:
        if path is None:
            raise typer.BadParameter("give the file or folder holding the return, or "
                                     "--from-database URL for an SSD database", param_hint="PATH")
        if schema is not None:
            raise typer.BadParameter("only with --from-database", param_hint="--schema")
        return
    if path is not None:
        raise typer.BadParameter("give a file or folder, or --from-database, not both",
                                 param_hint="--from-database")
    if fmt not in ("auto", "ssd"):
        raise typer.BadParameter("a database is read as an SSD extract: use --format ssd",
                                 param_hint="--format")


def _result_json(result: Any) -> dict[str, Any]:
    return {
        "agency": result.agency, "path": result.path, "format": result.format,
        "sha256": result.sha256, "dry_run": result.dry_run,
        "submission_id": result.submission_id, "already_received": result.already_received,
        "tables": {t: vars(c) for t, c in result.tables.items()},
        "problems_total": result.problems_total,
        "problems": [vars(p) for p in result.problems],
    }


def _print_result(result: Any) -> None:
    if result.already_received is not None:
        console.print(
            f"{result.path} was already received from {result.agency} as submission "
            f"{result.already_received}: nothing changed."
        )
        return
    rows = [{"table": t, **vars(c)} for t, c in result.tables.items() if c.read]
    title = f"{result.path} ({result.format}) from {result.agency}"
    _table(title, ["table", "read", "new", "corrected", "unchanged", "quarantined", "warnings"],
           rows)
    for problem in sorted(result.problems, key=lambda p: (p.location, p.table, p.row_number)):
        style = "red" if problem.severity == "error" else "yellow"
        console.print(Text.assemble((problem.severity.upper(), style), " ", problem.describe()))
    if result.problems_total > len(result.problems):
        console.print(f"... and {result.problems_total - len(result.problems)} more problems.")
    if result.dry_run:
        console.print("Dry run: nothing was stored.")
    else:
        console.print(
            f"Stored as submission {result.submission_id}: {result.rows_loaded} rows loaded, "
            f"{result.rows_quarantined} quarantined, {result.warnings} warnings."
        )
        if result.rows_quarantined:
            console.print(
                f"See the kept-back rows: joinedup quarantine list --submission "
                f"{result.submission_id}"
            )


@submissions_app.command("list")
def submissions_list(
    agency: Annotated[str | None, typer.Option("--agency", help="Only this agency")] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """List the returns received, newest first."""
    open_db()

    query = Submission.objects.select_related("agency")
    if agency:
        query = query.filter(agency__code=agency.upper())
    rows = [
        {"id": s.pk, "agency": s.agency.code, "file_name": s.file_name, "format": s.format,
         "received_at": s.received_at.isoformat(timespec="seconds"),
         "received_by": s.received_by, "rows_read": s.rows_read, "rows_loaded": s.rows_loaded,
         "rows_unchanged": s.rows_unchanged, "rows_quarantined": s.rows_quarantined,
         "warnings": s.warnings, "sha256": s.sha256}
        for s in query
    ]
    if output is OutputFormat.json:
        print_json(rows)
        return
    _table("Submissions", ["id", "agency", "file_name", "format", "received_at", "rows_read",
                           "rows_loaded", "rows_quarantined", "warnings"], rows)


@quarantine_app.command("list")
def quarantine_list(
    submission: Annotated[int | None, typer.Option("--submission", help="Only this one")] = None,
    warnings: Annotated[bool, typer.Option("--warnings", help="Also list warnings")] = False,
    output: FormatOption = OutputFormat.table,
) -> None:
    """List quarantined rows (and, with --warnings, rows loaded without a field)."""
    open_db()

    if submission is not None and not Submission.objects.filter(pk=submission).exists():
        raise JoinedUpError(f"There is no submission {submission}: see joinedup submissions list.")
    rows: list[dict[str, Any]] = []
    for q in QuarantinedRow.objects.select_related("submission__agency").filter(
        **({"submission_id": submission} if submission is not None else {})
    ):
        rows.append({"kind": "quarantined", "submission": q.submission_id,
                     "agency": q.submission.agency.code, "location": q.location,
                     "table": q.table, "row": q.row_number, "column": q.column,
                     "reason": q.reason, "fix": q.fix, "raw": q.raw})
    if warnings:
        for w in RowWarning.objects.select_related("submission__agency").filter(
            **({"submission_id": submission} if submission is not None else {})
        ):
            rows.append({"kind": "warning", "submission": w.submission_id,
                         "agency": w.submission.agency.code, "location": w.location,
                         "table": w.table, "row": w.row_number, "column": w.column,
                         "reason": w.message, "fix": w.fix, "raw": w.raw_value})
    if output is OutputFormat.json:
        print_json(rows)
        return
    if not rows:
        console.print("Nothing in quarantine.")
        return
    for row in rows:
        style = "red" if row["kind"] == "quarantined" else "yellow"
        where = (f"submission {row['submission']} ({row['agency']}), {row['location']} "
                 f"row {row['row']}")
        if row["column"]:
            where += f", column {row['column']}"
        console.print(Text.assemble((row["kind"].upper(), style), " ", where))
        console.print(Text("  " + row["reason"].replace("\n", "\n  ")))
        if row["fix"]:
            console.print(Text("  Fix: " + row["fix"].replace("\n", "\n  "), style="dim"))


def _table(title: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*(str(row.get(c, "")) for c in columns))
    console.print(table)
