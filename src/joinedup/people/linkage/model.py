"""The linkage model: which record pairs to compare, how, and what each finding counts for.

A Fellegi-Sunter model run by Splink 5 on in-memory DuckDB over records prepared by
:func:`joinedup.people.linkage.features.prepare`: seven comparisons (NHS number, given
name, family name, date of birth, postcode, address, sex), each level labelled in plain words
because stewards read them in explanations (:data:`LEVELS`). A value missing on either
record is no evidence either way (match weight 0).

Training (:func:`train`): the prior from deterministic rules, u (how often a level happens
between different people) by random sampling, m (how often for the same person) by EM.
Below :data:`MIN_RECORDS_FOR_U` records (the Baby S demo has about 40) random pairs are
too often the same person, so the documented :data:`DEFAULT_M` / :data:`DEFAULT_U` are
used; any level training could not estimate also falls back to them. The model is a
Splink settings dict (JSON-able); its ``"joinedup"`` key holds the term frequencies of
common names and says what was estimated and what defaulted.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker, block_on

from joinedup.duckdb_sandbox import locked_connection
from joinedup.errors import LinkageError
from joinedup.people.linkage import shared_number
from joinedup.people.linkage.bulk import collection_paused
from joinedup.people.linkage.comparisons import (
    BLOCKING_RULES,
    COMPARED_COLUMNS,
    DEFAULT_M,
    DEFAULT_SEED,
    DEFAULT_U,
    DETERMINISTIC_RULES,
    EM_PLANS,
    FIELD_NAMES,
    HOUSEHOLD,
    LEVELS,
    TF_COLUMNS,
    address_differs_never_for,
    condition_address_on_postcode,
    settings,
    splink_settings,
)
from joinedup.people.linkage.features import prepare
from joinedup.people.linkage.shown_values import shown_values
from joinedup.sql_names import quoted_name

__all__ = ["BLOCKING_RULES", "DEFAULT_M", "DEFAULT_U", "Explanation", "FieldContribution",
           "explain", "predict", "predict_new", "settings", "train"]

LOG_LEVEL = logging.WARNING
"""Splink's log level; set to logging.INFO to watch training."""
MIN_RECORDS_FOR_U = 1_000
"""Below this many records, random pairs are too often the same person to estimate u."""
MIN_PAIRS_FOR_EM = 500
"""An EM pass runs only if its blocking rule gives at least this many pairs."""
U_MAX_PAIRS = 2e6
"""Random pairs for estimating u (all pairs when there are fewer)."""
DETERMINISTIC_RECALL = 0.8
"""Share of true pairs the deterministic rules are taken to find: 0.93 on the demo
population; real returns are noisier and police and probation rarely have NHS numbers."""
TF_MIN_COUNT = 5
"""Names seen fewer times than this are not kept in the model's term frequencies (a model
file must not list rare names); they get the average weight of an exact match."""
PROBABILITY_FLOOR = 1e-6
PREDICT_CHUNK_RECORDS = 600_000
"""Prediction is split into chunks of about this many records (left side of each pair):
each chunk's candidate pairs are blocked, scored, filtered and kept before the next. Every
further chunk repeats the blocking joins (a few seconds each at 10^6) but holds fewer pairs
at once: at a million records two chunks took a steward's ``joinedup link`` from 4.2 to
3.8 GB at its peak, in the same time, and the linkage benchmark from 3.7 to 3.1 GB, its
scoring about 5 s slower (docs/decisions/0006, amended)."""
DUCKDB_MEMORY_LIMIT = "3GB"
"""DuckDB's memory for linkage; beyond it joins and aggregates spill to a temporary
directory instead of growing (DuckDB's own default is 80% of the machine's memory)."""

@dataclass
class FieldContribution:
    """One comparison's part in a score: what was found and its match weight (log2 BF)."""

    field: str  # "given name"
    label: str  # "given names are known variants (Kate / Katherine)"
    match_weight: float  # positive: points to the same person; includes name frequency
    level: str  # the level's plain label, without the values
    comparison: str  # the model's comparison name ("given_name")


@dataclass
class Explanation:
    """The waterfall: prior weight plus each comparison's weight gives the match weight."""

    match_probability: float
    match_weight: float
    prior_match_weight: float
    comparisons: list[FieldContribution]


# -- running Splink --------------------------------------------------------------------------

def _table(records: Any) -> pa.Table:
    if isinstance(records, pa.Table) and "given_std" in records.column_names:
        return records
    return prepare(records)


def _linker(tables: Sequence[pa.Table], model: dict[str, Any], *, training: bool = False
            ) -> tuple[Linker, list[Any], duckdb.DuckDBPyConnection]:
    """A linker over the first table, every table registered, and (unless training) the
    model's name frequencies registered as Splink's term-frequency lookups.

    Training holds back Splink's warnings about levels it could not estimate: they are
    expected, handled (defaults) and listed in the model's ``joinedup.defaulted``.
    """
    # no file to read (the tables are handed over in memory), a spill folder of its own
    con = locked_connection(memory_limit=DUCKDB_MEMORY_LIMIT)
    db_api = DuckDBAPI(connection=con)
    frames = [db_api.register(t.select(COMPARED_COLUMNS), table_name=f"records_{i}")
              for i, t in enumerate(tables)]
    quiet = training and LOG_LEVEL >= logging.WARNING
    linker = Linker(frames[0], splink_settings(model),
                    log_level=logging.ERROR if quiet else LOG_LEVEL)
    stored = model.get("joinedup", {}).get("term_frequencies", {})
    for column in sorted(set(TF_COLUMNS.values())) if not training else ():
        values = stored.get(column, {})
        lookup = pa.table({column: pa.array(list(values), pa.string()),
                           f"tf_{column}": pa.array(list(values.values()), pa.float64())})
        linker.table_management.register_term_frequency_lookup(
            db_api.register(lookup, table_name=f"tf_{column}_lookup"), column)
    return linker, frames, con


def _pairs(con: duckdb.DuckDBPyConnection, frame: Any, *, close: bool = True
           ) -> list[tuple[int, int, float, float]]:
    """The scored pairs of a Splink predictions table; closes the database unless asked."""
    with collection_paused():  # a million tuples: bulk.py
        rows = con.execute(
            f"SELECT least(unique_id_l, unique_id_r), greatest(unique_id_l, unique_id_r), "  # noqa: S608 - the table name is Splink's own
            f"match_probability::DOUBLE, match_weight::DOUBLE FROM {frame.physical_name} "
            "ORDER BY 1, 2, 3, 4").fetchall()
    if close:
        con.close()
    return rows


def predict(records_table: Any, model: dict[str, Any], threshold: float = 0.01
            ) -> list[tuple[int, int, float, float]]:
    """Every candidate pair scoring at least ``threshold``: (id_l, id_r, probability, weight).

    ``id_l < id_r``; sorted. Candidate pairs come from the model's blocking rules.
    """
    table = _table(records_table)
    if table.num_rows < 2:
        return []
    linker, _, con = _linker([table], model)
    chunks = math.ceil(table.num_rows / PREDICT_CHUNK_RECORDS)
    return _pairs(con, linker.inference.predict(
        threshold_match_probability=threshold, warning_mode="never",
        num_chunks_left=chunks, num_chunks_right=1))


def predict_new(new_table: Any, existing_table: Any | None, model: dict[str, Any],
                threshold: float = 0.01) -> list[tuple[int, int, float, float]]:
    """Pairs involving new records only: new against existing, and new against new.

    For incremental runs: pairs within the existing records are not recomputed.
    """
    new = _table(new_table)
    existing = _table(existing_table) if existing_table is not None else None
    if existing is None or existing.num_rows == 0:
        return predict(new, model, threshold)
    if new.num_rows == 0:
        return []
    linker, (new_frame, old_frame), con = _linker([new, existing], model)
    found = _pairs(con, linker.inference.predict_between(
        new_frame, old_frame, threshold_match_probability=threshold, warning_mode="never"),
        close=new.num_rows < 2)
    if new.num_rows > 1:
        found += _pairs(con, linker.inference.predict_within(
            new_frame, threshold_match_probability=threshold, warning_mode="never"))
    return sorted(set(found))


def blocked_pairs(records_table: Any, model: dict[str, Any] | None = None) -> pa.Table:
    """The candidate pairs the blocking rules give: unique_id_l, unique_id_r, match_key.

    ``match_key`` is the index of the first rule that found the pair (in the model's
    rules, or :data:`BLOCKING_RULES` without a model). For measuring blocking recall.
    """
    table = _table(records_table)
    linker, _, con = _linker([table], model or settings(), training=True)
    frame = linker.inference.compute_blocked_pairs_for_predict()
    pairs = con.sql(
        f"SELECT CAST(join_key_l AS BIGINT) AS unique_id_l, "  # noqa: S608 - the table name is Splink's own
        f"CAST(join_key_r AS BIGINT) AS unique_id_r, CAST(match_key AS INTEGER) AS match_key "
        f"FROM {frame.physical_name}").to_arrow_table()
    con.close()
    return pairs


def explain(record_a: dict[str, Any], record_b: dict[str, Any], model: dict[str, Any],
            others: Sequence[Mapping[str, Any]] | None = None) -> Explanation:
    """Why the model scores two records as it does: each comparison's level and weight.

    ``others``: the records sharing their NHS numbers, whose values fill their blanks as
    linking fills them (shared_number.py); a filled value is shown as filled.
    """
    table = shared_number.fill(_table([record_a, record_b]),
                               prepare(others) if others else None)
    if table.column("unique_id")[0] == table.column("unique_id")[1]:
        table = table.set_column(0, "unique_id", pa.array([1, 2], pa.int64()))
    linker, (_, left, right), con = _linker([table, table.slice(0, 1), table.slice(1, 1)], model)
    row = linker.inference.score_pair(left, right).as_record_list()[0]
    con.close()
    a, b = table.to_pylist()
    comparisons = []
    for name, levels in LEVELS.items():
        gamma = int(row[f"gamma_{name}"])
        # Splink numbers levels from the top: null is -1, else 0, exact the highest.
        level = levels[0][1] if gamma == -1 else levels[len(levels) - 1 - gamma][1]
        weight = float(row.get(f"mw_{name}") or 0.0) + float(row.get(f"mw_tf_adj_{name}") or 0.0)
        shown = shown_values(name, a, b) if gamma != -1 else ""
        comparisons.append(FieldContribution(
            field=FIELD_NAMES[name], label=f"{level} ({shown})" if shown else level,
            match_weight=round(weight, 4), level=level, comparison=name))
    prior = float(model.get("probability_two_random_records_match", 1e-4))
    return Explanation(match_probability=float(row["match_probability"]),
                       match_weight=float(row["match_weight"]),
                       prior_match_weight=round(math.log2(prior / (1 - prior)), 4),
                       comparisons=comparisons)


# -- training ---------------------------------------------------------------------------------

def _count_pairs(con: duckdb.DuckDBPyConnection, table: pa.Table, columns: list[str]) -> int:
    con.register("_count_input", table)
    keys = ", ".join(quoted_name(c) for c in columns)
    not_null = " AND ".join(f"{quoted_name(c)} IS NOT NULL" for c in columns)
    rows = con.execute(
        f"SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n "  # noqa: S608 - our column names (EM_PLANS), quoted
        f"FROM _count_input WHERE {not_null} GROUP BY {keys})").fetchall()
    con.unregister("_count_input")
    return int(rows[0][0])


MIN_LABELS = 20
"""Pairs confirmed by data stewards are used to estimate m once there are this many; fewer
would move the weights on too little evidence. (Splink combines these estimates with EM's.
Rejected pairs are not used for estimation; clustering enforces them.)"""


def train(records_table: Any, seed: int = DEFAULT_SEED,
          confirmed: Sequence[tuple[int, int]] = ()) -> dict[str, Any]:
    """Train the model on person records; returns it as a JSON-able Splink settings dict.

    Deterministic for a fixed seed. Never fails for lack of data (two or more records):
    what cannot be estimated falls back to :data:`DEFAULT_M` / :data:`DEFAULT_U`.
    ``confirmed``: record-id pairs a data steward confirmed as the same person (labels).
    """
    table = _table(records_table)
    n = table.num_rows
    if n < 2:
        raise LinkageError("Training the linkage model needs at least two person records.")
    base = settings(seed)
    linker, _, con = _linker([table], base, training=True)
    estimated: dict[str, list[str]] = {"u": [], "m": []}
    prior = _estimate_prior(linker, n)
    _train_parameters(linker, con, table, seed, estimated)
    if len(confirmed) >= MIN_LABELS:
        labels = pa.table({"unique_id_l": pa.array([a for a, _ in confirmed], pa.int64()),
                           "unique_id_r": pa.array([b for _, b in confirmed], pa.int64())})
        con.register("joinedup_confirmed_pairs", labels)
        linker.training.estimate_m_from_pairwise_labels("joinedup_confirmed_pairs")
        estimated["m"].append(f"{len(confirmed)} pairs confirmed by data stewards")
    trained = linker.misc.save_model_to_json()
    trained["probability_two_random_records_match"] = _round(prior)
    condition_address_on_postcode(trained)
    _condition_postcode_on_family(trained)
    defaulted = _fill_defaults(trained)
    address_differs_never_for(trained)
    trained["linker_uid"] = base["linker_uid"]
    frequencies = _term_frequencies(con, table) if n >= MIN_RECORDS_FOR_U else {}
    con.close()
    trained["joinedup"] = {"format": 1, "seed": seed, "records": n, "estimated": estimated,
                           "defaulted": defaulted, "term_frequencies": frequencies}
    return trained


def _train_parameters(linker: Linker, con: duckdb.DuckDBPyConnection, table: pa.Table,
                      seed: int, estimated: dict[str, list[str]]) -> None:
    n = table.num_rows
    if n >= MIN_RECORDS_FOR_U:
        linker.training.estimate_u_using_random_sampling(
            max_pairs=min(U_MAX_PAIRS, n * (n - 1) / 2), seed=seed)
        estimated["u"].append("random sampling")
        for plan in EM_PLANS:
            if all(_count_pairs(con, table, list(cols)) >= MIN_PAIRS_FOR_EM for cols in plan):
                for cols in plan:
                    linker.training.estimate_parameters_using_expectation_maximisation(
                        block_on(*cols))
                    estimated["m"].append(f"EM blocked on {' + '.join(cols)}")
                break


def _estimate_prior(linker: Linker, n: int) -> float:
    """Probability two random records match, from deterministic rules; 1/n if they find none."""
    fallback = min(0.5, 1.0 / n)
    try:
        linker.training.estimate_probability_two_random_records_match(
            DETERMINISTIC_RULES, recall=DETERMINISTIC_RECALL)
    except ValueError:  # the rules found more pairs than the recall allows: tiny data
        return 0.5
    prior = linker._settings_obj._probability_two_random_records_match
    if not prior or prior <= 0:
        return fallback
    return min(0.5, float(prior))


def _round(value: float) -> float:
    return float(f"{value:.10g}")


def _fill_defaults(trained: dict[str, Any]) -> list[str]:
    """Put the default m/u on every level training left unset; clamp to a floor; round."""
    defaulted = []
    for comparison in trained["comparisons"]:
        name = comparison["output_column_name"]
        for index, level in enumerate(comparison["comparison_levels"][1:]):
            for kind, table in (("m", DEFAULT_M), ("u", DEFAULT_U)):
                key = f"{kind}_probability"
                value = level.get(key)
                if not isinstance(value, (int, float)) or not math.isfinite(value):
                    value = table[name][index]
                    defaulted.append(f"{name}: {level['label_for_charts']} ({kind})")
                level[key] = _round(max(PROBABILITY_FLOOR, float(value)))
    return defaulted


def _condition_postcode_on_family(trained: dict[str, Any]) -> None:
    """Turn trained joint probabilities of the household levels into conditional ones."""
    by_name = {c["output_column_name"]: c["comparison_levels"] for c in trained["comparisons"]}
    family_exact = by_name["family_name"][1]
    name, same_family, other_family = HOUSEHOLD
    levels = by_name[name]
    for key in ("m_probability", "u_probability"):
        share = family_exact.get(key)
        if not isinstance(share, (int, float)) or not 0 < share < 1:
            continue
        for index, part in ((same_family, share), (other_family, 1 - share)):
            value = levels[index].get(key)
            if isinstance(value, (int, float)):
                levels[index][key] = min(1.0, value / part)


def _term_frequencies(con: duckdb.DuckDBPyConnection, table: pa.Table
                      ) -> dict[str, dict[str, float]]:
    con.register("_tf_input", table)
    out: dict[str, dict[str, float]] = {}
    for column in sorted(set(TF_COLUMNS.values())):
        name = quoted_name(column)
        rows = con.execute(
            f"SELECT {name}, count(*) AS n, sum(count(*)) OVER () AS total FROM _tf_input "  # noqa: S608 - our column names (TF_COLUMNS), quoted
            f"WHERE {name} IS NOT NULL GROUP BY {name} ORDER BY {name}").fetchall()
        out[column] = {value: _round(count / total) for value, count, total in rows
                       if count >= TF_MIN_COUNT}
    con.unregister("_tf_input")
    return out
