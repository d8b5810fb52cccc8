"""pg_dump and pg_restore of the server's own major version, and how to connect them.

The tools are looked for in ``JOINEDUP_PG_BIN`` when set (a folder, e.g.
``/usr/lib/postgresql/16/bin``), else in Debian's ``/usr/lib/postgresql/<major>/bin`` for the
server's major version, else on the PATH. A tool of another major version is refused with a
message saying which was found and which is needed: a dump made by another version may not
restore, and pg_dump refuses servers newer than itself anyway.

The password travels in the environment (``PGPASSWORD``), never on the command line where
``ps`` would show it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from joinedup.errors import ConfigurationError

_SSL_OPTIONS = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT"}


def settings() -> dict[str, Any]:
    from django.db import connection

    return dict(connection.settings_dict)


def tool_environment(config: dict[str, Any] | None = None) -> dict[str, str]:
    """The environment for pg_dump/pg_restore to reach the configured database."""
    config = config or settings()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    pairs = {"PGHOST": config.get("HOST"), "PGPORT": config.get("PORT"),
             "PGUSER": config.get("USER"), "PGPASSWORD": config.get("PASSWORD"),
             "PGDATABASE": config.get("NAME")}
    for option, variable in _SSL_OPTIONS.items():
        pairs[variable] = (config.get("OPTIONS") or {}).get(option)
    env.update({k: str(v) for k, v in pairs.items() if v not in (None, "")})
    return env


def connect(config: dict[str, Any] | None = None) -> Any:
    """A psycopg connection of our own (outside Django's), for the snapshot a backup uses."""
    import psycopg

    config = config or settings()
    options = {k: v for k, v in (config.get("OPTIONS") or {}).items() if k in _SSL_OPTIONS}
    return psycopg.connect(dbname=config["NAME"], user=config.get("USER") or None,
                           password=config.get("PASSWORD") or None,
                           host=config.get("HOST") or None,
                           port=config.get("PORT") or None, **options)


def server_major() -> int:
    from django.db import connection

    connection.ensure_connection()
    return int(connection.pg_version) // 10000  # type: ignore[attr-defined]


def _major_of(path: str) -> int | None:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30,  # noqa: S603 - a pg tool the operator installed or named, no shell
                             check=False).stdout
    except OSError:
        return None
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    return int(found.group(1)) if found else None


def find_tool(name: str, major: int) -> str:
    """The path of ``name`` (pg_dump or pg_restore) for server major version ``major``."""
    folder = os.environ.get("JOINEDUP_PG_BIN", "").strip()
    candidates: list[str] = []
    if folder:
        candidates.append(str(Path(folder) / name))
    else:
        debian = Path(f"/usr/lib/postgresql/{major}/bin") / name
        if debian.exists():
            candidates.append(str(debian))
        on_path = shutil.which(name)
        if on_path:
            candidates.append(on_path)
    seen: list[str] = []
    for candidate in candidates:
        found = _major_of(candidate)
        if found == major:
            return candidate
        if found is not None:
            seen.append(f"{candidate} is version {found}")
    where = f"in JOINEDUP_PG_BIN ({folder})" if folder else "on this machine"
    if seen:
        raise ConfigurationError(
            f"{name} of PostgreSQL {major} (the server's version) is needed, but "
            f"{'; '.join(seen)}. Install the client tools of version {major} (Debian and "
            f"Ubuntu: apt-get install postgresql-client-{major}) or set JOINEDUP_PG_BIN to the "
            f"folder holding them, e.g. /usr/lib/postgresql/{major}/bin.")
    raise ConfigurationError(
        f"{name} is not installed {where}: joinedup uses it for PostgreSQL backups. Install "
        f"the PostgreSQL {major} client tools (Debian and Ubuntu: apt-get install "
        f"postgresql-client-{major}) or set JOINEDUP_PG_BIN to the folder holding pg_dump "
        "and pg_restore.")


def run_tool(args: list[str], what: str) -> None:
    """Run pg_dump or pg_restore; its own message as a ConfigurationError when it fails."""
    result = subprocess.run(args, env=tool_environment(), capture_output=True, text=True,  # noqa: S603 - find_tool's pg_dump/pg_restore and our options, no shell
                            check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        shown = "; ".join(detail[-5:]) if detail else f"exit code {result.returncode}"
        raise ConfigurationError(f"{what} failed: {shown}")
