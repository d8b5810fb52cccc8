"""`joinedup meetings plan` and `joinedup meetings cancel`: a professionals meeting to come,
with the agencies invited and an agenda of the child's open alerts, and calling one off
(``joinedup.access.meeting_plans``; docs/cli.md). Once held, `joinedup meetings record
--planned MEETING` records it."""

from __future__ import annotations

from typing import Annotated

import typer

from joinedup.access import plan_meeting
from joinedup.alerts import cancel_planned
from joinedup.cli.common import console, current_user, date_option, open_db
from joinedup.people import resolve_person


def plan(
    child: Annotated[str, typer.Option("--child", help="Person id or AGENCY:PERSON_ID")],
    agency: Annotated[str, typer.Option("--agency", help="The organising agency")],
    on: Annotated[str, typer.Option("--on", help="The date it will be held")],
    invite: Annotated[str, typer.Option(
        "--invite", help="Agency codes to invite: HV,POLICE (agencies involved only)")],
    purpose: Annotated[str, typer.Option("--purpose", help="What it is to decide")],
    alert: Annotated[list[int] | None, typer.Option(
        "--alert", help="An alert for the agenda; repeat (default: all the child's open "
                        "alerts)")] = None,
) -> None:
    """Plan a professionals meeting about a child: invitations and an agenda."""
    day = date_option(on, "--on")
    assert day is not None  # noqa: S101 - narrows the type: a required option is never None
    open_db()
    meeting = plan_meeting(child_id=resolve_person(child), agency=agency, on=day,
                           invited=[c.strip() for c in invite.split(",") if c.strip()],
                           who=current_user(), purpose=purpose, alert_ids=alert or None)
    agenda = meeting.agenda or {}
    console.print(
        f"Meeting {meeting.pk} planned for {meeting.held_on:%d/%m/%Y} about person "
        f"{meeting.child_id}; invited: {', '.join(sorted(a.code for a in meeting.invited.all()))}; "
        f"agenda: {len(agenda.get('alerts', []))} alerts, {len(agenda.get('events', []))} "
        "entries.")


def cancel(
    meeting_id: Annotated[int, typer.Argument(help="The planned meeting's number")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is called off")],
) -> None:
    """Call off a planned meeting; its alerts go back to the open queue."""
    open_db()
    meeting = cancel_planned(meeting_id, who=current_user(), reason=reason)
    console.print(f"Meeting {meeting.pk}, planned for {meeting.held_on:%d/%m/%Y}, is called "
                  "off.")
