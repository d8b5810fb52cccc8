"""The rules on Spark (local mode) give what DuckDB gives: the same firings (rule, child,
key, day, window and evidence) and the same actions recognised, on generated populations
and on the Baby S scenario, and a run on Spark stores its alerts as a DuckDB run does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings

from joinedup.alerts import snapshot_files
from joinedup.alerts.catalogue import load_catalogue
from joinedup.alerts.compiler import rule_sql
from joinedup.alerts.dialects import SPARK
from joinedup.alerts.engine import Firing, evaluate
from joinedup.alerts.recognition import met_actions, met_sql
from joinedup.alerts.snapshot import EventRow, from_rows
from joinedup.alerts.spark_engine import _read_tables, evaluate_folder
from tests.alerts.test_oracle_agrees import REGRESSIONS, Case, cases

pytestmark = [pytest.mark.spark, pytest.mark.slow,
              # py4j (Spark's Python-Java bridge) leaves its sockets to the garbage collector
              pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning")]
FIRING_NAMES = ["child_id", "key", "fired", "win_start", "win_end", "evidence"]


def test_spark_reads_the_sql_of_every_rule(spark: Any, tmp_path: Path) -> None:
    """Spark parses and plans every rule, and the recognition of actions, as compiled in
    its dialect (over an empty snapshot: the plan, not the data, is checked)."""
    rules = load_catalogue()
    with from_rows([], [], {}) as snapshot:
        folder = snapshot_files.write(snapshot, tmp_path / "snapshot")
    made = _read_tables(spark, folder)
    try:
        for rule in rules:
            sql = rule_sql(rule, cut_dn=739_000, dialect=SPARK)
            plan = spark.sql(f"EXPLAIN {sql}").collect()[0][0]
            assert "== Physical Plan ==" in plan, (rule.id, plan)
            spark.sql(sql).createOrReplaceTempView(f"fire_{rule.id.lower()}")
            made.append(f"fire_{rule.id.lower()}")
            fields = spark.table(f"fire_{rule.id.lower()}").schema.fields
            assert [f.name for f in fields] == FIRING_NAMES, rule.id
            assert fields[-1].dataType.simpleString() == "array<bigint>", rule.id
        met = met_sql(rules, SPARK)
        assert met is not None
        assert "== Physical Plan ==" in spark.sql(f"EXPLAIN {met}").collect()[0][0]
    finally:
        for name in made:
            spark.catalog.dropTempView(name)


def assert_engines_agree(spark: Any, case: Case, folder: Path) -> list[Firing]:
    """Both engines over one snapshot: the same firings and actions (the firings)."""
    rules = load_catalogue()
    with from_rows(case.events, case.network, case.children, case.flags, as_of=case.as_of,
                   known_by=case.known_by) as snapshot:
        on_duckdb = evaluate(snapshot, rules)
        met_on_duckdb = met_actions(snapshot.con, rules)
        written = snapshot_files.write(snapshot, folder)
    on_spark = evaluate_folder(spark, written, rules)
    assert on_spark.firings == on_duckdb, (
        f"Spark only: {sorted(set(on_spark.firings) - set(on_duckdb))}; "
        f"DuckDB only: {sorted(set(on_duckdb) - set(on_spark.firings))}")
    assert [f.evidence for f in on_spark.firings] == [f.evidence for f in on_duckdb]
    assert on_spark.met == met_on_duckdb
    assert (on_spark.as_of, on_spark.known_by) == (case.as_of, case.known_by)
    return on_duckdb


@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(cases())
@example(REGRESSIONS["risk adults"])
def test_spark_and_duckdb_give_the_same_firings(spark: Any, tmp_path: Path,
                                                case: Case) -> None:
    folder = tmp_path / f"snapshot-{len(list(tmp_path.iterdir()))}"
    assert_engines_agree(spark, case, folder)


def test_numbers_and_dates_written_oddly_are_read_alike(spark: Any, tmp_path: Path) -> None:
    """Details the engines' own casts would read differently count as no number and no
    date on both: a DASH score of '14d', 'inf' or '1_000', a licence end of
    '2025-03-01T10:00' or '2025'. Plain ones (' 15 ', '2e1', '2025-04-01') are read."""
    day = dt.date(2025, 1, 10)
    dash: dict[int, Any] = {1: "14d", 2: "inf", 3: "1_000", 4: " 15 ", 5: "2e1", 6: "13.9"}
    ends = {11: "2025-03-01T10:00", 12: "2025", 13: "2025-04-01"}
    events = [EventRow(pk, "POL", 20, "DA_INCIDENT", day, day, {"dash_score": score},
                       agency_kind="POLICE", source_id=f"DA{pk}")
              for pk, score in dash.items()]
    # both of the rule's clauses fire on one incident: one firing, the event once
    events.append(EventRow(7, "POL", 20, "DA_INCIDENT", day, day,
                           {"dash_score": 20, "victim_pregnant": True},
                           agency_kind="POLICE", source_id="DA7"))
    events += [EventRow(pk, "PROB", 30, "CUSTODY_RELEASE", day, day, {"licence_end": end},
                        agency_kind="PROBATION", source_id=f"R{pk}")
               for pk, end in ends.items()]
    case = Case(events, [(1, 20, "MOTHER"), (1, 30, "EX_PARTNER")],
                {1: dt.date(2020, 1, 1)}, [(30, "VIOLENT_OFFENDER")], None, None)
    fired = assert_engines_agree(spark, case, tmp_path / "snapshot")
    keys = {(f.rule, f.key) for f in fired}
    assert {key for rule, key in keys if rule == "DA_PREGNANCY_INFANCY"} == {
        "POL:DA4", "POL:DA5", "POL:DA7"}
    (both,) = [f for f in fired if f.key == "POL:DA7"]
    assert both.evidence == (7,)
    licence_end = dt.date(2025, 4, 1).toordinal()
    assert {key for rule, key in keys if rule == "LICENCE_END_CLIFF"} == {
        f"end 30 {licence_end}"}
