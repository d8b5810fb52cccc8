"""Sites for the operations tests: a joinedup installation with its own database, driven
through the `joinedup` command as an operator drives it.

On SQLite a site is a data folder of its own. On PostgreSQL (the PostgreSQL pass of
scripts/test, JOINEDUP_DATABASE_URL=postgresql://...) it is a database of its own created on
that server and dropped afterwards, so backups and restores never touch the test database.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import REPO, on_postgres

DRIVER = str(Path(__file__).with_name("cli_driver.py"))


@dataclass
class Site:
    """One installation: its environment, and the `joinedup` command run in it."""

    folder: Path
    env: dict[str, str] = field(default_factory=dict)
    vendor: str = "sqlite"

    def run(self, *args: str, timeout: int = 600,
            env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, DRIVER, *args], env={**self.env,
                                                                   **(env_extra or {})},
                              cwd=REPO, capture_output=True, text=True, timeout=timeout)

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, f"joinedup {' '.join(args)}: {result.stderr}"
        return result.stdout

    def python(self, code: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
        """Run Python in the site's environment (Django configured for its database)."""
        prelude = "from joinedup import database; database.open_database()\n"
        return subprocess.run([sys.executable, "-c", prelude + code], env=self.env, cwd=REPO,
                              capture_output=True, text=True, timeout=timeout)


def _base_env(folder: Path) -> dict[str, str]:
    env = {**os.environ, "JOINEDUP_DATA_DIR": str(folder / "var"), "COLUMNS": "300",
           "PYTHONPATH": str(REPO)}
    for name in ("JOINEDUP_DATABASE_URL", "JOINEDUP_PG_BIN", "JOINEDUP_RETENTION_FILE"):
        env.pop(name, None)
    return env


def _server_url() -> str:
    return os.environ["JOINEDUP_DATABASE_URL"]


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_server_url(), autocommit=True) as conn:
        conn.execute(sql)


class Sites:
    """Makes sites of the backend under test, and removes them afterwards."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.vendor = "postgresql" if on_postgres() else "sqlite"
        self.databases: list[str] = []

    def new(self, name: str = "site") -> Site:
        folder = self.root / f"{name}-{uuid.uuid4().hex[:8]}"
        folder.mkdir(parents=True)
        env = _base_env(folder)
        if self.vendor == "postgresql":
            database = f"jd_ops_{uuid.uuid4().hex[:12]}"
            _admin(f'CREATE DATABASE "{database}"')
            self.databases.append(database)
            base = _server_url().rsplit("/", 1)[0]
            env["JOINEDUP_DATABASE_URL"] = f"{base}/{database}"
        return Site(folder, env, self.vendor)

    def copy(self, site: Site) -> Site:
        """A new site holding a copy of ``site``'s database (nothing else may be using it)."""
        made = self.new("copy")
        if self.vendor == "sqlite":
            shutil.copytree(site.folder / "var", made.folder / "var")
        else:
            source = site.env["JOINEDUP_DATABASE_URL"].rsplit("/", 1)[1]
            target = made.env["JOINEDUP_DATABASE_URL"].rsplit("/", 1)[1]
            _admin(f'DROP DATABASE "{target}"')
            _admin(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
        return made

    def remove(self) -> None:
        for database in self.databases:
            _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    made = Sites(tmp_path_factory.mktemp("sites"))
    try:
        yield made
    finally:
        made.remove()


@pytest.fixture(scope="module")
def source(sites: Sites) -> Site:
    """A small partnership's installation, populated once per module: copy it (sites.copy)
    before changing it."""
    site = sites.new("source")
    populate(site, site.folder / "returns")
    return site


def populate(site: Site, returns: Path) -> dict[str, Any]:
    """A small partnership: two agencies, a return each (with a bad row), users (so the audit
    trail has entries). Returns what an operator would list afterwards."""
    from tests.helpers import EVENT, PERSON, write_return

    site.ok("init")
    site.ok("agency", "add", "HV", "--name", "Health Visiting", "--kind", "HEALTH_VISITING",
            "--area", "E08000007")
    site.ok("agency", "add", "CSC", "--name", "Children's Social Care", "--kind",
            "CHILDRENS_SOCIAL_CARE", "--area", "E08000007")
    hv = write_return(returns / "hv", people=[PERSON, {**PERSON, "person_id": "P2",
                                                       "given_name": "Liam"}],
                      events=[EVENT, {**EVENT, "event_id": "E2", "event_type": "HV_VIST"}])
    csc = write_return(returns / "csc", people=[{**PERSON, "person_id": "C1"}],
                       events=[{**EVENT, "event_id": "C-E1", "person_id": "C1",
                                "event_type": "REFERRAL"}])
    site.ok("ingest", str(hv), "--agency", "HV")
    site.ok("ingest", str(csc), "--agency", "CSC")
    for user in ("ann.steward", "bob.lead"):
        site.ok("users", "add", user, "--agency", "CSC", "--role", "data_steward")
    return {"submissions": 2, "person_records": 3, "events": 2, "audit_entries": 2}
