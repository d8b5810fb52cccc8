"""Where joinedup keeps its data, read from the environment.

``JOINEDUP_DATA_DIR``      folder for the embedded SQLite database and other files (default ./var)
``JOINEDUP_DATABASE_URL``  a ``postgresql://`` (or ``sqlite:///``) URL; overrides the data folder's
                           SQLite database
``JOINEDUP_BULK_LANE``     ``0`` to check every events.csv row in Python instead of letting DuckDB
                           pass plainly good rows (docs/decisions/0004); default on
``JOINEDUP_PARTNERSHIP_NAME`` the partnership's name, as printed on its 7-minute briefings
                           (default "Safeguarding Partnership")
``JOINEDUP_RULES_MEMORY``  how much memory the alert rules' snapshot may hold before it works
                           from disk, e.g. ``4GB`` (default 1GB; docs/scaling.md)
``JOINEDUP_RULES_THREADS`` how many threads the alert rules' snapshot works with (default 2)
``JOINEDUP_SPARK_MASTER``  the Spark cluster the rules and linkage run on when asked to run on
                           Spark, as Spark writes it (``spark://host:7077``, ``yarn``,
                           ``k8s://...``); default ``local[2]``, Spark on this machine
``JOINEDUP_SPARK_SCRATCH`` the folder where work handed to Spark is written, which every Spark
                           worker must read at the same path (default: the data folder's
                           ``scratch/``, which serves only Spark on this machine)

Every command reads these, so two databases can be used side by side by setting them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from joinedup.errors import ConfigurationError


def data_dir() -> Path:
    return Path(os.environ.get("JOINEDUP_DATA_DIR", "var")).resolve()


def bulk_lane_enabled() -> bool:
    return os.environ.get("JOINEDUP_BULK_LANE", "1").strip() not in ("0", "false", "no", "off")


def partnership_name() -> str:
    return os.environ.get("JOINEDUP_PARTNERSHIP_NAME", "").strip() or "Safeguarding Partnership"


RULES_MEMORY_DEFAULT = "1GB"
_MEMORY = re.compile(r"(\d{1,6})\s*(MB|GB)", re.IGNORECASE)


def rules_memory_limit() -> str:
    """How much memory the alert rules' snapshot (DuckDB) may hold before it spills to its
    folder on disk (``JOINEDUP_RULES_MEMORY``): a whole number of MB or GB, at least 256 MB."""
    written = os.environ.get("JOINEDUP_RULES_MEMORY", "").strip()
    if not written:
        return RULES_MEMORY_DEFAULT
    match = _MEMORY.fullmatch(written)
    size = int(match.group(1)) * (1024 if match.group(2).upper() == "GB" else 1) if match else 0
    if size < 256:
        raise ConfigurationError(
            f"JOINEDUP_RULES_MEMORY is {written[:30]!r}: give a whole number of MB or GB of "
            f"at least 256 MB, such as 4GB, or leave it unset for {RULES_MEMORY_DEFAULT}.")
    return f"{size}MB"


RULES_THREADS_DEFAULT = 2


def rules_threads() -> int:
    """How many threads the alert rules' snapshot (DuckDB) works with
    (``JOINEDUP_RULES_THREADS``): 1 to 256, about the server's cores."""
    written = os.environ.get("JOINEDUP_RULES_THREADS", "").strip()
    if not written:
        return RULES_THREADS_DEFAULT
    if not (written.isdigit() and 1 <= int(written) <= 256):
        raise ConfigurationError(
            f"JOINEDUP_RULES_THREADS is {written[:30]!r}: give a whole number from 1 to 256, "
            f"about the number of the server's cores, or leave it unset for "
            f"{RULES_THREADS_DEFAULT}.")
    return int(written)


SPARK_LOCAL = "local[2]"
_MASTERS = re.compile(r"local(\[(\d{1,4}|\*)\])?|spark://\S+|yarn|k8s://\S+")


def spark_master() -> str:
    """Where Spark work runs (``JOINEDUP_SPARK_MASTER``): ``local[2]``, two cores of this
    machine, unless a cluster is named the way Spark names it."""
    written = os.environ.get("JOINEDUP_SPARK_MASTER", "").strip()
    if not written:
        return SPARK_LOCAL
    if not _MASTERS.fullmatch(written):
        raise ConfigurationError(
            f"JOINEDUP_SPARK_MASTER is {written[:100]!r}: name the cluster as Spark does, "
            "such as spark://host:7077, yarn or k8s://https://host:443, or leave it unset "
            "to run Spark on this machine. (Spark Connect addresses, sc://, are not used.)")
    return written


def spark_scratch_dir() -> Path | None:
    """Where joinedup writes what it hands to Spark (a snapshot, linkage's records), or None
    for the data folder's scratch folder (``JOINEDUP_SPARK_SCRATCH``; ``joinedup.scratch``).
    On a cluster it must be a folder the driver and every worker read at the same path."""
    written = os.environ.get("JOINEDUP_SPARK_SCRATCH", "").strip()
    if not written:
        return None
    folder = Path(written)
    if not folder.is_dir():
        raise ConfigurationError(
            f"JOINEDUP_SPARK_SCRATCH is {written[:200]!r}, and there is no folder there. Give "
            "a folder that this program and every Spark worker read at the same path (on "
            "Databricks, a volume under /Volumes), or leave it unset when Spark runs on "
            "this machine.")
    return folder


REFERRAL_ROUTE_UNSET = ("your local authority's children's social care front door: ask your "
                        "safeguarding lead for its number")


def referral_route() -> str:
    """How to make a referral to children's social care here, in a sentence: the page after
    a break-glass shows it (``JOINEDUP_REFERRAL_ROUTE``)."""
    return os.environ.get("JOINEDUP_REFERRAL_ROUTE", "").strip()[:300] or REFERRAL_ROUTE_UNSET


def database_config() -> dict[str, Any]:
    """The Django DATABASES['default'] entry for this environment."""
    url = os.environ.get("JOINEDUP_DATABASE_URL", "").strip()
    if url:
        return _from_url(url)
    return sqlite_config(data_dir() / "joinedup.sqlite3")


def sqlite_config(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # WAL lets readers carry on while one writer loads; FULL makes a commit durable
            # before it is acknowledged. Django switches foreign keys on for SQLite itself.
            # A 64 MB page cache keeps index pages of a large load in memory (bounded).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
            "PRAGMA cache_size=-65536;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
    }


def _from_url(url: str) -> dict[str, Any]:
    import dj_database_url

    if not url.startswith(("postgres://", "postgresql://", "sqlite:")):
        raise ConfigurationError(
            f"JOINEDUP_DATABASE_URL must start with postgresql:// or sqlite:/// (got {url[:30]!r})."
        )
    if url.startswith("sqlite:"):
        config = dj_database_url.parse(url)
        return sqlite_config(Path(config["NAME"]))
    try:
        return dict(dj_database_url.parse(url, conn_max_age=0))
    except ValueError as exc:
        raise ConfigurationError(f"JOINEDUP_DATABASE_URL cannot be read: {exc}") from exc
