"""The snapshot written as Parquet (`joinedup snapshot export`): the tables the rules read,
events split by area and month, read back whole; and the refusals around it."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from joinedup.alerts import snapshot_files
from joinedup.alerts.raising import run_alerts
from joinedup.alerts.snapshot import EventRow, from_database, from_rows
from joinedup.errors import ActionError, ConfigurationError

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

TABLES = ("event", "network", "child", "person_flag", "calendar", "workday")


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return sorted(con.execute(sql).fetchall(), key=repr)


def test_the_files_hold_the_snapshot_the_rules_read(baby_s: dict[str, Any], db: None,
                                                     cli: Callable[..., Any],
                                                     tmp_path: Path) -> None:
    folder = tmp_path / "snapshot"
    shown = cli("snapshot", "export", str(folder), "--known-by", "2025-05-01")
    assert shown.exit_code == 0, shown.output
    assert "children" in shown.output and "--engine spark" in shown.output
    manifest = json.loads((folder / "snapshot.json").read_text("utf-8"))
    assert manifest["known_by"] == "2025-05-01" and manifest["as_of"] is None
    reader = duckdb.connect()
    with from_database(known_by=dt.date(2025, 5, 1)) as snapshot:
        for table in TABLES:
            written = reader.execute(
                f"SELECT * FROM read_parquet('{folder / table}/**/*.parquet', "
                "hive_partitioning = false)").fetchall()
            assert sorted(written, key=repr) == _rows(snapshot.con, f"SELECT * FROM {table}"), \
                table
            assert len(written) == manifest["counts"].get(table, len(written))
    # one folder per area and month the events happened, none after the known-by day
    parts = {(p.parent.parent.name, p.parent.name)
             for p in (folder / "event").glob("area=*/month=*/*.parquet")}
    assert {area for area, _ in parts} >= {"area=E08000007"}
    assert max(month for _, month in parts) <= "month=2025-05"
    assert len(parts) > 12
    assert {"relation", "birth"} <= set(manifest["tables"])


def test_events_go_to_their_area_and_month(tmp_path: Path) -> None:
    day = dt.date(2025, 1, 31)
    events = [EventRow(1, "CSC", 1, "HOME_VISIT", day, day),
              EventRow(2, "HV", 1, "HOME_VISIT", day + dt.timedelta(days=1), day,
                       agency_area="E08000003"),
              EventRow(3, "GP1", 1, "HOME_VISIT", day, day, agency_area="")]
    with from_rows(events, [], {1: dt.date(2024, 6, 1)}) as snapshot:
        written = snapshot_files.write(snapshot, tmp_path / "snapshot")
    found = {str(p.relative_to(written.path / "event").parent): pq.read_table(p)
             .column("event_pk").to_pylist()
             for p in (written.path / "event").rglob("*.parquet")}
    assert found == {"area=E08000007/month=2025-01": [1], "area=E08000003/month=2025-02": [2],
                     "area=unknown/month=2025-01": [3]}
    # the files keep the area as it was recorded
    assert pq.read_table(written.path / "event" / "area=unknown").column(
        "agency_area").to_pylist() == [""]
    # an empty table is still one file with its columns
    assert pq.read_table(written.path / "person_flag").column_names == ["person_id", "flag"]


def test_a_folder_holding_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("x", "utf-8")
    with from_rows([], [], {}) as snapshot, pytest.raises(ActionError, match="already holds"):
        snapshot_files.write(snapshot, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["old.txt"]


def test_a_run_on_a_snapshot_keeps_its_dates(db: None, tmp_path: Path) -> None:
    with from_rows([], [], {}, as_of=dt.date(2025, 3, 1)) as snapshot:
        written = snapshot_files.write(snapshot, tmp_path / "snapshot")
    with pytest.raises(ActionError, match="taken as of 2025-03-01, not 2025-04-01"):
        run_alerts(who="test", engine="spark", snapshot_folder=written.path,
                   as_of=dt.date(2025, 4, 1))
    with pytest.raises(ConfigurationError, match="not a snapshot folder"):
        run_alerts(who="test", engine="spark", snapshot_folder=tmp_path)
    with pytest.raises(ActionError, match="Spark engine only"):
        run_alerts(who="test", snapshot_folder=written.path)


def test_the_command_line_checks_the_engine(db: None, cli: Callable[..., Any],
                                            tmp_path: Path) -> None:
    wrong = cli("alerts", "run", "--engine", "oracle")
    assert wrong.exit_code == 2 and "use duckdb or spark" in wrong.output
    alone = cli("alerts", "run", "--snapshot", str(tmp_path))
    assert alone.exit_code == 2 and "--engine spark" in alone.output
    (tmp_path / "x").write_text("x", "utf-8")
    refused = cli("snapshot", "export", str(tmp_path))
    assert refused.exit_code == 1 and "already holds files" in refused.output
    here = cli("alerts", "run")  # the run says where its rules ran
    assert here.exit_code == 0 and re.match(r"Run \d+ \(DuckDB\): ", here.output), here.output
