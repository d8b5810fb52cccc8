"""Visits to a child in need from an SSD extract (``ssd_cin_visits``).

Each row is a HOME_VISIT about ``cinv_person_id`` on ``cinv_cin_visit_date``, with what the
visit record says: whether the child was seen (``cinv_cin_visit_seen``), seen alone
(``cinv_cin_visit_seen_alone``) and their bedroom seen (``cinv_cin_visit_bedroom``), each
``true``, ``false`` or left out when empty.

A visit at which the child was not seen is still a visit that took place: the SSD's visit
record does not say whether the worker was let in, so a visit with no access (NO_ACCESS_VISIT)
cannot be told from it and is not made from it. The SSD's visits to children on a
protection plan (``ssd_cp_visits``) and looked-after children (``ssd_cla_visits``) name the
plan or episode rather than the child, and are not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.ssd_events import TableEvents, keep
from joinedup.ingest.formats.ssd_tables import SsdTables, unused, yes_no
from joinedup.ingest.formats.ssd_workers import Workers

VISIT_USED = {"cinv_cin_visit_id", "cinv_person_id", "cinv_cin_visit_date",
              "cinv_cin_visit_seen", "cinv_cin_visit_seen_alone", "cinv_cin_visit_bedroom"}
SEEN_FIELDS = (("child_seen", "cinv_cin_visit_seen"),
               ("child_seen_alone", "cinv_cin_visit_seen_alone"),
               ("bedroom_seen", "cinv_cin_visit_bedroom"))


def cin_visit_rows(tables: SsdTables, workers: Workers) -> Iterator[SourceRow]:
    events = TableEvents(tables, "ssd_cin_visits", "cinv_person_id", workers)
    for line, row in tables.rows("ssd_cin_visits"):
        key = events.key("cin-visit", row, "cinv_cin_visit_id", "cinv_cin_visit_date")
        details: dict[str, Any] = {}
        for name, field in SEEN_FIELDS:
            said = yes_no(row.get(field, ""))
            if said is not None:
                details[name] = said
        seen = details.get("child_seen")
        summary = "Visit to a child in need" + (
            "" if seen is None else ": child seen" if seen else ": child not seen")
        yield from keep(events.make(line, row, key, "HOME_VISIT", "cinv_cin_visit_date",
                                    summary, details, required=True,
                                    extra=unused(row, VISIT_USED)))
