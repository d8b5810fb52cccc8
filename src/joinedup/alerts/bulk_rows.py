"""The snapshot's rows read from the application database in bulk, not value by value.

Reading a query's rows through the database driver makes a Python object of every value of
every row; at 10^7 events that is most of the snapshot's time. Both databases can hand the
rows over as text that C code takes apart instead:

- **PostgreSQL**: ``COPY (SELECT ...) TO STDOUT`` as CSV, parsed by Arrow's CSV reader in
  large blocks. NULL and the empty string stay apart: every value that is not NULL is
  quoted (``FORCE_QUOTE *``), NULL is the unquoted empty field, and only unquoted empty
  fields are read as NULL.
- **SQLite**: each row as one JSON array (SQLite's ``json_array``), so Python handles one
  string a row; DuckDB takes the arrays apart (``json_extract_string``), a batch at a time,
  while a thread reads the next batch (``read_ahead``). JSON keeps NULL, the empty string,
  quotes and line breaks exactly.

Either way the columns in ``whole_numbers`` become 64-bit integers and the rest text,
exactly as the row-by-row reader (``snapshot._read``) types them, so that all three give
the same snapshot (``tests/alerts/test_bulk_rows.py``).

The query is one of the snapshot's own fixed statements (``snapshot.py``), its table names
from Django's models through ``quoted_name``; what is added here is fixed text and our own
column names, through ``quoted_name``.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb

from joinedup.sql_names import quoted_name

if TYPE_CHECKING:
    import pyarrow as pa

T = TypeVar("T")

BULK_VENDORS = frozenset({"postgresql", "sqlite"})
"""The databases whose rows the snapshot reads in bulk (any other, row by row)."""
BLOCK_BYTES = 32 << 20
"""CSV bytes Arrow parses at a time, and so about the size of each batch from PostgreSQL."""
BATCH_ROWS = 200_000
"""Rows (JSON arrays) handed to DuckDB at a time from SQLite."""


def reads_in_bulk(vendor: str) -> bool:
    return vendor in BULK_VENDORS


def read_rows(con: duckdb.DuckDBPyConnection, table: str, names: list[str], sql: str,
              whole_numbers: Iterable[str]) -> None:
    """The rows of ``sql`` (one of the snapshot's own SELECTs, already formatted) into a new
    DuckDB table ``table``, columns ``names``: ``whole_numbers`` as BIGINT, others text."""
    from django.db import connection

    numbers = frozenset(whole_numbers)
    columns = ", ".join(f"{quoted_name(n)} {'BIGINT' if n in numbers else 'VARCHAR'}"
                        for n in names)
    con.execute(f"CREATE TABLE {quoted_name(table)} ({columns})")
    if connection.vendor == "postgresql":
        _copied(con, table, names, sql, numbers)
    else:
        _as_json(con, table, names, sql, numbers)


def _copied(con: duckdb.DuckDBPyConnection, table: str, names: list[str], sql: str,
            numbers: frozenset[str]) -> None:
    # pyarrow loads only when a snapshot is taken
    import pyarrow as pa
    import pyarrow.csv as csv
    from django.db import connection

    types = {n: pa.int64() if n in numbers else pa.string() for n in names}
    reading = csv.ReadOptions(column_names=names, block_size=BLOCK_BYTES)
    parsing = csv.ParseOptions(newlines_in_values=True)
    converting = csv.ConvertOptions(column_types=types, null_values=[""],
                                    strings_can_be_null=True, quoted_strings_can_be_null=False)
    quoted = quoted_name(table)  # the one name these statements write
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        stream = io.BufferedReader(_CopyStream(iter(copy)), buffer_size=BLOCK_BYTES)
        if not stream.peek(1):  # no rows: Arrow would find no first line to read
            return
        for batch in csv.open_csv(stream, read_options=reading, parse_options=parsing,
                                  convert_options=converting):
            con.register("_batch", pa.Table.from_batches([batch]))
            con.execute(f"INSERT INTO {quoted} BY NAME SELECT * FROM _batch")  # noqa: S608 - our table names, quoted
            con.unregister("_batch")


def _as_json(con: duckdb.DuckDBPyConnection, table: str, names: list[str], sql: str,
             numbers: frozenset[str]) -> None:
    # pyarrow loads only when a snapshot is taken
    import pyarrow as pa
    from django.db import connection

    listed = ", ".join(quoted_name(n) for n in names)
    as_arrays = f"WITH q ({listed}) AS ({sql}) SELECT json_array({listed}) FROM q"  # noqa: S608 - our names, quoted; sql is the snapshot's own
    paths = ", ".join(f"'$[{i}]'" for i in range(len(names)))
    values = ", ".join(f"CAST(v[{i + 1}] AS BIGINT)" if n in numbers else f"v[{i + 1}]"
                       for i, n in enumerate(names))
    insert = (f"INSERT INTO {quoted_name(table)} SELECT {values} FROM "  # noqa: S608 - our names, quoted
              f"(SELECT json_extract_string(line, [{paths}]) AS v FROM _batch)")
    with connection.cursor() as cursor:
        cursor.execute(as_arrays)
        raw = cursor.cursor  # sqlite3's own cursor: Django's wrapper is not for other threads

        def next_batch() -> pa.Table | None:
            batch = raw.fetchmany(BATCH_ROWS)
            if not batch:
                return None
            return pa.table({"line": pa.array([r[0] for r in batch], pa.string())})

        # closed here, before the cursor, even when DuckDB fails part-way
        with closing(read_ahead(next_batch)) as batches:
            for batch in batches:
                con.register("_batch", batch)
                con.execute(insert)
                con.unregister("_batch")


def read_ahead(next_batch: Callable[[], T | None], depth: int = 2
               ) -> Generator[T, None, None]:
    """The batches ``next_batch`` gives until it gives None, each fetched in a thread of its
    own while the one before is being used.

    SQLite lets go of Python's lock while it works out rows and DuckDB while it inserts
    them, so on two cores the database's reading and DuckDB's taking apart run side by side
    instead of taking turns. At most ``depth`` batches wait. An error in the thread comes
    out here; if the caller stops early, the thread stops after the batch it is reading."""
    waiting: queue.Queue[tuple[T | None, BaseException | None]] = queue.Queue(maxsize=depth)
    stopped = threading.Event()

    def fetch() -> None:
        try:
            while not stopped.is_set():
                batch = next_batch()
                _hand_over(waiting, stopped, (batch, None))
                if batch is None:
                    return
        except BaseException as exc:  # handed to the caller, who raises it
            _hand_over(waiting, stopped, (None, exc))

    fetcher = threading.Thread(target=fetch, name="snapshot-read-ahead", daemon=True)
    fetcher.start()
    try:
        while True:
            batch, error = waiting.get()
            if error is not None:
                raise error
            if batch is None:
                return
            yield batch
    finally:
        stopped.set()
        fetcher.join()


def _hand_over(waiting: queue.Queue[Any], stopped: threading.Event, item: Any) -> None:
    while not stopped.is_set():
        try:
            waiting.put(item, timeout=0.1)
            return
        except queue.Full:
            continue


class _CopyStream(io.RawIOBase):
    """The bytes of a COPY, as a file Arrow can read: PostgreSQL sends them a row at a time,
    joined here into reads of the size asked for."""

    def __init__(self, chunks: Iterator[bytes | memoryview]) -> None:
        super().__init__()
        self._chunks = chunks
        self._rest = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        wanted = len(buffer)
        parts, have = [self._rest], len(self._rest)
        while have < wanted:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            parts.append(bytes(chunk))
            have += len(chunk)
        data = b"".join(parts)
        size = min(wanted, len(data))
        buffer[:size] = data[:size]
        self._rest = data[size:]
        return size
