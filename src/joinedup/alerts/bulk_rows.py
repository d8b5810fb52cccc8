"""The snapshot's rows read from PostgreSQL in bulk: ``COPY (SELECT ...) TO STDOUT`` as CSV,
parsed by Arrow's CSV reader and handed to DuckDB in large batches.

Reading a query's rows through the database driver makes Python objects of every value of
every row (``snapshot._read``); at 10^7 events that is most of the snapshot's time. COPY
sends the same rows as CSV text, and Arrow turns that text into columns in C++, so Python
only passes the bytes along.

The CSV keeps NULL and the empty string apart: every value that is not NULL is quoted
(``FORCE_QUOTE *``), NULL is the unquoted empty field, and the reader reads only unquoted
empty fields as NULL. The columns in ``whole_numbers`` are read as 64-bit integers, the
rest as text, exactly as the row-by-row reader types them, so both give the same snapshot
(``tests/alerts/test_snapshot_copy.py``).

The query is one of the snapshot's own fixed statements (``snapshot.py``), its table names
from Django's models through ``quoted_name``; the only thing added here is fixed text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

import duckdb

from joinedup.sql_names import quoted_name

BULK_VENDORS = frozenset({"postgresql"})
"""The databases whose rows the snapshot reads by COPY (the others, SQLite, row by row)."""
BLOCK_BYTES = 32 << 20
"""CSV bytes Arrow parses at a time, and so about the size of each batch handed to DuckDB."""


def reads_in_bulk(vendor: str) -> bool:
    return vendor in BULK_VENDORS


def copy_rows(con: duckdb.DuckDBPyConnection, table: str, names: list[str], sql: str,
              whole_numbers: Iterable[str]) -> None:
    """The rows of ``sql`` (one of the snapshot's own SELECTs, already formatted) into a new
    DuckDB table ``table``, columns ``names``: ``whole_numbers`` as BIGINT, others text."""
    # pyarrow loads only when a snapshot is taken
    import pyarrow as pa
    import pyarrow.csv as csv
    from django.db import connection

    numbers = frozenset(whole_numbers)
    types = {n: pa.int64() if n in numbers else pa.string() for n in names}
    reading = csv.ReadOptions(column_names=names, block_size=BLOCK_BYTES)
    parsing = csv.ParseOptions(newlines_in_values=True)
    converting = csv.ConvertOptions(column_types=types, null_values=[""],
                                    strings_can_be_null=True, quoted_strings_can_be_null=False)
    quoted = quoted_name(table)  # the one name these statements write
    columns = ", ".join(f"{quoted_name(n)} {'BIGINT' if n in numbers else 'VARCHAR'}"
                        for n in names)
    con.execute(f"CREATE TABLE {quoted} ({columns})")
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
