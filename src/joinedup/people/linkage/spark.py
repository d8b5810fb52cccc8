"""The trained linkage model run on Spark: the same comparisons, m/u, term frequencies and
blocking rules as :func:`joinedup.people.linkage.model.predict` on DuckDB, for data too
large for one machine (DESIGN section 7).

The model is one dict whatever the backend runs it: its SQL is written for DuckDB (the
level table in :mod:`joinedup.people.linkage.comparisons` stays the single source), and
:func:`spark_model` rewrites it for Spark SQL when it is run here:

    jaro_winkler_similarity(a, b)     jaro_winkler(a, b)       Splink's Scala UDF jar
    damerau_levenshtein(a, b)         damerau_levenshtein(a, b)  Splink's Scala UDF jar
    hamming(a, b)                     count of differing positions (same length; else NULL)
    list_has_any(a, b)                arrays_overlap(a, b)
    datediff('day', a, b)             datediff(b, a)
    "quoted" identifiers, substr      `quoted`, substring      (sqlglot, duckdb -> spark)

A function this module does not know is refused with a :class:`LinkageError` rather than
passed through, so a new level in comparisons.py cannot silently score differently here.

pyspark is optional (``pip install 'joinedup[spark]'``) and imported only when used. It
needs Java 17.
"""

from __future__ import annotations

import copy
import logging
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq
import sqlglot
from sqlglot import exp

from joinedup import scratch
from joinedup.config import spark_master, spark_scratch_dir
from joinedup.errors import LinkageError
from joinedup.people.linkage.comparisons import COMPARED_COLUMNS, TF_COLUMNS, splink_settings

if TYPE_CHECKING:
    # Spark is optional: it loads only when linkage runs on Spark
    from pyspark.sql import SparkSession

__all__ = ["predict_on_spark", "spark_model", "spark_session", "to_spark_sql"]

LOG_LEVEL = logging.WARNING
"""Splink's log level on Spark."""
SHUFFLE_PARTITIONS = 4
"""Spark SQL shuffle partitions in local mode (Spark's default of 200 is for clusters)."""

# Functions that mean the same in DuckDB and Spark SQL (after sqlglot's parse), and the
# UDFs Splink's jar registers.
_SAME_IN_SPARK = frozenset({"abs", "substring", "substr", "length", "lower", "upper",
                            "coalesce", "least", "greatest", "damerau_levenshtein",
                            "jaro_winkler", "arrays_overlap", "datediff", "size", "filter",
                            "sequence"})
_OPERATORS = (exp.Connector, exp.Not, exp.Is, exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT,
              exp.LTE, exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Neg, exp.Paren)
_HAMMING = ("CASE WHEN length({a}) <> length({b}) THEN NULL WHEN length({a}) = 0 THEN 0 "
            "ELSE size(filter(sequence(1, length({a})), "
            "hamming_pos -> substring({a}, hamming_pos, 1) <> substring({b}, hamming_pos, 1))) "
            "END")


def _pyspark() -> Any:
    try:
        # Spark is optional: it loads only when linkage runs on Spark
        import pyspark
    except ImportError as error:
        raise LinkageError("pyspark is not installed: pip install 'joinedup[spark]'") from error
    return pyspark


# -- the model's SQL, for Spark ------------------------------------------------------------

def _anonymous(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this=name, expressions=list(args))


def _rewrite(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.JarowinklerSimilarity):
        return _anonymous("jaro_winkler", node.this, node.expression)
    if isinstance(node, exp.ArrayOverlaps):
        return _anonymous("arrays_overlap", node.this, node.expression)
    if isinstance(node, exp.DateDiff):
        unit = node.args.get("unit")
        if unit is not None and unit.name.lower() not in ("day", "days", "d"):
            raise LinkageError(f"Cannot run datediff in {unit.name} on Spark: only days.")
        # sqlglot keeps DuckDB's datediff('day', start, end) as this=end, expression=start;
        # Spark's datediff(end, start) is end - start, as DuckDB's is.
        return _anonymous("datediff", node.this, node.expression)
    if isinstance(node, exp.Anonymous) and node.name.lower() == "hamming":
        a, b = (arg.sql(dialect="spark") for arg in node.expressions)
        return exp.Paren(this=sqlglot.parse_one(_HAMMING.format(a=a, b=b), read="spark"))
    return node


def _check_functions(tree: exp.Expression, sql: str) -> None:
    for node in tree.find_all(exp.Func):
        if isinstance(node, _OPERATORS):
            continue
        if isinstance(node, exp.Anonymous):
            name = node.name.lower()
        elif isinstance(node, (exp.Abs, exp.Substring, exp.Length, exp.Lower, exp.Upper,
                               exp.Coalesce, exp.Least, exp.Greatest, exp.Cast, exp.Case,
                               exp.If, exp.ArraySize, exp.ArrayFilter, exp.GenerateSeries,
                               exp.Lambda, exp.Paren)):
            continue
        else:
            name = type(node).__name__.lower()
        if name not in _SAME_IN_SPARK:
            raise LinkageError(f"The model's SQL uses {name}(), which joinedup cannot yet "
                               f"run on Spark: {sql}")


def to_spark_sql(sql: str) -> str:
    """One of the model's DuckDB SQL conditions or blocking rules, as Spark SQL."""
    if sql.strip().upper() == "ELSE":
        return sql
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except sqlglot.errors.ParseError as error:
        raise LinkageError(f"The model's SQL cannot be read: {sql}") from error
    tree = tree.transform(_rewrite)
    _check_functions(tree, sql)
    return tree.sql(dialect="spark")


def spark_model(model: dict[str, Any]) -> dict[str, Any]:
    """The model's Splink settings with every SQL condition and blocking rule for Spark.

    Nothing else changes: the m and u values, term-frequency settings, prior and rules
    are the trained model's (``comparisons.splink_settings``: no ``"joinedup"`` key, no
    copy of the compared values kept with the pairs).
    """
    settings = copy.deepcopy(splink_settings(model))
    settings.pop("sql_dialect", None)
    for comparison in settings.get("comparisons", []):
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = to_spark_sql(level["sql_condition"])
    rules: list[str | dict[str, Any]] = []
    for rule in settings.get("blocking_rules_to_generate_predictions", []):
        if isinstance(rule, str):
            rules.append(to_spark_sql(rule))
        else:
            rules.append({**rule, "blocking_rule": to_spark_sql(rule["blocking_rule"]),
                          "sql_dialect": "spark"})
    settings["blocking_rules_to_generate_predictions"] = rules
    return settings


# -- running it ----------------------------------------------------------------------------

def spark_session(app_name: str = "joinedup-linkage") -> SparkSession:
    """A Spark session with Splink's UDF jar: on this machine (2 cores, 1 GB, no UI,
    loopback only), or on the cluster ``JOINEDUP_SPARK_MASTER`` names, where the driver's
    memory and address are left to Spark's own configuration (``spark-defaults.conf``).

    Gets the running session if there is one (its settings are then Spark's to keep).
    """
    _pyspark()
    # Spark is optional: it loads only when linkage runs on Spark
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    master = spark_master()
    warehouse = Path(tempfile.gettempdir()) / "joinedup-spark-warehouse"
    builder = SparkSession.builder.master(master).appName(app_name)
    if master.startswith("local"):
        builder = (builder.config("spark.driver.memory", "1g")
                   .config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1"))
    session = (
        builder
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(SHUFFLE_PARTITIONS))
        .config("spark.default.parallelism", str(SHUFFLE_PARTITIONS))
        .config("spark.sql.warehouse.dir", str(warehouse))
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    return session


def _term_frequency_lookup(spark: SparkSession, column: str, values: dict[str, float]) -> Any:
    return spark.createDataFrame(
        [(str(name), float(share)) for name, share in values.items()],
        schema=f"`{column}` string, `tf_{column}` double")


def predict_on_spark(records_table: pa.Table, model: dict[str, Any], threshold: float = 0.01,
                     *, spark: SparkSession | None = None
                     ) -> list[tuple[int, int, float, float]]:
    """:func:`joinedup.people.linkage.model.predict` on Splink's Spark backend.

    ``records_table`` is already prepared (:func:`features.prepare`). Returns every
    candidate pair scoring at least ``threshold`` as (id_l, id_r, probability, weight),
    ``id_l < id_r``, sorted. Uses ``spark`` or :func:`spark_session`.
    """
    _pyspark()
    # Spark is optional: it loads only when linkage runs on Spark
    from splink import Linker
    from splink.backends.spark import SparkAPI

    if "given_std" not in records_table.column_names:
        raise LinkageError("predict_on_spark takes records already prepared by "
                           "joinedup.people.linkage.features.prepare.")
    if records_table.num_rows < 2:
        return []
    settings = spark_model(model)
    # in the folder Spark's workers share (JOINEDUP_SPARK_SCRATCH), or this machine's: read
    # first, so that a wrong setting is told before Spark starts
    shared = spark_scratch_dir()
    session = spark or spark_session()
    suffix = uuid.uuid4().hex[:8]
    with scratch.folder("spark", shared) as folder:
        # Through parquet, Spark reads the arrow types as they are (lists included).
        path = str(Path(folder) / "records.parquet")
        pq.write_table(records_table.select(COMPARED_COLUMNS), path)
        api = SparkAPI(spark_session=session, break_lineage_method="persist",
                       num_partitions_on_repartition=SHUFFLE_PARTITIONS)
        registered = [f"records_{suffix}"]
        frame = api.register(session.read.parquet(path), table_name=registered[0])
        linker = Linker(frame, settings, log_level=LOG_LEVEL)
        stored = model.get("joinedup", {}).get("term_frequencies", {})
        for column in sorted(set(TF_COLUMNS.values())):
            lookup = _term_frequency_lookup(session, column, stored.get(column, {}))
            registered.append(f"tf_{column}_lookup_{suffix}")
            linker.table_management.register_term_frequency_lookup(
                api.register(lookup, table_name=registered[-1]), column)
        predictions = linker.inference.predict(threshold_match_probability=threshold,
                                               warning_mode="never")
        rows = session.sql(
            f"SELECT least(unique_id_l, unique_id_r), greatest(unique_id_l, unique_id_r), "  # noqa: S608 - the table name is Splink's own
            f"match_probability, match_weight FROM {predictions.physical_name}").collect()
        # Splink's tables are persisted temp views; dropping them frees the cache, and the
        # session (perhaps the caller's) is left as it was found.
        for table in [*api._intermediate_table_cache.values(), predictions]:
            table.drop_table_from_database_and_remove_from_cache()
        for name in registered:
            session.catalog.dropTempView(name)
    return sorted((int(a), int(b), float(p), float(w)) for a, b, p, w in rows)
