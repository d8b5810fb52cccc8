"""The `joinedup` command and its groups, for data stewards and the partnership business unit.

Exit codes: 0 done; 1 the input or the state is wrong (the message says what and where);
2 the command was used wrongly. Output with ``--format json`` is stable (docs/cli.md), and
so are its refusals: ``{"error": {"code", "message"}}`` on stdout (cli/error_output.py).
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from joinedup.cli import common, error_output
from joinedup.cli.access_commands import access_app, audit_app, users_app
from joinedup.cli.alert_commands import alerts_app, replay_command
from joinedup.cli.api_commands import api_key_app
from joinedup.cli.briefing_commands import briefing_app
from joinedup.cli.burden_commands import burden
from joinedup.cli.chronology_commands import chronology
from joinedup.cli.demo_commands import demo_app
from joinedup.cli.ingest_commands import (
    agency_app,
    ingest,
    quarantine_app,
    submissions_app,
)
from joinedup.cli.link_commands import export_app, link_app
from joinedup.cli.meeting_plan_commands import cancel as cancel_meeting
from joinedup.cli.meeting_plan_commands import plan as plan_meeting
from joinedup.cli.operations_commands import backup, restore, retention_app
from joinedup.cli.request_commands import meetings_app, requests_app
from joinedup.cli.review_commands import review_app
from joinedup.cli.serve_commands import serve
from joinedup.cli.snapshot_commands import snapshot_app
from joinedup.errors import JoinedUpError


class _Group(TyperGroup):
    """Turns any JoinedUpError into exit code 1 and its message: on stderr, or as
    ``{"error": {"code", "message"}}`` on stdout when the command was asked for JSON."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        ctx.meta[error_output.RESOLVED] = (name, command, list(rest))
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except JoinedUpError as exc:
            error_output.show(exc, ctx)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Group,
    name="joinedup",
    help="joinedup: one multi-agency picture of each child, in time to act.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("init", help="Create the database, or bring it up to date.")(common.init)
app.add_typer(agency_app, name="agency")
app.command("ingest", help="Check and load an agency return.")(ingest)
app.add_typer(submissions_app, name="submissions")
app.add_typer(quarantine_app, name="quarantine")
app.add_typer(link_app, name="link")
app.add_typer(export_app, name="export")
app.add_typer(demo_app, name="demo")
app.add_typer(snapshot_app, name="snapshot")
app.command("chronology", help="One multi-agency chronology of a child.")(chronology)
app.add_typer(requests_app, name="requests")
meetings_app.command("plan", help="Plan a professionals meeting about a child: "
                                   "invitations and an agenda.")(plan_meeting)
meetings_app.command("cancel", help="Call off a planned meeting.")(cancel_meeting)
app.add_typer(meetings_app, name="meetings")
alerts_app.command("burden", help="Alerts raised per 1,000 children a month, by rule and "
                                   "priority.")(burden)
app.add_typer(alerts_app, name="alerts")
app.add_typer(briefing_app, name="briefing")
app.add_typer(review_app, name="review")
app.command("replay", help="When each alert would have fired: could we have known?")(
    replay_command)
app.add_typer(users_app, name="users")
app.add_typer(access_app, name="access")
app.add_typer(audit_app, name="audit")
app.command("serve", help="Serve the web application for practitioners.")(serve)
app.add_typer(api_key_app, name="api-key")
app.command("backup", help="Back up the database (safe while it is in use).")(backup)
app.command("restore", help="Restore a backup, then verify it against its manifest.")(
    restore)
app.add_typer(retention_app, name="retention")


def main() -> None:
    sys.exit(app())
