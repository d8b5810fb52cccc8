"""The rules on Spark SQL, over a snapshot written as Parquet (``snapshot_files.py``).

The same compiled rules as the DuckDB engine (``engine.py``), in the Spark dialect
(``dialects.py``): each snapshot table becomes a view over its Parquet folder, the shared
building blocks (``blocks.views``) are created over them, and each rule's firings are kept
as a view ``fire_<rule_id>`` for the rules built on it, in the same order. The action
recognised on the record (``recognition.met_sql``) is found there too. This module only
produces firings; they are stored as alerts by ``raising.store``, as the DuckDB engine's are.

``joinedup alerts run --engine spark`` runs it in local mode (``local_spark``, this machine's
cores); :func:`evaluate_folder` takes any Spark session, a cluster's too.
pyspark is optional (``pip install 'joinedup[spark]'``) and imported only here, when used.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from joinedup import scratch
from joinedup.alerts import snapshot_files
from joinedup.alerts.blocks import views
from joinedup.alerts.catalogue import Rule
from joinedup.alerts.compiler import rule_sql
from joinedup.alerts.dialects import SPARK
from joinedup.alerts.engine import Evaluation, Firing, as_firing, cut_day_number, in_order
from joinedup.alerts.recognition import as_met, met_sql
from joinedup.alerts.snapshot_files import RULE_TABLES, SnapshotFolder
from joinedup.config import spark_scratch_dir
from joinedup.errors import ActionError, ConfigurationError
from joinedup.people.linkage.spark import spark_session

if TYPE_CHECKING:
    # Spark is optional: it loads only when the rules run on Spark
    from pyspark.sql import DataFrame, SparkSession

SPARK_FIRING_COLUMNS = ("child_id BIGINT, key STRING, fired INT, win_start INT, win_end INT, "
                        "evidence ARRAY<BIGINT>")
"""A rule's firing table in Spark's words (``engine.FIRING_COLUMNS``)."""


def local_spark() -> SparkSession:
    """The Spark session linkage uses too (on this machine, or on the cluster
    ``JOINEDUP_SPARK_MASTER`` names), or a message saying what is missing."""
    if importlib.util.find_spec("pyspark") is None:
        raise ConfigurationError("Spark is not installed here: install joinedup with its "
                                 "spark extra (pyspark) to run the rules on Spark.")
    if shutil.which("java") is None:
        raise ConfigurationError("Spark needs a Java runtime (Java 17), and there is none "
                                 "on the PATH. Install one, or run the rules on DuckDB.")
    return spark_session("joinedup-alerts")  # the linkage's: one process holds one Spark


def run_on_spark(rules: list[Rule], *, folder: Path | None, as_of: dt.date | None,
                 known_by: dt.date | None,
                 progress: Callable[[str], None] | None = None) -> Evaluation:
    """The rules on Spark over the snapshot written in ``folder`` (its own as-of and
    known-by in force), or over one of the database taken now into a folder of its own,
    removed afterwards (``JOINEDUP_SPARK_SCRATCH``)."""
    if folder is not None:
        written = snapshot_files.read(folder)
        _same_cut_off(written, as_of, known_by)
        return evaluate_folder(local_spark(), written, rules, progress)
    # in the folder Spark's workers share (JOINEDUP_SPARK_SCRATCH), or this machine's: read
    # first, so that a wrong setting is told before Spark starts
    shared = spark_scratch_dir()
    spark = local_spark()  # before the snapshot is taken: Spark may be missing
    with scratch.folder("snapshot", shared) as work:
        written = snapshot_files.export_database(Path(work) / "snapshot", as_of=as_of,
                                                 known_by=known_by)
        return evaluate_folder(spark, written, rules, progress)


def _same_cut_off(written: SnapshotFolder, as_of: dt.date | None,
                  known_by: dt.date | None) -> None:
    """A written snapshot holds the events of its own as-of and known-by: a run asking for
    other dates is refused, not run on the wrong events."""
    for asked, held, words in ((as_of, written.as_of, "as of"),
                               (known_by, written.known_by, "known by")):
        if asked is not None and asked != held:
            raise ActionError(
                f"The snapshot in {written.path} was taken {words} "
                f"{held.isoformat() if held else 'no date (everything known)'}, not "
                f"{asked.isoformat()}. Write a snapshot {words} {asked.isoformat()}, or "
                "leave the date out to use the snapshot's own.")


def evaluate_folder(spark: SparkSession, folder: SnapshotFolder, rules: list[Rule],
                    progress: Callable[[str], None] | None = None) -> Evaluation:
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
    return Evaluation(in_order(firings), met, dict(folder.counts), folder.as_of,
                      folder.known_by)


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
