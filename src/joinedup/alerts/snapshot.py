"""A columnar snapshot of events, persons and the family network, in DuckDB.

Rules run as SQL over these tables, never over the application database, so that another
engine holding the same columns can run the compiled rules: ``snapshot_files.py`` writes
these tables as Parquet for Spark SQL (``spark_engine.py``, ``dialects.py``):

    event(event_pk, agency, agency_kind, agency_area, source_id, person_id, related_id,
          event_type, occ_date, rec_date, occ, rec, occ_wd, rec_wd, details)
    person_flag(person_id, flag)          child(child_id, dob)
    network(child_id, person_id, role)    one row per role; the child is CHILD_SUBJECT
    workday(wd, dn)                       the day number of each working-day ordinal

``occ``/``rec`` are day numbers (``date.toordinal()``) and ``occ_wd``/``rec_wd`` working-day
ordinals (``workdays.ordinal``), so windows are integer arithmetic in any SQL dialect.

Which events are in a snapshot (the bitemporal choice, docs/rules.md):

- ``as_of`` D: events that had happened by D (occurred on or before D);
- ``known_by`` K: of each event, the highest version known by K: version 1 from the day
  the agency recorded it, a correction from the later of its recorded date and the day
  joinedup loaded it. Events with no version known by K are left out. ``known_by`` implies
  ``as_of`` K at the latest (nothing recorded by K happened after K).

Persons' flags and the relationships behind the network are the current picture (they
carry no recorded date); so is linkage.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from joinedup.agencies.models import Agency
from joinedup.alerts.bulk_rows import read_rows, reads_in_bulk
from joinedup.chronology.models import Event
from joinedup.config import rules_memory_limit, rules_threads
from joinedup.duckdb_sandbox import locked_connection
from joinedup.people.models import PersonRecord, RelationshipRecord
from joinedup.people.network_sql import NETWORK_SQL
from joinedup.sql_names import quoted_name
from joinedup.workdays import calendar_rows

_EVENT_COLUMNS = ("event_pk BIGINT, agency VARCHAR, agency_kind VARCHAR, agency_area VARCHAR, "
                  "source_id VARCHAR, person_id BIGINT, related_id BIGINT, event_type VARCHAR, "
                  "occ_date DATE, rec_date DATE, version INTEGER, known_on DATE, "
                  "details VARCHAR")


@dataclass(frozen=True)
class EventRow:
    """One version of an event, with persons already linked (plain data for tests)."""

    event_pk: int
    agency: str
    person_id: int
    event_type: str
    occurred_on: dt.date
    recorded_on: dt.date
    details: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    related_id: int | None = None
    agency_kind: str = "OTHER"
    agency_area: str = "E08000007"
    source_id: str = ""
    version: int = 1
    known_on: dt.date | None = None  # defaults to recorded_on

    def raw(self) -> tuple[Any, ...]:
        return (self.event_pk, self.agency, self.agency_kind, self.agency_area,
                self.source_id or f"E{self.event_pk}", self.person_id, self.related_id,
                self.event_type, self.occurred_on, self.recorded_on, self.version,
                self.known_on or self.recorded_on, json.dumps(self.details))


@dataclass
class Snapshot:
    """An open DuckDB database holding one snapshot; close it when done."""

    con: duckdb.DuckDBPyConnection
    as_of: dt.date | None
    known_by: dt.date | None
    counts: dict[str, int] = field(default_factory=dict)

    def close(self) -> None:
        self.con.close()

    def select(self, *, as_of: dt.date | None = None, known_by: dt.date | None = None) -> None:
        """(Re)build the ``event`` table for another (as_of, known_by) from every version
        held, so a replay can look at many days without reading the database again."""
        con = self.con
        cut = min(d for d in (as_of, known_by) if d is not None) if (as_of or known_by) \
            else None
        known = f"WHERE known_on <= DATE '{known_by.isoformat()}'" if known_by else ""
        happened = f"WHERE v.occ_date <= DATE '{cut.isoformat()}'" if cut else ""
        # First the version in force (the latest known by known_by, or the latest of all),
        # then whether it had happened by the cut-off: a correction that moves an event
        # after the cut-off takes it out, it does not bring back the old version.
        con.execute(f"""
            CREATE OR REPLACE TABLE event AS
            SELECT v.event_pk, v.agency, v.agency_kind, v.agency_area, v.source_id,
                   v.person_id, v.related_id, v.event_type, v.occ_date, v.rec_date,
                   co.dn AS occ, cr.dn AS rec, co.wd AS occ_wd, cr.wd AS rec_wd, v.details
              FROM (SELECT * FROM event_version {known}
                    QUALIFY row_number() OVER (PARTITION BY agency, source_id
                                               ORDER BY version DESC) = 1) v
              JOIN calendar co ON co.day = v.occ_date
              JOIN calendar cr ON cr.day = v.rec_date
              {happened}""")  # noqa: S608 - dates by isoformat(), our names
        from joinedup.alerts.blocks import views

        for statement in views():
            con.execute(statement)
        self.as_of, self.known_by = as_of, known_by
        self.counts = {name: int(con.execute(f"SELECT count(*) FROM {quoted_name(name)}")  # noqa: S608 - our table names, quoted
                                     .fetchall()[0][0]) for name in ("event", "child", "network")}

    def recorded_days(self) -> list[dt.date]:
        """Every day on which some version held became known: the days a replay looks at."""
        rows = self.con.execute("SELECT DISTINCT known_on FROM event_version ORDER BY 1")
        return [r[0] for r in rows.fetchall()]

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect() -> duckdb.DuckDBPyConnection:
    # no file to read (rows are handed over in memory), a spill folder of its own; in UTC,
    # as naive timestamps from SQLite are; as much memory as the partnership has given
    con = locked_connection(memory_limit=rules_memory_limit(), threads=rules_threads())
    con.execute(f"CREATE TABLE event_version ({_EVENT_COLUMNS})")
    con.execute("CREATE TABLE person_flag (person_id BIGINT, flag VARCHAR)")
    con.execute("CREATE TABLE child (child_id BIGINT, dob DATE)")
    con.execute("CREATE TABLE network (child_id BIGINT, person_id BIGINT, role VARCHAR)")
    return con


def _finish(con: duckdb.DuckDBPyConnection, as_of: dt.date | None,
            known_by: dt.date | None) -> Snapshot:
    """Add the calendar, then choose the events visible at (as_of, known_by)."""
    bounds = con.execute("SELECT min(occ_date), max(rec_date) FROM event_version").fetchall()[0]
    low = bounds[0] or dt.date.today()
    high = max(d for d in (bounds[1], as_of, known_by, dt.date.today()) if d is not None)
    days = calendar_rows(low - dt.timedelta(days=400), high + dt.timedelta(days=400))
    con.execute("CREATE TABLE calendar (day DATE, dn INTEGER, wd INTEGER, working BOOLEAN)")
    _insert(con, "calendar", [(d, d.toordinal(), wd, working) for d, wd, working in days])
    con.execute("""CREATE TABLE workday AS
                   SELECT wd, min(dn) AS dn FROM calendar WHERE working GROUP BY wd""")
    snapshot = Snapshot(con, None, None)
    snapshot.select(as_of=as_of, known_by=known_by)
    return snapshot


def from_rows(events: Iterable[EventRow], network: Iterable[tuple[int, int, str]],
              children: dict[int, dt.date | None],
              flags: Iterable[tuple[int, str]] = (), *, as_of: dt.date | None = None,
              known_by: dt.date | None = None) -> Snapshot:
    """A snapshot from plain data: (child, person, role) network rows (the child's own
    CHILD_SUBJECT row is added), children with their dates of birth, (person, flag) pairs."""
    con = _connect()
    _insert(con, "event_version", [e.raw() for e in events])
    _insert(con, "child", list(children.items()))
    net = {(c, p, r) for c, p, r in network} | {(c, c, "CHILD_SUBJECT") for c in children}
    _insert(con, "network", sorted(net))
    _insert(con, "person_flag", sorted(set(flags)))
    return _finish(con, as_of, known_by)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[Any, ...]],
            create: list[str] | None = None) -> None:
    """Append rows to a snapshot table through Arrow (DuckDB's executemany is slow);
    ``create`` gives the columns of a table to create first."""
    # pyarrow loads only when a snapshot is handed to DuckDB
    import pyarrow as pa

    quoted = quoted_name(table)  # the one name these statements write
    if create is not None:  # column definitions of our own, such as "child_id BIGINT"
        con.execute(f"CREATE TABLE {quoted} ({', '.join(create)})")
    if not rows:
        return
    described = con.execute(f"DESCRIBE {quoted}").fetchall()
    types = {"BIGINT": pa.int64(), "INTEGER": pa.int32(), "VARCHAR": pa.string(),
             "DATE": pa.date32(), "BOOLEAN": pa.bool_()}
    arrays = {name: pa.array([row[i] for row in rows], types[kind])
              for i, (name, kind, *_rest) in enumerate(described)}
    con.register("_rows", pa.table(arrays))
    con.execute(f"INSERT INTO {quoted} SELECT * FROM _rows")  # noqa: S608 - our table names, quoted
    con.unregister("_rows")


def from_database(*, as_of: dt.date | None = None, known_by: dt.date | None = None,
                  child_ids: Iterable[int] | None = None) -> Snapshot:
    """A snapshot of the application database: every child (or only ``child_ids`` and the
    people around them), their networks, and the events of everyone in those networks.

    Columns are read as plain text and numbers and typed by DuckDB, and the family network
    is worked out in SQL for all children at once (``people.network_sql.NETWORK_SQL``): at
    10^5 children and 10^6 events, Python objects per row would be most of the time."""

    reference = min(d for d in (as_of, known_by, dt.date.today()) if d is not None)
    con = _connect()
    _read_families(con, reference, child_ids)
    _read_flags(con)
    _read_events(con, child_ids)
    for table in ("relation_text", "birth_text", "flag_text", "event_text"):
        con.execute(f"DROP TABLE {quoted_name(table)}")
    return _finish(con, as_of, known_by)


def _read_families(con: duckdb.DuckDBPyConnection, reference: dt.date,
                   child_ids: Iterable[int] | None) -> None:
    """The relationships, each person's date of birth, the children (those someone is
    recorded as a parent or carer of, and everyone under 18 on ``reference``; only
    ``child_ids`` when given), their networks and the people in them."""
    _read(con, "relation_text", ["agency", "relationship", "person_id", "related_id",
                                 "details"], _RELATIONS_SQL)
    con.execute("""CREATE TABLE relation AS SELECT agency, relationship,
                   CAST(person_id AS BIGINT) AS person_id,
                   CAST(related_id AS BIGINT) AS related_id, details FROM relation_text""")
    _read(con, "birth_text", ["person_id", "dob", "n"], _BIRTHS_SQL)
    # The date of birth most of a person's records agree on; ties go to the earliest date.
    con.execute(f"""
        CREATE TABLE birth AS
        SELECT CAST(person_id AS BIGINT) AS person_id,
               arg_max(CAST(dob AS DATE), (CAST(n AS INTEGER), -epoch(CAST(dob AS DATE))))
                   AS dob
          FROM birth_text GROUP BY 1;
        INSERT INTO child
        SELECT c.child_id, b.dob FROM (
            SELECT related_id AS child_id FROM relation
             WHERE relationship IN ('MOTHER_OF', 'FATHER_OF', 'CARER_OF')
               AND person_id <> related_id
            UNION SELECT person_id FROM birth
             WHERE dob > DATE '{_years_before(reference, 18).isoformat()}') c
          LEFT JOIN birth b ON b.person_id = c.child_id""")  # noqa: S608 - a date by isoformat(), our names
    if child_ids is not None:
        _insert(con, "wanted_child", [(c,) for c in set(child_ids)], ["child_id BIGINT"])
        con.execute("DELETE FROM child WHERE child_id NOT IN (SELECT child_id FROM "
                    "wanted_child)")
    con.execute(f"INSERT INTO network {NETWORK_SQL}")
    con.execute("CREATE TABLE wanted_person AS SELECT DISTINCT person_id FROM network")


def _read_flags(con: duckdb.DuckDBPyConnection) -> None:
    """The flags of the people in the networks, one row each."""
    _read(con, "flag_text", ["person_id", "flags"], _FLAGS_SQL)
    con.execute("""INSERT INTO person_flag
                   SELECT DISTINCT CAST(person_id AS BIGINT), CAST(flag AS VARCHAR)
                     FROM (SELECT person_id, unnest(CAST(json(flags) AS VARCHAR[])) AS flag
                             FROM flag_text WHERE flags LIKE '[%')
                    WHERE CAST(person_id AS BIGINT) IN (SELECT person_id FROM wanted_person)""")


def _read_events(con: duckdb.DuckDBPyConnection, child_ids: Iterable[int] | None) -> None:
    """Every version of the events of the people in the networks, with the day each was
    known."""
    columns = ["event_pk", "agency", "agency_kind", "agency_area", "source_id", "person_id",
               "related_id", "event_type", "occurred_on", "recorded_on", "version",
               "loaded_at", "details"]
    events_sql = _EVENTS_SQL
    if child_ids is not None:  # a replay: read only the events of the people around them
        persons = [int(r[0]) for r in con.execute("SELECT person_id FROM wanted_person")
                   .fetchall()]
        events_sql += f" AND s.person_id IN ({', '.join(map(str, persons)) or 'NULL'})"
    _read(con, "event_text", columns, events_sql)
    con.execute("""
        INSERT INTO event_version
        SELECT CAST(event_pk AS BIGINT), agency, agency_kind, agency_area, source_id,
               CAST(person_id AS BIGINT), CAST(related_id AS BIGINT), event_type,
               CAST(occurred_on AS DATE), CAST(recorded_on AS DATE),
               CAST(version AS INTEGER),
               CASE WHEN CAST(version AS INTEGER) = 1 THEN CAST(recorded_on AS DATE)
                    ELSE greatest(CAST(recorded_on AS DATE), CAST(timezone('Europe/London',
                         CAST(loaded_at AS TIMESTAMPTZ)) AS DATE)) END,
               details
          FROM event_text
         WHERE CAST(person_id AS BIGINT) IN (SELECT person_id FROM wanted_person)""")


def _tables() -> dict[str, str]:
    return {key: quoted_name(model._meta.db_table) for key, model in (
        ("event", Event), ("record", PersonRecord), ("agency", Agency),
        ("relationship", RelationshipRecord))}


# Every column is cast to text (or is a number) so that neither Django nor the database
# driver converts values one by one; DuckDB types the columns afterwards.
_RELATIONS_SQL = """
    SELECT a.code, r.relationship, p.person_id, q.person_id, CAST(r.details AS TEXT)
      FROM {relationship} r JOIN {agency} a ON a.id = r.agency_id
      JOIN {record} p ON p.id = r.person_id JOIN {record} q ON q.id = r.related_person_id
     WHERE r.is_current AND p.person_id IS NOT NULL AND q.person_id IS NOT NULL"""
_BIRTHS_SQL = """
    SELECT person_id, CAST(date_of_birth AS TEXT), count(*) FROM {record}
     WHERE person_id IS NOT NULL AND date_of_birth IS NOT NULL
     GROUP BY person_id, date_of_birth"""
_FLAGS_SQL = """
    SELECT person_id, CAST(flags AS TEXT) FROM {record}
     WHERE person_id IS NOT NULL AND CAST(flags AS TEXT) NOT IN ('[]', '')"""
_EVENTS_SQL = """
    SELECT e.id, a.code, a.kind, a.area_code, e.source_id, s.person_id, r.person_id,
           e.event_type, CAST(e.occurred_on AS TEXT), CAST(e.recorded_on AS TEXT), e.version,
           CAST(e.loaded_at AS TEXT), CAST(e.details AS TEXT)
      FROM {event} e JOIN {record} s ON s.id = e.subject_id
      JOIN {agency} a ON a.id = e.agency_id
      LEFT JOIN {record} r ON r.id = e.related_person_id
     WHERE s.person_id IS NOT NULL"""


_WHOLE_NUMBERS = frozenset({"event_pk", "person_id", "related_id", "version", "n"})


def _read(con: duckdb.DuckDBPyConnection, table: str, names: list[str], sql: str) -> None:
    """Copy a query's rows into a DuckDB table, in bulk (``bulk_rows.py``) or in batches
    as the driver returns them: the columns in :data:`_WHOLE_NUMBERS` as numbers, the rest
    as text; the caller types the columns further."""
    # pyarrow loads only when a snapshot is handed to DuckDB
    import pyarrow as pa
    from django.db import connection

    if reads_in_bulk(connection.vendor):  # COPY or JSON arrays, taken apart in C
        read_rows(con, table, names, sql.format(**_tables()), _WHOLE_NUMBERS)
        return
    types = [pa.int64() if n in _WHOLE_NUMBERS else pa.string() for n in names]
    quoted = quoted_name(table)  # the one name these statements write
    created = False
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**_tables()))
        while True:
            batch = cursor.fetchmany(100_000)
            if not batch:
                break
            arrow = pa.table({name: pa.array(column, kind) for name, kind, column in
                              zip(names, types, zip(*batch, strict=True), strict=True)})
            con.register("_batch", arrow)
            if created:
                con.execute(f"INSERT INTO {quoted} BY NAME SELECT * FROM _batch")  # noqa: S608 - our table names, quoted
            else:
                con.execute(f"CREATE TABLE {quoted} AS SELECT * FROM _batch")  # noqa: S608 - our table names, quoted
                created = True
            con.unregister("_batch")
    if not created:
        columns = ", ".join(f"{quoted_name(n)} {'BIGINT' if t == pa.int64() else 'VARCHAR'}"
                            for n, t in zip(names, types, strict=True))
        con.execute(f"CREATE TABLE {quoted} ({columns})")


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
