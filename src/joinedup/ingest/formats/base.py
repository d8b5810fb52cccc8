"""What every reader of a return format produces: source rows in the canonical tables.

A reader turns one return (a folder of CSVs, a spreadsheet, a JSON document, a CIN census
XML file, an SSDA903 folder) into a stream of :class:`SourceRow` values whose ``values``
use the column names of the canonical agency return (docs/data-contract.md). Validation,
quarantine and storage are the same for every format and live outside the readers.

Readers stream: they never hold a whole file in memory, and they report how far through
the input they are (``bytes_done`` of ``total_bytes``) for the progress bar.

A reader raises :class:`joinedup.errors.UnreadableFileError` only when nothing can be read
(missing, empty, wrong encoding, not the format it claims). Anything wrong with one row is
attached to that row as a :class:`RowProblem` and the reader carries on.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from joinedup.ingest.problems import RowProblem

TABLES = ("people", "events", "relationships")

COLUMNS: dict[str, tuple[str, ...]] = {
    "people": (
        "person_id", "given_name", "family_name", "other_names", "date_of_birth", "sex",
        "nhs_number", "postcode", "address", "uprn", "flags",
    ),
    "events": (
        "event_id", "person_id", "event_type", "occurred_at", "recorded_at", "summary",
        "related_person_id", "details",
    ),
    "relationships": (
        "person_id", "related_person_id", "relationship", "valid_from", "valid_to", "details",
    ),
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "people": ("person_id",),
    "events": ("event_id", "person_id", "event_type", "occurred_at", "recorded_at"),
    "relationships": ("person_id", "related_person_id", "relationship"),
}


@dataclass
class SourceRow:
    """One row of one canonical table, as the source gave it (not yet validated).

    ``values`` maps canonical column names to raw values: usually strings, but a
    spreadsheet may give dates and numbers, and JSON may give objects (for ``details``).
    Columns that are not canonical go in ``extra`` and are kept with the record.
    ``row_number`` counts as a person looking at the source would (spreadsheet row,
    CSV line, position of the child in an XML file); ``location`` names the file or sheet.
    ``holds_names`` is False for a format that has no names at all (the CIN census,
    SSDA903): its rows are not warned of a missing name one by one.
    """

    table: str
    row_number: int
    values: dict[str, Any]
    location: str
    extra: dict[str, Any] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    holds_names: bool = True


class ReturnReader(Protocol):
    """The interface every format implements."""

    format_name: str
    total_bytes: int

    def bytes_done(self) -> int: ...

    def rows(self) -> Iterator[SourceRow]: ...


class CountingFile(io.RawIOBase):
    """A binary file wrapper that counts the bytes read, for progress bars."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.count = 0
        self.last_byte = b""  # the last byte read so far: is the file cut mid-line?

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        if n:
            self.last_byte = data[-1:]
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def file_size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else 0
