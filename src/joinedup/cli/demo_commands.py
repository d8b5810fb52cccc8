"""`joinedup demo`: the embedded Baby S scenario and the synthetic population generator."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from joinedup import database
from joinedup.alerts import load_catalogue, run_alerts
from joinedup.cli.common import console
from joinedup.config import data_dir
from joinedup.demo import (
    DEMO_SEED,
    INJURY_DAY,
    cast_findings,
    father_next_to_baby,
    generate_population,
    generate_varied_population,
    load_folder_per_agency,
    load_scenario,
    run_demo_review,
    warnings_before_the_injury,
)
from joinedup.operations import before_migrate
from joinedup.people import link

if TYPE_CHECKING:
    from joinedup.ingest import LoadResult

demo_app = typer.Typer(help="The Baby S demonstration and synthetic data.",
                       invoke_without_command=True)


def _bar() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=True,
                    disable=not console.is_terminal)


class ScenarioFormats(str, Enum):
    canonical = "canonical"
    standard = "standard"


@demo_app.callback()
def demo(
    ctx: typer.Context,
    families: Annotated[int, typer.Option(help="Background families to generate and load")]
    = 3000,
    formats: Annotated[
        ScenarioFormats, typer.Option(
            "--formats", help="canonical: every agency's return in joinedup's own format; "
            "standard: children's social care as an SSD extract and health as FHIR bundles, "
            "as their systems produce them")
    ] = ScenarioFormats.canonical,
) -> None:
    """Set up the database, load the Baby S scenario and a background population."""
    if ctx.invoked_subcommand is not None:
        return
    database.initialise(before_migrate=before_migrate)

    console.print(f"Using the {database.describe()}.")
    results: list[LoadResult] = []
    load_scenario(results.append, formats=formats.value)
    _summary("Baby S scenario" + (" (SSD and FHIR)" if formats is ScenarioFormats.standard
                                  else ""), results)
    if families <= 0:
        _link_and_report()
        return
    out = data_dir() / "demo-population" / f"{families}-families-seed-{DEMO_SEED}"
    with _bar() as bar:
        task = bar.add_task("Generating families", total=families)
        generate_population(out, families, DEMO_SEED,
                            progress=lambda done, total: bar.update(task, completed=done))
    background: list[LoadResult] = []
    with _bar() as bar:
        task = bar.add_task("Loading background population", total=None)
        load_folder_per_agency(
            out, background.append,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    _summary(f"Background population ({families} families)", background, show_problems=False)
    _link_and_report()


def _link_and_report() -> None:
    """Link everything loaded, then say what linkage found for the Baby S family."""

    with console.status("Linking records across agencies", spinner="dots") as status:
        result = link(progress=lambda message: status.update(message))
    console.print(f"Linked {result.records:,} records into {result.persons:,} persons "
                  f"({result.kind} run {result.run_id}); {result.review_pairs} pairs wait "
                  "for a person to decide (joinedup link review).")
    table = Table(title="Baby S family across agencies")
    for column in ("who", "records", "found as", "agencies joined up"):
        table.add_column(column, overflow="fold")
    for finding in cast_findings():
        found = (f"one person ({finding.main_person})" if finding.found_everywhere else
                 f"{len(finding.persons)} persons: {', '.join(map(str, finding.persons))}")
        table.add_row(finding.role, str(finding.records), found,
                      f"{len(finding.main_agencies)} of {len(finding.agencies)}: "
                      + ", ".join(finding.main_agencies))
    console.print(table)
    console.print(father_next_to_baby(cast_findings()))
    _alerts_and_replay()


def _alerts_and_replay() -> None:
    """Run the early-warning rules, then replay them for the baby up to her injury."""
    from joinedup.cli.common import current_user

    with console.status("Checking the early-warning rules", spinner="dots") as status:
        result = run_alerts(who=current_user(), progress=lambda m: status.update(m))
    console.print(f"Early-warning rules: {result.firings:,} alerts on "
                  f"{result.snapshot.get('child', 0):,} children (joinedup alerts list).")
    with console.status("Replaying the rules for the baby, day by day", spinner="dots"):
        child, warnings = warnings_before_the_injury()
    if child is None:
        return
    table = Table(title=f"Could we have known? Alerts visible on the baby's records (person "
                        f"{child}) before her injury on {INJURY_DAY:%d/%m/%Y}")
    tiers = {rule.id: rule.priority for rule in load_catalogue()}
    table.add_column("rule", no_wrap=True)
    for column in ("priority", "visible on", "weeks before", "held back by late recording"):
        table.add_column(column, overflow="fold")
    for w in warnings:
        held = f"{w.held_back_days} day{'s' if w.held_back_days != 1 else ''}"
        table.add_row(w.rule, tiers.get(w.rule, ""), f"{w.visible_on:%d/%m/%Y}",
                      str(w.weeks_before), held if w.held_back_days else "-")
    console.print(table)
    console.print(f"{len(warnings)} rules would have called for action before the injury; "
                  "no multi-agency professionals meeting was held. "
                  f"See: joinedup replay {child} --from 2024-01-01 --to 2025-05-20")
    _review_and_briefing(child)


def _review_and_briefing(child: int) -> None:
    """The practice review of the injuries and its 7-minute briefing, in every format."""
    from joinedup.cli.common import current_user

    with console.status("Opening the practice review and writing the briefing",
                        spinner="dots"):
        done = run_demo_review(child, data_dir() / "briefings", current_user())
    minutes, seconds = divmod(done.seconds, 60)
    console.print(f"Practice review {done.review_id} (Baby S): 5 findings, 5 actions. "
                  f"7-minute briefing {done.briefing_id}: {done.words} words, about "
                  f"{minutes} min {seconds:02d} s to read aloud; it passed the "
                  "de-identification guard and was published:")
    for path in done.files:
        console.print(f"  {path}")


def _summary(title: str, results: list[LoadResult], show_problems: bool = True) -> None:
    table = Table(title=title)
    for column in ("agency", "read", "loaded", "unchanged", "quarantined", "warnings"):
        table.add_column(column)
    for r in results:
        if r.already_received is not None:
            table.add_row(r.agency, "-", "already loaded", "-", "-", "-")
            continue
        unchanged = sum(t.unchanged for t in r.tables.values())
        table.add_row(r.agency, str(r.rows_read), str(r.rows_loaded), str(unchanged),
                      str(r.rows_quarantined), str(r.warnings))
    console.print(table)
    shown = [(r.agency, p) for r in results for p in r.problems]
    if show_problems:
        for agency, problem in shown:
            console.print(f"  {agency} {problem.severity}: {problem.describe()}", markup=False)
    elif shown:
        console.print(f"  {len(shown)} problems, as the generator plants them: "
                      "joinedup quarantine list --warnings")


class Generator(str, Enum):
    demo = "demo"
    varied = "varied"


@demo_app.command("generate")
def generate(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the returns into")],
    families: Annotated[int, typer.Option("--families", min=1, help="How many families")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files")] = 1,
    events_per_family: Annotated[
        int | None, typer.Option(help="Scale the events written for each family")
    ] = None,
    generator: Annotated[
        Generator, typer.Option("--generator", help="demo: the demo's population; varied: "
                                "the second population, with other errors")
    ] = Generator.demo,
) -> None:
    """Write canonical returns for N synthetic families, with a ground-truth file."""

    if generator is Generator.varied and events_per_family is not None:
        raise typer.BadParameter("the varied population writes one event per record",
                                 param_hint="--events-per-family")
    with _bar() as bar:
        task = bar.add_task("Generating families", total=families)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done)

        if generator is Generator.varied:
            summary = generate_varied_population(out, families, seed, progress=progress)
        else:
            summary = generate_population(out, families, seed,
                                          events_per_family=events_per_family,
                                          progress=progress)
    console.print(f"Wrote returns for {families} families to {out}.")
    console.print(f"Ground truth: {summary.ground_truth_path}")
