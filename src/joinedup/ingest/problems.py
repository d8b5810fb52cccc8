"""Row-level problems found in a return: what, where (file, table, row, column) and the fix.

An *error* makes a row unusable: the row is kept in quarantine and not loaded.
A *warning* leaves the row usable without one optional field: the row loads without that
field, and the raw value and the warning are kept with the submission. A date of birth or
NHS number that cannot be read is also kept on the record as written, for linkage alone.
A people row missing a family or given name, or with nothing to identify the person (an
unidentified record), loads with a warning too (``thin_records.py``); only ``person_id``
is required (docs/data-contract.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class RowProblem:
    severity: Severity
    table: str
    row_number: int
    column: str | None
    message: str
    fix: str
    raw_value: str | None = None
    location: str = ""

    def describe(self) -> str:
        """One line a data steward can act on."""
        where = f"{self.location or self.table}, row {self.row_number}"
        if self.column:
            where += f", column {self.column}"
        shown = "" if self.raw_value in (None, "") else f" (value: {self.raw_value!r})"
        return f"{where}: {self.message}{shown}. {self.fix}"


def error(table: str, row: int, column: str | None, message: str, fix: str,
          raw_value: object = None, location: str = "") -> RowProblem:
    return RowProblem("error", table, row, column, message, fix, _raw(raw_value), location)


def warning(table: str, row: int, column: str | None, message: str, fix: str,
            raw_value: object = None, location: str = "") -> RowProblem:
    return RowProblem("warning", table, row, column, message, fix, _raw(raw_value), location)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
KEPT_CHARACTERS = 10_000
"""A raw value longer than this is kept (in quarantine) as its first 1,000 characters."""


def storable(text: str, most: int = KEPT_CHARACTERS) -> str:
    """Text any database can keep: a NUL or half a surrogate pair shown as U+FFFD, and a
    huge value cut to its start with a note of its length."""
    text = _UNSTORABLE.sub("\ufffd", text)
    if len(text) > most:
        return text[:min(most, 1_000)] + f"… ({len(text):,} characters in all)"
    return text


def _raw(value: object) -> str | None:
    if value is None:
        return None
    return storable(str(value), 500)
