"""The rules on Spark SQL, over a snapshot written as Parquet (``snapshot_files.py``).

The same compiled rules as the DuckDB engine (``engine.py``), in the Spark dialect
(``dialects.py``): each snapshot table becomes a view over its Parquet folder, the shared
building blocks (``blocks.views``) are created over them, and each rule's firings are kept
as a view ``fire_<rule_id>`` for the rules built on it, in the same order. The action
recognised on the record (``recognition.met_sql``) is found there too. This module only
produces firings; they are stored as alerts by ``raising.store``, as the DuckDB engine's are.

In local mode (one machine, ``local_spark``) this checks that the engines agree and measures
Spark on one machine; on a cluster the session is the cluster's (docs/rules.md).
pyspark is optional (``pip install 'joinedup[spark]'``) and imported only here, when used.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from joinedup.alerts.blocks import views
from joinedup.alerts.catalogue import Rule
from joinedup.alerts.compiler import rule_sql
from joinedup.alerts.dialects import SPARK
from joinedup.alerts.engine import Firing, as_firing, cut_day_number, in_order
from joinedup.alerts.recognition import Met, as_met, met_sql
from joinedup.alerts.snapshot_files import RULE_TABLES, SnapshotFolder
from joinedup.errors import ConfigurationError

if TYPE_CHECKING:
    # Spark is optional: it loads only when the rules run on Spark
    from pyspark.sql import DataFrame, SparkSession

SPARK_FIRING_COLUMNS = ("child_id BIGINT, key STRING, fired INT, win_start INT, win_end INT, "
                        "evidence ARRAY<BIGINT>")
"""A rule's firing table in Spark's words (``engine.FIRING_COLUMNS``)."""


@dataclass
class SparkRun:
    """What the rules found on Spark: the firings and the actions already on the record."""

    firings: list[Firing]
    met: Met


def local_spark() -> SparkSession:
    """A Spark session on this machine (the one linkage uses: 2 cores, 1 GB, loopback),
    or a message saying what is missing."""
    if importlib.util.find_spec("pyspark") is None:
        raise ConfigurationError("Spark is not installed here: install joinedup with its "
                                 "spark extra (pyspark) to run the rules on Spark.")
    if shutil.which("java") is None:
        raise ConfigurationError("Spark needs a Java runtime (Java 17), and there is none "
                                 "on the PATH. Install one, or run the rules on DuckDB.")
    # the linkage's local session, so that one process holds one Spark
    from joinedup.people.linkage.spark import spark_session

    return spark_session("joinedup-alerts")


def evaluate_folder(spark: SparkSession, folder: SnapshotFolder, rules: list[Rule],
                    progress: Callable[[str], None] | None = None) -> SparkRun:
    """Every firing of every enabled rule on the snapshot in ``folder``, sorted by child,
    date and rule, and the recognised actions of the rules with ``met_by``."""
    made = _read_tables(spark, folder)
    tables = set(made)
    cut_dn = cut_day_number(folder.as_of, folder.known_by)
    firings: list[Firing] = []
    cached: list[DataFrame] = []
    try:
        for rule in rules:
            if progress:
                progress(rule.id)
            view = f"fire_{rule.id.lower()}"
            if rule.enabled:
                frame = spark.sql(rule_sql(rule, cut_dn=cut_dn, dialect=SPARK))
            else:  # a disabled rule fires nothing, and nothing builds on it
                frame = spark.createDataFrame([], SPARK_FIRING_COLUMNS)
            # kept once (the collect fills the cache), not computed again by each rule
            # built on it
            frame.cache()
            cached.append(frame)
            frame.createOrReplaceTempView(view)
            made.append(view)
            firings.extend(as_firing(rule.id, row) for row in frame.collect())
        sql = met_sql(rules, SPARK)
        met = as_met(spark.sql(sql).collect()) if sql else {}
    finally:
        for name in made:
            if name in tables:
                spark.catalog.uncacheTable(name)
            spark.catalog.dropTempView(name)
        for frame in cached:
            frame.unpersist()
    return SparkRun(in_order(firings), met)


def _read_tables(spark: SparkSession, folder: SnapshotFolder) -> list[str]:
    """Views over the snapshot's tables and the building blocks; their names."""
    made: list[str] = []
    for table in RULE_TABLES:
        frame: DataFrame = (spark.read.option("recursiveFileLookup", "true")
                            .parquet(str(folder.table_path(table))))
        frame.createOrReplaceTempView(table)
        made.append(table)
    for statement in views():
        spark.sql(statement)
    made.extend(("risk_adult", "risk_evidence", "plan_period", "child_start"))
    for name in made:  # read once, by every rule
        spark.catalog.cacheTable(name)
    return made
