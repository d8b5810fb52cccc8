"""Helpers shared by tests: paths, and synthetic returns written to folders."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

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



def on_postgres() -> bool:
    return os.environ.get("JOINEDUP_DATABASE_URL", "").startswith("postgres")


PERSON = {"person_id": "P1", "given_name": "Jade", "family_name": "Walker",
          "date_of_birth": "2003-03-14", "sex": "F", "nhs_number": "9434765919",
          "postcode": "SK1 3XE"}
EVENT = {"event_id": "E1", "person_id": "P1", "event_type": "HV_VISIT",
         "occurred_at": "2025-01-10", "recorded_at": "2025-01-12", "summary": "Visit at home"}
