"""Making one canonical event from one dated field of an SSD row.

Every event read from the SSD has:

- ``event_id``: the table's own row identifier with the kind of event
  (``contact/C123``, ``cp-plan/P9/end``): the same on every extract, so a re-sent or
  updated extract corrects the event instead of adding a second one. A row with no
  identifier uses the person and the date instead;
- ``occurred_at``: the SSD date field, as a date (an SSD date-time such as
  ``2024-03-01 00:00:00.000`` is read as its day);
- ``recorded_at``: the same date. SSD tables carry no date on which a step was recorded,
  and the extract date would make every past step look recorded late, so the event date is
  used and ``details.recorded_at_from`` says so (as for the CIN census and SSDA903);
- the worker columns of :mod:`joinedup.ingest.formats.ssd_workers`;
- the row's fields that joinedup does not map, in ``extra`` (on the row's first event).

A row whose person or date field is empty, or whose date cannot be read, is sent on with an
error naming the SSD table, row and field, so it goes to quarantine with the fix.
"""

from __future__ import annotations

from typing import Any

from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.ssd_tables import (
    FORMAT_NAME,
    Row,
    SsdTables,
    date_problem,
    day,
)
from joinedup.ingest.formats.ssd_workers import Workers
from joinedup.ingest.problems import RowProblem, error


class TableEvents:
    """Events of one SSD table."""

    def __init__(self, tables: SsdTables, table: str, person_field: str,
                 workers: Workers) -> None:
        self.table = table
        self.where = tables.where(table)
        self.again = tables.again
        self.person_field = person_field
        self.workers = workers

    def make(self, line: int, row: Row, key: str, code: str, date_field: str, summary: str,
             details: dict[str, Any] | None = None, *, worker_field: str = "",
             required: bool = False, extra: dict[str, Any] | None = None,
             person: str = "", related: str = "") -> SourceRow | None:
        """The event dated by ``date_field``; None when that field is empty and not
        ``required`` (the step has not happened)."""
        raw = row.get(date_field, "")
        if not raw and not required:
            return None
        person = person or row.get(self.person_field, "")
        date = day(raw)
        problems = self._problems(line, person, raw, date_field)
        worker = self.workers.fields(person, date, row.get(worker_field, "")
                                     if worker_field else "")
        event = SourceRow("events", line, {
            "event_id": f"{key}/{code.lower().replace('_', '-')}", "person_id": person,
            "event_type": code, "occurred_at": date, "recorded_at": date, "summary": summary,
            "related_person_id": related,
            "details": {"source_format": FORMAT_NAME, "ssd_table": self.table,
                        "recorded_at_from": "event date", **(details or {})},
        }, self.where, extra={**(extra or {}), **worker}, problems=problems)
        return event

    def key(self, prefix: str, row: Row, id_field: str, date_field: str) -> str:
        """The stable part of the event ids of one row."""
        own = row.get(id_field, "")
        if own:
            return f"{prefix}/{own}"
        return f"{prefix}/{row.get(self.person_field, '')}/{day(row.get(date_field, ''))}"

    def _problems(self, line: int, person: str, raw: str, date_field: str) -> list[RowProblem]:
        problems: list[RowProblem] = []
        if not person:
            problems.append(error(
                "events", line, self.person_field, f"{self.person_field} is empty",
                f"Fill in {self.person_field} in {self.where} so the record can be linked to "
                f"its child, and {self.again}.", location=self.where))
        if not raw:
            problems.append(error(
                "events", line, date_field, f"{date_field} is empty",
                f"Fill in {date_field} in {self.where}; without it the step cannot be placed "
                "in the chronology.", location=self.where))
        found = date_problem(raw, "events", line, date_field, self.where, self.again)
        if found is not None:
            problems.append(found)
        return problems


def keep(*events: SourceRow | None) -> list[SourceRow]:
    return [e for e in events if e is not None]
