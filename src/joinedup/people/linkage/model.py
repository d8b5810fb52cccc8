"""The linkage model: which record pairs to compare, how, and what each finding counts for.

A Fellegi-Sunter model run by Splink 5 on in-memory DuckDB over records prepared by
:func:`joinedup.people.linkage.features.prepare`: six comparisons (NHS number, given
name, family name, date of birth, postcode, sex), each level labelled in plain words
because stewards read them in explanations (:data:`_LEVELS`). A value missing on either
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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker, block_on

from joinedup.errors import LinkageError
from joinedup.people.linkage.features import prepare

__all__ = ["BLOCKING_RULES", "DEFAULT_M", "DEFAULT_U", "Explanation", "FieldContribution",
           "explain", "predict", "predict_new", "settings", "train"]

LOG_LEVEL = logging.WARNING
"""Splink's log level; set to logging.INFO to watch training."""
DEFAULT_SEED = 20240815
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

# Comparison -> levels: (sql condition, plain label, default m, default u); the null level
# first, "ELSE" last. Defaults: m from typical recording error rates in English agency data
# (a few per cent of given names mistyped or shortened, ~15% of married women under another
# surname, ~35% of postcodes stale after a move); u from a local-authority population (a
# given name shared by ~1% of random pairs, a family name by ~0.5%, a birth date by ~1 in
# 10,000, a postcode by ~1 in 1,000, sex by half).
_Level = tuple[str, str, float | None, float | None]
_DAYS_APART = "abs(datediff('day', CAST(dob_l AS DATE), CAST(dob_r AS DATE)))"


def _missing(column: str, what: str, note: str = "") -> _Level:
    return (f"{column}_l IS NULL OR {column}_r IS NULL",
            f"{what} missing on one or both records{note}", None, None)


_LEVELS: dict[str, list[_Level]] = {
    "nhs_number": [
        _missing("nhs", "NHS number"),
        ("nhs_l = nhs_r", "same NHS number", 0.998, 1e-6),
        # hamming() first: far cheaper, and a swap changes only two of the ten digits
        ("hamming(nhs_l, nhs_r) <= 2 AND damerau_levenshtein(nhs_l, nhs_r) <= 1",
         "NHS numbers one digit or one swap apart", 1e-4, 1e-4),
        ("ELSE", "different NHS numbers", 0.0019, 0.9999)],
    "given_name": [
        _missing("given_std", "given name", " (or only 'Baby')"),
        ("given_std_l = given_std_r", "same given name", 0.85, 0.01),
        ("given_root_l = given_root_r", "given names are known variants", 0.07, 0.002),
        ("jaro_winkler_similarity(given_std_l, given_std_r) >= 0.92",
         "given names very similar (a likely typo)", 0.03, 0.004),
        ("jaro_winkler_similarity(given_std_l, given_std_r) >= 0.8",
         "given names somewhat similar", 0.02, 0.04),
        ("ELSE", "different given names", 0.03, 0.944)],
    "family_name": [
        _missing("family_std", "family name"),
        ("family_std_l = family_std_r", "same family name", 0.80, 0.005),
        ("list_has_any(surnames_l, surnames_r)", "one record's family name is among the "
         "other's names (maiden name or alias)", 0.10, 0.001),
        ("jaro_winkler_similarity(family_std_l, family_std_r) >= 0.92",
         "family names very similar (a likely typo)", 0.03, 0.003),
        ("jaro_winkler_similarity(family_std_l, family_std_r) >= 0.8",
         "family names somewhat similar", 0.01, 0.03),
        ("ELSE", "different family names", 0.06, 0.961)],
    "date_of_birth": [
        _missing("dob", "date of birth"),
        ("dob_l = dob_r", "same date of birth", 0.93, 1e-4),
        ("dob_l = dob_swapped_r", "dates of birth with day and month swapped", 0.02, 2e-5),
        # ISO dates are all ten characters, so Levenshtein 1 is Hamming 1 (and cheaper)
        ("hamming(dob_l, dob_r) <= 1", "dates of birth one character apart", 0.02, 3e-4),
        (f"{_DAYS_APART} <= 366", "dates of birth within a year of each other", 0.01, 0.03),
        (f"{_DAYS_APART} <= 3653", "dates of birth one to ten years apart", 0.002, 0.3),
        ("ELSE", "dates of birth more than ten years apart", 0.001, 0.6696)],
    "postcode": [
        _missing("postcode_std", "postcode"),
        ("postcode_std_l = postcode_std_r AND family_std_l = family_std_r",
         "same postcode, with the same family name (as one household has)", 0.75, 0.08),
        ("postcode_std_l = postcode_std_r", "same postcode", 0.75, 3e-4),
        ("outward_l = outward_r", "same postcode district", 0.05, 0.1),
        ("ELSE", "different postcode districts", 0.2, 0.8997)],
    "sex": [
        _missing("sex", "sex", " (or not known)"),
        ("sex_l = sex_r", "same sex", 0.99, 0.5),
        ("ELSE", "different sex", 0.01, 0.5)],
}
_FIXED = {("nhs_number", 1): "m", ("nhs_number", 2): "mu", ("nhs_number", 3): "m"}
"""Levels whose m (and u) are set, not trained. NHS numbers pass the Modulus 11 check
(features.py), which catches every single-digit slip and adjacent swap: two valid numbers
one digit apart are different numbers (often twins' consecutive numbers), so that level
is neutral; and a person's number differs between agencies very rarely (a mother's number
on her baby's record), far more rarely than EM estimates when lookalikes (a son named
after his father, twins) sit in its training pairs."""
_HOUSEHOLD = ("postcode", 1, 2)
"""The postcode levels whose weight is conditional on the family name comparison. People
who share a family name and a postcode are usually one household (parents, children,
twins), so the two agreements are not independent evidence: after training, the m and u
of "same postcode" are divided by the family name's exact-match m and u (and by their
complements for "same postcode" with another family name). Without this, a record with
nothing but a family name and a postcode (an unborn baby) matches the whole household."""
_TF_COLUMNS = {("given_name", 1): "given_std", ("family_name", 1): "family_std"}
FIELD_NAMES = {"nhs_number": "NHS number", "given_name": "given name",
               "family_name": "family name", "date_of_birth": "date of birth",
               "postcode": "postcode", "sex": "sex"}

DEFAULT_M = {name: [m for _, _, m, _ in levels[1:]] for name, levels in _LEVELS.items()}
"""Fallback m probabilities per comparison, levels in order (null level excluded)."""
DEFAULT_U = {name: [u for _, _, _, u in levels[1:]] for name, levels in _LEVELS.items()}
"""Fallback u probabilities per comparison, levels in order (null level excluded)."""

BLOCKING_RULES: list[Any] = [
    block_on("nhs"),
    block_on("surnames", "given_root", arrays_to_explode=["surnames"]),
    block_on("given_root", "postcode_std"),
    block_on("family_std", "postcode_std"),
    block_on("dob", "substr(given_std, 1, 1)"),
    block_on("dob", "substr(family_std, 1, 1)"),
    "l.dob = r.dob_swapped AND substr(l.family_std, 1, 1) = substr(r.family_std, 1, 1)",
]
"""Candidate pairs: a pair is compared if any rule holds. Each rule catches true pairs that
the others miss: the same NHS number; a shared surname (family name, maiden name or alias)
with the same given-name root; the same given-name root or family name at one postcode
(the second catches unborn babies, who have only a family name); the same date of birth
with the same first letter of given or family name (so a married name with a nickname is
still found); day and month swapped. Blocking recall on the demo generator's population
was 0.9993-0.9995 at 10^4 and 10^5 records (benchmarks/linkage.py; seeds 1 and 7), with
9-13 candidate pairs per record at 10^5. A bare date-of-birth rule found 2 more true pairs
in 10^5 records for 486,000 more candidates, growing with the square of the population."""
DETERMINISTIC_RULES: list[Any] = [
    "l.nhs = r.nhs", "l.given_std = r.given_std AND l.family_std = r.family_std AND l.dob = r.dob"]
EM_PLANS: list[list[tuple[str, ...]]] = [[("nhs",)], [("dob",), ("given_root", "family_std")]]
"""EM passes: the first plan whose rules all give MIN_PAIRS_FOR_EM pairs runs. Pairs that
share an NHS number are nearly all the same person, so the m of every other comparison is
estimated cleanly from them; without NHS numbers, two passes (date of birth; names)."""


def _comparison(name: str) -> dict[str, Any]:
    levels = []
    for index, (sql, label, m, u) in enumerate(_LEVELS[name]):
        level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
        if index == 0:
            level["is_null_level"] = True
        fixed = _FIXED.get((name, index), "")
        for kind, value in (("m", m), ("u", u)):
            if kind in fixed:
                level[f"{kind}_probability"] = value
                level[f"fix_{kind}_probability"] = True
        if (name, index) in _TF_COLUMNS:
            level["tf_adjustment_column"] = _TF_COLUMNS[(name, index)]
            level["tf_adjustment_weight"] = 1.0
        levels.append(level)
    return {"output_column_name": name, "comparison_description": FIELD_NAMES[name],
            "comparison_levels": levels}


def settings(seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The untrained Splink settings: dedupe_only on unique_id, our comparisons and rules."""
    return {
        "link_type": "dedupe_only", "unique_id_column_name": "unique_id",
        "comparisons": [_comparison(name) for name in _LEVELS],
        "blocking_rules_to_generate_predictions": [_rule_dict(r) for r in BLOCKING_RULES],
        "probability_two_random_records_match": 1e-4, "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": False, "max_iterations": 25,
        "em_convergence": 1e-4, "linker_uid": f"joinedup{abs(seed) % 10**8}",
    }


def _rule_dict(rule: Any) -> Any:
    return rule if isinstance(rule, str) else rule.create_blocking_rule_dict("duckdb")


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
    con = duckdb.connect(":memory:")
    db_api = DuckDBAPI(connection=con)
    frames = [db_api.register(t, table_name=f"records_{i}") for i, t in enumerate(tables)]
    splink_settings = {key: value for key, value in model.items() if key != "joinedup"}
    quiet = training and LOG_LEVEL >= logging.WARNING
    linker = Linker(frames[0], splink_settings, log_level=logging.ERROR if quiet else LOG_LEVEL)
    stored = model.get("joinedup", {}).get("term_frequencies", {})
    for column in sorted(set(_TF_COLUMNS.values())) if not training else ():
        values = stored.get(column, {})
        lookup = pa.table({column: pa.array(list(values), pa.string()),
                           f"tf_{column}": pa.array(list(values.values()), pa.float64())})
        linker.table_management.register_term_frequency_lookup(
            db_api.register(lookup, table_name=f"tf_{column}_lookup"), column)
    return linker, frames, con


def _pairs(con: duckdb.DuckDBPyConnection, frame: Any, *, close: bool = True
           ) -> list[tuple[int, int, float, float]]:
    """The scored pairs of a Splink predictions table; closes the database unless asked."""
    rows = con.execute(
        f"SELECT least(unique_id_l, unique_id_r), greatest(unique_id_l, unique_id_r), "
        f"match_probability, match_weight FROM {frame.physical_name}").fetchall()
    if close:
        con.close()
    return sorted((int(a), int(b), float(p), float(w)) for a, b, p, w in rows)


def predict(records_table: Any, model: dict[str, Any], threshold: float = 0.01
            ) -> list[tuple[int, int, float, float]]:
    """Every candidate pair scoring at least ``threshold``: (id_l, id_r, probability, weight).

    ``id_l < id_r``; sorted. Candidate pairs come from the model's blocking rules.
    """
    table = _table(records_table)
    if table.num_rows < 2:
        return []
    linker, _, con = _linker([table], model)
    return _pairs(con, linker.inference.predict(threshold_match_probability=threshold,
                                                warning_mode="never"))


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
        f"SELECT CAST(join_key_l AS BIGINT) AS unique_id_l, "
        f"CAST(join_key_r AS BIGINT) AS unique_id_r, CAST(match_key AS INTEGER) AS match_key "
        f"FROM {frame.physical_name}").to_arrow_table()
    con.close()
    return pairs


def explain(record_a: dict[str, Any], record_b: dict[str, Any], model: dict[str, Any]
            ) -> Explanation:
    """Why the model scores two records as it does: each comparison's level and weight."""
    table = _table([record_a, record_b])
    if table.column("unique_id")[0] == table.column("unique_id")[1]:
        table = table.set_column(0, "unique_id", pa.array([1, 2], pa.int64()))
    linker, (_, left, right), con = _linker([table, table.slice(0, 1), table.slice(1, 1)], model)
    row = linker.inference.score_pair(left, right).as_record_list()[0]
    con.close()
    a, b = table.to_pylist()
    comparisons = []
    for name, levels in _LEVELS.items():
        gamma = int(row[f"gamma_{name}"])
        # Splink numbers levels from the top: null is -1, else 0, exact the highest.
        level = levels[0][1] if gamma == -1 else levels[len(levels) - 1 - gamma][1]
        weight = float(row.get(f"mw_{name}") or 0.0) + float(row.get(f"mw_tf_adj_{name}") or 0.0)
        shown = _shown_values(name, a, b) if gamma != -1 else ""
        comparisons.append(FieldContribution(
            field=FIELD_NAMES[name], label=f"{level} ({shown})" if shown else level,
            match_weight=round(weight, 4), level=level, comparison=name))
    prior = float(model.get("probability_two_random_records_match", 1e-4))
    return Explanation(match_probability=float(row["match_probability"]),
                       match_weight=float(row["match_weight"]),
                       prior_match_weight=round(math.log2(prior / (1 - prior)), 4),
                       comparisons=comparisons)


_SHOWN = {"nhs_number": "nhs", "given_name": "given_name", "family_name": "family_name",
          "date_of_birth": "dob", "postcode": "postcode_std", "sex": "sex"}


def _shown_values(name: str, a: dict[str, Any], b: dict[str, Any]) -> str:
    va, vb = a[_SHOWN[name]] or "", b[_SHOWN[name]] or ""
    text = va if va == vb else f"{va} / {vb}"
    if name == "family_name" and va != vb:
        shared = sorted(set(a["surnames"] or []) & set(b["surnames"] or []))
        if shared:
            text += f"; both records know {', '.join(s.title() for s in shared)}"
    return text


# -- training ---------------------------------------------------------------------------------

def _count_pairs(con: duckdb.DuckDBPyConnection, table: pa.Table, columns: list[str]) -> int:
    con.register("_count_input", table)
    keys = ", ".join(columns)
    not_null = " AND ".join(f"{c} IS NOT NULL" for c in columns)
    rows = con.execute(
        f"SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n "
        f"FROM _count_input WHERE {not_null} GROUP BY {keys})").fetchall()
    con.unregister("_count_input")
    return int(rows[0][0])


def train(records_table: Any, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Train the model on person records; returns it as a JSON-able Splink settings dict.

    Deterministic for a fixed seed. Never fails for lack of data (two or more records):
    what cannot be estimated falls back to :data:`DEFAULT_M` / :data:`DEFAULT_U`.
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
    trained = linker.misc.save_model_to_json()
    trained["probability_two_random_records_match"] = _round(prior)
    _condition_postcode_on_family(trained)
    defaulted = _fill_defaults(trained)
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
    name, same_family, other_family = _HOUSEHOLD
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
    for column in sorted(set(_TF_COLUMNS.values())):
        rows = con.execute(
            f"SELECT {column}, count(*) AS n, sum(count(*)) OVER () AS total FROM _tf_input "
            f"WHERE {column} IS NOT NULL GROUP BY {column} ORDER BY {column}").fetchall()
        out[column] = {value: _round(count / total) for value, count, total in rows
                       if count >= TF_MIN_COUNT}
    con.unregister("_tf_input")
    return out
