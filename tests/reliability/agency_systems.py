"""Simulated agency systems sending returns to a real joinedup server, and the checks of
what the database holds afterwards. Shared by the fault test (test_kill_during_submissions)
and the load benchmark (benchmarks/api_load.py).

- ``Installation``: a database of its own (a SQLite data folder, or a new database on a
  PostgreSQL server), initialised, with agencies and a submit key each.
- ``Server``: gunicorn serving it on loopback, in a process group of its own so that the
  whole server (arbiter and workers) can be killed at once.
- ``canonical_return``: a fresh return whose people and events carry ids no other return has.
- ``post``: one ``POST /api/v1/submissions`` as an agency's system sends it.
- ``check_database``: what the database holds, return by return (run in a process of its
  own, with the installation's environment, through Django's ORM).

Run as a script it is the in-database half: ``setup N`` (agencies HV01..HVnn and a submit
key each, printed as JSON) and ``check`` (reads the expected returns as JSON on stdin).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
HERE = str(Path(__file__).resolve())


@dataclass
class Installation:
    """One joinedup installation: its environment, its agencies and their keys."""

    folder: Path
    env: dict[str, str]
    keys: dict[str, str] = field(default_factory=dict)
    drop: str = ""
    """The PostgreSQL server URL to drop the database from afterwards ('' for SQLite)."""

    @classmethod
    def create(cls, folder: Path, agencies: int, postgres_server: str | None = None,
               rate_per_minute: int = 100_000) -> Installation:
        """A new installation in ``folder`` (with a new database on ``postgres_server``, a
        URL such as postgresql://postgres@127.0.0.1:54334/postgres, when given)."""
        folder.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items()
               if k not in ("JOINEDUP_DATABASE_URL", "JOINEDUP_DATA_DIR")}
        env.update({"JOINEDUP_DATA_DIR": str(folder / "var"), "JOINEDUP_DEVELOPMENT": "1",
                    "JOINEDUP_API_RATE_PER_MINUTE": str(rate_per_minute),
                    "PYTHONPATH": str(REPO)})
        drop = ""
        if postgres_server:
            database = f"jd_rel_{uuid.uuid4().hex[:12]}"
            _admin(postgres_server, f'CREATE DATABASE "{database}"')
            env["JOINEDUP_DATABASE_URL"] = f"{postgres_server.rsplit('/', 1)[0]}/{database}"
            drop = postgres_server
        made = cls(folder, env, drop=drop)
        made.run("-m", "joinedup", "init")
        made.keys = json.loads(made.run(HERE, "setup", str(agencies)))
        return made

    def run(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run([sys.executable, *args], env=self.env, cwd=REPO, input=stdin,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{' '.join(args)}: {done.stderr}"
        return done.stdout

    def check(self, sent: list[dict[str, Any]]) -> dict[str, Any]:
        """``check_database`` in the installation's database."""
        report: dict[str, Any] = json.loads(self.run(HERE, "check", stdin=json.dumps(sent)))
        return report

    def remove(self) -> None:
        if self.drop:
            database = self.env["JOINEDUP_DATABASE_URL"].rsplit("/", 1)[1]
            _admin(self.drop, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """gunicorn serving an installation on loopback (gthread workers, as ``joinedup serve``),
    started in a new session: its process group holds the arbiter and every worker."""

    def __init__(self, installation: Installation, workers: int = 2, threads: int = 4,
                 log: Path | None = None) -> None:
        self.installation, self.workers, self.threads = installation, workers, threads
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.base = ""

    def start(self, port: int | None = None) -> None:
        port = port or free_port()
        if self.log:
            with self.log.open("ab") as output:  # the server keeps its own copy
                self._spawn(port, output)
        else:
            self._spawn(port, subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/health", timeout=10) as answer:
                    if answer.status == 200:
                        return
            except OSError:  # not listening yet
                pass
            assert self.process is not None
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)

    def _spawn(self, port: int, output: Any) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "joinedup.web.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", str(self.workers), "--threads",
             str(self.threads), "--worker-class", "gthread", "--timeout", "120"],
            env=self.installation.env, cwd=REPO, stdout=output, stderr=output,
            start_new_session=True)

    def kill(self) -> None:
        """SIGKILL to the whole process group, as a power cut or the OOM killer would."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def canonical_return(tag: str, people: int, events: int) -> bytes:
    """A return of ``people`` people and ``events`` events whose ids all start with ``tag``
    (so a return's rows can be counted in the database by their source ids)."""
    persons = [{"person_id": f"{tag}-P{i}", "given_name": "Ava", "family_name": f"Walker{i}",
                "date_of_birth": "2024-01-01", "sex": "F"} for i in range(people)]
    rows = [{"event_id": f"{tag}-E{i}", "person_id": f"{tag}-P{i % people}",
             "event_type": "HV_VISIT", "occurred_at": "2025-01-10", "recorded_at": "2025-01-12",
             "summary": f"Home visit {i}"} for i in range(events)]
    return json.dumps({"people": persons, "events": rows}).encode()


@dataclass
class Answer:
    status: int
    """The HTTP status, or 0 when no answer came (connection refused or dropped)."""
    body: Any
    replayed: bool
    retry_after: float
    seconds: float


def post(base: str, key: str, body: bytes, idempotency: str, timeout: float = 120) -> Answer:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json",
               "Idempotency-Key": idempotency}
    request = urllib.request.Request(f"{base}/api/v1/submissions", data=body, headers=headers,
                                     method="POST")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            content = answer.read()
            return Answer(answer.status, json.loads(content),
                          answer.headers.get("Idempotent-Replayed") == "true", 0,
                          time.perf_counter() - started)
    except urllib.error.HTTPError as refused:
        content = refused.read()
        try:
            parsed = json.loads(content)
        except ValueError:
            parsed = content.decode(errors="replace")
        return Answer(refused.code, parsed, False,
                      float(refused.headers.get("Retry-After") or 0),
                      time.perf_counter() - started)
    except (OSError, ValueError) as lost:  # refused, reset, cut short: no answer
        return Answer(0, repr(lost), False, 0, time.perf_counter() - started)


# ---------------------------------------------------------------- in the database's process

def _setup(agencies: int) -> dict[str, str]:
    from joinedup import database

    database.open_database()
    from joinedup.agencies.registry import register_agency
    from joinedup.api import credentials

    keys = {}
    for number in range(1, agencies + 1):
        code = f"HV{number:02d}"
        register_agency(code, f"Health Visiting {number}", "HEALTH_VISITING", "E08000007")
        keys[code] = credentials.create(code, "submit", f"Simulated system {number}",
                                        by="reliability-test").key
    return keys


def check_database(sent: list[dict[str, Any]]) -> dict[str, Any]:
    """What the database holds, for the returns ``sent`` (each a dict with agency, tag,
    people, events and, when it was acknowledged, the submission id of its 201).

    For each sent return: how many of its people and events are stored, how many distinct,
    in which submissions. Across the database: submissions whose stored rows differ from
    their own counts (half-loaded), events and person versions of no submission, and
    idempotency keys stored without an answer."""
    from joinedup import database

    database.open_database()
    from django.db.models import Count

    from joinedup.agencies.models import Submission
    from joinedup.api.models import IdempotencyKey
    from joinedup.chronology.models import Event
    from joinedup.people.models import PersonRecord

    per_submission_events = dict(Event.objects.values_list("submission_id")
                                 .annotate(n=Count("id")).values_list("submission_id", "n"))
    half_loaded = []
    for submission in Submission.objects.all():
        counted = (submission.counts or {}).get("events", {})
        expected = counted.get("new", 0) + counted.get("corrected", 0)
        if per_submission_events.get(submission.pk, 0) != expected:
            half_loaded.append(submission.pk)
    returns = []
    for one in sent:
        prefix = f"{one['tag']}-"
        events = Event.objects.filter(agency__code=one["agency"], source_id__startswith=prefix)
        people = PersonRecord.objects.filter(agency__code=one["agency"],
                                             source_id__startswith=prefix)
        returns.append({
            "tag": one["tag"],
            "events": events.count(),
            "distinct_events": events.values("source_id").distinct().count(),
            "people": people.count(),
            "event_submissions": sorted(set(events.values_list("submission_id", flat=True))),
        })
    return {
        "submissions": Submission.objects.count(),
        "events": Event.objects.count(),
        "people": PersonRecord.objects.count(),
        "half_loaded": half_loaded,
        "events_without_submission": Event.objects.exclude(
            submission_id__in=Submission.objects.values("pk")).count(),
        "keys_without_answer": IdempotencyKey.objects.filter(status_code=0).count(),
        "idempotency_keys": IdempotencyKey.objects.count(),
        "returns": returns,
    }


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        print(json.dumps(_setup(int(sys.argv[2]))))
    elif sys.argv[1] == "check":
        print(json.dumps(check_database(json.load(sys.stdin))))
    else:
        raise SystemExit(f"unknown step {sys.argv[1]!r}")
