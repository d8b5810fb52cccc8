"""What every command shares: consoles, output formats, opening the database."""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from rich.console import Console

from joinedup import database

console = Console(highlight=False)
console_err = Console(stderr=True, highlight=False)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


def print_json(value: Any) -> None:
    """Stable JSON for scripts: sorted keys, ISO dates, UTF-8."""
    print(json.dumps(value, indent=2, sort_keys=True, default=str, ensure_ascii=False))


def init() -> None:
    applied = database.initialise()
    where = database.describe()
    if applied:
        console.print(f"Set up the {where} ({len(applied)} migrations applied).")
    else:
        console.print(f"The {where} is already up to date.")


def open_db() -> None:
    database.open_database()
