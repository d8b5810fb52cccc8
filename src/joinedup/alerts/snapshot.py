"""A columnar snapshot of events, persons and the family network, in DuckDB.

Rules run as SQL over these tables, never over the application database, so the same
compiled SQL can run on another engine (Spark SQL at national scale) over the same columns:

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
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

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
        filters = []
        if known_by is not None:
            filters.append(f"known_on <= DATE '{known_by.isoformat()}'")
        if cut is not None:
            filters.append(f"occ_date <= DATE '{cut.isoformat()}'")
        where = ("WHERE " + " AND ".join(filters)) if filters else ""
        # Without known_by each event shows its latest version.
        con.execute(f"""
            CREATE OR REPLACE TABLE event AS
            SELECT v.event_pk, v.agency, v.agency_kind, v.agency_area, v.source_id,
                   v.person_id, v.related_id, v.event_type, v.occ_date, v.rec_date,
                   co.dn AS occ, cr.dn AS rec, co.wd AS occ_wd, cr.wd AS rec_wd, v.details
              FROM (SELECT * FROM event_version {where}
                    QUALIFY row_number() OVER (PARTITION BY agency, source_id
                                               ORDER BY version DESC) = 1) v
              JOIN calendar co ON co.day = v.occ_date
              JOIN calendar cr ON cr.day = v.rec_date""")
        from joinedup.alerts.blocks import views

        for statement in views():
            con.execute(statement)
        self.as_of, self.known_by = as_of, known_by
        self.counts = {name: int(con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0])
                       for name in ("event", "child", "network")}

    def recorded_days(self) -> list[dt.date]:
        """Every day on which some version held became known: the days a replay looks at."""
        rows = self.con.execute("SELECT DISTINCT known_on FROM event_version ORDER BY 1")
        return [r[0] for r in rows.fetchall()]

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect(memory_limit: str = "1GB") -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:", config={"memory_limit": memory_limit, "threads": 2})
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


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Append rows to a snapshot table through Arrow (DuckDB's executemany is slow)."""
    import pyarrow as pa

    if not rows:
        return
    described = con.execute(f"DESCRIBE {table}").fetchall()
    types = {"BIGINT": pa.int64(), "INTEGER": pa.int32(), "VARCHAR": pa.string(),
             "DATE": pa.date32(), "BOOLEAN": pa.bool_()}
    arrays = {name: pa.array([row[i] for row in rows], types[kind])
              for i, (name, kind, *_rest) in enumerate(described)}
    con.register("_rows", pa.table(arrays))
    con.execute(f"INSERT INTO {table} SELECT * FROM _rows")
    con.unregister("_rows")


def from_database(*, as_of: dt.date | None = None, known_by: dt.date | None = None,
                  child_ids: Iterable[int] | None = None) -> Snapshot:
    """A snapshot of the application database: every child (or only ``child_ids`` and the
    people around them), their networks, and the events of everyone in those networks."""
    from joinedup.people.network import RelationIndex, load_relations

    reference = min(d for d in (as_of, known_by, dt.date.today()) if d is not None)
    index = RelationIndex(load_relations())
    births = _dates_of_birth()
    wanted = set(child_ids) if child_ids is not None else None
    children = index.children() | {
        pid for pid, born in births.items()
        if born is not None and born > _years_before(reference, 18)}
    if wanted is not None:
        children &= wanted
    con = _connect()
    network_rows: list[tuple[int, int, str]] = []
    for child in sorted(children):
        network_rows.append((child, child, "CHILD_SUBJECT"))
        for member in index.network(child).members:
            network_rows.extend((child, member.person_id, role) for role in member.roles)
    _insert(con, "network", network_rows)
    _insert(con, "child", [(c, births.get(c)) for c in sorted(children)])
    persons = {r[1] for r in network_rows}
    _load_flags(con, persons if wanted is not None else None)
    _load_events(con, persons if wanted is not None else None)
    return _finish(con, as_of, known_by)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _dates_of_birth() -> dict[int, dt.date | None]:
    """Each linked person's date of birth: the one most of their records agree on."""
    from django.db.models import Count

    from joinedup.people.models import PersonRecord

    votes: dict[int, Counter[dt.date]] = defaultdict(Counter)
    rows = (PersonRecord.objects.filter(person__isnull=False, date_of_birth__isnull=False)
            .values_list("person_id", "date_of_birth").annotate(n=Count("id")))
    for pid, born, n in rows.iterator(chunk_size=20_000):
        votes[pid][born] += n
    # Ties go to the earliest date, so the answer does not depend on the database's order.
    return {pid: max(sorted(v), key=lambda d: v[d]) for pid, v in votes.items()}


def _load_flags(con: duckdb.DuckDBPyConnection, persons: set[int] | None) -> None:
    from joinedup.people.models import PersonRecord

    query = PersonRecord.objects.filter(person__isnull=False).exclude(flags=[])
    if persons is not None:
        query = query.filter(person_id__in=list(persons))
    rows = {(pid, flag) for pid, flags in query.values_list("person_id", "flags").iterator()
            for flag in (flags or [])}
    _insert(con, "person_flag", sorted(rows))


def _load_events(con: duckdb.DuckDBPyConnection, persons: set[int] | None) -> None:
    """Every version of every event of linked persons, streamed in batches."""
    import pyarrow as pa
    from django.db import connection

    from joinedup.chronology.models import Event
    from joinedup.ingest.models import Agency
    from joinedup.people.models import PersonRecord

    ev, pr, ag = Event._meta.db_table, PersonRecord._meta.db_table, Agency._meta.db_table
    sql = f"""SELECT e.id, a.code, a.kind, a.area_code, e.source_id, s.person_id, r.person_id,
                     e.event_type, e.occurred_on, e.recorded_on, e.version, e.loaded_at,
                     e.details
                FROM {ev} e JOIN {pr} s ON s.id = e.subject_id
                JOIN {ag} a ON a.id = e.agency_id
                LEFT JOIN {pr} r ON r.id = e.related_person_id
               WHERE s.person_id IS NOT NULL"""
    params: list[Any] = []
    if persons is not None:
        if not persons:
            return
        sql += f" AND s.person_id IN ({', '.join(['%s'] * len(persons))})"
        params = sorted(persons)
    names = ["event_pk", "agency", "agency_kind", "agency_area", "source_id", "person_id",
             "related_id", "event_type", "occ_date", "rec_date", "version", "known_on",
             "details"]
    london = ZoneInfo("Europe/London")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            batch = cursor.fetchmany(50_000)
            if not batch:
                break
            columns: list[list[Any]] = [[] for _ in names]
            for row in batch:
                occurred, recorded, version, loaded = row[8], row[9], row[10], row[11]
                occurred = _as_date(occurred)
                recorded = _as_date(recorded)
                if version == 1:
                    known = recorded
                else:
                    loaded_day = _as_datetime(loaded).astimezone(london).date()
                    known = max(recorded, loaded_day)
                details = row[12]
                if not isinstance(details, str):
                    details = json.dumps(details)
                values = (*row[:8], occurred, recorded, version, known, details)
                for column, value in zip(columns, values, strict=True):
                    column.append(value)
            types = [pa.int64(), pa.string(), pa.string(), pa.string(), pa.string(), pa.int64(),
                     pa.int64(), pa.string(), pa.date32(), pa.date32(), pa.int32(), pa.date32(),
                     pa.string()]
            table = pa.table({n: pa.array(c, t) for n, c, t in zip(names, columns, types,
                                                                    strict=True)})
            con.register("batch_rows", table)
            con.execute("INSERT INTO event_version SELECT * FROM batch_rows")
            con.unregister("batch_rows")


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        moment = dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
