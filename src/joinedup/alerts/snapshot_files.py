"""The snapshot written as Parquet files, for an engine on other machines (Spark) to read.

A folder holds one snapshot (``snapshot.py``): the tables the rules read, as the DuckDB
engine holds them, and ``snapshot.json`` saying what it is:

    event/area=E08000003/month=2025-05/*.parquet   the versions of events in force, one
                                                   folder per area and month they happened
    network/      the family network: (child, person, role), from the relationships
    child/        the children and their dates of birth
    person_flag/  the flags of the people in the networks
    relation/     the current relationships behind the network (a snapshot of the database)
    birth/        each person's date of birth, the one most of their records agree on
    calendar/     every day: its day number, working-day ordinal, whether it is a working day
    workday/      the day number of each working-day ordinal
    snapshot.json {"format", "as_of", "known_by", "counts", "tables", "written_at"}

Events are split by area and month, so that a cluster reads them in parallel and a
partnership's share can be found without reading the rest; each other table is one file.
The area of an event with none recorded is ``unknown``.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joinedup.alerts.snapshot import Snapshot, from_database
from joinedup.errors import ActionError, ConfigurationError
from joinedup.sql_names import quoted_name

FORMAT = 1
"""The layout above; a reader refuses a folder written in another."""
MANIFEST = "snapshot.json"
RULE_TABLES = ("event", "network", "child", "person_flag", "calendar", "workday")
"""The tables the rules read."""
DATABASE_TABLES = ("relation", "birth")
"""Tables only a snapshot of the database has (one from plain rows does not)."""
UNKNOWN_AREA = "unknown"
BATCH_ROWS = 1_000_000
MAX_PARTITIONS = 100_000
"""Areas times months: ten partnerships' twenty years is 2,400."""


@dataclass(frozen=True)
class SnapshotFolder:
    """What ``snapshot.json`` says about a written snapshot."""

    path: Path
    as_of: dt.date | None
    known_by: dt.date | None
    counts: dict[str, int]
    tables: tuple[str, ...]

    def table_path(self, table: str) -> Path:
        return self.path / table


def write(snapshot: Snapshot, folder: Path) -> SnapshotFolder:
    """Write the snapshot into ``folder`` (created; it must be empty if it exists)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ActionError(
            f"{folder} already holds files: a snapshot is written into a new or empty folder, "
            "so that no table of an older snapshot is read with it. Choose another folder "
            "or empty this one.")
    folder.mkdir(parents=True, exist_ok=True)
    con = snapshot.con
    present = {str(r[0]) for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    tables = [t for t in (*RULE_TABLES, *DATABASE_TABLES) if t in present]
    try:
        for table in tables:
            _write_table(snapshot, table, folder / table)
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "as_of": snapshot.as_of.isoformat() if snapshot.as_of else None,
        "known_by": snapshot.known_by.isoformat() if snapshot.known_by else None,
        "counts": snapshot.counts, "tables": tables,
        "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    return read(folder)


def _write_table(snapshot: Snapshot, table: str, target: Path) -> None:
    """One table through Arrow, in batches: the snapshot's DuckDB connection may not touch
    the disk (``duckdb_sandbox``), so pyarrow writes the files."""
    # pyarrow loads only when a snapshot is written
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    name = quoted_name(table)
    if table == "event":
        # the partition columns are copies: the files keep agency_area and occ_date
        sql = f"""SELECT *, coalesce(nullif(agency_area, ''), '{UNKNOWN_AREA}') AS area,
                         strftime(occ_date, '%Y-%m') AS month FROM {name}"""  # noqa: S608 - our table name, quoted
        partitioning = ds.partitioning(pa.schema([("area", pa.string()),
                                                  ("month", pa.string())]), flavor="hive")
    else:
        sql, partitioning = f"SELECT * FROM {name}", None  # noqa: S608 - our table name, quoted
    batches = snapshot.con.sql(sql).to_arrow_reader(BATCH_ROWS)
    ds.write_dataset(batches, target, format="parquet", partitioning=partitioning,
                     basename_template="part-{i}.parquet", max_partitions=MAX_PARTITIONS,
                     existing_data_behavior="error")
    if not target.exists() or not any(target.rglob("*.parquet")):
        # an empty table: one file with no rows, for its columns
        target.mkdir(exist_ok=True)
        pq.write_table(batches.schema.empty_table(), target / "part-0.parquet")


def export_database(folder: Path, *, as_of: dt.date | None = None,
                    known_by: dt.date | None = None) -> SnapshotFolder:
    """Take a snapshot of the database (as the DuckDB engine does) and write it."""
    with from_database(as_of=as_of, known_by=known_by) as snapshot:
        return write(snapshot, folder)


def read(folder: Path) -> SnapshotFolder:
    """What a written snapshot holds, from its ``snapshot.json``."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise ConfigurationError(
            f"{folder} is not a snapshot folder: it has no {MANIFEST}. Write the snapshot "
            "into it first.")
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValueError(f"format {manifest.get('format')!r}, expected {FORMAT}")
        missing = [t for t in RULE_TABLES if not (folder / t).is_dir()]
        if missing:
            raise ValueError(f"the table folders {', '.join(missing)} are missing")
        return SnapshotFolder(
            folder, _date(manifest.get("as_of")), _date(manifest.get("known_by")),
            {str(k): int(v) for k, v in manifest.get("counts", {}).items()},
            tuple(str(t) for t in manifest["tables"]))
    except (ValueError, KeyError, TypeError) as error:
        raise ConfigurationError(
            f"{manifest_path} cannot be read as a snapshot ({error}). Write the snapshot "
            "again into an empty folder.") from error


def _date(text: object) -> dt.date | None:
    return dt.date.fromisoformat(str(text)) if text else None
