"""Agency systems submitting returns through the API at the same time.

    .venv/bin/python benchmarks/api_load.py --database sqlite|postgresql --agencies 10
        --seconds 60 [--people 20] [--events 200] [--workers 2] [--threads 4]

A fresh database (a new SQLite data folder; for PostgreSQL, a throwaway server of its own,
``initdb -A trust`` as the postgres user on 127.0.0.1:--pg-port, default 54334, stopped at
the end) with --agencies agencies (HV01, HV02, ...) and a submit key each. The real server
(gunicorn, as ``joinedup serve``: --workers processes of --threads threads) on loopback,
then one client thread per agency, each sending for --seconds one new canonical JSON return
after another (--people people, --events events, ids no other return has, a new
Idempotency-Key each). A ``503 busy`` (or ``429``) is sent again with the same key after
``Retry-After``, as a supplier's system should: every attempt is counted, and a return's
latency is that of the request that was answered. Returns still being sent when the time is
up are waited for and counted.

Afterwards the database is checked return by return: every return answered ``201`` has all
its people and events, each exactly once, in the submission the answer named; no submission
holds fewer or more events than its own counts say; nothing is stored of a return that was
not acknowledged.

The load itself holds /tmp/joinedup-bench.lock (exclusive), so it does not overlap other
benchmarks or tests that take it shared. Results go to benchmarks/out/api-load-<database>-
<time>.json and .md, and to stdout as Markdown.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.reliability.agency_systems import (  # noqa: E402
    Installation,
    Server,
    canonical_return,
    post,
)

OUT = REPO / "benchmarks" / "out"
LOCK = Path("/tmp/joinedup-bench.lock")  # noqa: S108 - one well-known lock so benchmarks queue
PG_BIN = Path("/usr/lib/postgresql/15/bin")


class Postgres:
    """A throwaway PostgreSQL server owned by the postgres user, on loopback."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True,
                       stdout=subprocess.DEVNULL)

    def start(self) -> None:
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

    def version(self) -> str:
        done = subprocess.run([str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port),
                               "-U", "postgres", "-tAc", "SHOW server_version"],
                              check=True, capture_output=True, text=True)
        return done.stdout.strip()


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


class Systems:
    """One thread per agency, each sending new returns until the time is up."""

    def __init__(self, installation: Installation, base: str, people: int,
                 events: int) -> None:
        self.installation, self.base = installation, base
        self.people, self.events = people, events
        self.returns: list[dict[str, Any]] = []
        self.attempts: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def system(self, agency: str, until: float) -> None:
        key = self.installation.keys[agency]
        sequence = 0
        while time.monotonic() < until:
            sequence += 1
            tag = f"{agency}R{sequence}"
            body = canonical_return(tag, self.people, self.events)
            one: dict[str, Any] = {"agency": agency, "tag": tag, "sent_again": 0}
            while True:
                answer = post(self.base, key, body, f"{agency}-return-{sequence}")
                with self.lock:
                    self.attempts.append({"status": answer.status, "ms": answer.seconds * 1000})
                if answer.status in (429, 503) and one["sent_again"] < 100:
                    one["sent_again"] += 1
                    time.sleep(answer.retry_after or 0.2)
                    continue
                break
            one.update(status=answer.status, ms=answer.seconds * 1000,
                       submission=answer.body.get("id") if answer.status == 201 else None,
                       replayed=answer.replayed)
            with self.lock:
                self.returns.append(one)

    def run(self, seconds: float) -> float:
        started = time.monotonic()
        until = started + seconds
        threads = [threading.Thread(target=self.system, args=(agency, until))
                   for agency in sorted(self.installation.keys)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.monotonic() - started


def verify(installation: Installation, systems: Systems) -> dict[str, Any]:
    held = installation.check([{"agency": r["agency"], "tag": r["tag"]}
                               for r in systems.returns])
    problems = []
    for sent, stored in zip(systems.returns, held["returns"], strict=True):
        if sent["status"] == 201:
            if not (stored["events"] == stored["distinct_events"] == systems.events
                    and stored["people"] == systems.people
                    and stored["event_submissions"] == [sent["submission"]]):
                problems.append({"tag": sent["tag"], "acknowledged": True, **stored})
        elif stored["events"] or stored["people"]:
            problems.append({"tag": sent["tag"], "acknowledged": False, **stored})
    accepted = sum(r["status"] == 201 for r in systems.returns)
    return {"accepted": accepted, "problems": problems, "half_loaded": held["half_loaded"],
            "submissions": held["submissions"], "events": held["events"],
            "people": held["people"],
            "exact": (not problems and not held["half_loaded"]
                      and held["submissions"] == accepted
                      and held["events"] == accepted * systems.events
                      and held["people"] == accepted * systems.people
                      and held["keys_without_answer"] == 0)}


def summary(systems: Systems, seconds: float, check: dict[str, Any]) -> dict[str, Any]:
    answered = [r for r in systems.returns if r["status"] == 201]
    ms = [r["ms"] for r in answered]
    return {
        "returns_sent": len(systems.returns),
        "requests": len(systems.attempts),
        "accepted": len(answered),
        "statuses_of_requests": dict(sorted(Counter(str(a["status"])
                                                    for a in systems.attempts).items())),
        "statuses_of_returns": dict(sorted(Counter(str(r["status"])
                                                   for r in systems.returns).items())),
        "returns_sent_again": sum(1 for r in systems.returns if r["sent_again"]),
        "most_sent_again": max((r["sent_again"] for r in systems.returns), default=0),
        "seconds": round(seconds, 1),
        "returns_per_s": round(len(answered) / seconds, 2),
        "events_per_s": round(len(answered) * systems.events / seconds, 1),
        "rows_per_s": round(len(answered) * (systems.events + systems.people) / seconds, 1),
        "p50_ms": round(percentile(ms, 50)) if ms else None,
        "p95_ms": round(percentile(ms, 95)) if ms else None,
        "max_ms": round(max(ms)) if ms else None,
        "check": check,
    }


def markdown(result: dict[str, Any]) -> str:
    run, s, m = result["run"], result["summary"], result["machine"]
    check = s["check"]
    lines = [
        f"**{run['database_version']}**, {run['agencies']} agency systems for "
        f"{run['seconds']} s, returns of {run['people']} people and {run['events']} events; "
        f"server: {run['workers']} processes x {run['threads']} threads. {run['date']}; "
        f"machine {m['node']}: {m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB, "
        f"{m['platform']}, Python {m['python']}; load average before {run['load_before']}.",
        "",
        "| returns sent | accepted (201) | requests | status of every request | sent again "
        "(503/429, same key) | returns/s | events/s | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| {s['returns_sent']} | {s['accepted']} | {s['requests']} | "
        + ", ".join(f"{k}: {v}" for k, v in s["statuses_of_requests"].items())
        + f" | {s['returns_sent_again']} returns (at most {s['most_sent_again']} times) | "
        f"{s['returns_per_s']} | {s['events_per_s']} | {s['p50_ms']} | {s['p95_ms']} | "
        f"{s['max_ms']} |",
        "",
        f"Afterwards: {check['submissions']} submissions, {check['events']} events, "
        f"{check['people']} person records; every accepted return present exactly once: "
        f"**{'yes' if check['exact'] else 'NO'}** (problems: {len(check['problems'])}, "
        f"half-loaded submissions: {len(check['half_loaded'])}).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--agencies", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pg-port", type=int, default=54334)
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    base = OUT / f"api-load-{args.database}-{stamp}"
    root = Path(tempfile.mkdtemp(prefix="joinedup-api-load-"))
    os.chmod(root, 0o755)  # noqa: S103 - the postgres user must enter it; holds no secret
    pg = Postgres(root / "pg", args.pg_port) if args.database == "postgresql" else None
    try:
        if pg:
            pg.start()
        installation = Installation.create(root / "site", args.agencies,
                                           postgres_server=pg.url if pg else None)
        server = Server(installation, args.workers, args.threads,
                        log=Path(str(base) + "-server.log"))
        with LOCK.open("a") as lock:
            print(f"Waiting for {LOCK}...", flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
            load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
            server.start()
            try:
                systems = Systems(installation, server.base, args.people, args.events)
                seconds = systems.run(args.seconds)
            finally:
                server.stop()
        check = verify(installation, systems)
        version = f"PostgreSQL {pg.version()}" if pg else f"SQLite {machine()['sqlite']}"
        result = {
            "run": {"database": args.database, "database_version": version,
                    "agencies": args.agencies, "seconds": args.seconds,
                    "people": args.people, "events": args.events, "workers": args.workers,
                    "threads": args.threads, "load_before": load_before,
                    "date": dt.datetime.now(dt.UTC).strftime("%d %B %Y %H:%M UTC")},
            "machine": machine(),
            "summary": summary(systems, seconds, check),
        }
        installation.remove()
        text = markdown(result)
        Path(str(base) + ".json").write_text(json.dumps(result, indent=1))
        Path(str(base) + ".md").write_text(text + "\n")
        print(text)
        print(f"\nWritten to {base}.md and .json")
        if not check["exact"]:
            raise SystemExit("the database does not hold exactly what was acknowledged")
    finally:
        if pg:
            pg.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
