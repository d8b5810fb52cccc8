"""Readers for the canonical agency return: a folder of CSVs, one CSV, an .xlsx, or JSON.

Column names follow docs/data-contract.md (matched ignoring case and surrounding spaces, a
space or hyphen counting as an underscore); every column name follows one rule
(:mod:`joinedup.ingest.formats.column_names`), and columns outside the contract are kept
with the row as ``extra``.
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
from joinedup.ingest.formats.column_names import column_name
from joinedup.ingest.problems import error

MAX_CSV_CELL = 16 * 1024 * 1024
"""A CSV cell longer than this stops the file (the csv module's limit); anything over a
column's own maximum (validation.MAX_LENGTHS) is refused row by row."""
csv.field_size_limit(MAX_CSV_CELL)

SAVE_AS_CSV = "Save it from the spreadsheet as 'CSV UTF-8 (comma delimited)' and send it again."


def header_map(table: str, header: Iterable[Any], where: str) -> list[str | None]:
    """Canonical names for a header row (see :mod:`column_names` for the rule every name
    follows); a name breaking the rule, or a missing required column, stops the whole file."""
    names = [column_name(h, position, where) for position, h in enumerate(header, start=1)]
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
        # strict: a file that ends inside a quoted cell (cut short) is an error, not a row.
        reader = csv.reader(_utf8_lines(io.BufferedReader(raw), name), strict=True)
        number = 1
        try:
            header = next(reader, None)
            if header is None:
                return
            names = header_map(table, header, name)
            last: SourceRow | None = None
            last_cells = 0
            for cells in reader:
                number += 1
                if not any(c.strip() for c in cells):
                    continue
                if last is not None:
                    yield last
                last = make_row(table, number, names, cells, name)
                last_cells = len(cells)
            if last is not None:
                if last_cells < len(names) and not _ends_with_line_break(raw):
                    last.problems.append(error(
                        table, last.row_number, None, "the file ends part-way through this "
                        f"row ({last_cells} of {len(names)} cells): it was probably cut short",
                        "Send the whole file again.", location=name))
                yield last
        except csv.Error as exc:
            raise UnreadableFileError(_csv_problem(name, number + 1, exc)) from None


def _csv_problem(name: str, row: int, exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return (f"{name}, row {row}: the file ends inside a quoted cell that starts in this row, "
                "so it was probably cut short in copying or sending. Send the whole file again.")
    if "field larger than field limit" in text:
        return (f"{name}, row {row}: a cell is longer than {MAX_CSV_CELL:,} characters, far "
                "more than any column takes. Check the file was exported correctly (a missing "
                "closing quote makes the rest of the file one cell) and send it again.")
    return f"{name}, row {row}: {text}. {SAVE_AS_CSV}"


def _ends_with_line_break(raw: CountingFile) -> bool:
    return raw.last_byte in (b"\n", b"\r")


def _utf8_lines(raw: io.BufferedReader, name: str) -> Iterator[str]:
    """Decode line by line, so a byte that is not UTF-8 is reported with its line."""
    for number, line in enumerate(raw, start=1):
        if number == 1 and (line.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in line):
            raise UnreadableFileError(
                f"{name}: the file is UTF-16 ('Unicode text'), not UTF-8. {SAVE_AS_CSV}"
            )
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            byte = line[exc.start]
            hint = (" It looks like a file saved as 'CSV (comma delimited)' or ANSI/Windows-1252"
                    " (where £, é and similar letters are single bytes)."
                    if byte >= 0x80 else "")
            raise UnreadableFileError(
                f"{name}, line {number}: the file is not UTF-8 text (byte {exc.start + 1} of "
                f"that line is 0x{byte:02X}).{hint} {SAVE_AS_CSV}"
            ) from None
        yield text.removeprefix("\ufeff") if number == 1 else text


class XlsxReturnReader:
    """A workbook with sheets named people, events and/or relationships; row 1 is the header."""

    format_name = "xlsx"

    def __init__(self, path: Path) -> None:
        # openpyxl loads only when a spreadsheet is read
        import openpyxl

        self.path = path
        check_workbook_size(path)
        try:
            self.book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise UnreadableFileError(
                f"{path.name}: this is not an Excel workbook joinedup can open ({exc}). "
                f"{RESAVE_XLSX}"
            ) from None
        except Exception as exc:  # openpyxl raises its own types for damaged workbooks
            raise UnreadableFileError(
                f"{path.name}: the workbook is damaged ({exc}). {RESAVE_XLSX}"
            ) from None
        sheets = {s.title.strip().lower(): s for s in self.book.worksheets}
        self.sheets = [(t, sheets[t]) for t in TABLES if t in sheets]
        if not self.sheets:
            raise UnreadableFileError(
                f"{path.name}: the workbook has no sheet named people, events or relationships "
                f"(sheets found: {', '.join(sheets) or 'none'})."
            )
        for _, sheet in self.sheets:
            if (sheet.max_row or 0) > MAX_XLSX_ROWS:
                self.book.close()
                raise UnreadableFileError(_too_many_rows(path.name, sheet.title))
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
                    if number > MAX_XLSX_ROWS:
                        raise UnreadableFileError(_too_many_rows(self.path.name, sheet.title))
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
                f"{self.path.name}: the workbook is damaged ({exc}). {RESAVE_XLSX}"
            ) from None
        finally:
            self.book.close()


RESAVE_XLSX = ("It may have been cut short in copying or sending: open it in Excel, save it "
               "again as an Excel Workbook (.xlsx) and send it again.")
MAX_XLSX_UNPACKED = 512 * 1024 * 1024
"""The most a workbook may hold once unpacked (bytes, all its parts together)."""
MAX_XLSX_RATIO = 200
"""The most a part of a workbook may shrink when zipped: real sheets shrink 5 to 50 times;
a part that shrinks more is a "zip bomb" made to exhaust the server's memory or time."""
MAX_XLSX_ROWS = 1_048_576
"""Excel's own limit of rows in a sheet."""


def check_workbook_size(path: Path) -> None:
    """Refuse a workbook that would unpack to more than the limits above, reading only the
    sizes in the zip's directory (nothing is unpacked). Python's zipfile never unpacks more
    than a part's stated size, so a part cannot grow beyond what is checked here."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFileError(
            f"{path.name}: this is not an Excel workbook joinedup can open ({exc}). "
            f"{RESAVE_XLSX}"
        ) from None
    total = sum(p.file_size for p in parts)
    worst = max(parts, key=lambda p: p.file_size / max(p.compress_size, 1), default=None)
    too_packed = (worst is not None and worst.file_size > 1024 * 1024
                  and worst.file_size > MAX_XLSX_RATIO * max(worst.compress_size, 1))
    if total > MAX_XLSX_UNPACKED or too_packed:
        shrink = ""
        if too_packed and worst is not None:
            ratio = worst.file_size // max(worst.compress_size, 1)
            shrink = f" (its part {worst.filename} shrinks {ratio:,} times when zipped)"
        raise UnreadableFileError(
            f"{path.name}: the workbook was refused before reading: it would unpack to "
            f"{total / 1024 / 1024:,.0f} MB{shrink}"
            + f". joinedup takes workbooks of up to {MAX_XLSX_UNPACKED // 1024 // 1024} MB "
            f"unpacked whose parts shrink at most {MAX_XLSX_RATIO} times. Send a large return "
            "as CSV files instead (see docs/data-contract.md)."
        )


def _too_many_rows(name: str, sheet: str) -> str:
    return (f"{name}, sheet {sheet}: the sheet has more than {MAX_XLSX_ROWS:,} rows, more than "
            "Excel itself allows. Send a return this large as CSV files (see "
            "docs/data-contract.md).")


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
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                f"{self.path.name}: the file is not UTF-8 text (byte {exc.start + 1} is "
                f"0x{exc.object[exc.start]:02X}). Save it as UTF-8 and send it again."
            ) from None
        except ValueError as exc:
            cut = " The file ends too soon: it was probably cut short." if (
                isinstance(exc, json.JSONDecodeError)
                and (exc.msg.startswith("Unterminated") or exc.pos >= len(exc.doc.rstrip()))
            ) else ""
            raise UnreadableFileError(
                f"{self.path.name}: this is not valid JSON ({exc}).{cut} Check the export and "
                "send the whole file again."
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
            names = [column_name(k, position, f"{where}, {table} entry {number}", what="key")
                     for position, k in enumerate(item, start=1)]
            yield make_row(table, number, list(names), list(item.values()), where)
