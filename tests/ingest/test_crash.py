"""A load killed part-way (SIGKILL) leaves the database exactly as it was."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import EVENT, PERSON, on_postgres, write_return

pytestmark = pytest.mark.postgres

DRIVER = """
import sys
from pathlib import Path
from joinedup import database
database.initialise()
from joinedup.agencies.registry import register_agency
from joinedup.ingest.loading import load_return
register_agency("HV", "Health Visiting", "HEALTH_VISITING", "E08000007")
def progress(done, total):
    print("progress", done, total, flush=True)
load_return(Path(sys.argv[1]), "HV", progress=progress)
print("finished", flush=True)
"""

COUNT = """
from joinedup import database
database.open_database()
from django.db import connection
tables = ["ingest_submission", "ingest_quarantinedrow", "ingest_rowwarning",
          "people_personrecord", "people_personrecordversion", "chronology_event"]
counts = []
with connection.cursor() as c:
    for table in tables:
        c.execute("SELECT COUNT(*) FROM " + table)
        counts.append(c.fetchone()[0])
print(*counts)
"""


@pytest.fixture
def own_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for subprocesses with a database of their own (SQLite or PostgreSQL)."""
    env = {**os.environ, "JOINEDUP_DATA_DIR": str(tmp_path / "var")}
    if not on_postgres():
        env.pop("JOINEDUP_DATABASE_URL", None)
        yield env
        return
    import psycopg

    url = os.environ["JOINEDUP_DATABASE_URL"]
    name = f"joinedup_crash_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    env["JOINEDUP_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    try:
        yield env
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _counts(env: dict[str, str]) -> str:
    return subprocess.run([sys.executable, "-c", COUNT], env=env, capture_output=True,
                          text=True, check=True).stdout.strip()


def _big_return(folder: Path, events: int) -> Path:
    folder.mkdir()
    write_return(folder, people=[{**PERSON, "person_id": f"Q{i}"} for i in range(200)])
    with (folder / "events.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(EVENT))
        writer.writeheader()
        for i in range(events):
            writer.writerow({**EVENT, "event_id": f"K{i}", "person_id": f"Q{i % 200}"})
    return folder


@pytest.mark.slow
def test_a_killed_load_leaves_nothing_behind(own_database: dict[str, str],
                                             tmp_path: Path) -> None:
    env = own_database
    first = write_return(tmp_path / "first", people=[PERSON], events=[EVENT])
    subprocess.run([sys.executable, "-c", DRIVER, str(first)], env=env, check=True,
                   capture_output=True)
    before = _counts(env)
    assert before.split()[5] == "1"

    big = _big_return(tmp_path / "big", 60_000)
    process = subprocess.Popen([sys.executable, "-c", DRIVER, str(big)], env=env,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()  # rows are being staged inside the transaction
    assert line.startswith("progress"), line
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()
    assert process.returncode == -signal.SIGKILL

    assert _counts(env) == before
    # and the same return can then be loaded in full
    done = subprocess.run([sys.executable, "-c", DRIVER, str(big)], env=env,
                          capture_output=True, text=True, check=True)
    assert "finished" in done.stdout
    assert _counts(env).split()[5] == str(1 + 60_000)


SET_ASIDE_DRIVER = DRIVER.replace("load_return(Path(sys.argv[1])", """import time
from joinedup.ingest import merge
set_aside = merge._set_aside_indexes
def announced(table, adding):
    creates = set_aside(table, adding)
    print("set aside", len(creates), flush=True)
    time.sleep(60)  # killed here, with the indexes dropped inside the open transaction
    return creates
merge._set_aside_indexes = announced
load_return(Path(sys.argv[1])""", 1)

INDEXES = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'chronology_event' "
                 "ORDER BY name").fetchall())
print(db.execute("PRAGMA integrity_check").fetchall())
"""


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_a_load_killed_while_its_indexes_are_set_aside_leaves_them_in_place(
        own_database: dict[str, str], tmp_path: Path) -> None:
    """Decision 0009: a large load drops the event table's ordinary indexes inside its
    transaction; killed then, the database still has them."""
    env = own_database
    first = write_return(tmp_path / "first", people=[PERSON], events=[EVENT])
    subprocess.run([sys.executable, "-c", DRIVER, str(first)], env=env, check=True,
                   capture_output=True)
    database = str(tmp_path / "var" / "joinedup.sqlite3")

    def indexes() -> str:
        return subprocess.run([sys.executable, "-c", INDEXES, database], capture_output=True,
                              text=True, check=True).stdout

    before_counts, before_indexes = _counts(env), indexes()
    assert "chronology__subject" in before_indexes and "[('ok',)]" in before_indexes

    big = _big_return(tmp_path / "big", 30_000)
    process = subprocess.Popen([sys.executable, "-c", SET_ASIDE_DRIVER, str(big)], env=env,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    while line.startswith("progress"):
        line = process.stdout.readline()
    assert line == "set aside 2\n", line
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()

    assert (_counts(env), indexes()) == (before_counts, before_indexes)
