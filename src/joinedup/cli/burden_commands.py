"""`joinedup alerts burden`: how many alerts the rules raise per 1,000 children a month, by
rule and priority, and how many stay open (joinedup.alerts.burden; docs/alerts.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from joinedup.alerts import Burden, LeadTime, concerning_children, measure_burden
from joinedup.cli.common import OutputFormat, console, date_option, open_db, print_json


def burden(
    months: Annotated[int, typer.Option(min=1, max=120,
                                        help="Calendar months to count, to the last one")] = 12,
    to: Annotated[str | None, typer.Option(
        "--to", help="A day in the last month counted (default: the month of the latest "
                     "alert)")] = None,
    ground_truth: Annotated[Path | None, typer.Option(
        "--ground-truth", help="A generated population's folder (joinedup demo): also say how "
                               "much falls on the families with the concerning pattern")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Alerts raised per 1,000 children a month, by rule and priority."""
    end = date_option(to, "--to")
    open_db()
    concerning = concerning_children(ground_truth) if ground_truth else None
    found = measure_burden(months=months, end=end, concerning=concerning)
    if output == OutputFormat.json:
        print_json(_as_json(found))
        return
    _show(found)


def _as_json(found: Burden) -> dict[str, Any]:
    return {
        "from": found.start.isoformat(), "to": found.end.isoformat(), "months": found.months,
        "children": found.children, "concerning_children": found.concerning_children,
        "children_with_urgent_or_high_open": {
            "concerning": found.soon_open_concerning, "other": found.soon_open_other},
        "lead_time_before_the_injury": found.lead_time.as_dict() if found.lead_time else None,
        "rules": [{"rule": r.rule, "priority": r.priority, "raised": r.raised,
                   "per_1000_children_a_month": r.per_thousand, "open": r.open_now,
                   "share_on_concerning_families": r.on_concerning} for r in found.rules],
    }


def _show(found: Burden) -> None:
    table = Table(title=f"Alerts raised {found.start:%d %B %Y} to {found.end:%d %B %Y} "
                        f"({found.months} months), {found.children:,} children")
    table.add_column("rule", no_wrap=True)
    table.add_column("priority")
    for column in ("raised", "per 1,000 children a month", "open now"):
        table.add_column(column, justify="right")
    if found.concerning_children is not None:
        table.add_column("on concerning families", justify="right")
    for r in found.rules:
        cells = [r.rule, r.priority, f"{r.raised:,}", f"{r.per_thousand:.1f}", f"{r.open_now:,}"]
        if found.concerning_children is not None:
            cells.append("" if r.on_concerning is None else f"{r.on_concerning:.0%}")
        table.add_row(*cells)
    console.print(table)
    for tier in ("urgent", "high", "routine"):
        raised, per_thousand, still_open = found.tier(tier)
        console.print(f"{tier.capitalize()}: {raised:,} raised, {per_thousand:.1f} per 1,000 "
                      f"children a month, {still_open:,} open.")
    if found.concerning_children is not None:
        console.print(
            f"Children with an urgent or high alert open: "
            f"{_percent(found.soon_open_concerning)} of the {found.concerning_children:,} "
            f"children of concerning families, {_percent(found.soon_open_other)} of the "
            "others.")
    if found.lead_time is not None:
        _show_lead_time(found.lead_time)


def _show_lead_time(lead: LeadTime) -> None:
    """How long before the injury the first urgent or high alert was on the records."""
    if not lead.days:
        console.print(f"Lead time before the injury: none of the {lead.injured:,} injured "
                      "children of concerning families had an urgent or high alert on the "
                      "records before it.")
        return
    quartiles = lead.quartiles
    spread = (f", quartiles {quartiles[0]:g} and {quartiles[1]:g}" if quartiles else "")
    console.print(
        f"Lead time before the injury (the first urgent or high alert visible on the "
        f"records): {lead.warned:,} of the {lead.injured:,} injured children of concerning "
        f"families had one; median {lead.median:g} days{spread}, shortest {lead.days[0]:,}, "
        f"longest {lead.days[-1]:,}.")


def _percent(share: float | None) -> str:
    return "none" if share is None else f"{share:.1%}"

