"""Reading an SSD extract from the council's SSD database itself, read-only.

Where a council runs the Standard Safeguarding Dataset on PostgreSQL or SQL Server (SQLite
works too, for trying it out), joinedup can read the SSD tables there instead of a folder of
CSV exports. The tables read are the ones the CSV reader reads
(:data:`~joinedup.ingest.formats.ssd_tables.REQUIRED_FIELDS`), found in the database's
catalogue by name (any case; tables or views), optionally in one schema. Each row is
turned into the same text the CSV files would hold (:func:`as_text`) and goes through the
same mapping (:func:`joinedup.ingest.formats.ssd.extract_rows`), so a field means the same
from either source. A row's number in messages is its position in its table (ordered by the
table's primary key when it has one), and messages name the table as the database does.

Read-only, from the start:

- every statement is an SQLAlchemy Core ``select`` of the columns the catalogue lists, on
  a table found there: no SQL text is built from anything outside, and nothing is written;
- one transaction for the whole read, never committed (rolled back when the read ends);
- PostgreSQL: that transaction is ``READ ONLY`` (the server refuses any write in it) and
  ``REPEATABLE READ``, so every table is read from the same moment;
- SQLite: the file is opened read-only (``mode=ro``); a missing file is an error, not a
  new empty database;
- SQL Server: the connection declares ``ApplicationIntent=ReadOnly`` (an availability group
  routes it to a readable secondary); SQL Server has no read-only transaction, so give
  joinedup a login that may only read (``db_datareader``), as docs/formats/ssd.md says.

Rows are streamed (``yield_per``: a server-side cursor on PostgreSQL), never a whole table
in memory. SQLAlchemy and the SQL Server driver are the ``ssd-database`` extra: this module
is only imported when a database is read (:func:`joinedup.ingest.formats.open_database_reader`).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.pool import NullPool

from joinedup.errors import ConfigurationError, IngestError, UnreadableFileError
from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.column_names import RULE, column_name
from joinedup.ingest.formats.ssd import extract_rows
from joinedup.ingest.formats.ssd_tables import FORMAT_NAME, PERSON_TABLE, REQUIRED_FIELDS, Row
from joinedup.sql_names import is_sql_name

BATCH = 1000
"""Rows fetched from the database at a time."""

DRIVERS = {"postgresql": "psycopg", "mssql": "pymssql", "sqlite": "pysqlite"}
"""The databases joinedup reads an SSD from, each with the driver it uses."""

EXTRA = "Install joinedup with its ssd-database extra: pip install 'joinedup[ssd-database]'."


class SsdDatabase:
    """The SSD tables of one database, read in one read-only transaction
    (:class:`~joinedup.ingest.formats.ssd_tables.SsdTables`)."""

    again = "load the tables again"

    def __init__(self, url: str, schema: str | None = None) -> None:
        given = _parse(url)
        self.shown = make_url(url).render_as_string(hide_password=True)
        self.url = _read_only(given)
        self.schema = _checked_schema(schema)
        self.names: dict[str, str] = {}  # SSD table -> its name in the database
        self.not_read: list[str] = []
        self.rows_read = 0
        self.digest = hashlib.sha256()
        self._engine: Engine | None = None
        self._connection: Connection | None = None

    @property
    def connection(self) -> Connection:
        """The read-only connection, opened (and its transaction begun) on first use."""
        if self._connection is None:
            self._connection = self._open()
        return self._connection

    def _open(self) -> Connection:
        backend = self.url.get_backend_name()
        options: dict[str, Any] = {}
        if self.url.get_driver_name() == "pymssql":
            options["connect_args"] = {"read_only": True}  # ApplicationIntent=ReadOnly
        try:
            self._engine = sa.create_engine(self.url, poolclass=NullPool, **options)
            connection = self._engine.connect()
        except ModuleNotFoundError as exc:
            raise ConfigurationError(
                f"The driver for {backend} databases ({exc.name}) is not installed. {EXTRA}"
            ) from exc
        except sa.exc.DBAPIError as exc:
            check = ("Check the path of the file" if backend == "sqlite" else
                     "Check the address, the user and the password, and that the server is "
                     "running")
            raise IngestError(f"Cannot connect to the database {self.shown}: "
                              f"{_first_line(exc)}. {check}.") from exc
        if backend == "postgresql":
            connection.execution_options(postgresql_readonly=True,
                                         isolation_level="REPEATABLE READ")
        connection.begin()
        return connection

    def close(self) -> None:
        """Ends the read: the transaction rolled back (nothing was written), the connection
        closed."""
        if self._connection is not None:
            self._connection.close()  # rolls back the open transaction
            self._connection = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def find_tables(self) -> None:
        """The SSD tables the database holds (``names``), and the other ``ssd_`` tables that
        are not read (``not_read``); an error when it has no ``ssd_person``."""
        inspector = sa.inspect(self.connection)
        try:
            found = [*inspector.get_table_names(schema=self.schema),
                     *inspector.get_view_names(schema=self.schema)]
        except sa.exc.DBAPIError as exc:
            raise IngestError(f"Cannot list the tables of {self._place()}: "
                              f"{_first_line(exc)}.") from exc
        for name in found:
            if name.lower() in REQUIRED_FIELDS:
                self.names.setdefault(name.lower(), name)
            elif name.lower().startswith("ssd_"):
                self.not_read.append(name)
        self.not_read.sort()
        if PERSON_TABLE not in self.names:
            raise UnreadableFileError(
                f"{self._place()} holds no {PERSON_TABLE} table, the one table an SSD extract "
                "must have. Check the database and the schema the SSD tables are in."
            )

    def where(self, table: str) -> str:
        name = self.names.get(table, table)
        return f"{self.schema}.{name}" if self.schema else name

    def rows(self, table: str) -> Iterator[tuple[int, Row]]:
        """Every row of ``table`` with its position (nothing if the database has no such
        table), as text, streamed."""
        name = self.names.get(table)
        if name is None:
            return
        listed, fields, key = self._columns(table, name)
        found = sa.table(name, *(sa.column(c) for c in listed), schema=self.schema)
        query = sa.select(*found.c).order_by(*(found.c[k] for k in key))
        try:
            result = self.connection.execute(query.execution_options(yield_per=BATCH))
        except sa.exc.DBAPIError as exc:
            raise IngestError(f"Cannot read the table {self.where(table)}: "
                              f"{_first_line(exc)}.") from exc
        try:
            for position, values in enumerate(result, start=1):
                texts = [as_text(v) for v in values]
                self.rows_read += 1
                self.digest.update(json.dumps([table, texts]).encode())
                yield position, dict(zip(fields, texts, strict=True))
        except sa.exc.DBAPIError as exc:
            raise IngestError(f"Reading the table {self.where(table)} stopped: "
                              f"{_first_line(exc)}.") from exc
        finally:
            result.close()

    def _columns(self, table: str, name: str) -> tuple[list[str], list[str], list[str]]:
        """The table's columns as the catalogue lists them, their SSD field names (checked
        by the rule for every column name) and the primary key to order the rows by."""
        inspector = sa.inspect(self.connection)
        listed = [c["name"] for c in inspector.get_columns(name, schema=self.schema)]
        fields = [self._field(c, position, table) for position, c in enumerate(listed, 1)]
        missing = [f for f in REQUIRED_FIELDS[table] if f not in fields]
        if missing:
            raise UnreadableFileError(
                f"The table {self.where(table)} is not an SSD table: it has no "
                f"{', '.join(missing)} column (found: {', '.join(listed[:8])}). Check that the "
                "database holds the SSD tables as the SSD specification names their fields."
            )
        key = inspector.get_pk_constraint(name, schema=self.schema).get(
            "constrained_columns") or []
        return listed, fields, [c for c in key if c in listed]

    def _field(self, name: str, position: int, table: str) -> str:
        try:
            return column_name(name, position, self.where(table))
        except UnreadableFileError:
            raise UnreadableFileError(
                f"The table {self.where(table)} has a column named {name[:40]!r}, which is not "
                f"accepted as a field name. {RULE} Rename the column in the SSD (or leave it out "
                f"of a view of the table) and {self.again}."
            ) from None

    def _place(self) -> str:
        return (f"the schema {self.schema} of the database {self.shown}" if self.schema
                else f"the database {self.shown}")


class SsdDatabaseReader:
    """Streams the SSD tables of a database as canonical rows (the ``ssd`` format)."""

    format_name = FORMAT_NAME
    total_bytes = 0  # a database's size is not known before it is read

    def __init__(self, url: str, schema: str | None = None) -> None:
        self.tables = SsdDatabase(url, schema)
        self.location = self.tables.shown

    @property
    def not_read(self) -> list[str]:
        return self.tables.not_read

    def bytes_done(self) -> int:
        return 0

    def rows(self) -> Iterator[SourceRow]:
        try:
            self.tables.find_tables()
            yield from extract_rows(self.tables)
        finally:
            self.tables.close()

    def content_sha256(self) -> str:
        """The SHA-256 of every row read, table by table: the same content read twice gives
        the same digest (known once :meth:`rows` has been read to the end)."""
        return self.tables.digest.hexdigest()


def as_text(value: object) -> str:
    """A database value as the text a CSV export of it would hold: empty for NULL, dates as
    YYYY-MM-DD (date-times with their time, unless midnight), yes/no as Y/N, JSON as JSON,
    numbers plainly."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.datetime):  # the SSD's dates are often date-times at midnight
        midnight = value.time() == dt.time(0) and value.tzinfo is None
        return value.date().isoformat() if midnight else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", errors="replace").strip()
    return str(value).strip()


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError as exc:
        raise IngestError(
            "The database address is not one joinedup can read. Write it as "
            "postgresql://user@host/database, mssql+pymssql://user@host/database or "
            "sqlite:///path/to/file.db."
        ) from exc
    backend = parsed.get_backend_name()
    if backend not in DRIVERS:
        raise IngestError(
            f"joinedup reads an SSD from PostgreSQL, SQL Server or SQLite, not from "
            f"{backend!r}. Write the address as postgresql://..., mssql+pymssql://... or "
            "sqlite:///..."
        )
    if "+" not in parsed.drivername:  # no driver named: the one joinedup installs
        parsed = parsed.set(drivername=f"{backend}+{DRIVERS[backend]}")
    return parsed


def _read_only(url: URL) -> URL:
    """SQLite files are opened read-only (``mode=ro``), which also refuses a missing file."""
    if url.get_backend_name() != "sqlite" or not url.database:
        return url
    path = url.database.removeprefix("file:")
    return url.set(database=f"file:{path}", query={**url.query, "mode": "ro", "uri": "true"})


def _checked_schema(schema: str | None) -> str | None:
    if not schema:
        return None
    if not is_sql_name(schema):
        raise IngestError(
            f"The schema name {schema[:40]!r} is not accepted: a schema name may hold only the "
            "letters a to z (lower case), the digits 0 to 9 and underscores, must start with a "
            "letter and may be at most 64 characters long."
        )
    return schema


def _first_line(exc: sa.exc.DBAPIError) -> str:
    """The driver's reason, in one line (the SQL Server driver's as text, past its
    "DB-Lib error message" heading)."""
    args = [a for arg in getattr(exc.orig, "args", None) or (str(exc),)
            for a in (arg if isinstance(arg, tuple) else (arg,))]
    texts = [a.decode("utf-8", errors="replace") if isinstance(a, bytes) else str(a)
             for a in args if isinstance(a, str | bytes)] or [str(exc.orig)]
    lines = [line.strip() for line in max(texts, key=len).splitlines()
             if line.strip() and not line.startswith("DB-Lib error message")]
    return (lines or ["no reason given"])[0].rstrip(".")
