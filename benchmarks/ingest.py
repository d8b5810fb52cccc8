"""Ingest benchmark: events per second and peak memory loading generated events.

    .venv/bin/python benchmarks/ingest.py [--sizes 100000 1000000] [--postgres URL]

Each size is loaded in a fresh process into a fresh database (SQLite in a temporary data
folder; PostgreSQL in a new database on the server named by --postgres), so the peak
resident memory reported is that load's own. Results go to stdout as a Markdown table for
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

EVENT_TYPES = ["HV_VISIT", "GP_CONSULTATION", "APPOINTMENT_ATTENDED", "APPOINTMENT_MISSED",
               "ED_ATTENDANCE", "HOME_VISIT", "REFERRAL", "DA_INCIDENT"]

LOAD = """
import json, resource, sys, time
from pathlib import Path
from joinedup import database
database.initialise()
from joinedup.agencies.registry import register_agency
from joinedup.ingest.loading import load_return
register_agency("HV", "Health Visiting", "HEALTH_VISITING", "E08000007")
start = time.perf_counter()
result = load_return(Path(sys.argv[1]), "HV")
seconds = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024,
                  "events": result.tables["events"].new, "people": result.tables["people"].new,
                  "quarantined": result.rows_quarantined}))
"""


def write_return(folder: Path, events: int, seed: int = 7) -> None:
    """A realistic-shaped return: 1 person per 20 events, mixed types, some details."""
    rng = random.Random(seed)
    people = max(1, events // 20)
    folder.mkdir(parents=True)
    with (folder / "people.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["person_id", "given_name", "family_name", "date_of_birth", "sex",
                      "postcode"])
        for i in range(people):
            out.writerow([f"P{i}", rng.choice(["Amy", "Ben", "Chloe", "Dev"]),
                          rng.choice(["Smith", "Khan", "Jones"]),
                          f"{rng.randint(1970, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                          rng.choice("MF"), f"SK{rng.randint(1, 8)} {rng.randint(1, 9)}AB"])
    start = dt.datetime(2020, 1, 1)
    with (folder / "events.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["event_id", "person_id", "event_type", "occurred_at", "recorded_at",
                      "summary", "related_person_id", "details"])
        for i in range(events):
            occurred = start + dt.timedelta(minutes=rng.randint(0, 3_000_000))
            recorded = occurred + dt.timedelta(hours=rng.choice([0, 2, 24, 48, 400]))
            kind = rng.choice(EVENT_TYPES)
            details = ""
            if kind == "DA_INCIDENT":
                details = json.dumps({"dash_score": rng.randint(0, 24)})
            out.writerow([f"E{i}", f"P{rng.randrange(people)}", kind,
                          occurred.isoformat(timespec="seconds"),
                          recorded.isoformat(timespec="seconds"), "Seen at home", "", details])


def run_one(folder: Path, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", LOAD, str(folder)], env=env,
                         capture_output=True, text=True, check=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def postgres_env(url: str) -> tuple[dict[str, str], str]:
    import psycopg

    name = f"joinedup_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return {**os.environ, "JOINEDUP_DATABASE_URL": url.rsplit("/", 1)[0] + "/" + name}, name


def drop_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--postgres", help="postgresql:// URL of a server to test as well")
    parser.add_argument("--python-lane", action="store_true",
                        help="also load each size with JOINEDUP_BULK_LANE=0, as a baseline "
                             "in the same run")
    parser.add_argument("--repeat", type=int, default=3,
                        help="loads per size and database (the machine is shared: the median "
                             "and the best are reported)")
    args = parser.parse_args()
    print(f"Machine: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}, "
          f"Python {platform.python_version()}; {dt.date.today().isoformat()}\n")
    print("| database | events | loads | median s | median events/s | best events/s | "
          "peak memory (MB) |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for size in args.sizes:
            folder = Path(work) / f"return-{size}"
            write_return(folder, size)
            targets = ["SQLite"] + (["PostgreSQL"] if args.postgres else [])
            targets += ["SQLite, Python lane"] if args.python_lane else []
            for target in targets:
                runs = [load_once(target, folder, size, Path(work), args.postgres, n)
                        for n in range(args.repeat)]
                seconds = sorted(r["seconds"] for r in runs)
                median = statistics.median(seconds)
                peak = max(r["peak_mb"] for r in runs)
                print(f"| {target} | {size:,} | {len(runs)} | {median:.1f} | "
                      f"{size / median:,.0f} | {size / seconds[0]:,.0f} | {peak:.0f} |",
                      flush=True)


def load_once(target: str, folder: Path, size: int, work: Path, url: str | None,
              n: int) -> dict[str, float]:
    """One load into a fresh database, in a fresh process."""
    name = ""
    if target.startswith("SQLite"):
        env = {**os.environ, "JOINEDUP_DATA_DIR": str(work / f"db-{size}-{n}-{target[-4:]}")}
        env.pop("JOINEDUP_DATABASE_URL", None)
        if target.endswith("Python lane"):
            env["JOINEDUP_BULK_LANE"] = "0"
    else:
        assert url is not None
        env, name = postgres_env(url)
    try:
        measured = run_one(folder, env)
    finally:
        if name and url:
            drop_postgres(url, name)
    assert measured["events"] == size, measured
    return measured

if __name__ == "__main__":
    main()
