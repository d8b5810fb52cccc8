"""The simulated practitioners of benchmarks/web.py (run by it through locust, headless).

Each user signs in once as its own benchmark user. When every user has signed in the
measured window opens: each user first waits a think time (as if it had just read another
page: without it all the users asked for their first page in the same instant, a burst no
team of practitioners makes; ``--start-together`` keeps that burst), then for the plan's
seconds opens one of four pages (equally often), waits the think time, and opens another.
When the time is up no new page is started, the pages in flight are waited for, and every
page's latency is written to the plan's results file as JSON; then locust is stopped.
Latency is the client's: from sending the request to having read the whole page.

A request sent on a kept-alive connection that the server closes at that moment (gunicorn
closes a connection idle for 2 s, and users think for 1 to 3 s) gets no answer at all; a
browser then sends it again on a new connection, and so does this user, once. Such a page is
counted as retried (its latency includes both tries), not as failed; any other request that
gets no answer, or anything but a 200 carrying the page, is a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import gevent
from gevent.event import Event
from locust import HttpUser, between, constant, events, task

PLAN = json.loads(Path(os.environ["JOINEDUP_WEB_BENCH_PLAN"]).read_text())
BIG, OTHERS = PLAN["big_child"], PLAN["population_children"]
CASE, CHRONOLOGY = PLAN["case_url"], PLAN["chronology_url"]
SIGN_IN_PAGE = b'name="password"'
RETRIED = "the server closed the kept-alive connection before answering; sent again"

_numbers = itertools.count()
_ready = Event()
_state: dict[str, Any] = {"signed_in": 0, "stopping": False, "in_flight": 0, "start": 0.0}
_records: list[dict[str, Any]] = []
_sign_in_ms: list[float] = []


def _open_window(environment: Any) -> None:
    _state["start"] = time.monotonic()
    Path(PLAN["results"] + ".open").touch()  # for benchmarks/web.py's CPU sampler
    _ready.set()
    gevent.spawn_later(PLAN["seconds"], _close_window, environment)


def _close_window(environment: Any) -> None:
    _state["stopping"] = True
    seconds = time.monotonic() - _state["start"]
    deadline = time.monotonic() + 60
    while _state["in_flight"] and time.monotonic() < deadline:
        gevent.sleep(0.05)
    Path(PLAN["results"]).write_text(json.dumps({
        "seconds": seconds, "records": _records, "sign_in_ms": _sign_in_ms,
        "unfinished": _state["in_flight"]}))
    environment.runner.quit()


class Practitioner(HttpUser):
    wait_time = constant(0) if max(PLAN["think"]) == 0 else between(*PLAN["think"])

    def on_start(self) -> None:
        username = PLAN["usernames"][next(_numbers) % len(PLAN["usernames"])]
        start = time.perf_counter()
        self.client.get("/sign-in/", name="sign in")
        response = self.client.post("/sign-in/", name="sign in", allow_redirects=False, data={
            "username": username, "password": PLAN["password"],
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")})
        _sign_in_ms.append((time.perf_counter() - start) * 1000)
        if response.status_code != 302:
            raise RuntimeError(f"{username} could not sign in ({response.status_code})")
        _state["signed_in"] += 1
        if _state["signed_in"] == PLAN["users"]:
            _open_window(self.environment)
        _ready.wait()
        if max(PLAN["think"]) > 0 and not PLAN.get("start_together"):
            # arrive as from a page read, not all at once
            gevent.sleep(random.uniform(*PLAN["think"]))

    def _open(self, page: str, url: str) -> None:
        if _state["stopping"]:
            gevent.sleep(1)
            return
        _state["in_flight"] += 1
        try:
            start = time.perf_counter()
            why, body = self._get(page, url, retry=True)
            retried = why == RETRIED
            if retried:  # as a browser does: send it again once, on a new connection
                why, body = self._get(page, url, retry=False)
            _records.append({"page": page, "ms": (time.perf_counter() - start) * 1000,
                             "ok": not why, "why": why, "retried": retried,
                             "at": time.monotonic() - _state["start"], "bytes": len(body)})
        finally:
            _state["in_flight"] -= 1

    def _get(self, page: str, url: str, retry: bool) -> tuple[str, bytes]:
        """One request: what was wrong with it ("" when nothing) and the page."""
        with self.client.get(url, name=page, allow_redirects=False,
                             catch_response=True) as response:
            body = response.content or b""
            why = ""
            if response.status_code == 0:  # no answer: the connection failed
                error = repr(response.error)
                idle = "RemoteDisconnected" in error or "Connection reset" in error
                why = RETRIED if retry and idle else f"no response: {error}"[:300]
            elif response.status_code != 200:
                why = f"status {response.status_code}"
            elif SIGN_IN_PAGE in body or b"<h1" not in body:
                why = "not the page"
            if why:
                response.failure(why)
            else:
                response.success()
        return why, body

    @task
    def big_child_case(self) -> None:
        self._open("case page, 2,000-event child", CASE.format(BIG))

    @task
    def big_child_chronology(self) -> None:
        self._open("chronology, 2,000-event child", CHRONOLOGY.format(BIG))

    @task
    def population_case(self) -> None:
        self._open("case page, population child", CASE.format(random.choice(OTHERS)))

    @task
    def population_chronology(self) -> None:
        self._open("chronology, population child", CHRONOLOGY.format(random.choice(OTHERS)))


@events.quitting.add_listener
def _quitting(environment: Any, **kwargs: Any) -> None:
    if not _state["stopping"]:  # stopped by locust's own time limit: the plan was not kept
        Path(PLAN["results"]).write_text(json.dumps({
            "seconds": time.monotonic() - _state["start"] if _state["start"] else 0.0,
            "records": _records, "sign_in_ms": _sign_in_ms, "incomplete": True}))
