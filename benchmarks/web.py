"""Web pages under load: signed-in practitioners opening children's pages at the same time.

    .venv/bin/python benchmarks/web.py --database sqlite|postgresql --users 20 --seconds 60
        [--families 3000] [--think 1 3] [--start-together] [--workers 2] [--threads 8]
        [--profile]

Prepares once (kept in --data, /tmp/joinedup-web-bench by default, and rebuilt when
--families changes) a database like the demonstration's: the Baby S scenario, a generated
background population of --families families, and one made-up family whose child has 2,000
events between four agencies (as benchmarks/chronology.py builds it, with a second return
correcting 100 of them), all linked, with the early-warning rules run. A team at children's
social care is allocated to that child and to 200 children of the population drawn at random.

Each run works on a fresh copy of the prepared database (a file copy for SQLite; for
PostgreSQL a database made from the prepared one as a template, then ANALYZE). It adds
--users practitioners in that team, starts the real server (``joinedup serve --demo``,
gunicorn with --workers processes of --threads threads) on loopback, warms it up, then runs
locust headless (benchmarks/web_locustfile.py): every simulated user signs in once, waits
--think seconds (drawn between the two figures; 0 0 for none) so that the users do not all
start in the same instant, and then, for --seconds, opens one of four pages, waits --think
seconds and opens another. The pages, equally often: the case page and the
chronology of the 2,000-event child, and the case page and the chronology of one of the 200
population children. Latency is measured by the client from sending the request to the end
of the page; a failure is anything but a 200 carrying the page (a redirect to the sign-in
page counts). A request on a kept-alive connection that the server closes just then is sent
again once, as a browser does, and counted as "sent again" (see web_locustfile.py). Requests
still running when the time is up are waited for and counted.

For PostgreSQL it starts its own throwaway server (``initdb -A trust`` as the postgres user,
on 127.0.0.1:--pg-port, default 54331) and stops it at the end. The load run itself holds
/tmp/joinedup-bench.lock (exclusive), so it does not overlap other benchmarks or tests that
take the lock shared. ``--profile`` then opens each page in one process with Django's test
client on the same database: SQL statements and their time, the slowest statements, and
cProfile's heaviest functions.

Results go to benchmarks/out/ (web-<database>-<time>.md and .json, locust's CSV files and the
server's log) and to stdout as Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
OUT = REPO / "benchmarks" / "out"
LOCK = Path("/tmp/joinedup-bench.lock")  # noqa: S108 - one well-known lock so benchmarks queue
PG_BIN = Path("/usr/lib/postgresql/15/bin")
TEAM = "Benchmark family safeguarding"
POPULATION_SAMPLE = 200
TARGET_P95_MS = 300.0
PAGES = ("case page, 2,000-event child", "chronology, 2,000-event child",
         "case page, population child", "chronology, population child")


# ---------------------------------------------------------------- steps run in a subprocess
# (each configures Django for the database named by its environment)

def step_prepare(families: int, work: Path, marker: Path) -> None:
    """Load the demo scenario, the background population and the 2,000-event family; link;
    run the rules; allocate the benchmark team. Writes what the runs need to ``marker``."""
    import random

    sys.path.insert(0, str(REPO / "benchmarks"))
    from chronology import AGENCIES, EVENT_HEADER, write_csv, write_family
    from joinedup import database

    database.initialise()
    from joinedup.access.allocation import allocate
    from joinedup.access.models import Team
    from joinedup.agencies.models import Agency
    from joinedup.alerts.raising import run_alerts
    from joinedup.chronology.assembly import assemble
    from joinedup.demo.loader import DEMO_SEED, load_folder_per_agency, load_scenario
    from joinedup.demo.population import generate_population
    from joinedup.ingest.loading import load_return
    from joinedup.people.directory import resolve_person
    from joinedup.people.linking import link
    from joinedup.people.models import RelationshipRecord

    timings: dict[str, float] = {}
    start = time.perf_counter()
    load_scenario(lambda result: None)
    generate_population(work / "population", families, DEMO_SEED)
    load_folder_per_agency(work / "population", lambda result: None)
    by_agency = write_family(work / "family", 2000)
    for agency in AGENCIES:
        load_return(work / "family" / agency, agency)
    corrected = [[*row[:5], row[5] + " (corrected)", *row[6:]] for row in by_agency["HV"][:100]]
    write_csv(work / "correction" / "events.csv", EVENT_HEADER, corrected)
    load_return(work / "correction", "HV")
    timings["load_s"] = time.perf_counter() - start
    start = time.perf_counter()
    link()
    timings["link_s"] = time.perf_counter() - start
    start = time.perf_counter()
    run_alerts(who="benchmark")
    timings["alerts_s"] = time.perf_counter() - start

    big = resolve_person("HV:BENCH-HV-C")
    baby_s = resolve_person("HV:HV-5510871")
    children = sorted(set(RelationshipRecord.objects.filter(
        is_current=True, relationship__in=("MOTHER_OF", "FATHER_OF"),
        related_person__person__isnull=False,
    ).values_list("related_person__person_id", flat=True)) - {big, baby_s})
    sample = random.Random(7).sample(children, min(POPULATION_SAMPLE, len(children)))
    team = Team.objects.get_or_create(agency=Agency.objects.get(code="CSC"), name=TEAM)[0]
    for child in [big, *sample]:
        allocate(child, team=team, valid_from=dt.date(2020, 1, 1), by="benchmark")
    entries = [len(assemble(child).entries) for child in sample]
    big_entries = len(assemble(big).entries)
    marker.write_text(json.dumps({
        "families": families, "big_child": big, "big_entries": big_entries,
        "population_children": sample, "children_in_population": len(children),
        "population_entries": {"median": statistics.median(entries), "min": min(entries),
                               "max": max(entries)},
        "counts": _counts(), **timings,
    }, indent=1))


def _counts() -> dict[str, int]:
    from joinedup.alerts.models import Alert
    from joinedup.chronology.models import Event
    from joinedup.people.models import Person, PersonRecord

    return {"events": Event.objects.count(), "person_records": PersonRecord.objects.count(),
            "persons": Person.objects.count(), "alerts": Alert.objects.count()}


def step_users(users: int, password: str) -> None:
    """The benchmark's practitioners (bench.user01...), members of the allocated team. (The
    copy is first brought up to date, should the code have gained a migration since.)"""
    from joinedup import database

    database.initialise()
    from django.contrib.auth import get_user_model

    from joinedup.access.users import add_user

    existing = set(get_user_model().objects.filter(username__startswith="bench.user")
                   .values_list("username", flat=True))
    for name in usernames(users):
        if name not in existing:
            add_user(name, "CSC", ["practitioner"], teams=[TEAM], password=password,
                     by="benchmark")


def usernames(users: int) -> list[str]:
    return [f"bench.user{n:02d}" for n in range(1, users + 1)]


def step_profile(plan_path: Path, out: Path) -> None:
    """Each page once more in this process with Django's test client: SQL statements and
    their time, the slowest ones, and where the time goes (cProfile)."""
    import cProfile
    import io
    import pstats

    os.environ["JOINEDUP_DEVELOPMENT"] = "1"
    from joinedup.demo.users import DEMO_INVOLVEMENT_DAYS

    os.environ.setdefault("JOINEDUP_INVOLVEMENT_DAYS", str(DEMO_INVOLVEMENT_DAYS))
    from joinedup import database

    database.initialise()
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import override_settings

    plan = json.loads(plan_path.read_text())
    client = Client()
    client.force_login(get_user_model().objects.get(username=plan["usernames"][0]))
    report: dict[str, Any] = {}
    pages = plan_urls(plan)
    with override_settings(DEBUG=True, ALLOWED_HOSTS=["*"]):
        for name, url in pages.items():
            for _ in range(2):  # warm up (templates compiled, caches filled)
                client.get(url)
            walls = []
            for _ in range(5):
                start = time.perf_counter()
                response = client.get(url)
                walls.append((time.perf_counter() - start) * 1000)
            reset_queries()
            start = time.perf_counter()
            response = client.get(url)
            wall = (time.perf_counter() - start) * 1000
            queries = [(float(q["time"]) * 1000, q["sql"]) for q in connection.queries]
            costs = _statement_costs(connection, [sql for _, sql in queries])
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(PROFILED):
                client.get(url)
            profiler.disable()
            text = io.StringIO()
            stats = pstats.Stats(profiler, stream=text)
            stats.sort_stats("cumulative").print_stats(50)
            tottime = io.StringIO()
            pstats.Stats(profiler, stream=tottime).sort_stats("tottime").print_stats(30)
            breakdown = {label: _cumulative(stats, file_part, function) / PROFILED * 1000
                         for label, (file_part, function) in BREAKDOWN.items()}
            report[name] = {
                "url": url, "status": response.status_code, "bytes": len(response.content),
                "median_ms_of_5": statistics.median(walls), "ms_with_sql_logging": wall,
                "sql_statements": len(queries), "sql_ms": sum(q[0] for q in queries),
                "select_ms_rerun": sum(c["total_ms"] for c in costs),
                "slowest_sql": costs[:8],
                "profiled_ms_per_request": breakdown,
                "cprofile_cumulative": text.getvalue(), "cprofile_tottime": tottime.getvalue(),
            }
    out.write_text(json.dumps(report, indent=1))


PROFILED = 5
BREAKDOWN = {  # where a request's time goes: (part of the file name, function), cumulative
    "whole request": ("django/test/client.py", "request"),
    "access check and audit (open_child)": ("web/permissions.py", "open_child"),
    "chronology assembly": ("chronology/assembly.py", "assemble"),
    "family network": ("people/network.py", "network_for"),
    "template rendering": ("template/backends/jinja2.py", "render"),
    "SQL (driver execute)": ("django/db/backends/utils.py", "_execute"),
    "session save": ("sessions/backends/db.py", "save"),
    "page-view audit (middleware)": ("access/audit.py", "record"),
}


def _statement_costs(connection: Any, statements: list[str]) -> list[dict[str, Any]]:
    """Each SELECT of the page run again on its own with every row fetched (the best of 3;
    the driver's timing stops before the rows are read), the slowest first, with the
    database's plan for the three slowest."""
    counts: dict[str, int] = {}
    for sql in statements:
        if sql.lstrip().upper().startswith("SELECT"):
            counts[sql] = counts.get(sql, 0) + 1
    costs: list[dict[str, Any]] = []
    with connection.cursor() as cursor:
        for sql, times in counts.items():
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                cursor.execute(sql)
                rows = len(cursor.fetchall())
                best = min(best, time.perf_counter() - start)
            costs.append({"ms": best * 1000, "times": times, "total_ms": best * 1000 * times,
                          "rows": rows, "sql": sql})
        costs.sort(key=lambda c: -c["total_ms"])
        explain = ("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite"
                   else "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ")
        for cost in costs[:3]:
            cursor.execute(explain + cost["sql"])
            cost["plan"] = [" ".join(str(v) for v in row) for row in cursor.fetchall()]
    for cost in costs:
        cost["sql"] = cost["sql"][:2000]
    return costs


def _cumulative(stats: Any, file_part: str, function: str) -> float:
    """Cumulative seconds of the functions matching (outermost calls only, per pstats)."""
    return sum(row[3] for (filename, _, name), row in stats.stats.items()  # type: ignore
               if file_part in filename and name == function)


# ---------------------------------------------------------------- the run

class Postgres:
    """A throwaway PostgreSQL server owned by the postgres user, on loopback."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.url = f"postgresql://postgres@127.0.0.1:{port}"

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True,
                       stdout=subprocess.DEVNULL)

    def start(self) -> None:
        if not (self.folder / "PG_VERSION").exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            shutil.chown(self.folder, "postgres", "postgres")
            self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.folder), "-A", "trust",
                              "-U", "postgres", "-E", "UTF8", "--no-instructions")
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.folder), "-l",
                          str(self.folder / "server.log"), "-w", "start", "-o",
                          f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder}")

    def stop(self) -> None:
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.folder), "-w", "-m", "fast",
                          "stop")

    def sql(self, statement: str, database: str = "postgres") -> str:
        done = subprocess.run([str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port),
                               "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1",
                               "-tAc", statement], check=True, capture_output=True, text=True)
        return done.stdout.strip()

    def pid(self) -> int:
        """The postmaster's process id (its children are the database's processes)."""
        return int((self.folder / "postmaster.pid").read_text().split()[0])

    def version(self) -> str:
        return self.sql("SHOW server_version")


def step(name: str, env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, __file__, "--step", name, *args], env=env, check=True,
                   cwd=REPO)


def environment(database: str, data_dir: Path, url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("JOINEDUP_DATABASE_URL", "JOINEDUP_DATA_DIR")}
    env["JOINEDUP_DATA_DIR"] = str(data_dir)
    if url:
        env["JOINEDUP_DATABASE_URL"] = url
    return env


def prepare(args: argparse.Namespace, root: Path, pg: Postgres | None) -> tuple[dict[str, Any],
                                                                            dict[str, str]]:
    """The prepared database (made once), and a fresh copy of it for this run."""
    marker = root / f"{args.database}-prepared.json"
    prepared = json.loads(marker.read_text()) if marker.exists() else None
    if pg is not None and not pg.sql("SELECT 1 FROM pg_database WHERE datname = 'web_prepared'"):
        prepared = None
    if prepared is None or prepared["families"] != args.families:
        print(f"Preparing the {args.database} database ({args.families:,} families)...",
              flush=True)
        marker.unlink(missing_ok=True)
        work = root / f"{args.database}-files"
        shutil.rmtree(work, ignore_errors=True)
        if pg is None:
            shutil.rmtree(root / "sqlite-prepared", ignore_errors=True)
            env = environment("sqlite", root / "sqlite-prepared", None)
        else:
            pg.sql("DROP DATABASE IF EXISTS web_prepared")
            pg.sql("CREATE DATABASE web_prepared")
            env = environment("postgresql", work / "data", f"{pg.url}/web_prepared")
        started = time.perf_counter()
        step("prepare", env, str(args.families), str(work), str(marker))
        if pg is not None:
            pg.sql("VACUUM ANALYZE", "web_prepared")
        shutil.rmtree(work, ignore_errors=True)
        prepared = json.loads(marker.read_text())
        prepared["prepare_s"] = time.perf_counter() - started
        marker.write_text(json.dumps(prepared, indent=1))
    if pg is None:
        run_dir = root / "sqlite-run"
        shutil.rmtree(run_dir, ignore_errors=True)
        shutil.copytree(root / "sqlite-prepared", run_dir)
        env = environment("sqlite", run_dir, None)
    else:
        pg.sql("DROP DATABASE IF EXISTS web_run")
        pg.sql("CREATE DATABASE web_run TEMPLATE web_prepared")
        pg.sql("ANALYZE", "web_run")
        run_dir = root / "postgresql-run"
        shutil.rmtree(run_dir, ignore_errors=True)
        env = environment("postgresql", run_dir, f"{pg.url}/web_run")
    return prepared, env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float, server: subprocess.Popen[bytes]) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped (exit {server.returncode}): see its log.")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"The server did not answer {url} within {seconds:.0f} s.")


def sign_in(session: Any, host: str, username: str, password: str) -> None:
    session.get(f"{host}/sign-in/")
    response = session.post(f"{host}/sign-in/", allow_redirects=False, data={
        "username": username, "password": password,
        "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")})
    if response.status_code != 302:
        raise SystemExit(f"Signing in as {username} failed ({response.status_code}).")


def warm_up(host: str, plan: dict[str, Any]) -> dict[str, int]:
    """Every page a few times from one client, so each worker has compiled its templates;
    returns the status of each page (a page that is not there yet shows as 404)."""
    import requests

    session = requests.Session()
    sign_in(session, host, plan["usernames"][0], plan["password"])
    statuses = {}
    for name, url in plan_urls(plan).items():
        for _ in range(2 * plan["workers"]):
            statuses[name] = session.get(f"{host}{url}", allow_redirects=False).status_code
    return statuses


def plan_urls(plan: dict[str, Any]) -> dict[str, str]:
    child, other = plan["big_child"], plan["population_children"][0]
    case, chronology = plan["case_url"], plan["chronology_url"]
    return {PAGES[0]: case.format(child), PAGES[1]: chronology.format(child),
            PAGES[2]: case.format(other), PAGES[3]: chronology.format(other)}


class Sampler(threading.Thread):
    """Load average while the load runs, and the CPU time the server (and PostgreSQL's
    processes) used between the measured window opening and the results being written."""

    def __init__(self, server_pid: int, database_pid: int | None, results: Path) -> None:
        super().__init__(daemon=True)
        self.server_pid, self.stop_at = server_pid, threading.Event()
        self.opened, self.results = Path(f"{results}.open"), results
        self.loads: list[float] = []
        self.database_pid = database_pid
        self.cpu_start = self.cpu_end = self.db_start = self.db_end = 0.0

    def server_cpu(self, pid: int | None = None) -> float:
        """CPU seconds of a process and its children, the living ones and the ones it has
        waited for (PostgreSQL starts a process for each connection)."""
        import psutil

        try:
            top = psutil.Process(pid or self.server_pid)
            times = top.cpu_times()
            total = times.user + times.system + times.children_user + times.children_system
            children = top.children(recursive=True)
        except psutil.NoSuchProcess:
            return 0.0
        for proc in children:
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    def run(self) -> None:
        while not self.opened.exists() and not self.stop_at.wait(0.1):
            pass
        self.cpu_start = self.server_cpu()
        if self.database_pid:
            self.db_start = self.server_cpu(self.database_pid)
        ticks = 0
        while not self.results.exists() and not self.stop_at.wait(0.25):
            ticks += 1
            if ticks % 8 == 0:
                self.loads.append(os.getloadavg()[0])
            self.cpu_end = self.server_cpu()
            if self.database_pid:
                self.db_end = self.server_cpu(self.database_pid)


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    import sqlite3

    return {"node": platform.node(), "cores": os.cpu_count(), "cpu": cpu,
            "ram_gib": round(mem / 2**20), "platform": platform.platform(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version}


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile (the value at or below which p per cent of them lie)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def summarise(records: list[dict[str, Any]], seconds: float) -> list[dict[str, Any]]:
    rows = []
    for name in [*PAGES, "all pages"]:
        mine = [r for r in records if name == "all pages" or r["page"] == name]
        if not mine:
            continue
        ms = [r["ms"] for r in mine]
        rows.append({"page": name, "requests": len(mine),
                     "failures": sum(not r["ok"] for r in mine),
                     "retried": sum(bool(r.get("retried")) for r in mine),
                     "p50": percentile(ms, 50), "p95": percentile(ms, 95),
                     "p99": percentile(ms, 99), "max": max(ms), "rps": len(mine) / seconds})
    return rows


def server_side(log: Path, plan: dict[str, Any], skip: int) -> dict[str, dict[str, float]]:
    """The server's own time for each page (gunicorn's access log, in ms, from the request
    being read to the response written: it includes a thread waiting for the worker's other
    threads, not a request waiting for a connection to be accepted or read), leaving out the
    first ``skip`` page requests (the warm-up)."""
    big = str(plan["big_child"])
    times: dict[str, list[float]] = {}
    seen = 0
    for line in log.read_text(errors="replace").splitlines():
        match = re.search(r'"GET /children/(\d+)/(chronology/)? HTTP/[\d.]+" (\d+) (\d+)ms', line)
        if not match:
            continue
        seen += 1
        if seen <= skip:
            continue
        child, chronology = match.group(1), bool(match.group(2))
        page = PAGES[(0 if child == big else 2) + chronology]
        times.setdefault(page, []).append(float(match.group(4)))
    return {page: {"requests": len(ms), "p50": percentile(ms, 50), "p95": percentile(ms, 95)}
            for page, ms in times.items()}


def markdown(result: dict[str, Any]) -> str:
    m, r, p = result["machine"], result["run"], result["prepared"]
    lines = [
        f"{r['database']} run on {r['started']} UTC ({r['database_version']}): machine "
        f"\"{m['node']}\", {m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB, "
        f"{m['platform']}, Python {m['python']}. Server: gunicorn, {r['workers']} worker "
        f"processes of {r['threads']} threads; {r['users']} users for {r['seconds']:.0f} s, "
        f"think time {r['think'][0]:g} to {r['think'][1]:g} s"
        + (", every user's first page asked for in the same instant"
           if r.get("start_together") else "") + f". Database: {p['families']:,} "
        f"families + Baby S + the 2,000-event family ({p['counts']['events']:,} events, "
        f"{p['counts']['persons']:,} persons, {p['counts']['alerts']:,} alerts); population "
        f"children's chronologies: median {p['population_entries']['median']:g} entries "
        f"(max {p['population_entries']['max']}); the big child's: {p['big_entries']:,}.",
        f"Load average during the run {min(r['load'], default=0):.1f} to "
        f"{max(r['load'], default=0):.1f}; the server used {r['server_cpu_s']:.0f} s of CPU "
        f"in {r['seconds']:.0f} s ({r['server_cpu_s'] / r['seconds']:.2f} cores; "
        f"{r['server_cpu_s'] * 1000 / max(1, result['rows'][-1]['requests']):.0f} ms a page)"
        + (f", PostgreSQL's processes {r['database_cpu_s']:.0f} s "
           f"({r['database_cpu_s'] * 1000 / max(1, result['rows'][-1]['requests']):.0f} ms a "
           "page)." if r.get("database_cpu_s") else "."),
        "",
        "| page | requests | failures | sent again | p50 ms | p95 ms | p99 ms | max ms | "
        "requests/s | server's own p50 / p95 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    server = result.get("server_side", {})
    for row in result["rows"]:
        own = server.get(row["page"])
        lines.append(f"| {row['page']} | {row['requests']:,} | {row['failures']} | "
                     f"{row.get('retried', 0)} | {row['p50']:.0f} | {row['p95']:.0f} | "
                     f"{row['p99']:.0f} | {row['max']:.0f} | {row['rps']:.1f} | "
                     + (f"{own['p50']:.0f} / {own['p95']:.0f} |" if own else "|"))
    lines += ["", "Target (p95 at most 300 ms, no errors): " + result["verdict"]]
    if result.get("failure_examples"):
        lines.append(f"Failures, for example: {result['failure_examples']}")
    return "\n".join(lines)


def verdict(rows: list[dict[str, Any]]) -> str:
    missed = [f"{r['page']} p95 {r['p95']:.0f} ms" for r in rows
              if r["page"] != "all pages" and r["p95"] > TARGET_P95_MS]
    failures = sum(r["failures"] for r in rows if r["page"] == "all pages")
    if not missed and not failures:
        return "met for every page."
    parts = []
    if missed:
        parts.append("p95 over 300 ms: " + "; ".join(missed))
    if failures:
        parts.append(f"{failures} failed requests")
    return "NOT met (" + "; ".join(parts) + ")."


def run(args: argparse.Namespace) -> None:
    root = Path(args.data)
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    base = OUT / f"web-{args.database}-{stamp}"
    pg = Postgres(root / "pg-cluster", args.pg_port) if args.database == "postgresql" else None
    if pg is not None:
        pg.start()
    try:
        prepared, env = prepare(args, root, pg)
        from joinedup.demo.users import DEMO_PASSWORD

        step("users", env, str(args.users), DEMO_PASSWORD)
        plan = {"users": args.users, "usernames": usernames(args.users),
                "password": DEMO_PASSWORD, "big_child": prepared["big_child"],
                "population_children": prepared["population_children"],
                "seconds": args.seconds, "think": args.think, "workers": args.workers,
                "start_together": args.start_together, "case_url": args.case_url,
                "chronology_url": args.chronology_url,
                "results": str(base) + "-requests.json"}
        plan_path = Path(str(base) + "-plan.json")
        plan_path.write_text(json.dumps(plan))
        version = (f"PostgreSQL {pg.version()}" if pg else f"SQLite {machine()['sqlite']}")
        with LOCK.open("a") as lock:
            print(f"Waiting for {LOCK}...", flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
            result = load_run(args, env, plan, plan_path, base, pg.pid() if pg else None)
            if args.profile:
                step("profile", env, str(plan_path), str(base) + "-profile.json")
        result["run"]["database_version"] = version
        result["prepared"] = prepared
        result["machine"] = machine()
        text = markdown(result)
        if args.profile:
            text += "\n\n" + profile_summary(Path(str(base) + "-profile.json"))
        Path(str(base) + ".json").write_text(json.dumps(result, indent=1))
        Path(str(base) + ".md").write_text(text + "\n")
        print(text)
        print(f"\nWritten to {base}.md and .json")
    finally:
        if pg is not None:
            pg.stop()


def load_run(args: argparse.Namespace, env: dict[str, str], plan: dict[str, Any],
             plan_path: Path, base: Path, database_pid: int | None) -> dict[str, Any]:
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    print("Starting the server.", flush=True)
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    with Path(str(base) + "-server.log").open("wb") as log:
        server = subprocess.Popen(
            [str(BIN / "joinedup"), "serve", "--demo", "--port", str(port),
             "--workers", str(args.workers), "--threads", str(args.threads)],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
            start_new_session=True)
        try:
            wait_for(f"{host}/health", 120, server)
            statuses = warm_up(host, plan)
            print(f"Warmed up: {statuses}", flush=True)
            sampler = Sampler(server.pid, database_pid, Path(plan["results"]))
            sampler.start()
            locust = subprocess.run(
                [str(BIN / "locust"), "-f", str(REPO / "benchmarks" / "web_locustfile.py"),
                 "--headless", "-u", str(args.users), "-r", str(args.users),
                 "-t", f"{int(args.seconds) + 120}s", "--host", host, "--csv", str(base),
                 "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "30"],
                env={**env, "JOINEDUP_WEB_BENCH_PLAN": str(plan_path)}, cwd=REPO,
                capture_output=True, text=True)
            sampler.stop_at.set()
            sampler.join()
            Path(str(base) + "-locust.log").write_text(locust.stdout + locust.stderr)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    measured = json.loads(Path(plan["results"]).read_text())
    records, seconds = measured["records"], measured["seconds"]
    rows = summarise(records, seconds)
    failures = [r for r in records if not r["ok"]]
    own = server_side(Path(str(base) + "-server.log"), plan,
                      skip=len(PAGES) * 2 * plan["workers"])
    return {
        "server_side": own,
        "run": {"database": args.database, "started": started, "users": args.users,
                "seconds": seconds, "think": args.think, "workers": args.workers,
                "start_together": args.start_together, "threads": args.threads,
                "load": sampler.loads,
                "server_cpu_s": sampler.cpu_end - sampler.cpu_start,
                "database_cpu_s": sampler.db_end - sampler.db_start,
                "warm_up_statuses": statuses, "sign_in_ms": measured.get("sign_in_ms", [])},
        "rows": rows, "verdict": verdict(rows),
        "failure_examples": sorted({f"{r['page']}: {r['why']}" for r in failures})[:5],
    }


def profile_summary(path: Path) -> str:
    report = json.loads(path.read_text())
    parts = list(BREAKDOWN)
    lines = ["Profile, one request at a time in one process (Django test client; ms per "
             f"request, cProfile over {PROFILED} requests, so inflated by the profiler):", "",
             "| page | median ms of 5 (no profiler) | SQL statements | SELECTs re-run, all rows "
             "fetched, ms | bytes | "
             + " | ".join(parts) + " |", "|---" * (5 + len(parts)) + "|"]
    for name, page in report.items():
        spent = page["profiled_ms_per_request"]
        lines.append(f"| {name} | {page['median_ms_of_5']:.0f} | {page['sql_statements']} | "
                     f"{page.get('select_ms_rerun', page['sql_ms']):.0f} | {page['bytes']:,} | "
                     + " | ".join(f"{spent[p]:.0f}" for p in parts) + " |")
    return "\n".join(lines)


def report(base: Path) -> None:
    """Write a run's Markdown again from its saved files (after the tables change)."""
    result = json.loads(Path(f"{base}.json").read_text())
    plan = json.loads(Path(f"{base}-plan.json").read_text())
    measured = json.loads(Path(plan["results"]).read_text())
    result["rows"] = summarise(measured["records"], measured["seconds"])
    result["verdict"] = verdict(result["rows"])
    result["server_side"] = server_side(Path(f"{base}-server.log"), plan,
                                        skip=len(PAGES) * 2 * plan["workers"])
    text = markdown(result)
    if Path(f"{base}-profile.json").exists():
        text += "\n\n" + profile_summary(Path(f"{base}-profile.json"))
    Path(f"{base}.json").write_text(json.dumps(result, indent=1))
    Path(f"{base}.md").write_text(text + "\n")
    print(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, nargs=2, default=[1.0, 3.0],
                        metavar=("MIN", "MAX"), help="seconds between pages (0 0: none)")
    parser.add_argument("--start-together", action="store_true",
                        help="every user asks for a first page in the same instant (a burst; "
                             "the first runs' way) instead of after a think time")
    parser.add_argument("--families", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--data", default="/tmp/joinedup-web-bench")  # noqa: S108 - synthetic data kept between runs
    parser.add_argument("--pg-port", type=int, default=54331)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--case-url", default="/children/{}/",
                        help="address of a child's case page ({} is the child)")
    parser.add_argument("--chronology-url", default="/children/{}/chronology/",
                        help="address of a child's chronology ({} is the child)")
    parser.add_argument("--step", choices=("prepare", "users", "profile", "report"),
                        help=argparse.SUPPRESS)
    parser.add_argument("step_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "prepare":
        step_prepare(int(args.step_args[0]), Path(args.step_args[1]), Path(args.step_args[2]))
    elif args.step == "users":
        step_users(int(args.step_args[0]), args.step_args[1])
    elif args.step == "profile":
        step_profile(Path(args.step_args[0]), Path(args.step_args[1]))
    elif args.step == "report":
        report(Path(args.step_args[0]))
    else:
        run(args)


if __name__ == "__main__":
    main()
