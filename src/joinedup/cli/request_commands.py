"""`joinedup requests`: information requests between agencies;
`joinedup meetings`: multi-agency professionals meetings and their actions.

Both record who did it as the operating-system user running the command, as `joinedup
ingest` does. The JSON (``--format json``) is described in docs/cli.md.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from joinedup.agencies import area_label
from joinedup.alerts import record_planned
from joinedup.cli.common import (
    OutputFormat,
    console,
    current_user,
    date_option,
    open_db,
    print_json,
)
from joinedup.information_requests import (
    complete_action,
    get_meeting,
    get_request,
    list_meetings,
    list_requests,
    meeting_summary,
    overdue_requests,
    receive_response,
    record_meeting,
    request_summary,
    send_request,
    today,
    withdraw_request,
)
from joinedup.people import resolve_person

requests_app = typer.Typer(help="Ask another agency or area for information; track replies.",
                           no_args_is_help=True)
meetings_app = typer.Typer(help="Record professionals meetings about a child; track actions.",
                           no_args_is_help=True)



class StatusChoice(str, Enum):
    sent = "sent"
    received = "received"
    withdrawn = "withdrawn"


FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table or json")]


def _show(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


# -- requests -----------------------------------------------------------------------------

@requests_app.command("send")
def send(
    from_agency: Annotated[str, typer.Option("--from", help="The agency asking")],
    person: Annotated[str, typer.Option("--person",
                                        help="Who it is about: person id or AGENCY:PERSON_ID")],
    reason: Annotated[str, typer.Option(
        "--reason", help="TRANSFER_IN_HISTORY, RISK_ADULT, HEALTH_HISTORY, CARE_HISTORY, OTHER")],
    question: Annotated[str, typer.Option("--question", help="What the agency is asked")],
    to_agency: Annotated[str | None, typer.Option("--to", help="The agency asked")] = None,
    to_area: Annotated[str | None, typer.Option(
        "--to-area", help="The area asked, for an agency not registered here: its name "
                          "(e.g. Manchester) or GSS code")]
    = None,
    child: Annotated[str | None, typer.Option(
        "--child", help="The child whose case it is for (person id or AGENCY:PERSON_ID)")]
    = None,
    on: Annotated[str | None, typer.Option("--on", help="Date sent (default today)")] = None,
    due_days: Annotated[int, typer.Option("--due-days", min=0,
                                          help="Working days to reply (default 15)")] = 15,
) -> None:
    """Record a request for information and put it on the chronology."""
    if not to_agency and not to_area:
        raise typer.BadParameter("say who is asked: --to AGENCY or --to-area AREA",
                                 param_hint="--to / --to-area")
    requested_on = date_option(on, "--on")
    open_db()

    request = send_request(
        from_agency=from_agency, person_id=resolve_person(person), reason=reason,
        question=question, who=current_user(), to_agency=to_agency, to_area=to_area,
        child_id=resolve_person(child) if child else None, requested_on=requested_on,
        due_working_days=due_days,
    )
    asked = request.to_agency.code if request.to_agency else request.to_area_label
    console.print(f"Request {request.pk} sent from {request.from_agency.code} to {asked} on "
                  f"{_show(request.requested_on)}; reply due by {_show(request.due_on)} "
                  f"({request.due_working_days} working days).")


@requests_app.command("receive")
def receive(
    request_id: Annotated[int, typer.Argument(help="The request number")],
    response: Annotated[str, typer.Option("--response", help="What the reply said")],
    on: Annotated[str | None, typer.Option("--on", help="Date received (default today)")]
    = None,
) -> None:
    """Record the reply to a request and put it on the chronology."""
    received_on = date_option(on, "--on")
    open_db()

    request = receive_response(request_id, response=response, who=current_user(),
                               received_on=received_on)
    late = request.received_on and request.received_on > request.due_on
    console.print(f"Reply to request {request.pk} recorded as received on "
                  f"{_show(request.received_on)}" + (" (after the due date)." if late else "."))


@requests_app.command("withdraw")
def withdraw(
    request_id: Annotated[int, typer.Argument(help="The request number")],
    why: Annotated[str, typer.Option("--why", help="Why it is no longer needed")],
) -> None:
    """Withdraw a request that has no reply; the chronology keeps that it was sent."""
    open_db()

    request = withdraw_request(request_id, why=why, who=current_user())
    console.print(f"Request {request.pk} withdrawn on {_show(request.withdrawn_on)}.")


@requests_app.command("list")
def list_(
    status: Annotated[StatusChoice | None, typer.Option(
        "--status", help="sent, received or withdrawn")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only requests past their due "
                                                            "date with no reply")] = False,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Work out overdue as on this date (default today)")] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Requests, newest first (overdue ones: longest overdue first)."""
    on = date_option(as_of, "--as-of")
    open_db()

    on = on or today()
    wanted = status.value if status else None
    if overdue:
        found = [r for r in overdue_requests(on) if not wanted or r.status == wanted]
    else:
        found = list(list_requests(status=wanted))
    rows = [request_summary(r, on) for r in found]
    if output is OutputFormat.json:
        print_json(rows)
        return
    if not rows:
        console.print("No information requests" + (" are overdue." if overdue else "."))
        return
    table = Table(title=f"Information requests (overdue as on {_show(on)})")
    for column in ("id", "from", "to", "person", "reason", "sent", "due", "status"):
        table.add_column(column, overflow="fold")
    for row in rows:
        status_text = Text(row["status"])
        if row["overdue"]:
            status_text = Text(f"overdue, {row['working_days_overdue']} working days",
                               style="bold red")
        table.add_row(str(row["id"]), row["from_agency"],
                      row["to_agency"] or area_label(row["to_area"]),
                      str(row["person_id"]), row["reason_label"],
                      _show(dt.date.fromisoformat(row["requested_on"])),
                      _show(dt.date.fromisoformat(row["due_on"])), status_text)
    console.print(table)


@requests_app.command("show")
def show(
    request_id: Annotated[int, typer.Argument(help="The request number")],
    output: FormatOption = OutputFormat.table,
) -> None:
    """One request with its reply and its history."""
    open_db()

    row = request_summary(get_request(request_id), today(), history=True)
    if output is OutputFormat.json:
        print_json(row)
        return
    state = row["status"]
    if row["overdue"]:
        state = f"overdue by {row['working_days_overdue']} working days"
    lines = [
        ("Request", str(row["id"])),
        ("From", row["from_agency"]),
        ("To", row["to_agency"] or area_label(row["to_area"])),
        ("About person", str(row["person_id"])),
        ("For child", str(row["child_id"] or "")),
        ("Reason", row["reason_label"]),
        ("Question", row["question"]),
        ("Sent", _show(dt.date.fromisoformat(row["requested_on"]))),
        ("Due", f"{_show(dt.date.fromisoformat(row['due_on']))} "
                f"({row['due_working_days']} working days)"),
        ("Status", state),
    ]
    if row["received_on"]:
        lines += [("Received", _show(dt.date.fromisoformat(row["received_on"]))),
                  ("Reply", row["response"])]
    if row["withdrawn_on"]:
        lines += [("Withdrawn", _show(dt.date.fromisoformat(row["withdrawn_on"]))),
                  ("Why", row["withdrawn_reason"])]
    _print_pairs(lines)
    history = Table(title="History")
    for column in ("on", "what", "who", "note"):
        history.add_column(column, overflow="fold")
    for change in row["history"]:
        history.add_row(_show(dt.date.fromisoformat(change["on"])), change["what"],
                        change["who"], change["note"])
    console.print(history)


def _print_pairs(lines: list[tuple[str, str]]) -> None:
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for label, value in lines:
        table.add_row(label, value)
    console.print(table)


# -- meetings -----------------------------------------------------------------------------

def _action(text: str) -> dict[str, Any]:
    """``description|owner|YYYY-MM-DD[|AGENCY]`` as the dict record_meeting takes."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) not in (3, 4) or not all(parts[:3]):
        raise typer.BadParameter(
            f"{text!r}: write an action as \"description|owner|YYYY-MM-DD\" (optionally "
            "\"|AGENCY\" for the owner's agency)", param_hint="--action")
    action: dict[str, Any] = {"description": parts[0], "owner": parts[1],
                              "due_on": date_option(parts[2], "--action")}
    if len(parts) == 4 and parts[3]:
        action["owner_agency"] = parts[3]
    return action


@meetings_app.command("record")
def record(
    child: Annotated[str, typer.Option("--child", help="Person id or AGENCY:PERSON_ID")],
    agency: Annotated[str, typer.Option("--agency", help="The chair's agency")],
    on: Annotated[str, typer.Option("--on", help="Date the meeting was held")],
    attending: Annotated[str, typer.Option("--attending", help="Agency codes: CSC,HV,POLICE")],
    decisions: Annotated[str, typer.Option("--decisions", help="What was decided")],
    chair: Annotated[str, typer.Option("--chair", help="Who chaired it")] = "",
    action: Annotated[list[str] | None, typer.Option(
        "--action", help="\"description|owner|YYYY-MM-DD[|AGENCY]\"; repeat for each")] = None,
    planned: Annotated[int | None, typer.Option(
        "--planned", help="The planned meeting this one is (its alerts become actioned)")]
    = None,
) -> None:
    """Record a professionals meeting about a child and put it on the child's chronology."""
    held_on = date_option(on, "--on")
    assert held_on is not None  # noqa: S101 - narrows the type: a required option is never None
    actions = [_action(a) for a in action or []]
    open_db()

    held: dict[str, Any] = {"agency": agency, "held_on": held_on, "decisions": decisions,
                            "attending": [c for c in attending.split(",") if c.strip()],
                            "chaired_by": chair, "actions": actions}
    child_id, who = resolve_person(child), current_user()
    meeting = (record_meeting(child_id=child_id, who=who, **held) if planned is None
               else record_planned(planned, child_id=child_id, who=who, **held))
    ids = ", ".join(str(a.pk) for a in meeting.actions.order_by("due_on", "id"))
    console.print(f"Meeting {meeting.pk} on {_show(meeting.held_on)} recorded for person "
                  f"{meeting.child_id}" + (f"; actions {ids}." if ids else "."))


@meetings_app.command("list")
def list_meetings_command(
    child: Annotated[str | None, typer.Option("--child", help="Only this child's meetings")]
    = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Meetings, most recent first, with their open actions."""
    open_db()

    on = today()
    child_id = resolve_person(child) if child else None
    rows = [meeting_summary(m, on) for m in list_meetings(child_id=child_id)]
    if output is OutputFormat.json:
        print_json(rows)
        return
    if not rows:
        console.print("No professionals meetings have been recorded.")
        return
    table = Table(title="Professionals meetings")
    for column in ("id", "date", "status", "child", "chair", "attending or invited",
                   "actions open", "overdue"):
        table.add_column(column, overflow="fold")
    for row in rows:
        open_ = [a for a in row["actions"] if a["status"] == "open"]
        late = sum(a["overdue"] for a in open_)
        who = row["attending"] if row["status"] == "held" else row["invited"]
        table.add_row(str(row["id"]), _show(dt.date.fromisoformat(row["held_on"])),
                      row["status"], str(row["child_id"]), row["chaired_by"] or row["agency"],
                      ", ".join(who), str(len(open_)),
                      Text(str(late), style="bold red") if late else "0")
    console.print(table)


@meetings_app.command("show")
def show_meeting(
    meeting_id: Annotated[int, typer.Argument(help="The meeting number")],
    output: FormatOption = OutputFormat.table,
) -> None:
    """One meeting: who attended, the decisions and every action."""
    open_db()

    row = meeting_summary(get_meeting(meeting_id), today())
    if output is OutputFormat.json:
        print_json(row)
        return
    _print_pairs([
        ("Meeting", str(row["id"])),
        ("Status", row["status"] + (f": {row['cancelled_reason']}"
                                    if row["cancelled_reason"] else "")),
        ("Held" if row["status"] == "held" else "Planned for",
         _show(dt.date.fromisoformat(row["held_on"]))),
        ("Child", str(row["child_id"])),
        ("Chaired by", f"{row['chaired_by'] or ''} ({row['agency']})".strip()),
        ("Attending", ", ".join(row["attending"])),
        ("Invited", ", ".join(row["invited"])),
        ("Purpose", row["purpose"] or ""),
        ("Decisions", row["decisions"]),
        ("Recorded by", row["recorded_by"]),
    ])
    if not row["actions"]:
        console.print("No actions were agreed.")
        return
    table = Table(title="Actions")
    for column in ("id", "action", "owner", "due", "status"):
        table.add_column(column, overflow="fold")
    for a in row["actions"]:
        owner = f"{a['owner']} ({a['owner_agency']})" if a["owner_agency"] else a["owner"]
        status = Text("overdue", style="bold red") if a["overdue"] else Text(
            f"done {_show(dt.date.fromisoformat(a['done_on']))}" if a["done_on"]
            else a["status"])
        table.add_row(str(a["id"]), a["description"], owner,
                      _show(dt.date.fromisoformat(a["due_on"])), status)
    console.print(table)


@meetings_app.command("done")
def done(
    action_id: Annotated[int, typer.Argument(help="The action number (meetings show lists)")],
    on: Annotated[str | None, typer.Option("--on", help="Date it was done (default today)")]
    = None,
) -> None:
    """Mark an action agreed at a meeting as done."""
    done_on = date_option(on, "--on")
    open_db()

    action = complete_action(action_id, who=current_user(), done_on=done_on)
    console.print(f"Action {action.pk} marked done on {_show(action.done_on)}.")
