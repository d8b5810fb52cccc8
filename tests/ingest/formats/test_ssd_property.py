"""Whatever an SSD extract holds, each row loads or is refused with a message: never a crash."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.errors import IngestError
from joinedup.ingest.formats import open_reader
from joinedup.ingest.validation import RowChecker
from tests.ingest.formats.ssd_folder import TABLES

pytestmark = pytest.mark.postgres

CHECKER = RowChecker(dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

cells = st.one_of(st.text(max_size=25), st.sampled_from([
    "", "P100", "2025-01-10", "10/01/2025", "2025-01-10 00:00:00.000", "31/02/2025", "1A",
    "M", "F", "01", "9434765919", "[]", '["4B"]', '{"NFA_FLAG": "Y"}', "{", "Y", "N", "\x00",
    '{"NFA_FLAG": NaN}', "[" * 5000,
]))
PERSON_FIELDS = list(TABLES["ssd_person"][0])
CONTACT_FIELDS = list(TABLES["ssd_contacts"][0])


def _write(folder: Path, name: str, fields: list[str], rows: list[list[str]]) -> None:
    with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(fields)
        writer.writerows(rows)


def _read_everything(folder: Path) -> int:
    """Rows read, or -1 when the folder as a whole was refused with an IngestError."""
    try:
        count = 0
        for row in open_reader(folder).rows():
            checked = CHECKER.check(row)
            assert checked.clean is not None or any(
                p.severity == "error" for p in checked.problems)
            for problem in checked.problems:
                assert problem.describe()
            count += 1
        return count
    except IngestError as exc:
        assert str(exc)
        return -1


@SETTINGS
@given(st.lists(st.lists(cells, min_size=len(PERSON_FIELDS), max_size=len(PERSON_FIELDS)),
                max_size=6),
       st.lists(st.lists(cells, min_size=len(CONTACT_FIELDS), max_size=len(CONTACT_FIELDS)),
                max_size=6))
def test_any_person_and_contact_rows_load_or_are_refused(people: list[list[str]],
                                                         contacts: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        _write(folder, "ssd_person", PERSON_FIELDS, people)
        _write(folder, "ssd_contacts", CONTACT_FIELDS, contacts)
        # one person per ssd_person row, one contact event per ssd_contacts row
        assert _read_everything(folder) in (-1, len(people) + len(contacts))


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_in_a_table_are_read_or_refused(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        _write(folder, "ssd_person", PERSON_FIELDS, [])
        (folder / "ssd_contacts.csv").write_bytes(
            (",".join(CONTACT_FIELDS) + "\n").encode() + data)
        assert _read_everything(folder) >= -1
