"""`joinedup restore`: put a backup in place, then prove it is the database that was backed up.

Before anything is touched the backup file must match its manifest's SHA-256 (a damaged or
swapped file is refused) and be of the configured database's kind. A database that already
holds data is only replaced with ``force``, and then a copy of it is saved first to
``<data folder>/backups/before-restore-<time>``.

SQLite: the backup API the other way, from the backup file into the database (one step,
under the database's write lock; a running server sees the restored content afterwards).
PostgreSQL: ``pg_restore --clean --if-exists --single-transaction``, so a failed restore
leaves the database as it was.

Afterwards :func:`verify` checks the restored database against the manifest: the same
counts, the same migrations, an unbroken audit chain (``joinedup.access.audit.verify``) whose
last hash is the manifest's.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from joinedup.access import audit
from joinedup.config import data_dir
from joinedup.database import configure, describe
from joinedup.errors import ActionError, ConfigurationError, NextStep
from joinedup.operations import backup, postgres
from joinedup.operations import manifest as manifests
from joinedup.operations.backup import Say
from joinedup.operations.manifest import Manifest


@dataclass(frozen=True)
class Check:
    what: str
    expected: str
    found: str

    @property
    def ok(self) -> bool:
        return self.expected == self.found


@dataclass
class Verification:
    manifest: Manifest
    checks: list[Check] = field(default_factory=list)
    audit_problems: list[str] = field(default_factory=list)
    audit_entries: int | None = None

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks) and not self.audit_problems

    def differences(self) -> list[str]:
        found = [f"{c.what}: {c.expected} in the manifest, {c.found} in the database"
                 for c in self.checks if not c.ok]
        return found + [f"audit trail: {p}" for p in self.audit_problems]


def _shown(value: Any) -> str:
    if value is None:
        return "no such table"
    return f"{value:,}" if isinstance(value, int) else str(value)


def current_facts() -> dict[str, Any] | None:
    """What the configured database holds now (None: there is no SQLite file yet)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        database = Path(connection.settings_dict["NAME"])
        if not database.exists():
            return None
        conn = sqlite3.connect(database, timeout=30)
        try:
            return manifests.snapshot_facts(conn.cursor(), "sqlite")
        finally:
            conn.close()
    with connection.cursor() as cursor:
        return manifests.snapshot_facts(cursor, connection.vendor)


def restore(path: Path, *, force: bool, say: Say) -> Verification:
    """Restore the backup at ``path`` into the configured database and verify it."""
    path = path.expanduser().resolve()
    if not path.is_file():
        raise ConfigurationError(f"There is no backup file at {path}.")
    made = manifests.read(path)
    if manifests.sha256_of(path) != made.sha256:
        raise ConfigurationError(
            f"{path} does not match its manifest (its SHA-256 differs): the file is damaged "
            "or is not the backup the manifest describes. Nothing was restored.")

    configure()
    from django.db import connection, connections

    if made.database != connection.vendor:
        raise ConfigurationError(
            f"{path} is a {made.database} backup but the configured database is "
            f"{connection.vendor}: restore it into a {made.database} database "
            "(set JOINEDUP_DATA_DIR or JOINEDUP_DATABASE_URL).")
    now = current_facts()
    if now is not None and manifests.holds_data(now):
        if not force:
            raise ActionError(
                f"The {describe()} already holds data ({manifests.describe_counts(now['counts'])}"
                "). Restoring replaces all of it: confirm that this is meant (a copy of the "
                "database as it is now is saved first).",
                next_step=NextStep.CONFIRM_RESTORE)
        saved, _ = backup.take_backup(_safety_path(connection.vendor))
        say(f"Saved a copy of the database as it was to {saved}.")
    connections.close_all()
    if connection.vendor == "sqlite":
        _restore_sqlite(path, Path(connection.settings_dict["NAME"]))
    else:
        _restore_postgres(path)
    connections.close_all()
    say(f"Restored the {describe()} from {path} (backup taken {made.created_at}).")
    return verify(made)


def _safety_path(vendor: str) -> Path:
    from django.db import connection

    folder = (Path(connection.settings_dict["NAME"]).parent if vendor == "sqlite"
              else data_dir()) / "backups"
    return folder / f"before-restore-{backup.stamp()}{backup.extension(vendor)}"


def _restore_sqlite(path: Path, database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(database, timeout=30)
            try:
                source.backup(target)  # one step, under the target's write lock
                target.execute("PRAGMA journal_mode=WAL")
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise ConfigurationError(f"Cannot restore {path} into {database}: {exc}.") from exc


def _restore_postgres(path: Path) -> None:
    tool = postgres.find_tool("pg_restore", postgres.server_major())
    name = postgres.settings()["NAME"]
    postgres.run_tool([tool, "--clean", "--if-exists", "--single-transaction",
                       "--no-owner", "--exit-on-error", "--no-password", f"--dbname={name}",
                       str(path)], "pg_restore")


def verify(made: Manifest) -> Verification:
    """Check the configured database against a backup's manifest."""
    from django.db import connection

    result = Verification(made)
    with connection.cursor() as cursor:
        facts = manifests.snapshot_facts(cursor, connection.vendor)
    for name in manifests.COUNTED:
        result.checks.append(Check(manifests.LABELS[name], _shown(made.counts.get(name)),
                                   _shown(facts["counts"].get(name))))
    result.checks.append(Check("migrations applied", _shown(made.migrations.get("applied")),
                               _shown(facts["migrations"]["applied"])))
    expected_latest = made.migrations.get("latest", {})
    for app in sorted(set(expected_latest) | set(facts["migrations"]["latest"])):
        result.checks.append(Check(f"latest migration of {app}",
                                   expected_latest.get(app, "none"),
                                   facts["migrations"]["latest"].get(app, "none")))
    result.checks.append(Check("audit trail's last hash", made.audit.get("head_hash") or "none",
                               facts["audit"]["head_hash"] or "none"))
    if facts["counts"].get("audit_entries") is not None:

        result.audit_problems = [p.message for p in audit.verify()]
        result.audit_entries = facts["counts"]["audit_entries"]
    return result
