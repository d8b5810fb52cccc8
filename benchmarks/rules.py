"""Rules benchmark: every early-warning rule over a generated partnership.

    .venv/bin/python benchmarks/rules.py [--families 50000] [--events-per-family 20]
                                         [--copies 1] [--repeat 3] [--data DIR]
                                         [--postgres URL] [--engine duckdb|spark]
                                         [--spark-memory 1g]

(JOINEDUP_RULES_MEMORY, read by the code measured, sets the snapshot's DuckDB memory.)

Prepares (once, kept in --data) a database holding the generated population, loaded
through the real ingest and linked by the real linkage: SQLite, or with --postgres a
database made on that PostgreSQL server (URL of a database to connect to for CREATE
DATABASE, e.g. postgresql://postgres@127.0.0.1:54341/postgres).

--copies N reaches sizes that ingest and linkage would take an hour to prepare: the real
ingest and linkage of --families families is prepared once (as for --copies 1), and in a
copy of that database their persons, person records, relationships and events are copied
N-1 more times (one INSERT ... SELECT per table and copy, every id shifted past the last,
every agency identifier given a suffix ``~k``). Each copy is a set of families already
linked, exactly like the first, and unconnected to it: N times the children, the events
and the networks. Only the preparation
is synthetic; what is measured is the real code on the database.

Then measures in a fresh process, on a copy of the prepared database with no alerts:

- the snapshot: --engine duckdb (default): reading events, persons, flags and
  relationships from the database into DuckDB (on PostgreSQL by COPY) and working out every
  child's family network; --engine spark: the same snapshot written as Parquet files
  (``joinedup snapshot export``);
- the evaluation: every rule on that snapshot, with the actions already on the record
  (median of --repeat runs; on Spark, one run, in a local session of --spark-memory);
- storing the alerts (the first ``alerts run``), and a second run that finds them unchanged;
- peak resident memory of the measuring process and its children (Spark's Java process);
- of the snapshot, the time spent reading the database (``snapshot._read``, timed by
  wrapping it), and what DuckDB had spilled to disk after the snapshot and the evaluation.

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
from urllib.parse import urlsplit, urlunsplit

PEAK = """
import os, threading, time
def _tree_rss_kb(root):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    children.setdefault(int(stat.read().rsplit(")", 1)[1].split()[1]),
                                        []).append(int(entry))
            except OSError:
                pass
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as status:
                total += next((int(line.split()[1]) for line in status
                               if line.startswith("VmRSS:")), 0)
        except OSError:
            pass
    return total
PEAK_KB = [0]
def _sample():
    while True:
        PEAK_KB[0] = max(PEAK_KB[0], _tree_rss_kb(os.getpid()))
        time.sleep(0.5)
threading.Thread(target=_sample, daemon=True).start()
"""

MEASURE = PEAK + """
import json, statistics, sys, time
from joinedup import database
database.open_database()
from django.db import connection, transaction
from joinedup.alerts.models import Alert, AlertChange, AlertRun
with transaction.atomic(), connection.cursor() as cursor:  # a copy: start with no alerts
    for table in (Alert.evidence.through._meta.db_table, AlertChange._meta.db_table,
                  Alert._meta.db_table, AlertRun._meta.db_table):
        cursor.execute(f"DELETE FROM {table}")
from joinedup.alerts.agency_measures import child_alert_rules
from joinedup.alerts.catalogue import load_catalogue
from joinedup.alerts.engine import evaluate
from joinedup.alerts.raising import rules_digest, store
from joinedup.alerts.recognition import met_actions
from joinedup.alerts.snapshot import from_database
from joinedup.alerts import snapshot as snapshot_module
engine, repeat, scratch, memory = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rules = child_alert_rules(load_catalogue())
times, read_s, spilled = [], [0.0], {}
_read = snapshot_module._read
def _timed_read(*args):  # the part of the snapshot spent reading the database
    start = time.perf_counter()
    _read(*args)
    read_s[0] += time.perf_counter() - start
snapshot_module._read = _timed_read
def _spilled(con):
    return int(con.execute("SELECT coalesce(sum(size), 0) FROM duckdb_temporary_files()")
               .fetchall()[0][0]) >> 20
if engine == "duckdb":
    start = time.perf_counter()
    snapshot = from_database()
    snap_s = time.perf_counter() - start
    spilled["after_snapshot_mb"] = _spilled(snapshot.con)
    for _ in range(repeat):
        start = time.perf_counter()
        firings = evaluate(snapshot, rules)
        met = met_actions(snapshot.con, rules)
        times.append(time.perf_counter() - start)
    spilled["after_evaluate_mb"] = _spilled(snapshot.con)
    counts = dict(snapshot.counts)
    snapshot.close()
else:
    from pathlib import Path
    from pyspark.sql import SparkSession
    from joinedup.alerts.snapshot_files import export_database
    from joinedup.alerts.spark_engine import evaluate_folder
    start = time.perf_counter()
    folder = export_database(Path(scratch) / "snapshot")
    snap_s = time.perf_counter() - start
    # the session local_spark() makes, with the driver memory asked for
    spark = (SparkSession.builder.master("local[2]").appName("joinedup-alerts-bench")
             .config("spark.driver.memory", memory)
             .config("spark.driver.host", "127.0.0.1")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.shuffle.partitions", "4")
             .config("spark.default.parallelism", "4")
             .config("spark.sql.ansi.enabled", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    start = time.perf_counter()
    spark.range(1).collect()
    start_s = time.perf_counter() - start
    start = time.perf_counter()
    done = evaluate_folder(spark, folder, rules)
    times.append(time.perf_counter() - start)
    firings, met, counts = done.firings, done.met, done.counts
    spark.stop()
start = time.perf_counter()
first = store(firings, rules, as_of=None, known_by=None, who="bench",
              digest=rules_digest(None), snapshot_counts=counts, met=met)
store_s = time.perf_counter() - start
start = time.perf_counter()
second = store(firings, rules, as_of=None, known_by=None, who="bench",
               digest=rules_digest(None), snapshot_counts=counts, met=met)
again_s = time.perf_counter() - start
print(json.dumps({"snapshot_s": snap_s, "evaluate_s": statistics.median(times),
                  "evaluate_best_s": min(times), "store_s": store_s, "again_s": again_s,
                  "firings": len(firings), "raised": first.raised, "rules": len(rules),
                  "unchanged_second": second.unchanged, "counts": counts,
                  "spark_start_s": start_s if engine == "spark" else None,
                  "read_s": read_s[0], "spilled": spilled,
                  "peak_mb": max(PEAK_KB[0], _tree_rss_kb(os.getpid())) / 1024}))
"""  # noqa: S608 - run in a subprocess on synthetic data; our table names

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

COPY = """
import json, sys, time
from joinedup import database
database.open_database()
from django.db import connection, transaction
from joinedup.chronology.models import Event
from joinedup.people.models import Person, PersonRecord, RelationshipRecord
copies = int(sys.argv[1])
# (model, {column: the table whose ids it holds}, the agency identifier given a suffix)
PLAN = [(Person, {"id": Person}, None),
        (PersonRecord, {"id": PersonRecord, "person_id": Person}, "source_id"),
        (RelationshipRecord, {"id": RelationshipRecord, "person_id": PersonRecord,
                              "related_person_id": PersonRecord}, "source_key"),
        (Event, {"id": Event, "subject_id": PersonRecord, "related_person_id": PersonRecord},
         "source_id")]
t = time.perf_counter()
with connection.cursor() as cursor:
    last = {}
    for model, _shift, _suffix in PLAN:
        cursor.execute(f"SELECT max(id) FROM {model._meta.db_table}")
        last[model] = int(cursor.fetchone()[0])
    for k in range(1, copies):
        with transaction.atomic():
            for model, shift, suffix in PLAN:
                columns = [f.column for f in model._meta.concrete_fields]
                values = [f"{c} + {k * last[shift[c]]}" if c in shift
                          else f"{c} || '~{k}'" if c == suffix else c for c in columns]
                cursor.execute(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
                               f"SELECT {', '.join(values)} FROM {model._meta.db_table} "
                               f"WHERE id <= {last[model]}")
    if connection.vendor == "postgresql":
        cursor.execute("ANALYZE")
    cursor.execute(f"SELECT count(*) FROM {Event._meta.db_table}")
    events = int(cursor.fetchone()[0])
print(json.dumps({"copies": copies, "copy_s": time.perf_counter() - t, "events": events}))
"""


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _env(data: Path, url: str | None) -> dict[str, str]:
    env = {**os.environ, "JOINEDUP_DATA_DIR": str(data)}
    env.pop("JOINEDUP_DATABASE_URL", None)
    if url:
        env["JOINEDUP_DATABASE_URL"] = url
    return env


def _python(code: str, data: Path, url: str | None, *args: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", code, *args], env=_env(data, url),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _admin(server: str, statement: str) -> None:
    import psycopg  # only with --postgres

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(statement)


def _where(args: argparse.Namespace, copies: int) -> tuple[Path, str | None]:
    """The folder (and PostgreSQL database) of a population of ``copies`` copies."""
    kind = "pg" if args.postgres else "sqlite"
    name = f"joinedup_rules_bench_{args.families}_{args.events_per_family}"
    name += f"_x{copies}" if copies > 1 else ""
    data = (args.data if args.data and copies == args.copies
            else Path("/tmp") / f"{name}_{kind}")  # noqa: S108 - synthetic data kept between runs
    return data, _with_database(args.postgres, name) if args.postgres else None


def _prepare(args: argparse.Namespace, copies: int) -> dict[str, object]:
    """The population of ``copies`` copies, prepared once: the real ingest and linkage of
    --families families, then (for more than one copy) copied inside a copy of that
    database."""
    data, url = _where(args, copies)
    if (data / "prepared.json").exists():
        return json.loads((data / "prepared.json").read_text())
    data.mkdir(parents=True, exist_ok=True)
    if copies == 1:
        if url and args.postgres:
            _admin(args.postgres, f"DROP DATABASE IF EXISTS {urlsplit(url).path[1:]}")
            _admin(args.postgres, f"CREATE DATABASE {urlsplit(url).path[1:]}")
        start = time.perf_counter()
        prepared = _python(PREPARE, data, url, str(data / "population"), str(args.families),
                           str(args.events_per_family))
        prepared["total_s"] = time.perf_counter() - start
    else:
        base = _prepare(args, 1)
        base_data, base_url = _where(args, 1)
        if url and base_url and args.postgres:
            _admin(args.postgres, f"DROP DATABASE IF EXISTS {urlsplit(url).path[1:]}")
            _admin(args.postgres, f"CREATE DATABASE {urlsplit(url).path[1:]} "
                                  f"TEMPLATE {urlsplit(base_url).path[1:]}")
        else:
            with sqlite3.connect(base_data / "joinedup.sqlite3") as source, \
                    sqlite3.connect(data / "joinedup.sqlite3") as target:
                source.backup(target)
        prepared = {**base, "copied": _python(COPY, data, url, str(copies))}
    (data / "prepared.json").write_text(json.dumps(prepared))
    return prepared


def _measure(args: argparse.Namespace, data: Path, url: str | None) -> dict[str, object]:
    """On a copy of the prepared database, so that every run stores its alerts into a
    database without any."""
    with tempfile.TemporaryDirectory(dir=data) as scratch:
        copy = Path(scratch)
        measure_args = (args.engine, str(args.repeat), scratch, args.spark_memory)
        if url and args.postgres:
            name = f"{urlsplit(url).path[1:]}_copy"
            _admin(args.postgres, f"DROP DATABASE IF EXISTS {name}")
            _admin(args.postgres, f"CREATE DATABASE {name} TEMPLATE {urlsplit(url).path[1:]}")
            try:
                return _python(MEASURE, copy, _with_database(args.postgres, name),
                               *measure_args)
            finally:
                _admin(args.postgres, f"DROP DATABASE IF EXISTS {name}")
        with sqlite3.connect(data / "joinedup.sqlite3") as source, \
                sqlite3.connect(copy / "joinedup.sqlite3") as target:
            source.backup(target)
        return _python(MEASURE, copy, None, *measure_args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=50_000)
    parser.add_argument("--events-per-family", type=int, default=20)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--spark-memory", default="1g")
    args = parser.parse_args()
    kind = "pg" if args.postgres else "sqlite"
    prepared = _prepare(args, args.copies)
    data, url = _where(args, args.copies)
    print(f"# {time.strftime('%Y-%m-%d %H:%M')}, {platform.node()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {kind}, engine {args.engine}"
          f"{' ' + args.spark_memory if args.engine == 'spark' else ''}, snapshot memory "
          f"{os.environ.get('JOINEDUP_RULES_MEMORY') or '1GB'}; "
          f"prepared: {json.dumps(prepared)}")
    result = _measure(args, data, url)
    counts = result["counts"]
    assert isinstance(counts, dict)
    print(f"# {json.dumps(result)}")
    print("| database | engine | children | network rows | events | rules | snapshot s | "
          "of which reading s | evaluate s (median) | best s | firings | store s | "
          "re-run store s | peak MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {kind} | {args.engine} | {counts['child']:,} | {counts['network']:,} | "
          f"{counts['event']:,} | {result['rules']} | {result['snapshot_s']:.1f} | "
          f"{result['read_s']:.1f} | "
          f"{result['evaluate_s']:.1f} | {result['evaluate_best_s']:.1f} | "
          f"{result['firings']:,} | {result['store_s']:.1f} | {result['again_s']:.1f} | "
          f"{result['peak_mb']:,.0f} |")


if __name__ == "__main__":
    main()
