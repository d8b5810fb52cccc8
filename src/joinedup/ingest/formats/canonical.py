"""Readers for the canonical agency return: a folder of CSVs, one CSV, an .xlsx, or JSON.

Column names follow DESIGN.md section 4 (matched ignoring case and surrounding spaces);
columns outside the contract are kept with the row as ``extra``.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from joinedup.errors import UnreadableFileError
from joinedup.ingest.formats.base import COLUMNS, REQUIRED, TABLES, CountingFile, SourceRow
from joinedup.ingest.problems import error

csv.field_size_limit(10 * 1024 * 1024)

SAVE_AS_CSV = "Save it from the spreadsheet as 'CSV UTF-8 (comma delimited)' and send it again."


def header_map(table: str, header: Iterable[Any], where: str) -> list[str | None]:
    """Canonical names for a header row; a missing required column stops the whole file."""
    names = [str(h).strip().lstrip("\ufeff").lower() if h is not None else "" for h in header]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise UnreadableFileError(f"{where}: the column {name!r} appears twice in the header.")
        seen.add(name)
    missing = [c for c in REQUIRED[table] if c not in seen]
    if missing:
        hints = []
        for column in missing:
            close = difflib.get_close_matches(column, [n for n in names if n], n=1, cutoff=0.7)
            hints.append(f"{column} (found {close[0]!r}: rename it)" if close else column)
        raise UnreadableFileError(
            f"{where}: the header has no {', '.join(hints)} column. The first row must name the "
            f"columns; {table} needs {', '.join(REQUIRED[table])} (see docs/data-contract.md)."
        )
    return [n or None for n in names]


def make_row(table: str, number: int, names: list[str | None], cells: list[Any],
             where: str) -> SourceRow:
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    canonical = COLUMNS[table]
    for name, cell in zip(names, cells, strict=False):
        if name is None:
            continue
        (values if name in canonical else extra)[name] = cell
    row = SourceRow(table, number, values, where, extra)
    surplus = [c for c in cells[len(names):] if c not in (None, "")]
    if surplus:
        row.problems.append(error(
            table, number, None, f"the row has {len(surplus)} more cell(s) than the header",
            "A cell probably holds an unquoted comma: quote it, or save the file from the "
            "spreadsheet again.", ",".join(map(str, surplus)), where))
    return row


class CsvReturnReader:
    """A folder holding people.csv, events.csv and/or relationships.csv, or one such file."""

    format_name = "csv"

    def __init__(self, path: Path) -> None:
        if path.is_dir():
            self.files = [(t, path / f"{t}.csv") for t in TABLES if (path / f"{t}.csv").is_file()]
            if not self.files:
                raise UnreadableFileError(
                    f"{path}: the folder has no people.csv, events.csv or relationships.csv."
                )
        else:
            table = path.stem.lower()
            if table not in TABLES:
                raise UnreadableFileError(
                    f"{path}: a single CSV must be named people.csv, events.csv or "
                    "relationships.csv so joinedup knows which table it is."
                )
            self.files = [(table, path)]
        self.total_bytes = sum(p.stat().st_size for _, p in self.files)
        self._done = 0
        self._current: CountingFile | None = None

    def bytes_done(self) -> int:
        return self._done + (self._current.count if self._current else 0)

    def file_of(self, table: str) -> Path | None:
        return next((p for t, p in self.files if t == table), None)

    def rows(self, skip: tuple[str, ...] = ()) -> Iterator[SourceRow]:
        for table, path in self.files:
            if table in skip:
                self._done += path.stat().st_size
                continue
            with path.open("rb") as raw:
                self._current = CountingFile(raw)
                yield from self._read(table, path.name, self._current)
                self._done += self._current.count
                self._current = None

    def _read(self, table: str, name: str, raw: CountingFile) -> Iterator[SourceRow]:
        reader = csv.reader(_utf8_lines(io.BufferedReader(raw), name))
        number = 1
        try:
            header = next(reader, None)
            if header is None:
                return
            names = header_map(table, header, name)
            for cells in reader:
                number += 1
                if not any(c.strip() for c in cells):
                    continue
                yield make_row(table, number, names, cells, name)
        except csv.Error as exc:
            raise UnreadableFileError(f"{name}, row {number + 1}: {exc}. {SAVE_AS_CSV}") from None


def _utf8_lines(raw: io.BufferedReader, name: str) -> Iterator[str]:
    """Decode line by line, so a byte that is not UTF-8 is reported with its line."""
    for number, line in enumerate(raw, start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                f"{name}, line {number}: the file is not UTF-8 text (byte {exc.start + 1} of "
                f"that line). {SAVE_AS_CSV}"
            ) from None
        yield text.removeprefix("\ufeff") if number == 1 else text


class XlsxReturnReader:
    """A workbook with sheets named people, events and/or relationships; row 1 is the header."""

    format_name = "xlsx"

    def __init__(self, path: Path) -> None:
        import openpyxl

        self.path = path
        try:
            self.book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise UnreadableFileError(
                f"{path.name}: this is not an Excel workbook joinedup can open ({exc})."
            ) from None
        except Exception as exc:  # openpyxl raises its own types for damaged workbooks
            raise UnreadableFileError(f"{path.name}: the workbook is damaged ({exc}).") from None
        sheets = {s.title.strip().lower(): s for s in self.book.worksheets}
        self.sheets = [(t, sheets[t]) for t in TABLES if t in sheets]
        if not self.sheets:
            raise UnreadableFileError(
                f"{path.name}: the workbook has no sheet named people, events or relationships "
                f"(sheets found: {', '.join(sheets) or 'none'})."
            )
        self.total_bytes = sum(max(s.max_row or 0, 1) for _, s in self.sheets)
        self._done = 0

    def bytes_done(self) -> int:
        return self._done

    def rows(self) -> Iterator[SourceRow]:
        try:
            for table, sheet in self.sheets:
                where = f"{self.path.name}, sheet {sheet.title}"
                names: list[str | None] | None = None
                for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                    self._done += 1
                    if names is None:
                        names = header_map(table, cells, where)
                        continue
                    if all(c is None or str(c).strip() == "" for c in cells):
                        continue
                    yield make_row(table, number, names, list(cells), where)
        except UnreadableFileError:
            raise
        except Exception as exc:  # a damaged sheet part
            raise UnreadableFileError(
                f"{self.path.name}: the workbook is damaged ({exc})."
            ) from None
        finally:
            self.book.close()


class JsonReturnReader:
    """A JSON object with "people", "events" and/or "relationships" arrays of row objects."""

    format_name = "json"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.total_bytes = path.stat().st_size
        self._done = 0

    def bytes_done(self) -> int:
        return self._done

    def rows(self) -> Iterator[SourceRow]:
        try:
            document = json.loads(self.path.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise UnreadableFileError(f"{self.path.name}: the file is not UTF-8 text.") from None
        except ValueError as exc:
            raise UnreadableFileError(
                f"{self.path.name}: this is not valid JSON ({exc})."
            ) from None
        self._done = self.total_bytes
        yield from json_rows(document, self.path.name)


def json_rows(document: Any, where: str) -> Iterator[SourceRow]:
    """Rows of a canonical JSON document (a file, or the body of an API submission)."""
    if not isinstance(document, dict):
        raise UnreadableFileError(
            f"{where}: the JSON must be an object with people, events and/or relationships."
        )
    unknown = [k for k in document if k not in TABLES]
    if unknown or not document:
        raise UnreadableFileError(
            f"{where}: unexpected key(s) {', '.join(map(repr, unknown)) or '(none given)'}; "
            "the JSON holds only people, events and relationships."
        )
    for table in TABLES:
        items = document.get(table, [])
        if not isinstance(items, list):
            raise UnreadableFileError(f"{where}: {table} must be a list of objects.")
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                yield SourceRow(table, number, {}, where, problems=[error(
                    table, number, None, "this entry is not a JSON object",
                    'Each row is an object such as {"person_id": "A1", ...}.', item, where)])
                continue
            names = [str(k).strip().lower() for k in item]
            yield make_row(table, number, list(names), list(item.values()), where)
