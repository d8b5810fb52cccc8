"""`joinedup backup`: a consistent copy of the database, taken while it is in use.

SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies every page in one
step under a single read transaction. In WAL mode readers never block writers, so the web
application and loads carry on while the copy is made, and the copy is the database exactly
as it was when the step began: no half-loaded return, no audit entry without its head. The
copy is switched out of WAL mode (one self-contained file) and checked with
``PRAGMA quick_check`` before it is given its final name.

PostgreSQL: ``pg_dump --format=custom`` of the server's version (``postgres.py``), run on a
snapshot exported from a REPEATABLE READ transaction, in which the manifest's counts are
read too: the dump and its manifest describe the same instant.

Either way the file is written under a temporary name and renamed when complete, and the
manifest (``manifest.py``) is written beside it.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from joinedup.config import data_dir
from joinedup.database import configure, describe
from joinedup.errors import ConfigurationError
from joinedup.operations import manifest as manifests
from joinedup.operations import postgres
from joinedup.operations.manifest import Manifest

Say = Callable[[str], None]


def stamp(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")


def _vendor() -> str:
    configure()
    from django.db import connection

    return str(connection.vendor)


def extension(vendor: str) -> str:
    return ".sqlite3" if vendor == "sqlite" else ".dump"


def target_path(path: Path, vendor: str) -> Path:
    """The backup file for PATH: PATH itself, or a new dated file inside it if a folder."""
    if path.is_dir():
        return path / f"joinedup-{stamp()}{extension(vendor)}"
    if path.exists():
        raise ConfigurationError(f"{path} already exists: give a new file name, or a folder "
                                 "to put a dated backup in. A backup never overwrites a file.")
    if manifests.manifest_path(path).exists():
        raise ConfigurationError(f"{manifests.manifest_path(path)} already exists: give "
                                 "another name for the backup.")
    return path


def take_backup(path: Path) -> tuple[Path, Manifest]:
    """Back up the configured database to ``path`` (a file, or a folder for a dated file);
    returns the backup file and its manifest."""
    vendor = _vendor()
    target = target_path(path.expanduser().resolve(), vendor)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if vendor == "sqlite":
            facts, source = _sqlite_copy(partial)
        else:
            facts, source = _postgres_dump(partial)
        _fsync(partial)
        os.replace(partial, target)
        _fsync(target.parent)
    finally:
        partial.unlink(missing_ok=True)
    made = Manifest(
        created_at=manifests.now_text(), joinedup_version=manifests.joinedup_version(),
        database=vendor, source=source, backup_file=target.name,
        bytes=target.stat().st_size, sha256=manifests.sha256_of(target), **facts)
    manifests.write(made, manifests.manifest_path(target))
    return target, made


def _sqlite_copy(partial: Path) -> tuple[dict[str, Any], str]:
    from django.db import connection

    database = Path(connection.settings_dict["NAME"])
    if not database.exists():
        raise ConfigurationError(f"There is no database at {database}: nothing to back up. "
                                 "Set JOINEDUP_DATA_DIR to the data folder.")
    source = sqlite3.connect(database, timeout=30)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)  # one step: one read transaction, one consistent snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise ConfigurationError(f"The copy of {database} failed SQLite's check "
                                         f"({check}); the database itself may be damaged.")
            facts = manifests.snapshot_facts(copy.cursor(), "sqlite")
        finally:
            copy.close()
    except sqlite3.Error as exc:
        raise ConfigurationError(f"Cannot back up {database}: {exc}.") from exc
    finally:
        source.close()
    return facts, describe()


def _postgres_dump(partial: Path) -> tuple[dict[str, Any], str]:
    import psycopg

    pg_dump = postgres.find_tool("pg_dump", postgres.server_major())
    conn = postgres.connect()
    try:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            row = cursor.fetchone()
            assert row is not None  # noqa: S101 - narrows the type: pg_export_snapshot() returns one row
            snapshot = row[0]
            facts = manifests.snapshot_facts(cursor, "postgresql")
            # pg_dump reads the same snapshot while this transaction stays open
            postgres.run_tool([pg_dump, "--format=custom", f"--snapshot={snapshot}",
                               f"--file={partial}", "--no-password"], "pg_dump")
        conn.rollback()
    except psycopg.Error as exc:
        raise ConfigurationError(f"Cannot back up the PostgreSQL database: {exc}") from exc
    finally:
        conn.close()
    return facts, describe()


def _fsync(path: Path) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    handle = os.open(path, flags)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def before_migrate(say: Say) -> Path | None:
    """Called by ``database.initialise`` before it applies migrations to a database already
    in use: back it up to ``<data folder>/backups/before-migrate-<time>``. On PostgreSQL
    without pg_dump of the server's version, say how to take one instead and carry on."""
    from django.db import connection

    vendor = _vendor()
    if vendor == "sqlite":
        folder = Path(connection.settings_dict["NAME"]).parent / "backups"
    else:
        folder = data_dir() / "backups"
        try:
            postgres.find_tool("pg_dump", postgres.server_major())
        except ConfigurationError as exc:
            say(f"No backup was taken before migrating: {exc} Take one yourself before "
                "upgrading (a backup with joinedup once pg_dump is installed, or your "
                "PostgreSQL service's own snapshot).")
            return None
    path = folder / f"before-migrate-{stamp()}{extension(vendor)}"
    target, made = take_backup(path)
    say(f"Backed up the database to {target} before migrating "
        f"({manifests.describe_counts(made.counts)}).")
    return target
