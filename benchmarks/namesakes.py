"""How often a pair in the review queue carrying each namesakes reason is one person.

    .venv/bin/python benchmarks/namesakes.py [--records 100000] [--generator varied]
        [--seeds 7 21 22]

For each seed: a population written by ``linkage_populations.py``, prepared, scored and
grouped as ``linkage.py`` does for joinedup at the product's threshold (0.95); the queue is
the pairs scored from 0.50 up to the threshold whose records the grouping left in two
persons, as ``joinedup link review`` lists them (decisions aside: there are none). Each
pair is given its namesakes reason by ``people/linkage/namesakes.py`` against every record
at its postcode, and counted against ground_truth.csv. Prints one JSON line per seed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "src"),
                str(Path(__file__).resolve().parent)]

import linkage as bench  # noqa: E402
from linkage_populations import write_population  # noqa: E402

THRESHOLD = 0.95
LOW = 0.50


def measure(folder: Path, seed: int) -> dict[str, Any]:
    from joinedup.people.linkage import features, namesakes, shared_number

    records, (person, _origin, _errors) = bench.load(folder)
    table = shared_number.fill(features.prepare(records))
    scored = bench.link_joinedup(table, seed)
    twins = bench.joinedup_apart(table, scored, THRESHOLD)
    kept = {(t.a, t.b) for t in twins}
    scored = [(a, b, p) for a, b, p in scored if (a, b) not in kept]
    cluster_of = bench.joinedup_clusters(table, [r["unique_id"] for r in records], scored,
                                         THRESHOLD, twins)
    rows = {row["unique_id"]: row for row in table.to_pylist()}
    at_postcode: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows.values():
        if row["postcode_std"]:
            at_postcode[row["postcode_std"]].append(row)
    queue = [(a, b) for a, b, p in scored
             if LOW <= p < THRESHOLD and cluster_of[a] != cluster_of[b]]
    counted: Counter[tuple[str, bool]] = Counter()
    for a, b in queue:
        reason = namesakes.namesakes_reason(rows[a], rows[b],
                                            at_postcode.get(rows[a]["postcode_std"] or "", []))
        counted[(reason or "none", person[a] == person[b])] += 1
    return {"seed": seed, "records": len(records), "queue": len(queue),
            "one_person": {reason: {"pairs": counted[(reason, True)] + counted[(reason, False)],
                                    "one_person": counted[(reason, True)]}
                           for reason in sorted({r for r, _ in counted})}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--generator", default="varied", choices=("varied", "demo"))
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 21, 22])
    args = parser.parse_args()
    for seed in args.seeds:
        with tempfile.TemporaryDirectory(prefix="joinedup-namesakes-") as folder:
            write_population(args.generator, Path(folder), args.records, seed)
            print(json.dumps(measure(Path(folder), seed)), flush=True)


if __name__ == "__main__":
    main()
