"""Whatever arrives, readers report problems; they never crash with anything else."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from joinedup.errors import IngestError
from joinedup.ingest.formats import open_reader
from joinedup.ingest.formats.base import COLUMNS
from joinedup.ingest.validation import RowChecker

pytestmark = pytest.mark.postgres

NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
CHECKER = RowChecker(NOW)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _read_everything(path: Path, fmt: str = "auto") -> int:
    """Rows read, or -1 when the file as a whole was refused with an IngestError."""
    try:
        reader = open_reader(path, fmt)
        count = 0
        for row in reader.rows():
            checked = CHECKER.check(row)
            assert checked.clean is not None or any(
                p.severity == "error" for p in checked.problems
            )
            for problem in checked.problems:
                assert problem.describe()
            count += 1
        return count
    except IngestError as exc:
        assert str(exc)
        return -1


cells = st.one_of(st.text(max_size=30), st.sampled_from(
    ["", "2025-01-10", "10/01/2025", "HV_VISIT", "P1", "9434765919", "{}", '{"a": 1}',
     "=HYPERLINK(\"http://x\")", "1e308", "\x00"]))


@SETTINGS
@given(st.binary(max_size=400))
def test_csv_reader_takes_any_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        path.write_bytes(b"event_id,person_id,event_type,occurred_at,recorded_at\n" + data)
        _read_everything(path)


@SETTINGS
@given(st.sampled_from(list(COLUMNS)), st.lists(st.lists(cells, max_size=9), max_size=8))
def test_csv_reader_takes_any_cells(table: str, rows: list[list[str]]) -> None:
    import csv

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{table}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS[table])
            writer.writerows(rows)
        assert _read_everything(path) in (-1, sum(1 for r in rows if any(c.strip() for c in r)))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                               max_size=4),
    max_leaves=20,
)


@SETTINGS
@given(st.one_of(
    json_values,
    st.fixed_dictionaries({}, optional={
        "people": st.lists(st.dictionaries(st.sampled_from(COLUMNS["people"]), json_values)),
        "events": st.lists(st.dictionaries(st.sampled_from(COLUMNS["events"]), json_values)),
    }),
))
def test_json_reader_takes_any_document(document: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "return.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        _read_everything(path)


@SETTINGS
@given(st.lists(st.lists(st.one_of(cells, st.integers(), st.floats(allow_nan=False),
                                   st.datetimes(min_value=dt.datetime(1800, 1, 1)),
                                   st.none()), max_size=7), max_size=6))
def test_xlsx_reader_takes_any_cells(rows: list[list[object]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "events"
    sheet.append(list(COLUMNS["events"]))
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "return.xlsx"
        book.save(path)
        _read_everything(path)


@SETTINGS
@given(st.binary(min_size=1, max_size=300))
def test_xlsx_reader_refuses_a_damaged_workbook_clearly(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "return.xlsx"
        path.write_bytes(b"PK\x03\x04" + data)
        assert _read_everything(path) == -1
