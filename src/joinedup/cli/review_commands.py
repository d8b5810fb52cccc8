"""`joinedup review ...`: practice reviews for the partnership business unit and panel.

Opening a review, recording each step of the rapid review timetable, the decision against
the regulation 11 criteria, findings with themes and evidence, recommended actions, the
theme analytics across reviews and the review chronology for the panel. Who did it is the
operating-system user running the command, as elsewhere. ``--format json`` output is
described in docs/cli.md and docs/reviews.md.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

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
from joinedup.cli.review_learning_commands import action_app, finding_app, theme_app, themes
from joinedup.cli.review_options import (
    FormatOption,
    ReviewId,
    required_date,
    review_today,
    show_day,
)
from joinedup.people import resolve_person
from joinedup.reviews import (
    STEP_LABELS,
    access_until,
    close_review,
    get_review,
    list_reviews,
    open_review,
    record_step,
    review_chronology,
    review_dict,
    review_row,
    to_dict,
    write_docx,
    write_pdf,
)
from joinedup.reviews import decide as decide_review

review_app = typer.Typer(help="Practice reviews: timetable, decision, findings, chronology.",
                         no_args_is_help=True)
review_app.add_typer(finding_app, name="finding")
review_app.add_typer(action_app, name="action")
review_app.add_typer(theme_app, name="theme")


class DecisionChoice(str, Enum):
    local_cspr = "local_cspr"
    other_learning = "other_learning"
    national_review = "national_review"


class ChronologyFormat(str, Enum):
    pdf = "pdf"
    docx = "docx"
    json = "json"


@review_app.command("open")
def open_(
    child: Annotated[str, typer.Argument(help="Person id or AGENCY:PERSON_ID")],
    aware: Annotated[str, typer.Option("--aware", help="Date the local authority became "
                                                       "aware of the incident")],
    incident: Annotated[str, typer.Option("--incident", help="Date of the incident")],
    what: Annotated[str, typer.Option("--what", help="What happened, pseudonymised")],
    pseudonym: Annotated[str, typer.Option("--pseudonym", help='e.g. "Baby S"')],
    output: FormatOption = OutputFormat.table,
) -> None:
    """Open a review of a serious incident and set its timetable."""
    aware_on = required_date(aware, "--aware")
    incident_on = required_date(incident, "--incident")
    open_db()

    review = open_review(resolve_person(child), aware_on, incident_on, what, pseudonym,
                         current_user())
    row = review_dict(review, review_today())
    if output is OutputFormat.json:
        print_json(row)
        return
    console.print(f"Review {review.pk} opened for {review.pseudonym} (person "
                  f"{review.child_id}); aware on {show_day(review.aware_on)}.")
    _steps_table(row)


@review_app.command("status")
def status(
    review_id: ReviewId,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Work out overdue as on this date (default today)")] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """One review: the timetable with due dates and overdue steps, the decision, findings,
    actions and history."""
    on = date_option(as_of, "--as-of")
    open_db()

    row = review_dict(get_review(review_id), on or review_today())
    if output is OutputFormat.json:
        print_json(row)
        return
    console.print(f"[bold]Review {row['id']}: {row['pseudonym']}[/bold] (person "
                  f"{row['child_id']}), {row['status'].replace('_', ' ')}")
    console.print(f"Incident {show_day(row['incident_on'])}; aware {show_day(row['aware_on'])}. "
                  f"{row['what_happened']}")
    if row["closed_on"]:

        last = access_until(dt.date.fromisoformat(row["closed_on"]))
        console.print(f"Closed on {show_day(row['closed_on'])}; the panel may open the child's "
                      f"record until {show_day(last)}.")
    _steps_table(row)
    if row["decision"]:
        console.print(f"Decision on {show_day(row['decided_on'])}: {row['decision_label']}.")
        for letter, reason in row["criteria"].items():
            if reason:
                console.print(f"  Criterion ({letter}): {reason}")
        console.print(f"  Reasons: {row['decision_reasons']}")
    for f in row["findings"]:
        console.print(f"Finding {f['number']}: [bold]{f['title']}[/bold] (themes: "
                      f"{', '.join(f['themes']) or 'none'}; evidence: "
                      f"{', '.join(f['evidence']) or 'none'})")
    if row["actions"]:
        table = Table(title="Actions")
        for column in ("id", "finding", "action", "owner", "due", "status"):
            table.add_column(column, overflow="fold")
        for a in row["actions"]:
            state = (Text("overdue", style="bold red") if a["overdue"] else
                     Text(f"done {show_day(a['done_on'])}" if a["done_on"] else a["status"]))
            owner = f"{a['owner']} ({a['owner_agency']})" if a["owner_agency"] else a["owner"]
            table.add_row(str(a["id"]), str(a["finding"] or ""), a["description"], owner,
                          show_day(a["due_on"]), state)
        console.print(table)


def _steps_table(row: dict[str, Any]) -> None:
    table = Table(title=f"Timetable (overdue as on {show_day(row['as_of'])})")
    for column in ("step", "agency", "from", "due", "status", "note"):
        table.add_column(column, overflow="fold")
    for s in row["steps"]:
        if s["overdue"]:
            state = Text(f"overdue, {s['working_days_overdue']} working days", style="bold red")
        elif s["done_on"]:
            state = Text(f"done {show_day(s['done_on'])}" + (" (late)" if s["late"] else ""))
        else:
            state = Text(s["status"].replace("_", " "))
        note = " ".join(s["note"].split())
        note = note if len(note) <= 60 else note[:57] + "..."
        table.add_row(s["label"], s["agency"] or "", show_day(s["planned_from"]),
                      show_day(s["due_on"]), state, note)
    console.print(table)


@review_app.command("record")
def record(
    review_id: ReviewId,
    step_kind: Annotated[str, typer.Argument(
        help="sin, agency_summary, panel_meeting, rapid_review, sent_to_panel, "
             "publication_notice or published")],
    agency: Annotated[str | None, typer.Option(
        "--agency", help="Whose summary it is (agency_summary only)")] = None,
    on: Annotated[str | None, typer.Option("--on", help="Date it was done (default today)")]
    = None,
    note: Annotated[str, typer.Option("--note", help="The agency's summary, or a note")] = "",
) -> None:
    """Record that a step of the timetable was done."""
    done_on = date_option(on, "--on")
    open_db()

    step = record_step(review_id, step_kind, current_user(), done_on=done_on, note=note,
                       agency=agency)
    whose = f" from {step.agency.code}" if step.agency else ""
    late = " (after its due date)" if step.due_on and step.done_on and \
        step.done_on > step.due_on else ""
    console.print(f"Review {review_id}: {STEP_LABELS[step.kind]}{whose} recorded as done on "
                  f"{show_day(step.done_on)}{late}.")


def _criterion(text: str) -> tuple[str, str]:
    letter, sep, reason = text.partition("=")
    if not sep or not letter.strip():
        raise typer.BadParameter(f"{text!r}: write a criterion as LETTER=\"reason\", e.g. "
                                 "b=\"recurrent theme: ...\"", param_hint="--criterion")
    return letter.strip(), reason.strip()


@review_app.command("decide")
def decide(
    review_id: ReviewId,
    decision: Annotated[DecisionChoice, typer.Option(
        "--decision", help="local_cspr, other_learning or national_review")],
    reasons: Annotated[str, typer.Option("--reasons", help="Why the partners decided so")],
    criterion: Annotated[list[str] | None, typer.Option(
        "--criterion", help='Regulation 11 criterion met and why: a="..." (repeat for '
                            "each)")] = None,
    on: Annotated[str | None, typer.Option("--on", help="Date of the decision (default "
                                                        "today)")] = None,
) -> None:
    """Record the decision against the regulation 11 criteria (a)-(d), with reasons."""
    decided_on = date_option(on, "--on")
    criteria = dict(_criterion(c) for c in criterion or [])
    open_db()

    review = decide_review(review_id, decision.value, criteria, reasons, current_user(),
                           decided_on=decided_on)
    console.print(f"Review {review.pk}: {review.get_decision_display()} decided on "
                  f"{show_day(review.decided_on)}.")
    publication = review.steps.filter(kind="PUBLICATION").first()
    if publication is not None:
        console.print(f"Publication due by {show_day(publication.due_on)}.")


@review_app.command("close")
def close(
    review_id: ReviewId,
    reason: Annotated[str, typer.Option("--reason", help="Why the review is closed (kept in "
                                                         "its history)")],
    on: Annotated[str | None, typer.Option("--on", help="Date it was closed (default "
                                                        "today)")] = None,
) -> None:
    """Close a review: its panel keeps access to the child's record for the grace period
    (JOINEDUP_PANEL_GRACE_DAYS, default 30 days), then loses it."""
    closed_on = date_option(on, "--on")
    open_db()

    review = close_review(review_id, reason, current_user(), on=closed_on)
    console.print(f"Review {review.pk} ({review.pseudonym}) closed on "
                  f"{show_day(review.closed_on)}. Its panel may open the child's record until "
                  f"{show_day(access_until(review.closed_on))}, and not after.")


@review_app.command("list")
def list_(
    overdue: Annotated[bool, typer.Option("--overdue", help="Only reviews with an overdue "
                                                            "step")] = False,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Work out overdue as on this date (default today)")] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Reviews, most recent awareness first, with the next step due and any overdue."""
    on = date_option(as_of, "--as-of")
    open_db()

    on = on or review_today()
    rows = [review_row(r, on) for r in list_reviews()]
    if overdue:
        rows = [r for r in rows if r["overdue"]]
    if output is OutputFormat.json:
        print_json(rows)
        return
    if not rows:
        console.print("No reviews" + (" have overdue steps." if overdue else " yet."))
        return
    table = Table(title=f"Reviews (overdue as on {show_day(on)})")
    for column in ("id", "pseudonym", "aware", "status", "next due", "overdue"):
        table.add_column(column, overflow="fold")
    for r in rows:
        nxt = r["next_due"]
        late = Text(_overdue_text(r["overdue_steps"]), style="bold red")
        table.add_row(str(r["id"]), r["pseudonym"], show_day(r["aware_on"]),
                      r["status"].replace("_", " "),
                      f"{nxt['label']} {show_day(nxt['due_on'])}" if nxt else "", late)
    console.print(table)


def _overdue_text(steps: list[dict[str, Any]]) -> str:
    """Overdue steps in a few words: agency summaries grouped ("Agency summary: AMH, GP")."""
    grouped: dict[str, list[str]] = {}
    for s in steps:
        grouped.setdefault(s["label"], []).extend([s["agency"]] if s["agency"] else [])
    return "; ".join(f"{label}: {', '.join(agencies)}" if agencies else label
                     for label, agencies in grouped.items())


@review_app.command("chronology")
def chronology(
    review_id: ReviewId,
    output_format: Annotated[ChronologyFormat, typer.Option(
        "--format", help="pdf, docx or json")] = ChronologyFormat.pdf,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write to this file (needed for pdf and docx)")] = None,
) -> None:
    """The review chronology: as known on the day of awareness, key practice episodes
    marked, agency summaries attached (OFFICIAL-SENSITIVE)."""
    if output_format is not ChronologyFormat.json and output is None:
        raise typer.BadParameter(f"--format {output_format.value} writes a file: give -o PATH",
                                 param_hint="-o")
    open_db()

    rc = review_chronology(review_id)
    if output_format is ChronologyFormat.json:
        text = json.dumps(to_dict(rc), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
        return
    assert output is not None  # noqa: S101 - narrows the type: pdf and docx without -o were refused above

    entries = len(rc.chronology.entries)
    if output_format is ChronologyFormat.pdf:
        pages = write_pdf(rc, output)
        console.print(f"Wrote {output}: {entries:,} entries, {len(rc.marks):,} key episodes, "
                      f"on {pages} pages.")
    else:
        write_docx(rc, output)
        console.print(f"Wrote {output}: {entries:,} entries, {len(rc.marks):,} key "
                      "episodes.")


review_app.command("themes")(themes)
