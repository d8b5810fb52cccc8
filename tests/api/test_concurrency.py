"""Requests racing each other on a real server (gunicorn, two processes, threads, SQLite
file): one idempotency key loads once however many requests carry it at the same moment."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import free_port

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

RACERS = 6


def _env(data: Path) -> dict[str, str]:
    env = {**os.environ, "JOINEDUP_DATA_DIR": str(data), "JOINEDUP_DEVELOPMENT": "1",
           "JOINEDUP_API_RATE_PER_MINUTE": "1000"}
    env.pop("JOINEDUP_DATABASE_URL", None)
    return env


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr
    return done.stdout



@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A data folder with agency HV and a submit key, served by gunicorn on loopback."""
    env = _env(tmp_path_factory.mktemp("race") / "var")
    _run(env, "-m", "joinedup", "init")
    _run(env, "-m", "joinedup", "agency", "add", "HV", "--name", "Health Visiting", "--kind",
         "HEALTH_VISITING", "--area", "E08000007")
    made = _run(env, "-c", "import sys; from joinedup.cli.api_commands import api_key_app; "
                           "sys.argv[0] = 'api-key'; api_key_app()",
                "create", "--agency", "HV", "--scope", "submit", "--name", "Race test")
    key = made.strip().splitlines()[-1]
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "joinedup.web.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--worker-class", "gthread",
         "--timeout", "120"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=10) as answer:
                    if answer.status == 200:
                        break
            except OSError:  # not listening yet, or still starting
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield {"base": base, "key": key, "env": env}
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _post(base: str, key: str, body: bytes, idempotency: str | None) -> tuple[int, Any, str]:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    if idempotency:
        headers["Idempotency-Key"] = idempotency
    request = urllib.request.Request(f"{base}/api/v1/submissions", data=body, headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, json.loads(answer.read()), \
                answer.headers.get("Idempotent-Replayed", "")
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read()), ""


def _race(base: str, key: str, body: bytes, idempotency: str | None
          ) -> list[tuple[int, Any, str]]:
    start = threading.Barrier(RACERS)
    answers: list[tuple[int, Any, str]] = []
    lock = threading.Lock()

    def racer() -> None:
        start.wait()
        answer = _post(base, key, body, idempotency)
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=racer) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return answers


def _return(events: int, tag: str) -> bytes:
    people = [{"person_id": f"{tag}P{i}", "family_name": "Walker", "given_name": "Ava",
               "date_of_birth": "2024-01-01"} for i in range(events // 4)]
    rows = [{"event_id": f"{tag}E{i}", "person_id": f"{tag}P{i % (events // 4)}",
             "event_type": "HV_VISIT", "occurred_at": "2025-01-10",
             "recorded_at": "2025-01-12", "summary": f"Visit {i}"} for i in range(events)]
    return json.dumps({"people": people, "events": rows}).encode()


def _stored(env: dict[str, str]) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = json.loads(
        _run(env, "-m", "joinedup", "submissions", "list", "--format", "json"))
    return listed


def test_racing_requests_with_one_key_load_once(server: dict[str, Any]) -> None:
    before = len(_stored(server["env"]))
    body = _return(4000, "A")
    answers = _race(server["base"], server["key"], body, "nightly-2025-03-01")
    assert len(answers) == RACERS
    assert {status for status, _, _ in answers} == {201}, answers
    assert len({json.dumps(answer, sort_keys=True) for _, answer, _ in answers}) == 1
    assert sum(1 for *_, replayed in answers if replayed == "true") == RACERS - 1
    stored = _stored(server["env"])
    assert len(stored) == before + 1 and stored[0]["rows_loaded"] == 5000


def test_racing_requests_without_a_key_still_store_the_content_once(
        server: dict[str, Any]) -> None:
    before = len(_stored(server["env"]))
    answers = _race(server["base"], server["key"], _return(2000, "B"), None)
    statuses = sorted(status for status, _, _ in answers)
    assert statuses == [200] * (RACERS - 1) + [201], answers
    assert len({answer["id"] for _, answer, _ in answers}) == 1
    assert {answer["status"] for s, answer, _ in answers if s == 200} == {"already_received"}
    assert len(_stored(server["env"])) == before + 1
