"""Linkage as a partnership runs it: agency returns loaded, linked and exported by the CLI.

    .venv/bin/python benchmarks/linkage_product.py [--records 100000] [--generator varied]
        [--seed 7] [--postgres URL]

``linkage.py`` measures the linkage model on records handed to it in memory. This measures
what a data steward gets from the same population: each agency's people.csv (written by
``linkage_populations.py``) goes through ``joinedup ingest`` into a fresh database, then
``joinedup link`` and ``joinedup export persons``, each step in its own process, as a
steward would type them. The persons exported are scored against ground_truth.csv:

- pairwise precision, recall and F1 of the records placed in one person (a record the
  export does not hold, e.g. one kept in quarantine, counts as a person of its own);
- twins merged: pairs of children of one family born the same day with records in one
  person (the varied population names them);
- the pairs waiting in the review queue (``joinedup link`` reports them), and the seconds
  ``joinedup link review`` takes to list the first 50 (it reads the whole queue's reasons,
  for its filters, as the steward's queue page does);
- seconds and peak resident memory of each step.

This is the measure a held-out test of the product takes: the link threshold is the
product's (0.95, people/linking.py), and every step after scoring (twins kept apart, unborn
to born, parent and child never joined) is in it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

from linkage_populations import GENERATORS, write_population

from ingest import drop_postgres, postgres_env

JOINEDUP = [sys.executable, "-m", "joinedup"]


def agency_kinds() -> dict[str, tuple[str, str, str]]:
    """Each demo agency's name, kind and area (joinedup.demo's agencies.csv)."""
    text = resources.files("joinedup.demo").joinpath("agencies.csv").read_text("utf-8")
    return {row["code"]: (row["name"], row["kind"], row["area_code"])
            for row in csv.DictReader(io.StringIO(text))}


def step(name: str, args: list[str], env: dict[str, str], timings: dict[str, Any]) -> str:
    """Run one CLI command in its own process; add its seconds and peak resident memory to
    ``timings[name]``; its output."""
    with (tempfile.TemporaryFile("w+", encoding="utf-8") as out,
          tempfile.TemporaryFile("w+", encoding="utf-8") as err):
        start = time.perf_counter()
        process = subprocess.Popen([*JOINEDUP, *args], env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)  # the child's own resource usage
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        said, complaint = out.read(), err.read()
    if process.returncode:
        raise SystemExit(f"joinedup {' '.join(args)} failed ({process.returncode}):\n"
                         f"{complaint or said}")
    seconds_so_far, peak_so_far = timings.get(name, (0.0, 0.0))
    timings[name] = (seconds_so_far + seconds, max(peak_so_far, usage.ru_maxrss / 1024))
    return said


def run(folder: Path, env: dict[str, str]) -> tuple[dict[str, Any], str]:
    """Load every agency's return, link, export persons; the timings and the export."""
    timings: dict[str, Any] = {}
    kinds = agency_kinds()
    step("init", ["init"], env, timings)
    agencies = sorted(p.name for p in folder.iterdir() if (p / "people.csv").is_file())
    for code in agencies:
        name, kind, area = kinds.get(code, (code, "OTHER", "E08000007"))
        step("init", ["agency", "add", code, "--name", name, "--kind", kind, "--area", area],
             env, timings)
    for code in agencies:
        step("ingest", ["ingest", str(folder / code), "--agency", code], env, timings)
    linked = json.loads(step("link", ["link", "--output", "json"], env, timings))
    timings["review"] = linked["review_pairs"]
    step("queue", ["link", "review", "--format", "json"], env, timings)
    return timings, step("export", ["export", "persons"], env, timings)


def score(folder: Path, exported: str) -> dict[str, Any]:
    truth: dict[tuple[str, str], str] = {}
    born: dict[tuple[str, str], set[str]] = {}
    with (folder / "ground_truth.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            truth[(row["agency"], row["source_person_id"])] = row["true_person_id"]
            if row.get("true_date_of_birth") and row.get("role") == "CHILD":
                born.setdefault((row["family_id"], row["true_date_of_birth"]),
                                set()).add(row["true_person_id"])
    person = {(r["agency"], r["source_person_id"]): r["person_id"]
              for r in csv.DictReader(io.StringIO(exported))}
    placed = {key: person.get(key, f"alone:{key}") for key in truth}

    def within(groups: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in groups.values())

    both = within(Counter((placed[k], truth[k]) for k in truth))
    predicted, actual = within(Counter(placed.values())), within(Counter(truth.values()))
    precision = both / predicted if predicted else 1.0
    recall = both / actual if actual else 1.0
    persons_of: dict[str, set[str]] = {}
    for key, true_person in truth.items():
        persons_of.setdefault(true_person, set()).add(placed[key])
    twins = [(a, b) for group in born.values() for a in group for b in group if a < b]
    return {
        "records": len(truth), "not exported": sum(k not in person for k in truth),
        "precision": precision, "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "twins": len(twins), "twins merged": sum(bool(persons_of[a] & persons_of[b])
                                                 for a, b in twins),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--generator", default="varied", choices=GENERATORS)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", help="postgresql:// URL of a server to run on instead "
                                           "of a fresh SQLite database")
    args = parser.parse_args()
    print(f"Machine: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}, "
          f"Python {platform.python_version()}; {dt.datetime.now():%Y-%m-%d %H:%M}\n")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "population"
        write_population(args.generator, folder, args.records, args.seed)
        env = {**os.environ, "JOINEDUP_DATA_DIR": str(Path(work) / "data")}
        env.pop("JOINEDUP_DATABASE_URL", None)
        name = ""
        if args.postgres:
            env, name = postgres_env(args.postgres)
            env["JOINEDUP_DATA_DIR"] = str(Path(work) / "data")
        try:
            timings, exported = run(folder, env)
        finally:
            if name and args.postgres:
                drop_postgres(args.postgres, name)
        result = score(folder, exported)
    database = "PostgreSQL" if args.postgres else "SQLite"
    twins = (f"{result['twins merged']} of {result['twins']}" if result["twins"] else
             "not known")  # only the varied population's truth names twins
    print("| population (seed) | database | records | not exported | pair P | pair R | "
          "pair F1 | twins merged | pairs to review | ingest s | link s | link peak MB | "
          "review list s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {args.generator} {args.records:,} ({args.seed}) | {database} | "
          f"{result['records']:,} | {result['not exported']:,} | {result['precision']:.4f} | "
          f"{result['recall']:.4f} | {result['f1']:.4f} | {twins} | {timings['review']:,} | "
          f"{timings['ingest'][0]:.1f} | "
          f"{timings['link'][0]:.1f} | {timings['link'][1]:,.0f} | "
          f"{timings['queue'][0]:.1f} |")


if __name__ == "__main__":
    main()
