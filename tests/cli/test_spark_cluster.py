"""The rules and linkage on a Spark cluster, not Spark inside joinedup's own process.

A Spark standalone cluster (a master and one worker, each its own Java process, from the
pyspark package) is started on loopback; ``JOINEDUP_SPARK_MASTER`` points the commands at
it, so the work runs in an executor the worker launches, reading the files joinedup hands
over from the folder ``JOINEDUP_SPARK_SCRATCH`` names, as on a real cluster (where that
folder is one every node mounts at the same path).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import free_port, require_spark

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.sqlite_only]


def _wait_for(log: Path, text: str, process: subprocess.Popen[bytes], seconds: int = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in log.read_text("utf-8", errors="replace"):
            return
        if process.poll() is not None:
            break
        time.sleep(0.5)
    pytest.fail(f"the Spark cluster did not start ({text!r} not in {log.name}):\n"
                + log.read_text("utf-8", errors="replace")[-3000:])


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A standalone Spark master and worker on 127.0.0.1: its URL and the master's log."""
    require_spark()
    import pyspark

    home = Path(pyspark.__file__).parent
    logs = tmp_path_factory.mktemp("spark-cluster")
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1"}
    url = f"spark://127.0.0.1:{free_port()}"
    started: list[subprocess.Popen[bytes]] = []
    try:
        for name, args in (
                ("master", ["org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                            "--port", url.rsplit(":", 1)[1], "--webui-port", "0"]),
                ("worker", ["org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                            "--cores", "2", "--memory", "1g", "--webui-port", "0",
                            "--work-dir", str(logs / "work"), url])):
            with (logs / f"{name}.log").open("wb") as out:
                started.append(subprocess.Popen(
                    [str(home / "bin" / "spark-class"), *args], env=env, stdout=out,
                    stderr=subprocess.STDOUT, start_new_session=True))
        _wait_for(logs / "worker.log", "Successfully registered with master", started[-1])
        yield url, logs / "master.log"
    finally:
        for process in reversed(started):  # the worker takes its executors with it
            with contextlib.suppress(ProcessLookupError):  # it may have stopped already
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)


def _joinedup(data: Path, *args: str, **settings: str) -> str:
    env = {**os.environ, "JOINEDUP_DATA_DIR": str(data), "COLUMNS": "200",
           "SPARK_LOCAL_IP": "127.0.0.1", **settings}
    env.pop("JOINEDUP_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "joinedup", *args], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_rules_and_linkage_run_on_a_cluster_and_find_what_duckdb_found(
        cluster: tuple[str, Path], tmp_path: Path) -> None:
    url, master_log = cluster
    data, shared = tmp_path / "var", tmp_path / "shared"
    shared.mkdir()
    on_cluster = {"JOINEDUP_SPARK_MASTER": url, "JOINEDUP_SPARK_SCRATCH": str(shared)}
    # The Baby S scenario, linked and its alerts raised on this machine (DuckDB).
    demo = _joinedup(data, "demo", "--families", "0")
    persons = re.search(r"Linked 42 records into (\d+) persons", demo)
    assert persons, demo

    rules = _joinedup(data, "alerts", "run", "--engine", "spark", **on_cluster)
    found = re.search(r"\(Spark\): 5 children, \d+ events checked; (\d+) firings: "
                      r"0 new alerts, 0 updated, 0 reopened, (\d+) unchanged", rules)
    assert found and int(found[1]) == int(found[2]) > 20, rules

    linked = _joinedup(data, "link", "--retrain", "--backend", "spark", **on_cluster)
    assert f"42 records, 42 scored, {persons[1]} persons." in linked, linked

    # Both ran in executors the cluster launched, and left nothing in the shared folder.
    apps = master_log.read_text("utf-8")
    assert "Registered app joinedup-alerts" in apps and "Registered app joinedup-linkage" in apps
    assert apps.count("Launching executor") >= 2
    assert not any(shared.iterdir())
