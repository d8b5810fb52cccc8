"""What a linkage run writes in bulk: the pairs it scored, the persons it made, the changes
to persons, and the person each record belongs to. Each is one statement, run for many rows
with every value bound. At a million records Django's ``bulk_create`` and one ``UPDATE``
per person spent most of a run building model objects and SQL text for each row.

Table and column names are Django's for our models, through the one quoting helper.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model

from joinedup.people.linkage import clustering
from joinedup.people.models import PairScore, Person, PersonChange, PersonRecord
from joinedup.sql_names import quoted_name

BATCH = 20_000
"""Rows sent to the database in one call."""


def _column(model: type[Model], field: str) -> str:
    found = model._meta.get_field(field)
    if not isinstance(found, Field) or not found.column:
        raise TypeError(f"{model.__name__}.{field} is not a stored field")  # a bug of ours
    return quoted_name(found.column)


def _insert(model: type[Model], fields: Sequence[str], skip_existing: bool = False) -> str:
    names = ", ".join(_column(model, f) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = quoted_name(model._meta.db_table)
    tail = " ON CONFLICT DO NOTHING" if skip_existing else ""
    return f"INSERT INTO {table} ({names}) VALUES ({marks}){tail}"  # noqa: S608 - our names, quoted; values bound


_PAIR = _insert(PairScore, ("record_a", "record_b", "match_probability", "match_weight", "run"),
                skip_existing=True)
_PERSON = _insert(Person, ("id", "created_at", "created_by_run"))
_CHANGE = _insert(PersonChange, ("at", "run", "who", "kind", "person_id", "other_person_ids",
                                 "record_ids", "explanation"))
_RECORDS = quoted_name(PersonRecord._meta.db_table)
_SET_PERSON = (f"UPDATE {_RECORDS} SET {_column(PersonRecord, 'person')} = %s "  # noqa: S608 - as above
               f"WHERE {_column(PersonRecord, 'id')} = %s")


def _run_many(sql: str, rows: Iterable[Sequence[Any]]) -> None:
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _moment(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def keep_pairs(pairs: Iterable[tuple[int, int, float, float]], run_id: int) -> None:
    """Each scored pair (record ids either way round, probability, weight), once: a pair
    already kept stays as it is."""
    _run_many(_PAIR, ((min(a, b), max(a, b), float(p), float(w), run_id)
                      for a, b, p, w in pairs))


def add_persons(ids: Iterable[int], at: dt.datetime, run_id: int | None) -> None:
    moment = _moment(at)
    _run_many(_PERSON, ((pid, moment, run_id) for pid in ids))


def record_changes(changes: Iterable[clustering.PersonChange], at: dt.datetime,
                   run_id: int | None, who: str) -> None:
    """The changes a run made to persons, with when, the run and who."""
    moment = _moment(at)
    as_json = PersonChange._meta.get_field("record_ids").get_db_prep_save
    _run_many(_CHANGE, ((moment, run_id, who, c.kind, c.person_id,
                         as_json(list(c.other_person_ids), connection),
                         as_json(list(c.record_ids), connection), c.explanation)
                        for c in changes))


def set_persons(person_of: dict[int, int]) -> None:
    """Put each record (by id) in its person (by id)."""
    _run_many(_SET_PERSON, sorted((person, record) for record, person in person_of.items()))


def refresh_statistics(*written: type[Model]) -> None:
    """On PostgreSQL, bring the planner's statistics of the tables just ``written`` up to date
    (``ANALYZE`` counts the run's own rows, even before it commits). Until autovacuum gets
    to them they describe the tables as they were, and the grouping's and the review
    queue's joins may be planned for tables far smaller than they are: in two of about ten
    PostgreSQL runs of the linkage tests, a query over the pairs ran for minutes. SQLite
    plans without them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in written:
            cursor.execute(f"ANALYZE {quoted_name(model._meta.db_table)}")  # noqa: S608 - our names, quoted
