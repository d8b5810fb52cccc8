"""The server killed (SIGKILL, arbiter and workers at once) while agency systems are sending
returns, then started again: every return it acknowledged is there in full, none is
half-loaded, and sending every request again with its Idempotency-Key loads each return
exactly once (docs/reliability.md, "Faults").

On SQLite always; on PostgreSQL too when JOINEDUP_TEST_POSTGRES_URL names a server (a
database of its own is made on it and dropped afterwards)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.agency_systems import Answer, Installation, Server, canonical_return, post

pytestmark = pytest.mark.slow

AGENCIES = 3
CLIENTS = 6
PEOPLE, EVENTS = 50, 600
ACKNOWLEDGED_BEFORE_KILL = 6


@pytest.fixture(params=["sqlite", "postgresql"])
def installation(request: pytest.FixtureRequest,
                 tmp_path: Path) -> Iterator[Installation]:
    server = None
    if request.param == "postgresql":
        server = os.environ.get("JOINEDUP_TEST_POSTGRES_URL")
        if not server:
            if os.environ.get("CI") == "true":
                pytest.fail("CI must run the PostgreSQL installation: set "
                            "JOINEDUP_TEST_POSTGRES_URL")
            pytest.skip("needs PostgreSQL: set JOINEDUP_TEST_POSTGRES_URL")
    made = Installation.create(tmp_path / "site", AGENCIES, postgres_server=server)
    try:
        yield made
    finally:
        made.remove()


class Systems:
    """CLIENTS threads, each an agency's system sending one new return after another until
    the server stops answering; what each request got is kept, in order."""

    def __init__(self, installation: Installation, base: str) -> None:
        self.installation, self.base = installation, base
        self.sent: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.stopped = threading.Event()

    def acknowledged(self) -> int:
        with self.lock:
            return sum(1 for one in self.sent if one["answer"] and one["answer"].status == 201)

    def system(self, number: int) -> None:
        agency = sorted(self.installation.keys)[number % AGENCIES]
        key = self.installation.keys[agency]
        sequence = 0
        while not self.stopped.is_set():
            sequence += 1
            tag = f"S{number}R{sequence}"
            one: dict[str, Any] = {"agency": agency, "tag": tag, "key": key,
                                   "idempotency": f"system-{number}-return-{sequence}",
                                   "body": canonical_return(tag, PEOPLE, EVENTS),
                                   "answer": None, "busy": 0}
            with self.lock:
                self.sent.append(one)
            while True:
                answer = post(self.base, key, one["body"], one["idempotency"])
                if answer.status == 503:  # SQLite busy: try again with the same key
                    one["busy"] += 1
                    time.sleep(answer.retry_after or 0.2)
                    continue
                break
            one["answer"] = answer
            if answer.status != 201:
                return

    def run_until(self, server: Server) -> None:
        threads = [threading.Thread(target=self.system, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 40
        while self.acknowledged() < ACKNOWLEDGED_BEFORE_KILL and time.monotonic() < deadline:
            time.sleep(0.02)
        server.kill()
        self.stopped.set()
        for thread in threads:
            thread.join(timeout=60)


def test_acknowledged_returns_survive_a_kill_and_retries_load_once(
        installation: Installation, tmp_path: Path) -> None:
    server = Server(installation, workers=2, threads=4, log=tmp_path / "server.log")
    server.start()
    systems = Systems(installation, server.base)
    try:
        systems.run_until(server)
        sent = systems.sent
        acked = [one for one in sent if one["answer"].status == 201]
        cut = [one for one in sent if one["answer"].status == 0]
        assert len(acked) >= ACKNOWLEDGED_BEFORE_KILL, [o["answer"] for o in sent]
        assert cut, "the kill caught no request in flight"
        assert {one["answer"].status for one in sent} <= {0, 201}, [o["answer"] for o in sent]

        scratch = installation.folder / "var" / "scratch"
        cut_off_copies = {p.name for p in scratch.iterdir()}  # the returns being received
        server.start()  # a new server on the same database, after the crash
        expected = [{"agency": o["agency"], "tag": o["tag"]} for o in sent]
        after_kill = installation.check(expected)
        assert after_kill["half_loaded"] == []
        assert after_kill["events_without_submission"] == 0
        assert after_kill["keys_without_answer"] == 0
        stored_before_retry = 0
        for one, held in zip(sent, after_kill["returns"], strict=True):
            if one["answer"].status == 201:
                # acknowledged: present, complete, in the submission the answer named
                assert held["events"] == held["distinct_events"] == EVENTS, held
                assert held["people"] == PEOPLE, held
                assert held["event_submissions"] == [one["answer"].body["id"]], held
                assert one["answer"].body["counts"]["rows_loaded"] == PEOPLE + EVENTS
            else:
                # cut off: all of it (stored, the answer lost) or none of it, never part
                assert (held["events"], held["people"]) in ((0, 0), (EVENTS, PEOPLE)), held
            stored_before_retry += held["events"] == EVENTS
        assert after_kill["submissions"] == stored_before_retry
        assert after_kill["idempotency_keys"] == stored_before_retry

        retried = [_retry(server.base, one) for one in sent]
        for one, answer in zip(sent, retried, strict=True):
            assert answer.status == 201, answer
            if one["answer"].status == 201:
                assert answer.replayed and answer.body == one["answer"].body
        # each new return received swept up the copies the killed server left behind
        assert sorted(p.name for p in scratch.iterdir()) == [], cut_off_copies
        replayed_unacknowledged = sum(1 for one, answer in zip(sent, retried, strict=True)
                                      if one["answer"].status == 0 and answer.replayed)
        assert stored_before_retry == len(acked) + replayed_unacknowledged

        final = installation.check(expected)
        assert final["submissions"] == len(sent) == final["idempotency_keys"]
        assert final["events"] == len(sent) * EVENTS
        assert final["people"] == len(sent) * PEOPLE
        assert final["half_loaded"] == [] and final["keys_without_answer"] == 0
        ids = [answer.body["id"] for answer in retried]
        assert len(set(ids)) == len(sent)
        for held, submission in zip(final["returns"], ids, strict=True):
            assert held["events"] == held["distinct_events"] == EVENTS
            assert held["event_submissions"] == [submission]
        vendor = "PostgreSQL" if installation.drop else "SQLite"
        print(f"\n{vendor}: "
              f"{len(sent)} requests, {len(acked)} acknowledged before the kill, {len(cut)} "
              f"cut off ({replayed_unacknowledged} of them stored, answer lost); "
              f"busy answers retried: {sum(o['busy'] for o in sent)}")
    finally:
        server.stop()


def _retry(base: str, one: dict[str, Any]) -> Answer:
    while True:
        answer = post(base, one["key"], one["body"], one["idempotency"])
        if answer.status != 503:
            return answer
        time.sleep(answer.retry_after or 0.2)
