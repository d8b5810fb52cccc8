"""Chronology benchmark: how long one child's chronology of 2,000 events takes to assemble.

    flock /tmp/joinedup-bench.lock .venv/bin/python benchmarks/chronology.py [--events 2000]

Into a fresh SQLite database in a temporary data folder it loads a background population
(150 generated families, so linkage has enough records to train on) and one made-up family
(child, mother, father) held by four agencies with ``--events`` events between them, plus a
second return correcting 100 of them (so version choice has work to do); a third of the
events carry structured details and each says who recorded it, as the scenario's do. It
links everything, then assembles the child's chronology ``--repeat`` times (after one
warm-up) and reports the median and best time, the SQL statements per assembly, the peak
Python memory of one assembly (tracemalloc) and the process's peak resident memory. Prints
a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

AGENCIES = ("HV", "GP", "POLICE", "CSC")
FAMILY = {  # role: (person_id suffix, given, family, date of birth, sex, NHS number)
    "child": ("C", "Marigold", "Quennell", "2021-03-04", "F", "9434765919"),
    "mother": ("M", "Rosalind", "Quennell", "1998-07-21", "F", "6541003238"),
    "father": ("F", "Barnaby", "Oakenfold", "1994-11-02", "M", ""),
}
TYPES = {"HV": ("HV_VISIT", "APPOINTMENT_MISSED", "APPOINTMENT_ATTENDED"),
         "GP": ("GP_CONSULTATION", "MEDICATION_PRESCRIBED", "APPOINTMENT_MISSED"),
         "POLICE": ("DA_INCIDENT", "ARREST", "DISCLOSURE_MADE"),
         "CSC": ("HOME_VISIT", "NO_ACCESS_VISIT", "INFO_SHARED")}


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)


def write_family(root: Path, events: int, seed: int = 11) -> dict[str, list[list[Any]]]:
    """One return per agency for the benchmark family; returns the event rows by agency."""
    rng = random.Random(seed)
    by_agency: dict[str, list[list[Any]]] = {code: [] for code in AGENCIES}
    start = dt.datetime(2021, 3, 4, 9, 0)
    for n in range(events):
        agency = AGENCIES[n % len(AGENCIES)]
        who = rng.choices(["C", "M", "F"], weights=[5, 3, 2])[0]
        occurred = start + dt.timedelta(minutes=rng.randint(0, 4 * 365 * 1440))
        recorded = occurred + dt.timedelta(days=rng.choice([0, 0, 0, 1, 2, 3, 15]))
        by_agency[agency].append([
            f"BENCH-{agency}-E{n}", f"BENCH-{agency}-{who}", rng.choice(TYPES[agency]),
            occurred.isoformat(timespec="minutes"), recorded.date().isoformat(),
            f"Benchmark event {n}", f"BENCH-{agency}-C" if who != "C" else "",
            f'{{"note": "detail {n}"}}' if n % 3 == 0 else "", "practitioner"])
    for agency, rows in by_agency.items():
        folder = root / agency
        write_csv(folder / "people.csv",
                  ["person_id", "given_name", "family_name", "date_of_birth", "sex",
                   "nhs_number", "postcode"],
                  [[f"BENCH-{agency}-{p[0]}", p[1], p[2], p[3], p[4], p[5], "SK4 2QP"]
                   for p in FAMILY.values()])
        write_csv(folder / "relationships.csv",
                  ["person_id", "related_person_id", "relationship"],
                  [[f"BENCH-{agency}-M", f"BENCH-{agency}-C", "MOTHER_OF"],
                   [f"BENCH-{agency}-F", f"BENCH-{agency}-C", "FATHER_OF"]])
        write_csv(folder / "events.csv", EVENT_HEADER, rows)
    return by_agency


EVENT_HEADER = ["event_id", "person_id", "event_type", "occurred_at", "recorded_at", "summary",
                "related_person_id", "details", "worker_role"]
"""As the demo scenario's returns: structured details on some events, and who recorded each
event in an extra column (kept by the importer)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--families", type=int, default=150,
                        help="background families, for linkage to train on")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        os.environ["JOINEDUP_DATA_DIR"] = str(Path(work) / "var")
        os.environ.pop("JOINEDUP_DATABASE_URL", None)
        run(Path(work), args.events, args.repeat, args.families)


def run(work: Path, events: int, repeat: int, families: int) -> None:
    from joinedup import database

    database.initialise()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from joinedup.chronology.assembly import assemble
    from joinedup.demo.loader import DEMO_SEED, load_folder_per_agency, register_demo_agencies
    from joinedup.demo.population import generate_population
    from joinedup.ingest.loading import load_return
    from joinedup.people.directory import resolve_person
    from joinedup.people.linking import link

    register_demo_agencies()
    generate_population(work / "background", families, DEMO_SEED)
    load_folder_per_agency(work / "background", lambda result: None)
    by_agency = write_family(work / "family", events)
    for agency in AGENCIES:
        load_return(work / "family" / agency, agency)
    corrected = [[*row[:5], row[5] + " (corrected)", *row[6:]] for row in by_agency["HV"][:100]]
    write_csv(work / "correction" / "events.csv", EVENT_HEADER, corrected)
    load_return(work / "correction", "HV")
    link()
    child = resolve_person("HV:BENCH-HV-C")

    first = assemble(child)
    assert len(first.entries) >= events, (len(first.entries), events)
    with CaptureQueriesContext(connection) as queries:
        assemble(child)
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        assemble(child)
        seconds.append(time.perf_counter() - start)
    known = dt.date(2023, 1, 1)
    start = time.perf_counter()
    assemble(child, known_by=known, as_of=known)
    known_by_ms = (time.perf_counter() - start) * 1000
    tracemalloc.start()
    assemble(child)
    peak_python = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    median, best = statistics.median(seconds) * 1000, min(seconds) * 1000
    print(f"Machine: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}, "
          f"Python {platform.python_version()}; {dt.date.today().isoformat()}\n")
    print("| entries | versions stored | assemblies | median ms | best ms | SQL statements | "
          "one known-by/as-of assembly ms | peak Python memory of one assembly (MB) | "
          "process peak RSS (MB) |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| {len(first.entries):,} | {events + len(corrected):,} | {repeat} | {median:.1f} | "
          f"{best:.1f} | {len(queries)} | {known_by_ms:.1f} | {peak_python:.1f} | {rss:.0f} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
