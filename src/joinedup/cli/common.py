"""What every command shares: consoles, output formats, opening the database."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from enum import Enum
from typing import Any

import typer
from rich.console import Console

from joinedup import database
from joinedup.ingest import DATE_FIX, ValueProblem, parse_date
from joinedup.operations import before_migrate

console = Console(highlight=False)
console_err = Console(stderr=True, highlight=False)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


def print_json(value: Any) -> None:
    """Stable JSON for scripts: sorted keys, ISO dates, UTF-8."""
    print(json.dumps(value, indent=2, sort_keys=True, default=str, ensure_ascii=False))


def init() -> None:
    applied = database.initialise(before_migrate=before_migrate)
    where = database.describe()
    if applied:
        console.print(f"Set up the {where} ({len(applied)} migrations applied).")
    else:
        console.print(f"The {where} is already up to date.")


def open_db() -> None:
    database.open_database()


def date_option(text: str | None, option: str) -> dt.date | None:
    """A date given on the command line, as YYYY-MM-DD or DD/MM/YYYY (never MM/DD); a usage
    error (exit 2) saying how to write it otherwise."""
    if text is None:
        return None
    value = text.strip()
    try:
        if len(value) > 10:
            raise ValueProblem(f"{text!r} is not a date", DATE_FIX)
        return parse_date(value)
    except ValueProblem as problem:
        raise typer.BadParameter(f"{problem.message}. {problem.fix}",
                                 param_hint=option) from None


def current_user() -> str:
    """Who is running the command, for the records of who did what."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a container
        return "unknown"
