"""A return's CSV tables read one file after another (an SSDA903 return, an SSD extract).

Each file gives its rows with their line numbers and their values stripped; the bytes read
so far feed the progress bar; and a file that is not UTF-8 or not CSV is refused the same
way whichever return it belongs to. What a table's first line must name is the format's own
business: it passes a ``header`` that checks the names and gives the ones to key rows by.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from joinedup.errors import UnreadableFileError
from joinedup.ingest.formats.base import CountingFile

UNNAMED = "_unnamed_columns"
"""Where a row keeps the cells beyond its header's names."""

Header = Callable[[list[str]], list[str]]
"""Checks a table's first line (empty: the file has none) and gives the names to key rows by;
raises :class:`UnreadableFileError` for a first line that is not the table's."""


class TableFiles:
    """The tables of one return, read one at a time, counting the bytes read."""

    def __init__(self) -> None:
        self.done = 0
        self._open: CountingFile | None = None

    def bytes_done(self) -> int:
        return self.done + (self._open.count if self._open is not None else 0)

    def rows(self, path: Path, header: Header) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, row) of the table in ``path``, its values stripped."""
        try:
            raw = path.open("rb")
        except OSError as exc:
            raise UnreadableFileError(f"Cannot open {path.name}: {exc.strerror or exc}.") from exc
        counter = CountingFile(raw)
        self._open = counter
        text = io.TextIOWrapper(io.BufferedReader(counter), encoding="utf-8-sig", newline="")
        reader = csv.DictReader(text, restkey=UNNAMED)
        try:
            reader.fieldnames = header(list(reader.fieldnames or []))
            for row in reader:
                yield reader.line_num, clean_row(row)
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                f"{path.name} is not UTF-8 text: a byte near line {reader.line_num + 1} cannot "
                f"be decoded ({exc.reason}). Save the table as UTF-8 CSV (\"CSV UTF-8\" in a "
                "spreadsheet) and send it again."
            ) from exc
        except csv.Error as exc:
            raise UnreadableFileError(
                f"{path.name} is not a readable CSV file (line {reader.line_num}): {exc}."
            ) from exc
        finally:
            self.done += counter.count
            self._open = None
            text.close()


def clean_row(row: dict[Any, Any]) -> dict[str, str]:
    """A row's values stripped; its cells beyond the header joined under :data:`UNNAMED`."""
    out: dict[str, str] = {}
    for key, value in row.items():
        if key == UNNAMED:
            extra = [v.strip() for v in value if v and v.strip()]
            if extra:
                out[UNNAMED] = "; ".join(extra)
            continue
        if key is None:
            continue
        out[key] = (value or "").strip()
    return out
