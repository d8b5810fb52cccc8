"""DuckDB connections locked down before they read anything.

joinedup uses DuckDB in three places: the bulk lane reads an agency's events.csv
(:mod:`joinedup.ingest.bulk_events`), the alert engine's snapshot
(:mod:`joinedup.alerts.snapshot`) and the linkage model
(:mod:`joinedup.people.linkage.model`) work on data handed over from the application
database. DuckDB can read and write files, fetch URLs and load extensions from SQL, so
every connection is made here, and before it is handed back:

- it may reach only the files named in ``may_read`` (``allowed_paths``) and, where it may
  spill to disk, a spill folder of its own under the data folder's scratch folder
  (:mod:`joinedup.scratch`) that DuckDB makes and removes when the connection closes
  (``temp_directory``, which DuckDB adds to ``allowed_directories``);
  then ``enable_external_access`` is turned off, so nothing else on disk or on the network
  can be read, written, attached or installed;
- known extensions are neither installed nor loaded on demand
  (``autoinstall_known_extensions``, ``autoload_known_extensions``);
- ``lock_configuration`` is on, so no statement can undo any of this.

Whatever SQL such a connection runs, it cannot write a file outside its spill folder nor
read one it was not given (tests/ingest/test_hostile_input.py tries).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from joinedup import scratch

if TYPE_CHECKING:
    import duckdb


def locked_connection(*, may_read: Iterable[Path] = (), memory_limit: str = "1GB",
                      threads: int = 2, spill: bool = True) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection that can reach only ``may_read`` (and its own spill
    folder when ``spill``), in UTC, with its configuration locked."""
    # DuckDB (a fifth of a second to load) loads only when a connection is made
    import duckdb

    con = duckdb.connect(":memory:", config={
        "memory_limit": memory_limit, "threads": threads,
        "autoinstall_known_extensions": False, "autoload_known_extensions": False,
    })
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        # the spill folder does not exist yet: DuckDB makes it when it first spills and
        # removes it on close
        folder = str(scratch.spill_path("duckdb")) if spill else ""
        con.execute("SET temp_directory = $1", [folder])
        con.execute("SET allowed_paths = $1", [[str(p) for p in may_read]])
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con
