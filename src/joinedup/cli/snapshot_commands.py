"""`joinedup snapshot export`: the snapshot the rules read, written as Parquet files for an
engine on other machines (docs/rules.md, "Running on Spark")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from joinedup.alerts import export_snapshot
from joinedup.cli.common import console, date_option, open_db

snapshot_app = typer.Typer(help="The snapshot the rules read, as files for Spark.",
                           no_args_is_help=True)


@snapshot_app.command("export")
def export(
    folder: Annotated[Path, typer.Argument(help="A new or empty folder to write into")],
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Consider what had happened by this date")] = None,
    known_by: Annotated[str | None, typer.Option(
        "--known-by", help="Consider only what had been recorded by this date")] = None,
) -> None:
    """Write the events in force, the family networks, the children, flags and working
    days as Parquet, events split by area and month."""
    as_of_day = date_option(as_of, "--as-of")
    known_day = date_option(known_by, "--known-by")
    open_db()

    with console.status("Taking a snapshot of events, persons and families", spinner="dots"):
        written = export_snapshot(folder, as_of=as_of_day, known_by=known_day)
    counts = written.counts
    console.print(f"Snapshot written to {written.path}: {counts.get('child', 0):,} children, "
                  f"{counts.get('event', 0):,} events, {counts.get('network', 0):,} network "
                  f"rows. Run the rules on it with: joinedup alerts run --engine spark "
                  f"--snapshot {written.path}", markup=False, soft_wrap=True)
