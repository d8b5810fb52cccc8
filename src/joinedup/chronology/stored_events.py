"""Every stored version of the events of a child and the people around them, read from the
database for :func:`joinedup.chronology.assembly.assemble` in two queries (the persons'
records, then every version of their events), with the few values that need it converted
by hand rather than by Django's per-value converters (docs/benchmarks.md)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from typing import Any

from django.db import connections
from django.db.models import Case, DateTimeField, F, Q, TextField, When
from django.db.models.functions import Cast

from joinedup.chronology.models import Event
from joinedup.chronology.versions import EventVersion
from joinedup.people.models import PersonRecord
from joinedup.people.names import record_name

_FIELDS = ("pk", "agency__code", "source_id", "version", "is_current", "event_type",
           "occurred_at", "occurred_on", "occurred_time_known", "recorded_on",
           "correction_loaded_at", "subject_id", "related_person_id", "summary",
           "details_text", "extra_text")
_RECORD_FIELDS = ("id", "person_id", "given_name", "family_name", "other_names",
                  "agency__code", "source_id")


def load_versions(child_id: int, person_ids: Collection[int]) -> list[EventVersion]:
    """Every version of every event whose subject is one of ``person_ids`` or whose related
    person is the child: one query for the records, one for the events.

    The records are looked up first so that the event query filters on the event table's
    own indexed columns (subject, related person) rather than through a join, which lets the
    database use both indexes for the OR instead of scanning every event."""
    records = {rid: (pid, record_name(*names)) for rid, pid, *names in
               PersonRecord.objects.filter(person_id__in=list(person_ids))
               .values_list(*_RECORD_FIELDS)}
    if not records:
        return []
    child_records = [rid for rid, (pid, _) in records.items() if pid == child_id]
    query = Q(subject_id__in=list(records))
    if child_records:
        query |= Q(related_person_id__in=child_records)
    # Details and extra as text, decoded here only when they hold something: decoding every
    # row's JSON through the ORM was a third of the time, and reading the worker's role with
    # SQL's JSON functions half the query's. loaded_at matters only for corrections, so
    # only theirs is read and converted. The subjects' names come from the records read
    # above, not from a join (PostgreSQL hashed every person record for it).
    rows = _fetch(Event.objects.filter(query).annotate(
        correction_loaded_at=Case(When(version__gt=1, then=F("loaded_at")), default=None,
                                  output_field=DateTimeField()),
        details_text=Cast("details", TextField()), extra_text=Cast("extra", TextField()))
        .values_list(*_FIELDS))
    others = ({row[11] for row in rows} | {row[12] for row in rows if row[12] is not None}) \
        - records.keys()
    if others:  # events that name the child as related person only
        records.update({rid: (pid, record_name(*names)) for rid, pid, *names in
                        PersonRecord.objects.filter(id__in=others)
                        .values_list(*_RECORD_FIELDS)})
    out = []
    for (pk, agency, source_id, version, current, kind, occurred_at, occurred_on, time_known,
         recorded_on, loaded_at, subject, related, summary, details_text, extra_text) in rows:
        details = json.loads(details_text) if details_text and details_text != "{}" else {}
        worker = _worker(details, extra_text)
        subject_person, subject_name = records.get(subject, (None, ""))
        out.append(EventVersion(
            pk, agency, source_id, version, bool(current), kind, _moment(occurred_at),
            _day(occurred_on), bool(time_known), _day(recorded_on),
            _moment(loaded_at) if loaded_at is not None else None, subject_person,
            records[related][0] if related in records else None,
            subject_name, summary, details, *worker))
    return out


def _worker(details: Any, extra_text: str | None) -> tuple[str, str, str]:
    """The worker's role, name and contact: each from the event's details, else from the
    columns of the return the format did not map (``extra``), read only when it names a
    worker field."""
    found = details if isinstance(details, dict) else {}
    extra: Any = {}
    if extra_text and WORKER_PREFIX in extra_text:
        extra = json.loads(extra_text)
        extra = extra if isinstance(extra, dict) else {}
    role, name, contact = (_text(found.get(key) or extra.get(key)) for key in WORKER_FIELDS)
    return role, name, contact


def _fetch(queryset: Any) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` query read straight from the database cursor.

    Django's per-value converters cost as much as the query itself for a chronology of
    2,000 events (docs/benchmarks.md), so the few values that need it are converted by
    :func:`_moment` and :func:`_day` instead: SQLite gives date-times and dates as text and
    booleans as 0 and 1, PostgreSQL gives Python values already."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


WORKER_FIELDS = ("worker_role", "worker_name", "worker_contact")
"""The worker who recorded the event: in the event's details, else in the columns of the
return the format did not map (``extra``)."""
WORKER_PREFIX = "worker_"


def _text(value: Any) -> str:
    """A JSON value as it is shown: text as it is, other values as JSON, nothing as ''."""
    if value is None or value == "":
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def _moment(value: Any) -> dt.datetime:
    """A stored date-time as an aware datetime (SQLite keeps UTC as text)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _day(value: Any) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
