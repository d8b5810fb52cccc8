"""A backup's manifest: what the backup holds, so a restore can be checked against it.

The manifest is JSON written beside the backup (``<backup>.manifest.json``). Its facts are
read from the same snapshot the backup copies (the backup file itself on SQLite, the
exported snapshot pg_dump uses on PostgreSQL), so they describe exactly what was copied:

- ``counts``: rows of submissions, person records, persons, events, alerts, audit entries
  and a few more (:data:`COUNTED`); ``null`` for a table the database does not have yet;
- ``migrations``: how many are applied and the latest of each app;
- ``audit``: the audit trail's head (last entry number and hash);
- ``sha256`` and ``bytes`` of the backup file, the joinedup version and when it was taken.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from joinedup.errors import ConfigurationError

FORMAT = 1
SUFFIX = ".manifest.json"

COUNTED: dict[str, str] = {
    "agencies": "ingest_agency",
    "submissions": "ingest_submission",
    "person_records": "people_personrecord",
    "persons": "people_person",
    "relationships": "people_relationshiprecord",
    "events": "chronology_event",
    "alerts": "alerts_alert",
    "information_requests": "information_requests_informationrequest",
    "reviews": "reviews_review",
    "users": "auth_user",
    "audit_entries": "access_auditentry",
}
"""What a manifest counts, by the table that holds it (Django's table names)."""

LABELS = {name: name.replace("_", " ") for name in COUNTED}
"""How each count is named in messages (and, below, when there is one of it)."""
SINGULAR = {"agencies": "agency", "submissions": "submission", "person_records": "person record",
            "persons": "person", "relationships": "relationship", "events": "event",
            "alerts": "alert", "information_requests": "information request",
            "reviews": "review", "users": "user", "audit_entries": "audit entry"}


@dataclass
class Manifest:
    created_at: str
    joinedup_version: str
    database: str  # sqlite or postgresql
    source: str
    backup_file: str
    bytes: int
    sha256: str
    counts: dict[str, int | None]
    migrations: dict[str, Any]
    audit: dict[str, Any]
    format: int = FORMAT
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + SUFFIX)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def joinedup_version() -> str:
    from joinedup import __version__

    return __version__


def now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def write(manifest: Manifest, path: Path) -> None:
    """Write the manifest atomically (a half-written manifest would fail every restore)."""
    partial = path.with_name(path.name + ".partial")
    text = json.dumps(manifest.as_json(), indent=2, sort_keys=True, ensure_ascii=False)
    with partial.open("w", encoding="utf-8") as handle:
        handle.write(text + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def read(backup: Path) -> Manifest:
    """The manifest of a backup, or a ConfigurationError saying what is wrong with it."""
    path = manifest_path(backup)
    if not path.exists():
        raise ConfigurationError(
            f"There is no manifest beside the backup: {path} is missing. A restore is checked "
            "against it, so restore only backups joinedup made (the manifest is written "
            "beside the backup file).")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        known = {k: v for k, v in data.items() if k in Manifest.__dataclass_fields__}
        manifest = Manifest(**known)
    except (OSError, ValueError, TypeError) as exc:
        raise ConfigurationError(f"The manifest {path} cannot be read: {exc}.") from exc
    if manifest.format != FORMAT:
        raise ConfigurationError(
            f"The manifest {path} is format {manifest.format}; this joinedup reads format "
            f"{FORMAT}. Restore it with the joinedup version that made it "
            f"({manifest.joinedup_version}).")
    return manifest


# -- facts read from a database through any DB-API cursor ---------------------------------

def tables(cursor: Any, vendor: str) -> set[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return {row[0] for row in cursor.fetchall()}


def snapshot_facts(cursor: Any, vendor: str) -> dict[str, Any]:
    """Counts, migration state and audit head, read through ``cursor`` (sqlite3, psycopg or
    Django). Every query runs in the cursor's current transaction, so on PostgreSQL under
    REPEATABLE READ they all see one snapshot."""
    present = tables(cursor, vendor)
    counts: dict[str, int | None] = {}
    for name, table in COUNTED.items():
        if table in present:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - our table names (COUNTED)
            counts[name] = int(cursor.fetchone()[0])
        else:
            counts[name] = None
    migrations: dict[str, Any] = {"applied": 0, "latest": {}}
    if "django_migrations" in present:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        rows = cursor.fetchall()
        migrations["applied"] = len(rows)
        latest: dict[str, str] = {}
        for app, name in rows:
            latest[app] = max(latest.get(app, ""), name)
        migrations["latest"] = latest
    audit: dict[str, Any] = {"head_id": 0, "head_hash": ""}
    if "access_audithead" in present:
        cursor.execute("SELECT last_id, last_hash FROM access_audithead WHERE id = 1")
        row = cursor.fetchone()
        if row is not None:
            audit = {"head_id": int(row[0]), "head_hash": row[1]}
    return {"counts": counts, "migrations": migrations, "audit": audit}


def holds_data(facts: dict[str, Any]) -> bool:
    return any(n for n in facts["counts"].values())


def describe_counts(counts: dict[str, int | None]) -> str:
    shown = [f"{n:,} {SINGULAR[k] if n == 1 else LABELS[k]}" for k, n in counts.items() if n]
    return ", ".join(shown) if shown else "nothing"
