"""Helpers shared by tests: paths, synthetic returns written to folders, a free port, and
Spark (or the reason it cannot run)."""

from __future__ import annotations

import csv
import importlib.util
import os
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

HEADERS = {
    "people": ["person_id", "given_name", "family_name", "other_names", "date_of_birth", "sex",
               "nhs_number", "postcode", "address", "flags"],
    "events": ["event_id", "person_id", "event_type", "occurred_at", "recorded_at", "summary",
               "related_person_id", "details"],
    "relationships": ["person_id", "related_person_id", "relationship", "valid_from",
                      "valid_to", "details"],
}


def write_return(folder: Path, **tables: list[dict[str, Any]]) -> Path:
    """Write a canonical CSV return; each table is a list of row dicts."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        header = list(HEADERS[table])
        for row in rows:
            header += [k for k in row if k not in header]
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
    return folder


UNNAMED_TWINS = ("MIDWIFERY:MW-T1", "MIDWIFERY:MW-T2")


def load_unnamed_twins(folder: Path) -> tuple[str, str]:
    """Two newborns of one home, each "Baby" with her own NHS number and no other record
    (one family name mistyped), loaded and linked: nothing but the numbers tells them apart,
    so the pair waits for a steward flagged "possible twins". Twins that another record of
    their number names are told apart by name (linkage/shared_number.py)."""
    from joinedup.ingest.loading import load_return
    from joinedup.people import linking

    home = {"family_name": "Stewart", "date_of_birth": "2025-11-02", "sex": "F",
            "postcode": "SK2 6PL", "address": "31 Wellington Road, Stockport"}
    load_return(write_return(folder / "midwifery-twins", people=[
        {**home, "person_id": "MW-T1", "given_name": "Baby", "nhs_number": "9434765919"},
        {**home, "person_id": "MW-T2", "given_name": "Baby", "family_name": "Stewrat",
         "nhs_number": "9434765870"}]), "MIDWIFERY")
    linking.link(who="test")
    return UNNAMED_TWINS


def child_seen_by_hv(folder: Path, person: int, family_name: str, visits: list[tuple[str, str]],
                     born: str = "2024-06-01") -> list[int]:
    """A child known to health visiting (registered here), linked as person ``person``, with
    one HV_VISIT event per (occurred, recorded) pair of ``visits``: the events' ids in order.
    For tests that need alerts with real evidence on one child."""
    from joinedup.agencies.registry import register_agency
    from joinedup.chronology.models import Event
    from joinedup.ingest.loading import load_return
    from joinedup.people.models import Person, PersonRecord

    register_agency("HV", "Health Visiting", "HEALTH_VISITING", "E08000007")
    people = [{"person_id": "P1", "given_name": "Testa", "family_name": family_name,
               "date_of_birth": born, "sex": "F"}]
    rows = [{"event_id": f"E{i}", "person_id": "P1", "event_type": "HV_VISIT",
             "occurred_at": occurred, "recorded_at": recorded}
            for i, (occurred, recorded) in enumerate(visits)]
    assert load_return(write_return(folder, people=people, events=rows),
                       "HV").rows_quarantined == 0
    Person.objects.create(id=person)
    PersonRecord.objects.filter(source_id="P1").update(person_id=person)
    return list(Event.objects.order_by("source_id").values_list("id", flat=True))


def on_postgres() -> bool:
    return os.environ.get("JOINEDUP_DATABASE_URL", "").startswith("postgres")


PERSON = {"person_id": "P1", "given_name": "Jade", "family_name": "Walker",
          "date_of_birth": "2003-03-14", "sex": "F", "nhs_number": "9434765919",
          "postcode": "SK1 3XE"}
EVENT = {"event_id": "E1", "person_id": "P1", "event_type": "HV_VISIT",
         "occurred_at": "2025-01-10", "recorded_at": "2025-01-12", "summary": "Visit at home"}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing is listening on just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def require_spark() -> None:
    """Skip the test when pyspark or Java is missing here; in CI, fail it instead."""
    reason = _missing_spark()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Spark tests: {reason}")
        pytest.skip(reason)


def _missing_spark() -> str:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'joinedup[spark]')"
    java = shutil.which("java")
    if java is None:
        return "java is not on the PATH (Spark needs Java 17)"
    version = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    if version.returncode != 0:
        return f"java -version failed: {version.stderr.strip()}"
    return ""
