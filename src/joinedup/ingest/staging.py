"""Staging tables: where a return's checked rows wait, inside the load's transaction.

Rows are streamed into staging tables in chunks (PostgreSQL: temporary tables; SQLite: a
scratch database attached to the connection, see SQLITE_STAGE_DB), so memory stays flat
however large the file is; checks across rows (duplicate ids, references to people) and
the merge into the stored records are then made in SQL, set at a time. Only this module and
:mod:`joinedup.ingest.merge` write SQL. The SQL runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection

from joinedup.ingest.clean_rows import Clean, CleanEvent, CleanPerson, CleanRelationship
from joinedup.local_time import local_date, utc_text
from joinedup.sql_names import quoted_name

STAGE = {
    "people": quoted_name("jstage_people"),
    "events": quoted_name("jstage_events"),
    "relationships": quoted_name("jstage_relationships"),
}
"""The staging tables' names as SQL (quoted by the one helper, :mod:`joinedup.sql_names`)."""

_DDL = {
    "people": """
        row_number INTEGER, location TEXT, source_id TEXT, given_name TEXT, family_name TEXT,
        other_names TEXT, date_of_birth DATE, sex TEXT, nhs_number TEXT, postcode TEXT,
        address TEXT, flags TEXT, extra TEXT, content TEXT, content_hash TEXT,
        date_of_birth_text TEXT, nhs_number_text TEXT, uprn TEXT,
        prev_hash TEXT, prev_version INTEGER""",
    "events": """
        row_number INTEGER, location TEXT, source_id TEXT, person_id TEXT, event_type TEXT,
        occurred_at TIMESTAMP WITH TIME ZONE, occurred_on DATE, occurred_time_known BOOLEAN,
        recorded_at TIMESTAMP WITH TIME ZONE, recorded_on DATE, summary TEXT,
        related_person_id TEXT, details TEXT, extra TEXT, content_hash TEXT,
        prev_hash TEXT, prev_version INTEGER""",
    "relationships": """
        row_number INTEGER, location TEXT, source_key TEXT, person_id TEXT,
        related_person_id TEXT, relationship TEXT, valid_from DATE, valid_to DATE,
        details TEXT, content_hash TEXT, prev_hash TEXT, prev_version INTEGER""",
}

_INSERT_COLUMNS = {
    "people": (
        "row_number, location, source_id, given_name, family_name, other_names, date_of_birth,"
        " sex, nhs_number, postcode, address, flags, extra, content, content_hash,"
        " date_of_birth_text, nhs_number_text, uprn"
    ),
    "events": (
        "row_number, location, source_id, person_id, event_type, occurred_at, occurred_on,"
        " occurred_time_known, recorded_at, recorded_on, summary, related_person_id, details,"
        " extra, content_hash"
    ),
    "relationships": (
        "row_number, location, source_key, person_id, related_person_id, relationship,"
        " valid_from, valid_to, details, content_hash"
    ),
}


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def json_value(column: str) -> str:
    """An expression reading a staged JSON text column into a JSON field."""
    return f"CAST({column} AS jsonb)" if is_postgres() else column


SQLITE_STAGE_DB = "jstage"
"""On SQLite the staging tables live in a private scratch database attached to the
connection (an empty file name: SQLite makes a temporary file and deletes it when the
database is detached). Detaching it after a load takes milliseconds, where dropping a
million staged rows from SQLite's temporary tables takes over half a second (every page
is freed one by one). Table names are not qualified in queries: SQLite finds them there."""


def create_stage_tables() -> None:
    with connection.cursor() as cursor:
        schema = ""
        if not is_postgres():
            cursor.execute("PRAGMA database_list")
            if SQLITE_STAGE_DB not in {row[1] for row in cursor.fetchall()}:
                cursor.execute(f"ATTACH DATABASE '' AS {quoted_name(SQLITE_STAGE_DB)}")
            schema = f"{quoted_name(SQLITE_STAGE_DB)}."
        for table, name in STAGE.items():
            cursor.execute(f"DROP TABLE IF EXISTS {schema}{name}")
            temporary = "" if schema else "TEMPORARY "
            cursor.execute(f"CREATE {temporary}TABLE {schema}{name} ({_DDL[table]})")


def drop_stage_tables() -> None:
    """Drop the staging tables; on SQLite outside a transaction, detach their database."""
    with connection.cursor() as cursor:
        if not is_postgres():
            cursor.execute("PRAGMA database_list")
            if SQLITE_STAGE_DB not in {row[1] for row in cursor.fetchall()}:
                return
            if not connection.in_atomic_block:  # SQLite refuses to detach inside one
                cursor.execute(f"DETACH DATABASE {quoted_name(SQLITE_STAGE_DB)}")
                return
        for name in STAGE.values():
            cursor.execute(f"DROP TABLE IF EXISTS {name}")


def index_stage_tables() -> None:
    schema = "" if is_postgres() else f"{quoted_name(SQLITE_STAGE_DB)}."
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX {schema}jstage_people_id ON jstage_people (source_id)")
        cursor.execute(f"CREATE INDEX {schema}jstage_events_id ON jstage_events (source_id)")
        cursor.execute(f"CREATE INDEX {schema}jstage_rel_key ON jstage_relationships "
                       "(source_key)")
        if is_postgres():  # PostgreSQL never analyses temporary tables by itself
            for name in STAGE.values():
                cursor.execute(f"ANALYZE {name}")


class StageWriter:
    """Buffers checked rows and writes them to the staging tables in chunks."""

    CHUNK = 5000

    def __init__(self) -> None:
        ops = connection.ops
        sqlite = connection.vendor == "sqlite"
        self._moment = utc_text if sqlite else ops.adapt_datetimefield_value
        self._day = ops.adapt_datefield_value
        self._buffers: dict[str, list[Sequence[Any]]] = {t: [] for t in STAGE}

    def add(self, table: str, clean: Clean, location: str) -> None:
        buffer = self._buffers[table]
        buffer.append(self._tuple(clean, location))
        if len(buffer) >= self.CHUNK:
            self._flush(table)

    def add_prepared(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Rows already in staging column order (the bulk lane's)."""
        buffer = self._buffers[table]
        buffer.extend(rows)
        if len(buffer) >= self.CHUNK:
            self._flush(table)

    def close(self) -> None:
        for table in STAGE:
            self._flush(table)

    def _flush(self, table: str) -> None:
        rows = self._buffers[table]
        if not rows:
            return
        columns = _INSERT_COLUMNS[table]
        with connection.cursor() as cursor:
            if is_postgres():  # COPY is many times faster than INSERTs on PostgreSQL
                with cursor.cursor.copy(f"COPY {STAGE[table]} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * (columns.count(",") + 1))
                cursor.executemany(
                    f"INSERT INTO {STAGE[table]} ({columns}) VALUES ({marks})", rows  # noqa: S608 - our stage table and columns; values bound
                )
        rows.clear()

    def _tuple(self, clean: Clean, location: str) -> Sequence[Any]:
        day, moment = self._day, self._moment
        if isinstance(clean, CleanEvent):
            occurred = clean.occurred_at
            recorded = clean.recorded_at
            return (
                clean.row_number, location, clean.source_id, clean.person_id, clean.event_type,
                moment(occurred), day(local_date(occurred)), clean.occurred_time_known,
                moment(recorded), day(local_date(recorded)), clean.summary,
                clean.related_person_id, stored_json(clean.details), stored_json(clean.extra),
                clean.content_hash,
            )
        if isinstance(clean, CleanPerson):
            return (
                clean.row_number, location, clean.source_id, clean.given_name,
                clean.family_name, stored_json(clean.other_names), day(clean.date_of_birth),
                clean.sex, clean.nhs_number, clean.postcode, clean.address,
                stored_json(clean.flags), stored_json(clean.extra), clean.content_json,
                clean.content_hash, clean.date_of_birth_text, clean.nhs_number_text,
                clean.uprn,
            )
        assert isinstance(clean, CleanRelationship)  # noqa: S101 - narrows the type: a Clean row is a person, an event or a relationship
        return (
            clean.row_number, location, clean.source_key, clean.person_id,
            clean.related_person_id, clean.relationship, day(clean.valid_from),
            day(clean.valid_to), stored_json(clean.details), clean.content_hash,
        )


_STORED_JSON = json.JSONEncoder(ensure_ascii=False, default=str)
"""json.dumps(value, ensure_ascii=False, default=str), made once rather than for every value."""


def stored_json(value: Any) -> str:
    """A JSON value (details, extra, flags, names) as the text a staging table holds."""
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    return _STORED_JSON.encode(value)

