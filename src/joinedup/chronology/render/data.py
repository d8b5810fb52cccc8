"""A chronology as data: the stable JSON document and the CSV table (docs/chronology.md).

Keys and columns are only ever added, never renamed or removed, so scripts and spreadsheets
built on them keep working. Dates are ISO 8601 here (machines read these); the printable
outputs write dates in words.

A CSV cell that a spreadsheet would read as a formula (text starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) is written with a leading apostrophe, so a summary
such as ``=HYPERLINK(...)`` sent in an agency's return stays text when the file is opened
(OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from joinedup.chronology.assembly import Chronology, Entry

CSV_COLUMNS = ("date", "time", "agency", "event_id", "version", "event_type", "event",
               "person_id", "role", "name", "summary", "recorded_on",
               "recording_delay_working_days", "significance", "worker_role", "details",
               "shared_as", "lawful_basis")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes as the start of a formula in a cell."""


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula, with a leading apostrophe; else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _time(entry: Entry) -> str | None:
    return entry.occurred_time.strftime("%H:%M") if entry.occurred_time else None


def entry_dict(entry: Entry) -> dict[str, Any]:
    return {
        "event": entry.event, "agency": entry.agency, "source_id": entry.source_id,
        "version": entry.version, "date": _iso(entry.occurred_on), "time": _time(entry),
        "event_type": entry.event_type, "event_label": entry.event_label,
        "person_id": entry.person_id, "role": entry.role, "role_label": entry.role_label,
        "person_name": entry.person_name, "related_person_id": entry.related_person_id,
        "summary": entry.summary, "recorded_on": _iso(entry.recorded_on),
        "recording_delay_working_days": entry.recording_delay,
        "significance": entry.significance, "worker_role": entry.worker_role,
        "details": entry.details, "shared_as": entry.shared_as,
        "lawful_basis": entry.lawful_basis,
    }


def to_dict(chronology: Chronology) -> dict[str, Any]:
    """The JSON document: ``child``, ``as_of``, ``known_by``, ``entries``, ``gaps``,
    ``network``, and also ``period``, ``filters``, ``window``, ``conflicts``, ``agencies``."""
    c = chronology
    return {
        "child": {"person_id": c.child_id, "name": c.child_name},
        "as_of": _iso(c.as_of),
        "known_by": _iso(c.known_by),
        "period": {"from": _iso(c.filters.period_from), "to": _iso(c.filters.period_to)},
        "filters": {"agencies": list(c.filters.agencies), "persons": list(c.filters.persons),
                    "types": list(c.filters.types)},
        "window": {"start": _iso(c.start), "end": _iso(c.end)},
        "entries": [entry_dict(e) for e in c.entries],
        "gaps": [{"kind": g.kind, "start": _iso(g.start), "end": _iso(g.end), "days": g.days,
                  "agency": g.agency or None, "events": g.events or None, "text": g.text}
                 for g in c.gaps],
        "network": [{"person_id": p.person_id, "name": p.name, "role": p.role,
                     "role_label": p.role_label, "roles": list(p.roles),
                     "agencies": list(p.agencies), "relationship_recorded_by": list(p.stated_by),
                     "since": _iso(p.since), "until": _iso(p.until)} for p in c.network],
        "conflicts": list(c.conflicts),
        "agencies": dict(sorted(c.agency_names.items())),
    }


def to_json(chronology: Chronology) -> str:
    return json.dumps(to_dict(chronology), indent=2, sort_keys=True, ensure_ascii=False)


def to_csv(chronology: Chronology) -> str:
    """One row per entry, ``CSV_COLUMNS`` in order; details as a JSON object; text that
    would start a spreadsheet formula made safe (:func:`spreadsheet_safe`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in chronology.entries:
        writer.writerow(spreadsheet_safe(cell) for cell in [
            e.occurred_on.isoformat(), _time(e) or "", e.agency, e.source_id, e.version,
            e.event_type, e.event_label, "" if e.person_id is None else e.person_id,
            e.role_label, e.person_name, e.summary, e.recorded_on.isoformat(),
            e.recording_delay, e.significance, e.worker_role,
            json.dumps(e.details, sort_keys=True, ensure_ascii=False) if e.details else "",
            e.shared_as, e.lawful_basis,
        ])
    return out.getvalue()
