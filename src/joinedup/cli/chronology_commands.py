"""`joinedup chronology CHILD`: one multi-agency chronology, on screen or as a file.

The bitemporal options are the question a rapid review asks ("what had happened by D, and
what had been recorded by K?"), so they are plain dates; everything else narrows what is
shown. Dates are read as agencies write them (YYYY-MM-DD or DD/MM/YYYY) and never guessed.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from joinedup.agencies import Agency
from joinedup.chronology import (
    Chronology,
    assemble,
    print_table,
    to_csv,
    to_json,
    write_docx,
    write_pdf,
)
from joinedup.cli.common import console, date_option, open_db
from joinedup.errors import AgencyError
from joinedup.people import resolve_person
from joinedup.vocabulary import EVENT_TYPES


class ChronologyFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    pdf = "pdf"
    docx = "docx"


def chronology(
    child: Annotated[str, typer.Argument(
        help="The child: a person id (e.g. 5) or an agency's record as AGENCY:PERSON_ID")],
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Only events that had happened by this date")] = None,
    known_by: Annotated[str | None, typer.Option(
        "--known-by", help="Only what had been recorded by this date (versions as then)")]
    = None,
    agency: Annotated[list[str] | None, typer.Option(
        "--agency", help="Only this agency's events (repeat for more)")] = None,
    person: Annotated[list[str] | None, typer.Option(
        "--person", help="Only events of or involving this person (repeat for more)")] = None,
    event_type: Annotated[list[str] | None, typer.Option(
        "--type", help="Only this event type code (repeat for more)")] = None,
    date_from: Annotated[str | None, typer.Option(
        "--from", help="Only events on or after this date")] = None,
    date_to: Annotated[str | None, typer.Option(
        "--to", help="Only events on or before this date")] = None,
    output_format: Annotated[ChronologyFormat, typer.Option(
        "--format", help="table, csv, json, pdf or docx")] = ChronologyFormat.table,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write to this file (needed for pdf and docx)")] = None,
) -> None:
    """One multi-agency chronology of a child and the people around them."""
    dates = {name: date_option(value, name) for name, value in (
        ("--as-of", as_of), ("--known-by", known_by), ("--from", date_from),
        ("--to", date_to))}
    if dates["--from"] and dates["--to"] and dates["--from"] > dates["--to"]:
        raise typer.BadParameter("--from is after --to", param_hint="--from")
    if output_format in (ChronologyFormat.pdf, ChronologyFormat.docx) and output is None:
        raise typer.BadParameter(f"--format {output_format.value} writes a file: give -o PATH",
                                 param_hint="-o")

    types = _event_types(event_type or [])
    open_db()

    child_id = resolve_person(child)
    codes = [a.strip().upper() for a in agency or []]
    _check_agencies(codes)
    persons = [resolve_person(p) for p in person or []]
    result = assemble(child_id, as_of=dates["--as-of"], known_by=dates["--known-by"],
                      agencies=codes, persons=persons, types=types,
                      period=(dates["--from"], dates["--to"]))
    _write(result, output_format, output)


def _event_types(given: list[str]) -> list[str]:
    """The event type codes asked for, in capitals; one that is not a code is refused."""
    types = [t.strip().upper() for t in given]
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown:
        raise typer.BadParameter(f"{', '.join(unknown)}: not an event type (the codes are in "
                                 "docs/data-contract.md)", param_hint="--type")
    return types


def _write(result: Chronology, output_format: ChronologyFormat, output: Path | None) -> None:
    """The chronology in ``output_format``, to ``output`` or to the screen."""
    if output_format is ChronologyFormat.pdf:
        assert output is not None  # noqa: S101 - narrows the type: pdf without -o was refused above
        pages = write_pdf(result, output)
        console.print(f"Wrote {output}: {len(result.entries):,} entries on {pages} pages.")
    elif output_format is ChronologyFormat.docx:
        assert output is not None  # noqa: S101 - narrows the type: docx without -o was refused above
        write_docx(result, output)
        console.print(f"Wrote {output}: {len(result.entries):,} entries.")
    elif output_format is ChronologyFormat.table:
        if output is None:
            print_table(result, console)
        else:
            with output.open("w", encoding="utf-8") as handle:
                print_table(result, Console(file=handle, width=200, highlight=False))
    else:
        text = to_csv(result) if output_format is ChronologyFormat.csv else to_json(result) + "\n"
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8", newline="")


def _check_agencies(codes: list[str]) -> None:
    """An unknown agency code is an input error (exit 1) naming the registered ones."""
    if not codes:
        return

    known = set(Agency.objects.values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise AgencyError(f"There is no agency with code {', '.join(unknown)} (registered: "
                          f"{', '.join(sorted(known)) or 'none yet'}).")
