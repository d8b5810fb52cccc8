"""`joinedup link`: linking records across agencies, explaining and correcting links;
`joinedup export persons`: the export contract."""

from __future__ import annotations

import csv
import sys
from typing import Annotated, Any

import typer
from django.utils import timezone
from rich.table import Table
from rich.text import Text

from joinedup.cli.common import OutputFormat, console, open_db, print_json
from joinedup.people import (
    REVIEW_BAND,
    SCORE_BANDS,
    LinkDecision,
    ReviewFilters,
    decide,
    defer_pair,
    explain_family,
    explain_pair,
    nhs_conflicts,
    nhs_coverage,
    split_person,
    work_queue,
)
from joinedup.people import export_persons as rows_of
from joinedup.people import link as run_link

link_app = typer.Typer(help="Link the same person across agencies; explain and correct links.",
                       invoke_without_command=True)
export_app = typer.Typer(help="Export data for other tools.", no_args_is_help=True)

WhyOption = Annotated[str, typer.Option("--why", help="Why: kept with the decision")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table or json")]


@link_app.callback()
def link(
    ctx: typer.Context,
    retrain: Annotated[bool, typer.Option("--retrain", help="Train the model again first")]
    = False,
    backend: Annotated[str, typer.Option("--backend", help="duckdb (default) or spark")]
    = "duckdb",
    output: Annotated[OutputFormat, typer.Option("--output", help="table or json")]
    = OutputFormat.table,
) -> None:
    """Score pairs of records, group them into persons, keep person ids stable."""
    if ctx.invoked_subcommand is not None:
        return
    if backend not in ("duckdb", "spark"):
        raise typer.BadParameter("use duckdb or spark", param_hint="--backend")
    open_db()

    with console.status("Linking", spinner="dots") as status:
        result = run_link(retrain=retrain, backend=backend,
                          progress=lambda m: status.update(m))
    if output is OutputFormat.json:
        print_json(vars(result))
        return
    trained = f"trained model version {result.model_version}" if result.trained else (
        f"model version {result.model_version}")
    console.print(f"{result.kind.capitalize()} linkage run {result.run_id} ({trained}): "
                  f"{result.records:,} records, {result.records_scored:,} scored, "
                  f"{result.persons:,} persons.")
    if result.changes:
        console.print("Changes: " + ", ".join(f"{n} {k}" for k, n in sorted(
            result.changes.items())))
    for conflict in result.conflicts:
        console.print(Text("Conflicting decisions, " + conflict, style="yellow"))
    if result.review_pairs:
        console.print(f"{result.review_pairs} pairs need a person to decide: "
                      "joinedup link review")


@link_app.command("explain")
def explain(
    record_a: Annotated[str, typer.Argument(help="AGENCY:PERSON_ID or a record number")],
    record_b: Annotated[str, typer.Argument(help="AGENCY:PERSON_ID or a record number")],
    output: FormatOption = OutputFormat.table,
) -> None:
    """How likely two records are the same person, and what each field contributed."""
    open_db()

    a, b, explanation = explain_pair(record_a, record_b)
    rows = [vars(c) if hasattr(c, "__dict__") else dict(c) for c in explanation.comparisons]
    family = explain_family(a, b)
    twins = family.twins.warning if family.twins else None
    if output is OutputFormat.json:
        print_json({"record_a": str(a), "record_b": str(b),
                    "match_probability": explanation.match_probability,
                    "prior_match_weight": explanation.prior_match_weight,
                    "match_weight": explanation.match_weight, "comparisons": rows,
                    "family": {"steps": [vars(s) for s in family.steps],
                               "linked": family.linked, "possible_twins": twins}})
        return
    if twins:
        console.print(Text(twins, style="yellow"))
    console.print(Text(f"{a}  and  {b}: match probability "
                       f"{explanation.match_probability:.4f} "
                       f"(match weight {explanation.match_weight:+.2f})", style="bold"))
    table = Table()
    for column in ("field", "what was found", "weight", "effect"):
        table.add_column(column)
    table.add_row("(before comparing)", "how rare a match is between two records",
                  f"{explanation.prior_match_weight:+.2f}", "the starting point")
    for row in rows:
        weight = float(row.get("match_weight", 0.0))
        effect = ("points to the same person" if weight > 0.5 else
                  "points to different people" if weight < -0.5 else "makes little difference")
        table.add_row(str(row.get("field", "")), str(row.get("label", "")),
                      f"{weight:+.2f}", effect)
    console.print(table)
    if family.steps:
        console.print("Through the family (one record is of a baby before birth): "
                      + ("every step holds, so they are linked" if family.linked
                         else "linked only when every step holds"))
        for step in family.steps:
            console.print(f"  {'holds' if step.holds else 'does not hold'}: {step.text}")


@link_app.command("review")
def review(
    limit: Annotated[int, typer.Option(help="Show at most this many pairs")] = 50,
    output: FormatOption = OutputFormat.table,
    agency: Annotated[str, typer.Option("--agency", help="Only pairs with a record from this "
                                                        "agency")] = "",
    band: Annotated[str, typer.Option("--band", help="Only pairs scored in this band: high, "
                                                    "middle or low")] = "",
    reason: Annotated[str, typer.Option("--reason", help="Only pairs with this reason, e.g. "
                                                        "'possible twins'")] = "",
) -> None:
    """Pairs in the uncertain band that a data steward should confirm or reject; the pairs
    set aside as not sure come last."""
    if band and band not in {b.key for b in SCORE_BANDS}:
        raise typer.BadParameter("use high, middle or low", param_hint="--band")
    open_db()

    queue = work_queue(ReviewFilters(agency=agency.strip().upper(), band=band,
                                     reason=reason.strip()))
    rows = [_pair_row(p) for p in (queue.in_order[:limit] if limit else queue.in_order)]
    if output is OutputFormat.json:
        print_json(rows)
        return
    if not rows:
        console.print("No pairs are waiting for a decision.")
        return
    low, high = REVIEW_BAND
    table = Table(title=f"Pairs waiting for a decision: scored {low} to {high}, and any "
                        "over it that linkage kept apart (possible twins)")
    for column in ("probability", "record a", "record b", "look closely"):
        table.add_column(column, overflow="fold")
    for row in rows:
        aside = row["set_aside"]
        notes = [*row["reasons"], *([f"set aside by {aside['who']}"] if aside else [])]
        table.add_row(f"{row['match_probability']:.3f}", row["record_a"]["label"],
                      row["record_b"]["label"], ", ".join(notes))
    console.print(table)
    console.print("Decide with: joinedup link confirm A B --why ...  or  "
                  "joinedup link reject A B --why ...  (explain first: joinedup link explain A B)")


def _pair_row(pair: Any) -> dict[str, Any]:
    def record(r: Any) -> dict[str, Any]:
        dob = r.date_of_birth.strftime("%d/%m/%Y") if r.date_of_birth else "no date of birth"
        ref = f"{r.agency.code}:{r.source_id}"
        return {"ref": ref, "record": r.pk,
                "label": f"{ref} {r.display_name}, {dob}"}

    return {"match_probability": pair.match_probability,
            "record_a": record(pair.record_a), "record_b": record(pair.record_b),
            "reasons": sorted(pair.reasons), "set_aside": _set_aside(pair)}


def _set_aside(pair: Any) -> dict[str, Any] | None:
    deferral = getattr(pair, "deferral", None)
    if deferral is None:
        return None
    return {"who": deferral.who, "when": deferral.deferred_at, "note": deferral.note}


@link_app.command("not-sure")
def not_sure(
    record_a: Annotated[str, typer.Argument(help="AGENCY:PERSON_ID or a record number")],
    record_b: Annotated[str, typer.Argument(help="AGENCY:PERSON_ID or a record number")],
    note: Annotated[str, typer.Option("--note", help="What would settle it")] = "",
) -> None:
    """Set a pair aside as not sure: it moves to the end of the review queue, with who and
    when, until someone confirms or rejects it."""
    open_db()

    made = defer_pair(record_a, record_b, note=note)
    console.print(f"Set aside as not sure: {record_a} and {record_b} (by {made.who}). The pair "
                  "waits at the end of the review queue until someone decides it.")


@link_app.command("nhs-report")
def nhs_report(output: FormatOption = OutputFormat.table) -> None:
    """NHS numbers, the consistent identifier: each agency's share of child records with a
    valid number, and the persons whose records hold different valid numbers."""
    open_db()

    today = timezone.localdate()
    coverage, conflicts = nhs_coverage(today), nhs_conflicts()
    held = {c.person_id: {n: [f"{r.agency}:{r.source_id}" for r in c.holders(n)]
                          for n in c.numbers} for c in conflicts}
    if output is OutputFormat.json:
        print_json({"on": today, "coverage": [
            {"agency": c.agency, "child_records": c.child_records,
             "with_valid_number": c.with_valid_number,
             "with_invalid_number": c.with_invalid_number, "without_number": c.without_number,
             "share": round(c.share, 4) if c.share is not None else None} for c in coverage],
            "conflicts": [{"person_id": pid, "numbers": numbers}
                          for pid, numbers in held.items()]})
        return
    table = Table(title=f"Child records with a valid NHS number on {today:%d/%m/%Y}")
    for column in ("agency", "child records", "valid NHS number", "share", "none",
                   "fails the check"):
        table.add_column(column)
    for c in coverage:
        table.add_row(c.agency, f"{c.child_records:,}", f"{c.with_valid_number:,}",
                      f"{c.share:.1%}" if c.share is not None else "",
                      f"{c.without_number:,}", f"{c.with_invalid_number:,}")
    console.print(table)
    if not held:
        console.print("No person's records hold different valid NHS numbers.")
        return
    queue = Table(title=f"{len(held)} person{'s' if len(held) != 1 else ''} whose records "
                        "hold different NHS numbers")
    for column in ("person", "NHS number", "held by"):
        queue.add_column(column, overflow="fold")
    for pid, numbers in held.items():
        for number, holders in numbers.items():
            queue.add_row(str(pid), number, ", ".join(holders))
    console.print(queue)


@link_app.command("confirm")
def confirm(record_a: str, record_b: str, why: WhyOption) -> None:
    """These two records are the same person; every later run keeps them together."""
    open_db()

    decide(record_a, record_b, LinkDecision.MUST_LINK, why)
    console.print(f"Recorded: {record_a} and {record_b} are the same person.")


@link_app.command("reject")
def reject(record_a: str, record_b: str, why: WhyOption) -> None:
    """These two records are different people; no later run puts them together."""
    open_db()

    decide(record_a, record_b, LinkDecision.CANNOT_LINK, why)
    console.print(f"Recorded: {record_a} and {record_b} are different people.")


@link_app.command("split")
def split(
    person: Annotated[int, typer.Argument(help="The person id")],
    records: Annotated[list[str], typer.Argument(help="The records that are someone else")],
    why: WhyOption,
) -> None:
    """Unmerge a person: the records named are someone else."""
    open_db()

    made = split_person(person, records, why)
    console.print(f"Split person {person}: {made} pairs recorded as different people.")


@export_app.command("persons")
def export_persons(
    fmt: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
) -> None:
    """agency, source_person_id, person_id, match_confidence, nhs_number, nhs_conflict for
    every linked record."""
    if fmt not in ("csv", "json"):
        raise typer.BadParameter("use csv or json", param_hint="--format")
    open_db()

    rows = rows_of()
    if fmt == "json":
        print_json(rows)
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=["agency", "source_person_id", "person_id",
                                                    "match_confidence", "nhs_number",
                                                    "nhs_conflict"], lineterminator="\n")
    writer.writeheader()
    writer.writerows({**row, "nhs_conflict": "yes" if row["nhs_conflict"] else ""}
                     for row in rows)
