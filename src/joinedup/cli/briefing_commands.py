"""`joinedup briefing`: 7-minute briefings from practice reviews, the de-identification
guard, rendering, and the learning activities that use them (docs/briefings.md).

Who did it is the operating-system user running the command, as elsewhere. The JSON
(``--format json``) is described in docs/cli.md.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from joinedup.briefings import (
    activities,
    compose_briefing,
    find_briefing,
    length,
    record_activity,
    services,
    summary,
)
from joinedup.briefings import check as run_guard
from joinedup.briefings import publish as do_publish
from joinedup.briefings import render_briefing as do_render
from joinedup.cli.common import (
    OutputFormat,
    console,
    console_err,
    current_user,
    date_option,
    open_db,
    print_json,
)

briefing_app = typer.Typer(help="7-minute briefings: compose, check, publish, render, "
                                "record their use.", no_args_is_help=True)
activity_app = typer.Typer(help="Record each time a team uses a briefing.",
                           no_args_is_help=True)
briefing_app.add_typer(activity_app, name="activity")

FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table or json")]
OverrideOption = Annotated[str | None, typer.Option(
    "--override-reason", help="Go ahead although the guard found identifiers; recorded "
                              "with your name and the passages let through")]


class RenderFormat(str, Enum):
    html = "html"
    pdf = "pdf"
    docx = "docx"


def _when(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _problems_table(problems: list[Any]) -> Table:
    table = Table(title="Passages that would identify the family")
    for column in ("where", "found", "why", "passage"):
        table.add_column(column, overflow="fold")
    for p in problems:
        table.add_row(p.where, p.found, p.why, p.snippet)
    return table


@briefing_app.command("compose")
def compose(review: Annotated[int, typer.Argument(help="The review number")]) -> None:
    """Draft a review's briefing: seven parts and the standing questions, all editable."""
    open_db()

    briefing: Any = compose_briefing(review, current_user())
    measured = length(briefing)
    console.print(f"Briefing {briefing.pk} drafted from review {review}: {measured.words} "
                  f"words, about {measured.reading_time} read aloud. Check it with "
                  f"`joinedup briefing show {briefing.pk}`.")
    if measured.warning:
        console_err.print(Text(measured.warning, style="bold yellow"))


@briefing_app.command("show")
def show(
    briefing_id: Annotated[int, typer.Argument(metavar="ID", help="The briefing number")],
    output: FormatOption = OutputFormat.table,
) -> None:
    """A briefing's parts, questions, length and history."""
    open_db()

    row = summary(find_briefing(briefing_id))
    if output is OutputFormat.json:
        print_json(row)
        return
    console.print(Text(row["title"], style="bold"))
    console.print(f"Briefing {row['id']} for review {row['review']} ({row['pseudonym']}); "
                  f"{row['status']}"
                  + (f", published {_when(row['published_at'])} by {row['published_by']}"
                     if row["published_at"] else "") + ".")
    for part in row["parts"]:
        console.print()
        console.print(Text(f"{part['number']}. {part['label']}", style="bold"))
        console.print(part["text"] or Text("(empty)", style="italic"))
    if row["reflection_questions"]:
        console.print()
        console.print(Text("Questions for your team", style="bold"))
        for i, question in enumerate(row["reflection_questions"], 1):
            console.print(f"{i}. {question}")
    console.print()
    console.print(f"{row['words']} words; about {row['reading_time']} read aloud.")
    if row["warning"]:
        console.print(Text(f"Warning: {row['warning']}", style="bold yellow"))
    for o in row["overrides"]:
        console.print(f"Guard overridden {_when(o['at'])} by {o['who']} ({o['action']}, "
                      f"{len(o['problems'])} passages): {o['reason']}")


@briefing_app.command("edit")
def edit(
    briefing_id: Annotated[int, typer.Argument(metavar="ID", help="The briefing number")],
    part: Annotated[int | None, typer.Option("--part", min=1, max=7,
                                             help="Which part, 1 to 7")] = None,
    text: Annotated[str | None, typer.Option("--text", help="The part's new text")] = None,
    from_file: Annotated[Path | None, typer.Option(
        "--from-file", help="Read the part's new text from this UTF-8 file")] = None,
    label: Annotated[str | None, typer.Option("--label", help="The part's new label")] = None,
    title: Annotated[str | None, typer.Option("--title", help="The briefing's title")] = None,
    questions: Annotated[list[str] | None, typer.Option(
        "--question", help="Replace the reflection questions (repeat for each)")] = None,
) -> None:
    """Change a part's text or label, the title, or the reflection questions."""
    if text is not None and from_file is not None:
        raise typer.BadParameter("give --text or --from-file, not both", param_hint="--text")
    if (text is not None or from_file is not None or label is not None) and part is None:
        raise typer.BadParameter("say which part: --part N", param_hint="--part")
    if part is not None and text is None and from_file is None and label is None:
        raise typer.BadParameter("say what to change: --text, --from-file or --label",
                                 param_hint="--part")
    if part is None and title is None and not questions:
        raise typer.BadParameter("nothing to change: give --part N with --text, --from-file "
                                 "or --label, or --title, or --question",
                                 param_hint="--part")
    if from_file is not None:
        try:
            text = from_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise typer.BadParameter(f"cannot read {from_file}: {exc}",
                                     param_hint="--from-file") from None
    open_db()

    who = current_user()
    if part is not None:
        services.edit_part(briefing_id, part, who, text=text, label=label)
        console.print(f"Briefing {briefing_id}, part {part} changed.")
    if title is not None:
        services.set_title(briefing_id, title, who)
        console.print(f"Briefing {briefing_id}: title changed.")
    if questions:
        services.set_questions(briefing_id, questions, who)
        console.print(f"Briefing {briefing_id}: {len(questions)} reflection questions.")
    measured = services.length(services.find_briefing(briefing_id))
    console.print(f"Now {measured.words} words, about {measured.reading_time} read aloud.")
    if measured.warning:
        console_err.print(Text(measured.warning, style="bold yellow"))


@briefing_app.command("check")
def check(
    briefing_id: Annotated[int, typer.Argument(metavar="ID", help="The briefing number")],
    output: FormatOption = OutputFormat.table,
) -> None:
    """Run the de-identification guard; exit 1 if anything would identify the family."""
    open_db()

    problems = run_guard(find_briefing(briefing_id))
    if output is OutputFormat.json:
        print_json({"briefing": briefing_id, "ok": not problems,
                    "problems": [p.as_dict() for p in problems]})
    elif problems:
        console.print(_problems_table(problems))
        console.print(f"{len(problems)} passages would identify the family. Rewrite them "
                      "with the pseudonym, ages and months.")
    else:
        console.print(f"Briefing {briefing_id}: nothing found that identifies the family.")
    if problems:
        raise typer.Exit(1)


@briefing_app.command("publish")
def publish(
    briefing_id: Annotated[int, typer.Argument(metavar="ID", help="The briefing number")],
    override_reason: OverrideOption = None,
) -> None:
    """Publish a briefing once the guard passes (or is overridden with a reason)."""
    open_db()

    briefing = do_publish(briefing_id, current_user(), override_reason)
    console.print(f"Briefing {briefing.pk} published.")


@briefing_app.command("render")
def render(
    review: Annotated[int, typer.Argument(help="The review number")],
    output_format: Annotated[RenderFormat, typer.Option("--format", help="html, pdf or docx")],
    path: Annotated[Path, typer.Option("-o", "--output", help="The file to write")],
    draft: Annotated[bool, typer.Option(
        "--draft", help="Render a briefing not yet published, marked DRAFT")] = False,
    override_reason: OverrideOption = None,
) -> None:
    """Write a review's briefing as a web page, an A4 PDF or a Word document."""
    open_db()

    done = do_render(review, output_format.value, path, current_user(), draft=draft,
                     override_reason=override_reason)
    pages = f" ({done.pages} page{'s' if done.pages != 1 else ''})" if done.pages else ""
    console.print(f"Wrote {path}{pages}.")
    if done.pages and done.pages > 2:
        console_err.print(Text(f"The PDF runs to {done.pages} pages: a 7-minute briefing "
                               "should fit on one or two. Shorten it.", style="bold yellow"))
    if done.overridden:
        console_err.print(Text(f"The guard was overridden for {done.overridden} passages; "
                               "the override is recorded.", style="bold yellow"))


@activity_app.command("add")
def activity_add(
    briefing_id: Annotated[int, typer.Argument(metavar="ID", help="The briefing number")],
    agency: Annotated[str, typer.Option("--agency", help="The agency's code")],
    team: Annotated[str, typer.Option("--team", help="The team that used it")],
    on: Annotated[str, typer.Option("--on", help="When (YYYY-MM-DD or DD/MM/YYYY)")],
    attendees: Annotated[int, typer.Option("--attendees", min=1, help="How many took part")],
    facilitator: Annotated[str, typer.Option("--facilitator", help="Who led the session")],
    reflections: Annotated[str, typer.Option("--reflections",
                                             help="What the team reflected")] = "",
    change: Annotated[str, typer.Option("--change", help="What the team will change")] = "",
) -> None:
    """Record a team's use of a published briefing."""
    held_on = date_option(on, "--on")
    assert held_on is not None  # noqa: S101 - narrows the type: a required option is never None
    open_db()

    activity = record_activity(briefing_id, agency=agency, team=team, held_on=held_on,
                               attendees=attendees, facilitator=facilitator,
                               who=current_user(), reflections=reflections, changes=change)
    console.print(f"Learning activity {activity.pk} recorded: {activity.team} "
                  f"({activity.agency.code}) used briefing {briefing_id} on "
                  f"{_when(activity.held_on)} with {activity.attendees} people.")


@briefing_app.command("reach")
def reach(
    briefing_id: Annotated[int | None, typer.Option(
        "--briefing", help="Which agencies and teams have used this briefing")] = None,
    agency: Annotated[str | None, typer.Option(
        "--agency", help="Which published briefings this agency has used, and not yet")]
    = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """How far briefings have reached: by briefing, by agency, or all published ones."""
    if briefing_id is not None and agency is not None:
        raise typer.BadParameter("give --briefing or --agency, not both",
                                 param_hint="--briefing")
    open_db()

    if briefing_id is not None:
        _briefing_reach(briefing_id, output)
    elif agency is not None:
        _agency_reach(agency, output)
    else:
        _overall_reach(output)


def _briefing_reach(briefing_id: int, output: OutputFormat) -> None:
    """Which agencies and teams have used one briefing, and which agencies not yet."""
    row = activities.briefing_reach(briefing_id)
    if output is OutputFormat.json:
        print_json(row)
        return
    table = Table(title=f"Briefing {briefing_id}: {row['title']} ({row['status']})")
    for column in ("agency", "teams", "sessions", "attendees", "last used"):
        table.add_column(column, overflow="fold")
    for a in row["agencies"]:
        table.add_row(a["agency"], ", ".join(a["teams"]), str(a["activities"]),
                      str(a["attendees"]), _when(a["last_used_on"]))
    console.print(table)
    console.print(f"{len(row['agencies'])} agencies, {row['teams']} teams, "
                  f"{row['total_attendees']} people in all.")
    if row["agencies_not_yet"]:
        console.print("Not used yet by: " + ", ".join(row["agencies_not_yet"]))


def _agency_reach(agency: str, output: OutputFormat) -> None:
    """Which published briefings one agency has used, and which not yet."""
    row = activities.agency_reach(agency)
    if output is OutputFormat.json:
        print_json(row)
        return
    if row["used"]:
        table = Table(title=f"{row['agency']} ({row['name']}): briefings used")
        for column in ("briefing", "title", "teams", "sessions", "attendees"):
            table.add_column(column, overflow="fold")
        for b in row["used"]:
            table.add_row(str(b["briefing"]), b["title"], ", ".join(b["teams"]),
                          str(b["activities"]), str(b["attendees"]))
        console.print(table)
    else:
        console.print(f"{row['agency']} ({row['name']}) has not used a briefing yet.")
    if row["not_yet_used"]:
        console.print("Published briefings not used yet: " + "; ".join(
            f"{b['briefing']} {b['title']}" for b in row["not_yet_used"]))
    else:
        console.print("Every published briefing has been used.")


def _overall_reach(output: OutputFormat) -> None:
    """Every published briefing with the agencies, teams and people it has reached."""
    rows = activities.overall_reach()
    if output is OutputFormat.json:
        print_json(rows)
        return
    if not rows:
        console.print("No briefing has been published yet.")
        return
    table = Table(title="Published briefings and their reach")
    for column in ("briefing", "title", "published", "agencies", "teams", "sessions",
                   "attendees"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(str(r["briefing"]), r["title"], _when(r["published_at"]),
                      ", ".join(r["agencies"]), str(r["teams"]), str(r["activities"]),
                      str(r["total_attendees"]))
    console.print(table)
