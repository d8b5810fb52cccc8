"""A run of the rules on Spark stores the Baby S alerts a DuckDB run would: the same
firings (rule, child, key, day, window, evidence), the same actions recognised, and a DuckDB
run after it finds nothing to change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from joinedup.alerts import snapshot_files
from joinedup.alerts.agency_measures import child_alert_rules
from joinedup.alerts.catalogue import load_catalogue
from joinedup.alerts.engine import evaluate
from joinedup.alerts.models import Alert, AlertRun
from joinedup.alerts.raising import run_alerts
from joinedup.alerts.recognition import met_actions
from joinedup.alerts.snapshot import from_database
from joinedup.errors import ConfigurationError
from tests.alerts.test_baby_s_alerts import REQUIRED

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.postgres,
              pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning")]


def test_spark_stores_the_alerts_duckdb_finds_on_baby_s(spark: Any, baby_s: dict[str, Any],
                                                        db: None, tmp_path: Path) -> None:
    rules = child_alert_rules(load_catalogue())
    with from_database() as snapshot:
        on_duckdb = evaluate(snapshot, rules)
        met = met_actions(snapshot.con, rules)
    folder = snapshot_files.export_database(tmp_path / "snapshot")
    assert folder.counts["event"] > 100 and folder.counts["child"] > 10

    result = run_alerts(who="test", engine="spark", snapshot_folder=folder.path)

    assert result.firings == len(on_duckdb) and result.raised == len(on_duckdb)
    assert result.recognised == len(met) > 0
    stored = {(a.rule, a.child_id, a.key): a for a in Alert.objects.prefetch_related("evidence")}
    assert set(stored) == {(f.rule, f.child_id, f.key) for f in on_duckdb}
    for firing in on_duckdb:
        alert = stored[(firing.rule, firing.child_id, firing.key)]
        assert (alert.fired_on, alert.window_start, alert.window_end) == (
            firing.fired_on, firing.window_start, firing.window_end), firing
        assert {e.pk for e in alert.evidence.all()} - {alert.actioned_by_id} == \
            set(firing.evidence) - {alert.actioned_by_id}, firing
        assert alert.actioned_by_id == met.get((firing.rule, firing.child_id, firing.key))
    assert REQUIRED <= {rule for rule, child, _ in stored if child == baby_s["child"]}

    again = run_alerts(who="test")  # DuckDB, over the database as it is
    assert (again.raised, again.updated, again.reopened, again.recognised) == (0, 0, 0, 0)
    assert again.unchanged == result.raised
    # each run's record says where its rules ran
    engines = dict(AlertRun.objects.values_list("pk", "counts__engine"))
    assert (engines[result.run_id], engines[again.run_id]) == ("spark", "duckdb")


def test_a_snapshot_for_spark_is_written_in_the_shared_folder_named(
        spark: Any, db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without a snapshot folder, the run writes one where Spark's workers can read it
    # (JOINEDUP_SPARK_SCRATCH), and removes it afterwards.
    shared = tmp_path / "shared"
    shared.mkdir()
    monkeypatch.setenv("JOINEDUP_SPARK_SCRATCH", str(shared))
    written: list[Path] = []
    export = snapshot_files.export_database
    monkeypatch.setattr(snapshot_files, "export_database", lambda path, **kw: (
        written.append(path), export(path, **kw))[1])
    result = run_alerts(who="test", engine="spark")
    assert result.engine == "spark" and written and written[0].is_relative_to(shared)
    assert not any(shared.iterdir())
    monkeypatch.setenv("JOINEDUP_SPARK_SCRATCH", str(tmp_path / "not-there"))
    with pytest.raises(ConfigurationError, match="every Spark worker read at the same path"):
        run_alerts(who="test", engine="spark")
