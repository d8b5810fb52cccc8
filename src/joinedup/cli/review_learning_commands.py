"""`joinedup review finding|action|theme ...` and `joinedup review themes`: what a practice
review learns. Numbered findings with their themes and evidence events, the actions
recommended with an owner and a due date, the partnership's taxonomy of learning themes,
and how often each theme was found across reviews (regulation 11 criterion (b)).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from joinedup.cli.common import (
    OutputFormat,
    console,
    current_user,
    date_option,
    open_db,
    print_json,
)
from joinedup.cli.review_options import (
    FormatOption,
    ReviewId,
    required_date,
    review_today,
    show_day,
)
from joinedup.reviews import add_action, add_finding, add_theme, complete_action, theme_analytics

finding_app = typer.Typer(help="Findings of a review, with themes and evidence.",
                          no_args_is_help=True)
action_app = typer.Typer(help="Actions recommended by a review.", no_args_is_help=True)
theme_app = typer.Typer(help="The taxonomy of learning themes.", no_args_is_help=True)

@finding_app.command("add")
def finding_add(
    review_id: ReviewId,
    title: Annotated[str, typer.Option("--title", help="A short heading")],
    narrative: Annotated[str, typer.Option("--narrative", help="The finding, written with "
                                                               "the pseudonym")],
    theme: Annotated[list[str] | None, typer.Option(
        "--theme", help="A theme code (repeat for each; `joinedup review themes`)")] = None,
    evidence: Annotated[list[str] | None, typer.Option(
        "--evidence", help="AGENCY:EVENT_ID of an event showing it (repeat for each)")] = None,
    remember: Annotated[list[str] | None, typer.Option(
        "--remember", help="A point practitioners should remember from it, for the "
                           "briefing's \"Things to remember\" (repeat for each)")] = None,
) -> None:
    """Add a numbered finding with its themes, evidence events and points to remember."""
    open_db()

    finding = add_finding(review_id, title, narrative, theme or [], evidence or [],
                          current_user(), remember=remember or [])
    console.print(f"Review {review_id}: finding {finding.number} added "
                  f"({finding.themes.count()} themes, {finding.evidence.count()} evidence "
                  "events).")


@action_app.command("add")
def action_add(
    review_id: ReviewId,
    description: Annotated[str, typer.Option("--description", help="What is to be done")],
    owner: Annotated[str, typer.Option("--owner", help="The person or team responsible")],
    due: Annotated[str, typer.Option("--due", help="Date it is due")],
    finding: Annotated[int | None, typer.Option("--finding", help="The finding number it "
                                                                  "answers")] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="The owner's agency code")]
    = None,
) -> None:
    """Add a recommended action with an owner and a due date."""
    due_on = required_date(due, "--due")
    open_db()

    action = add_action(review_id, description, owner, due_on, current_user(),
                        finding_number=finding, owner_agency=agency)
    console.print(f"Review {review_id}: action {action.pk} for {action.owner}, due "
                  f"{show_day(action.due_on)}.")


@action_app.command("done")
def action_done(
    action_id: Annotated[int, typer.Argument(help="The action number (`review status`)")],
    on: Annotated[str | None, typer.Option("--on", help="Date it was done (default today)")]
    = None,
) -> None:
    """Mark a recommended action done."""
    done_on = date_option(on, "--on")
    open_db()

    action = complete_action(action_id, current_user(), done_on=done_on)
    console.print(f"Action {action.pk} marked done on {show_day(action.done_on)}.")


def themes(
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="End of the recurrence window (default today)")] = None,
    min_reviews: Annotated[int, typer.Option(
        "--min-reviews", min=1, help="Reviews within the window for a theme to recur")] = 2,
    years: Annotated[int, typer.Option("--years", min=1, help="Length of the window in "
                                                              "years")] = 3,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Every theme with how many reviews found it per year and quarter, and whether it
    recurs (supports regulation 11 criterion (b))."""
    on = date_option(as_of, "--as-of")
    open_db()

    on = on or review_today()
    counts = theme_analytics(on, min_reviews, years)
    if output is OutputFormat.json:
        print_json([{"code": t.code, "label": t.label, "reviews": t.reviews,
                     "total": len(t.reviews), "by_year": t.by_year, "by_quarter": t.by_quarter,
                     "first_seen": t.first_seen, "last_seen": t.last_seen,
                     "as_of": on.isoformat(), "window_years": years,
                     "min_reviews": min_reviews, "reviews_in_window": t.in_window,
                     "recurs": t.recurs} for t in counts])
        return
    table = Table(title=f"Themes across reviews (recurs: {min_reviews}+ reviews in the "
                        f"{years} years to {show_day(on)})")
    for column in ("code", "theme", "reviews", "by year", "in window", "recurs"):
        table.add_column(column, overflow="fold")
    for t in counts:
        table.add_row(t.code, t.label, str(len(t.reviews)),
                      ", ".join(f"{y}: {n}" for y, n in t.by_year.items()),
                      str(len(t.in_window)),
                      Text("recurs", style="bold red") if t.recurs else "")
    console.print(table)


@theme_app.command("add")
def theme_add(
    code: Annotated[str, typer.Argument(help="e.g. HOME_CONDITIONS")],
    label: Annotated[str, typer.Argument(help='In plain words, e.g. "Home conditions"')],
) -> None:
    """Add a theme of the partnership's own to the taxonomy."""
    open_db()

    theme = add_theme(code, label)
    console.print(f"Theme {theme.code} added: {theme.label}.")
