"""Linkage benchmark: accuracy, time and memory of person linkage on the demo population.

    .venv/bin/python benchmarks/linkage.py [--records 10000 100000] [--seed 7] [--threshold 0.9]
        [--generator demo|varied|febrl3]

For each size, a population of about that many agency person records is written
(linkage_populations.py): by default with ``joinedup.demo.population.generate_population``,
the generator the model was built on (about 10 records per family); with ``--generator
varied`` by ``joinedup.demo.varied_population``, whose errors are unlike it; with
``--generator febrl3`` the 5,000 records of FEBRL3 (the size is fixed; it needs the
benchmark extra: ``.venv/bin/pip install -c requirements.lock -e ".[bench]"``). Three methods
link it, each in a fresh process so that its peak memory is its own:

    joinedup       people/linkage/model.py: our comparisons, blocking, training; pairs that
                   may be twins at one home kept apart (people/linkage/home_twins.py)
    deterministic  the same person if the NHS numbers are equal, or else given name,
                   family name and date of birth are all equal (normalised)
    plain Splink   Splink's out-of-the-box comparisons (NameComparison on given and
                   family name, DateOfBirthComparison, ExactMatch on NHS number, postcode
                   and sex) with the same blocking rules and the same training steps

Measured against ground_truth.csv: blocking recall (the share of true pairs among the
candidate pairs the blocking rules give), pairwise precision, recall and F1 of the pairs
linked (match probability >= threshold), the same for clusters (connected components of
the links, or for joinedup its own grouping, which never joins a pair kept apart nor two
NHS numbers through a record with none; every pair inside a cluster counts as linked),
wall time of linking (prepare,
train, score, cluster; not reading the files or scoring the result), with the seconds of
each stage listed under the table, and peak resident memory. The threshold defaults to
0.9: the model saying nine to one on, the usual point for automatic links in Splink's
guidance; joinedup's own link threshold is 0.95 (people/linking.py) and can be given
with --threshold.

Where ground_truth.csv gives each record's ``name_origin`` (the varied population), a
linkage bias table follows: for each name-origin group, its true pairs and the share of
them each method linked (pairwise recall), as Splink's guidance on bias suggests. Where it
names the errors made in each record (the varied population), a table of the recall of the
true pairs with each kind of error in either record follows.

Results go to stdout as a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from linkage_populations import GENERATORS, write_population

METHODS = ("joinedup", "deterministic", "plain Splink")
FLOOR = 0.5
"""Pairs are scored and kept from this probability up (joinedup keeps the same floor): no
threshold measured here is lower, and keeping every pair above 0.01 at 10^6 records would
hold tens of millions of pairs in memory."""


# -- data ---------------------------------------------------------------------------------

def generate(folder: Path, records: int, seed: int, generator: str = "demo") -> dict[str, Any]:
    return write_population(generator, folder, records, seed)


Truth = tuple[dict[int, str], dict[str, str], dict[int, list[str]]]
TWINS: list[tuple[str, str]] = []
"""Pairs of true persons who are twins (children of one family born the same day), where
ground_truth.csv gives true dates of birth (the varied population): load() fills it."""


def load(folder: Path) -> tuple[list[dict[str, Any]], Truth]:
    """The agency person records as linkage input, and the truth: the true person of each
    record, the name-origin group of each true person and the errors made in each record
    (both empty when ground_truth.csv does not say)."""
    truth: dict[tuple[str, str], str] = {}
    origin: dict[str, str] = {}
    made: dict[tuple[str, str], list[str]] = {}
    born: dict[tuple[str, str], set[str]] = {}
    with (folder / "ground_truth.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            truth[(row["agency"], row["source_person_id"])] = row["true_person_id"]
            if row.get("name_origin"):
                origin[row["true_person_id"]] = row["name_origin"]
            if row.get("errors"):
                made[(row["agency"], row["source_person_id"])] = row["errors"].split(";")
            if row.get("true_date_of_birth") and row["role"] == "CHILD":
                born.setdefault((row["family_id"], row["true_date_of_birth"]),
                                set()).add(row["true_person_id"])
    TWINS[:] = sorted((a, b) for group in born.values() for a in group for b in group if a < b)
    errors: dict[int, list[str]] = {}
    records: list[dict[str, Any]] = []
    person: dict[int, str] = {}
    for agency in sorted(p for p in folder.iterdir() if (p / "people.csv").is_file()):
        with (agency / "people.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                uid = len(records) + 1
                records.append({
                    "unique_id": uid, "agency": agency.name, "given_name": row["given_name"],
                    "family_name": row["family_name"],
                    "other_names": [n for n in row["other_names"].split(";") if n],
                    "date_of_birth": row["date_of_birth"] or None, "sex": row["sex"],
                    "nhs_number": row["nhs_number"], "postcode": row["postcode"],
                    "address": row.get("address", ""), "uprn": row.get("uprn", ""),
                })
                person[uid] = truth[(agency.name, row["person_id"])]
                errors[uid] = made.get((agency.name, row["person_id"]), [])
    return records, (person, origin, errors)


# -- methods --------------------------------------------------------------------------------

Pairs = list[tuple[int, int, float]]


STAGES: dict[str, float] = {}
"""Seconds per stage of the method being run (joinedup: train, score)."""


def link_joinedup(table: Any, seed: int) -> Pairs:
    """Scored pairs (joinedup_apart() then takes out those kept apart)."""
    from joinedup.people.linkage import model

    start = time.perf_counter()
    trained = model.train(table, seed=seed)
    STAGES["train"] = time.perf_counter() - start
    scored = model.predict(table, trained, threshold=FLOOR)
    STAGES["score"] = time.perf_counter() - start - STAGES["train"]
    return [(a, b, p) for a, b, p, _ in scored]


def joinedup_apart(table: Any, scored: Pairs, threshold: float) -> list[Any]:
    """The possible twins at one home joinedup keeps apart (people/linkage/home_twins.py):
    among the links, and among records linked to one record but not to each other
    (people/linkage/ambiguity.py). It never joins them."""
    from joinedup.people.linkage import ambiguity, home_twins

    links = [(a, b) for a, b, p in scored if p >= threshold]
    return home_twins.among(table, ambiguity.pairs_for_twins(links))


def joinedup_clusters(table: Any, ids: list[int], scored: Pairs, threshold: float,
                      twins: list[Any]) -> dict[int, int]:
    """joinedup's own grouping (people/linkage/clustering.py): links highest first, never
    joining a pair kept apart (``twins``: joinedup_apart()), nor two NHS numbers through a
    record with none."""
    from joinedup.people.linkage import clustering, home_twins

    numbers = {uid: nhs for uid, nhs in zip(table.column("unique_id").to_pylist(),
                                            table.column("nhs").to_pylist(), strict=True) if nhs}
    grouping = clustering.cluster(
        ids, scored, threshold, kept_apart=[(t.a, t.b) for t in twins], numbers=numbers,
        maybe_one=[(t.a, t.b) for t in twins if home_twins.may_be_one(t)])
    cluster_of: dict[int, int] = {}
    for group in grouping.groups:
        cluster_of.update(dict.fromkeys(group, min(group)))
    return cluster_of


def link_deterministic(table: Any, seed: int) -> Pairs:
    import duckdb

    con = duckdb.connect()
    con.register("t", table)
    rows = con.execute("""
        SELECT a.unique_id, b.unique_id FROM t a JOIN t b
            ON a.nhs = b.nhs AND a.unique_id < b.unique_id
        UNION
        SELECT a.unique_id, b.unique_id FROM t a JOIN t b
            ON a.given_std = b.given_std AND a.family_std = b.family_std AND a.dob = b.dob
            AND a.unique_id < b.unique_id""").fetchall()
    return [(a, b, 1.0) for a, b in rows]


def plain_settings() -> dict[str, Any]:
    import splink.comparison_library as cl
    from splink import SettingsCreator

    from joinedup.people.linkage import model

    return SettingsCreator(
        link_type="dedupe_only", unique_id_column_name="unique_id",
        comparisons=[cl.NameComparison("given_std"), cl.NameComparison("family_std"),
                     cl.DateOfBirthComparison("dob", input_is_string=True),
                     cl.ExactMatch("nhs"), cl.ExactMatch("postcode_std"), cl.ExactMatch("sex")],
        blocking_rules_to_generate_predictions=list(model.BLOCKING_RULES),
    ).create_settings_dict("duckdb")


def link_plain(table: Any, seed: int) -> Pairs:
    import logging

    import duckdb
    from splink import DuckDBAPI, Linker, block_on

    from joinedup.people.linkage import model

    con = duckdb.connect()
    db_api = DuckDBAPI(connection=con)
    linker = Linker(db_api.register(table), plain_settings(), log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        model.DETERMINISTIC_RULES, recall=model.DETERMINISTIC_RECALL)
    n = table.num_rows
    linker.training.estimate_u_using_random_sampling(
        max_pairs=min(model.U_MAX_PAIRS, n * (n - 1) / 2), seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_std", "family_std"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    frame = linker.inference.predict(threshold_match_probability=FLOOR, warning_mode="never")
    rows = con.execute(f"SELECT unique_id_l, unique_id_r, match_probability "  # noqa: S608 - the table name is Splink's own
                       f"FROM {frame.physical_name}").fetchall()
    return [(min(a, b), max(a, b), p) for a, b, p in rows]


LINKERS = {"joinedup": link_joinedup, "deterministic": link_deterministic,
           "plain Splink": link_plain}


# -- measures -------------------------------------------------------------------------------

def clusters(ids: list[int], links: list[tuple[int, int]]) -> dict[int, int]:
    """Connected components (union-find): record id -> smallest id of its cluster."""
    parent = {i: i for i in ids}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {i: root(i) for i in ids}


def scores(true_positive: int, predicted: int, actual: int) -> dict[str, float]:
    precision = true_positive / predicted if predicted else 1.0
    recall = true_positive / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def pairs_within(groups: Counter[Any]) -> int:
    return sum(n * (n - 1) // 2 for n in groups.values())


def blocking_recall(table: Any, person: dict[int, str]) -> tuple[float, int]:
    from joinedup.people.linkage import model

    blocked = model.blocked_pairs(table)
    left, right = blocked.column("unique_id_l").to_pylist(), blocked.column("unique_id_r")
    found = sum(person[a] == person[b] for a, b in zip(left, right.to_pylist(), strict=True))
    return found / pairs_within(Counter(person.values())), blocked.num_rows


def run_one(method: str, folder: Path, seed: int, threshold: float) -> dict[str, Any]:
    from joinedup.people.linkage import features, shared_number

    records, (person, origin, errors) = load(folder)
    start = time.perf_counter()
    table = features.prepare(records)
    STAGES["prepare"] = time.perf_counter() - start
    if method == "joinedup":  # blanks filled through the NHS number, as linking.py does
        table = shared_number.fill(table)
        STAGES["fill"] = time.perf_counter() - start - STAGES["prepare"]
    scored = LINKERS[method](table, seed)
    ids = [r["unique_id"] for r in records]
    twins: list[Any] = []
    if method == "joinedup":
        started = time.perf_counter()
        twins = joinedup_apart(table, scored, threshold)
        STAGES["twins"] = time.perf_counter() - started
        kept = {(t.a, t.b) for t in twins}
        scored = [(a, b, p) for a, b, p in scored if (a, b) not in kept]
    linked = time.perf_counter()
    links = [(a, b) for a, b, p in scored if p >= threshold]
    cluster_of = (joinedup_clusters(table, ids, scored, threshold, twins)
                  if method == "joinedup" else clusters(ids, links))
    seconds = time.perf_counter() - start
    STAGES["cluster"] = seconds - (linked - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    actual = pairs_within(Counter(person.values()))
    result: dict[str, Any] = {
        "method": method, "records": len(records), "seconds": seconds, "peak_mb": peak_mb,
        "stages": {name: round(value, 1) for name, value in STAGES.items()},
        "pairwise": scores(sum(person[a] == person[b] for a, b in links), len(links), actual),
        "cluster": scores(pairs_within(Counter((cluster_of[i], person[i]) for i in person)),
                          pairs_within(Counter(cluster_of.values())), actual),
    }
    if method != "deterministic":
        result["blocking_recall"], result["candidate_pairs"] = blocking_recall(table, person)
    if TWINS:
        result["twins"] = twins_merged(cluster_of, person)
    if origin:
        result["by_origin"] = recall_by_origin(links, person, origin)
    if any(errors.values()):
        result["by_error"] = recall_by_error(links, person, errors)
    return result


def twins_merged(cluster_of: dict[int, int], person: dict[int, str]) -> dict[str, int]:
    """Pairs of twins, and how many of them have records in one cluster."""
    clusters: dict[str, set[int]] = {}
    for uid, true_person in person.items():
        clusters.setdefault(true_person, set()).add(cluster_of[uid])
    merged = sum(bool(clusters[a] & clusters[b]) for a, b in TWINS)
    return {"pairs": len(TWINS), "merged": merged}


def recall_by_error(links: list[tuple[int, int]], person: dict[int, str],
                    errors: dict[int, list[str]]) -> dict[str, dict[str, float]]:
    """For each kind of error: the true pairs with it in either record, and the share of
    them linked."""
    members: dict[str, list[int]] = {}
    for uid, true_person in person.items():
        members.setdefault(true_person, []).append(uid)
    linked = set(links)
    pairs, found = Counter[str](), Counter[str]()
    for uids in members.values():
        for i, a in enumerate(uids):
            for b in uids[i + 1:]:
                for kind in set(errors[a]) | set(errors[b]):
                    pairs[kind] += 1
                    found[kind] += (a, b) in linked or (b, a) in linked
    return {kind: {"pairs": pairs[kind], "recall": found[kind] / pairs[kind]}
            for kind in sorted(pairs)}


def recall_by_origin(links: list[tuple[int, int]], person: dict[int, str],
                     origin: dict[str, str]) -> dict[str, dict[str, float]]:
    """For each name-origin group: its true pairs, and the share of them linked."""
    actual = Counter(origin[p] for p in person.values())
    true_pairs = Counter[str]()
    for true_person, n in Counter(person.values()).items():
        true_pairs[origin[true_person]] += n * (n - 1) // 2
    found = Counter(origin[person[a]] for a, b in links if person[a] == person[b])
    return {group: {"records": actual[group], "pairs": true_pairs[group],
                    "recall": found[group] / true_pairs[group] if true_pairs[group] else 1.0}
            for group in sorted(actual)}


# -- driver ---------------------------------------------------------------------------------

def table_row(r: dict[str, Any]) -> str:
    recall = f"{r['blocking_recall']:.4f}" if "blocking_recall" in r else "n/a"
    candidates = f"{r['candidate_pairs']:,}" if "candidate_pairs" in r else "n/a"
    p, c = r["pairwise"], r["cluster"]
    return (f"| {r['records']:,} | {r['method']} | {recall} | {candidates} | "
            f"{p['precision']:.4f} | {p['recall']:.4f} | {p['f1']:.4f} | "
            f"{c['precision']:.4f} | {c['recall']:.4f} | {c['f1']:.4f} | "
            f"{r['seconds']:.1f} | {r['peak_mb']:,.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, nargs="+", default=[10_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--generator", default="demo", choices=GENERATORS)
    parser.add_argument("--run", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_one(args.run, args.data, args.seed, args.threshold)))
        return
    print(f"Python {platform.python_version()} on {platform.machine()}, seed {args.seed}, "
          f"threshold {args.threshold}, population {args.generator}, {code_version()}\n")
    print("| records | method | blocking recall | candidate pairs | pair precision | "
          "pair recall | pair F1 | cluster precision | cluster recall | cluster F1 | "
          "seconds | peak MB |")
    print("|" + "---|" * 12)
    stages: list[str] = []
    twins: list[str] = []
    by_origin: dict[int, dict[str, Any]] = {}
    by_error: dict[int, dict[str, Any]] = {}
    sizes = [0] if args.generator == "febrl3" else args.records
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            folder = Path(tmp) / f"population-{size}"
            generate(folder, size, args.seed, args.generator)
            for method in args.methods:
                out = subprocess.run(
                    [sys.executable, __file__, "--run", method, "--data", str(folder),
                     "--seed", str(args.seed), "--threshold", str(args.threshold)],
                    capture_output=True, text=True, check=False)
                if out.returncode:
                    sys.exit(f"{method} at {size:,} records failed:\n{out.stderr}")
                result = json.loads(out.stdout.strip().splitlines()[-1])
                print(table_row(result), flush=True)
                if "twins" in result:
                    twins.append(f"{result['records']:,} {method}: {result['twins']['merged']} "
                                 f"of {result['twins']['pairs']} pairs of twins merged")
                if "by_origin" in result:
                    by_origin.setdefault(result["records"], {})[method] = result["by_origin"]
                if "by_error" in result:
                    by_error.setdefault(result["records"], {})[method] = result["by_error"]
                stages.append(f"{result['records']:,} {method}: " + ", ".join(
                    f"{name} {value} s" for name, value in result["stages"].items()))
    print("\nSeconds by stage:\n\n" + "\n".join(f"- {line}" for line in stages))
    if twins:
        print("\nTwins (children of one family born the same day, by the ground truth) with "
              "records in one cluster:\n\n" + "\n".join(f"- {line}" for line in twins))
    for records, methods in by_origin.items():
        print_bias_table(records, methods)
    for records, methods in by_error.items():
        print_error_table(records, methods)


def print_error_table(records: int, by_method: dict[str, Any]) -> None:
    """Pairwise recall of the true pairs with each kind of error, one column per method."""
    methods = list(by_method)
    print(f"\nRecall by kind of error at {records:,} records (pairs with it in either "
          "record)\n")
    print("| error | true pairs | " + " | ".join(methods) + " |")
    print("|" + "---|" * (2 + len(methods)))
    for kind, counts in by_method[methods[0]].items():
        cells = [f"{by_method[m][kind]['recall']:.4f}" for m in methods]
        print(f"| {kind} | {counts['pairs']:,} | " + " | ".join(cells) + " |")


def print_bias_table(records: int, by_method: dict[str, Any]) -> None:
    """Pairwise recall by name-origin group, one column per method."""
    methods = list(by_method)
    groups = by_method[methods[0]]
    print(f"\nLinkage bias at {records:,} records: pairwise recall by name-origin group\n")
    print("| name origin | records | true pairs | " + " | ".join(methods) + " |")
    print("|" + "---|" * (3 + len(methods)))
    for group, counts in groups.items():
        cells = [f"{by_method[m][group]['recall']:.4f}" for m in methods]
        print(f"| {group} | {counts['records']:,} | {counts['pairs']:,} | "
              + " | ".join(cells) + " |")


def code_version() -> str:
    """The commit measured, and whether the linkage code differed from it."""
    root = Path(__file__).resolve().parent.parent
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                          capture_output=True, text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "src/joinedup/people/linkage"],
                           cwd=root, capture_output=True, text=True, check=False).stdout
    return f"commit {head or 'unknown'}" + (" with uncommitted linkage changes" if dirty
                                             else "")


if __name__ == "__main__":
    main()
