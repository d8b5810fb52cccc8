"""Rules benchmark: every early-warning rule over a generated partnership.

    .venv/bin/python benchmarks/rules.py [--families 50000] [--events-per-family 20]
                                         [--repeat 3] [--data DIR]

Prepares (once, kept in --data) a SQLite database holding the generated population, loaded
through the real ingest and linked by the real linkage, then measures in a fresh process:

- the snapshot: reading events, persons, flags and relationships from the database into
  DuckDB and working out every child's family network;
- the evaluation: all 19 rules on that snapshot (median of --repeat runs);
- storing the alerts (the first ``alerts run``, into a copy of the prepared database with no
  alerts yet), and a second run that finds them unchanged;
- peak resident memory of the measuring process.

Results go to stdout as Markdown rows for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MEASURE = """
import json, resource, statistics, sys, time
from joinedup import database
database.open_database()
from django.db import connection, transaction
from joinedup.alerts.models import Alert, AlertChange, AlertRun
with transaction.atomic(), connection.cursor() as cursor:  # a copy: start with no alerts
    for table in (Alert.evidence.through._meta.db_table, AlertChange._meta.db_table,
                  Alert._meta.db_table, AlertRun._meta.db_table):
        cursor.execute(f"DELETE FROM {table}")
from joinedup.alerts.catalogue import load_catalogue
from joinedup.alerts.engine import evaluate
from joinedup.alerts.raising import rules_digest, store
from joinedup.alerts.snapshot import from_database
repeat = int(sys.argv[1])
rules = load_catalogue()
start = time.perf_counter()
snapshot = from_database()
snap_s = time.perf_counter() - start
times = []
for _ in range(repeat):
    start = time.perf_counter()
    firings = evaluate(snapshot, rules)
    times.append(time.perf_counter() - start)
counts = dict(snapshot.counts)
snapshot.close()
start = time.perf_counter()
first = store(firings, rules, as_of=None, known_by=None, who="bench", digest=rules_digest(None))
store_s = time.perf_counter() - start
start = time.perf_counter()
second = store(firings, rules, as_of=None, known_by=None, who="bench", digest=rules_digest(None))
again_s = time.perf_counter() - start
print(json.dumps({"snapshot_s": snap_s, "evaluate_s": statistics.median(times),
                  "evaluate_best_s": min(times), "store_s": store_s, "again_s": again_s,
                  "firings": len(firings), "raised": first.raised,
                  "unchanged_second": second.unchanged, "counts": counts,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PREPARE = """
import json, sys, time
from pathlib import Path
from joinedup import database
database.initialise()
from joinedup.demo.loader import load_folder_per_agency, register_demo_agencies
from joinedup.demo.population import generate_population
from joinedup.people.linking import link
out = Path(sys.argv[1]); families = int(sys.argv[2]); per = int(sys.argv[3])
t = time.perf_counter()
summary = generate_population(out, families, 7, events_per_family=per)
gen = time.perf_counter() - t
register_demo_agencies()
t = time.perf_counter()
load_folder_per_agency(out, lambda r: None)
load = time.perf_counter() - t
t = time.perf_counter()
result = link()
linked = time.perf_counter() - t
print(json.dumps({"generate_s": gen, "load_s": load, "link_s": linked,
                  "events": summary.total("events"), "records": result.records,
                  "persons": result.persons}))
"""


def _env(data: Path) -> dict[str, str]:
    env = {**os.environ, "JOINEDUP_DATA_DIR": str(data)}
    env.pop("JOINEDUP_DATABASE_URL", None)
    return env


def _python(code: str, data: Path, *args: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", code, *args], env=_env(data),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=50_000)
    parser.add_argument("--events-per-family", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    data = args.data or Path("/tmp") / (  # noqa: S108 - synthetic data kept between runs
        f"joinedup-rules-bench-{args.families}-{args.events_per_family}")
    if not (data / "prepared.json").exists():
        data.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        prepared = _python(PREPARE, data, str(data / "population"), str(args.families),
                           str(args.events_per_family))
        prepared["total_s"] = time.perf_counter() - start
        (data / "prepared.json").write_text(json.dumps(prepared))
    prepared = json.loads((data / "prepared.json").read_text())
    print(f"# {time.strftime('%Y-%m-%d')}, {platform.node()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; prepared: {json.dumps(prepared)}")
    # Measure on a copy, so that every run stores its alerts into a database without any.
    with tempfile.TemporaryDirectory(dir=data) as scratch:
        copy = Path(scratch)
        with sqlite3.connect(data / "joinedup.sqlite3") as source, \
                sqlite3.connect(copy / "joinedup.sqlite3") as target:
            source.backup(target)
        result = _python(MEASURE, copy, str(args.repeat))
    counts = result["counts"]
    assert isinstance(counts, dict)
    print("| children | network rows | events | rules | snapshot s | evaluate s (median) | "
          "best s | firings | store s | re-run store s | peak MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {counts['child']:,} | {counts['network']:,} | {counts['event']:,} | 19 | "
          f"{result['snapshot_s']:.1f} | {result['evaluate_s']:.1f} | "
          f"{result['evaluate_best_s']:.1f} | {result['firings']:,} | {result['store_s']:.1f} | "
          f"{result['again_s']:.1f} | {result['peak_mb']:,.0f} |")


if __name__ == "__main__":
    main()
