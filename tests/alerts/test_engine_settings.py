"""The rules engines' settings: JOINEDUP_RULES_MEMORY and JOINEDUP_RULES_THREADS, the
snapshot's memory before it spills and its threads, and JOINEDUP_SPARK_MASTER, the Spark
cluster (tests/cli/test_spark_cluster.py runs on one)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from joinedup.alerts.snapshot import from_rows
from joinedup.config import rules_memory_limit, rules_threads, spark_master
from joinedup.errors import ConfigurationError


def _cap_of_a_snapshot(setting: str = "memory_limit") -> str:
    with from_rows([], [], {}) as snapshot:
        return str(snapshot.con.execute("SELECT current_setting(?)", [setting]).fetchall()[0][0])


def test_the_snapshot_holds_1_gb_unless_given_more(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOINEDUP_RULES_MEMORY", raising=False)
    default = _cap_of_a_snapshot()
    monkeypatch.setenv("JOINEDUP_RULES_MEMORY", "6gb")
    given = _cap_of_a_snapshot()
    # DuckDB reports its cap in its own units (e.g. "953.6 MiB" for 1GB)
    assert default != given
    assert given.endswith("GiB") and 5.5 < float(given.split()[0]) < 6.0


@pytest.mark.parametrize("written,meant", [("512MB", "512MB"), (" 4 GB ", "4096MB"),
                                           ("", "1GB")])
def test_a_size_is_read_in_mb_or_gb(monkeypatch: pytest.MonkeyPatch, written: str,
                                    meant: str) -> None:
    monkeypatch.setenv("JOINEDUP_RULES_MEMORY", written)
    assert rules_memory_limit() == meant


@pytest.mark.parametrize("written", ["lots", "4", "100MB", "-1GB", "4TB", "1.5GB"])
def test_a_size_that_cannot_be_used_says_what_to_write(monkeypatch: pytest.MonkeyPatch,
                                                       written: str) -> None:
    monkeypatch.setenv("JOINEDUP_RULES_MEMORY", written)
    with pytest.raises(ConfigurationError, match="such as 4GB, or leave it unset for 1GB"):
        rules_memory_limit()


def test_the_snapshot_works_with_2_threads_unless_given_more(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOINEDUP_RULES_THREADS", raising=False)
    assert _cap_of_a_snapshot("threads") == "2"
    monkeypatch.setenv("JOINEDUP_RULES_THREADS", "8")
    assert _cap_of_a_snapshot("threads") == "8" and rules_threads() == 8
    for wrong in ("0", "eight", "1000", "-2"):
        monkeypatch.setenv("JOINEDUP_RULES_THREADS", wrong)
        with pytest.raises(ConfigurationError, match="a whole number from 1 to 256"):
            rules_threads()


@pytest.mark.sqlite_only
def test_alerts_run_with_a_wrong_size_stops_with_the_setting_named(tmp_path: Path) -> None:
    env = {**os.environ, "JOINEDUP_DATA_DIR": str(tmp_path / "var"),
           "JOINEDUP_RULES_MEMORY": "plenty", "COLUMNS": "200"}
    env.pop("JOINEDUP_DATABASE_URL", None)
    joinedup = [sys.executable, "-m", "joinedup"]
    assert subprocess.run([*joinedup, "init"], env=env, capture_output=True).returncode == 0
    result = subprocess.run([*joinedup, "alerts", "run"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1
    assert "JOINEDUP_RULES_MEMORY is 'plenty'" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("written,meant", [("", "local[2]"), ("local[*]", "local[*]"),
                                           ("spark://10.0.0.5:7077", "spark://10.0.0.5:7077"),
                                           (" yarn ", "yarn"),
                                           ("k8s://https://k8s.internal:443",
                                            "k8s://https://k8s.internal:443")])
def test_spark_runs_here_unless_a_cluster_is_named(monkeypatch: pytest.MonkeyPatch,
                                                   written: str, meant: str) -> None:
    monkeypatch.setenv("JOINEDUP_SPARK_MASTER", written)
    assert spark_master() == meant


@pytest.mark.parametrize("written", ["sc://connect.internal:15002", "10.0.0.5:7077", "local[two]",
                                     "spark://"])
def test_a_cluster_named_as_spark_does_not_name_one_is_refused(
        monkeypatch: pytest.MonkeyPatch, written: str) -> None:
    monkeypatch.setenv("JOINEDUP_SPARK_MASTER", written)
    with pytest.raises(ConfigurationError, match="name the cluster as Spark does"):
        spark_master()
