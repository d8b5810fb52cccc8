"""The database is configured as promised: durable SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.helpers import on_postgres

pytestmark = pytest.mark.postgres


@pytest.mark.django_db
def test_the_backend_is_the_one_asked_for() -> None:
    # In CI the PostgreSQL run must really be on PostgreSQL, never silently on SQLite.
    if os.environ.get("JOINEDUP_REQUIRE_POSTGRES") == "1":
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor == ("postgresql" if on_postgres() else "sqlite")


@pytest.mark.sqlite_only
def test_sqlite_is_durable_and_checks_foreign_keys(tmp_path: Path) -> None:
    script = (
        "from joinedup import database; database.initialise();"
        "from django.db import connection;"
        "c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0],"
        " c.execute('PRAGMA synchronous').fetchone()[0],"
        " c.execute('PRAGMA foreign_keys').fetchone()[0])"
    )
    env = {**os.environ, "JOINEDUP_DATA_DIR": str(tmp_path)}
    env.pop("JOINEDUP_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["wal", "2", "1"]  # WAL, synchronous=FULL, foreign keys on
    assert (tmp_path / "joinedup.sqlite3").exists()


@pytest.mark.sqlite_only
def test_two_data_folders_are_two_databases(tmp_path: Path) -> None:
    def joinedup(folder: Path, *args: str) -> str:
        env = {**os.environ, "JOINEDUP_DATA_DIR": str(folder)}
        env.pop("JOINEDUP_DATABASE_URL", None)
        return subprocess.run([sys.executable, "-m", "joinedup", *args], env=env,
                              capture_output=True, text=True, check=True).stdout

    for folder in (tmp_path / "a", tmp_path / "b"):
        joinedup(folder, "init")
    joinedup(tmp_path / "a", "agency", "add", "GP", "--name", "GP", "--kind", "GP",
             "--area", "E08000007")
    assert '"GP"' in joinedup(tmp_path / "a", "agency", "list", "--format", "json")
    assert joinedup(tmp_path / "b", "agency", "list", "--format", "json").strip() == "[]"
