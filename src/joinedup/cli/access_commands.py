"""`joinedup users ...`, `joinedup access ...` and `joinedup audit ...`: who may see which
child, and the record of who did (docs/access.md)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from joinedup.access import (
    add_panel_member,
    approve,
    audit,
    find_team,
    get_user,
    legitimate_reasons,
    pending_reviews,
    summaries,
)
from joinedup.access import add_user as add
from joinedup.access import allocate as make
from joinedup.access import break_glass as open_glass
from joinedup.access import review_break_glass as review
from joinedup.access import seal as do_seal
from joinedup.cli.common import (
    OutputFormat,
    console,
    console_err,
    current_user,
    date_option,
    open_db,
    print_json,
)
from joinedup.people import resolve_person

users_app = typer.Typer(help="Users: their agency, teams and roles.", no_args_is_help=True)
access_app = typer.Typer(help="Access to children's records: allocations, checks, "
                              "break-glass, sealed records.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail: verify it, list it.", no_args_is_help=True)

ChildArgument = Annotated[str, typer.Argument(help="Person id or AGENCY:SOURCE_PERSON_ID")]


@users_app.command("add")
def add_user(
    username: str,
    agency: Annotated[str, typer.Option("--agency", help="The agency code they work for")],
    role: Annotated[list[str], typer.Option(
        "--role", help="practitioner, team_manager, safeguarding_lead, review_panel_member, "
                       "business_unit, data_steward, auditor or system_administrator "
                       "(repeatable)")],
    team: Annotated[list[str] | None, typer.Option(
        "--team", help="A team at the agency, created if new (repeatable)")] = None,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input")]
    = False,
) -> None:
    """Add a user at an agency with their roles (without a password they cannot sign in
    with one)."""
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    open_db()

    user, created = add(username, agency, role, teams=team or [], password=password,
                        by=current_user())
    for name in created:
        console.print(f"Created the team \"{name}\" at {agency.upper()}.")
    console.print(f"Added {user.username} at {agency.upper()} as "
                  f"{', '.join(sorted(set(role)))}"
                  + ("" if password else " (no password: cannot sign in with one yet)") + ".")


@users_app.command("list")
def list_users(output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table
               ) -> None:
    """Every user with their agency, teams and roles."""
    open_db()

    rows = summaries()
    if output is OutputFormat.json:
        print_json([{"username": u.username, "agency": u.agency, "roles": u.roles,
                     "teams": u.teams, "active": u.active,
                     "password": u.can_sign_in_with_password} for u in rows])
        return
    table = Table(title=f"{len(rows)} user{'' if len(rows) == 1 else 's'}")
    for column in ("user", "agency", "roles", "teams", "active", "password"):
        table.add_column(column, overflow="fold")
    for u in rows:
        table.add_row(u.username, u.agency or "-", ", ".join(u.roles), ", ".join(u.teams),
                      "yes" if u.active else "no",
                      "yes" if u.can_sign_in_with_password else "no")
    console.print(table)


@access_app.command("allocate")
def allocate(
    child: ChildArgument,
    user: Annotated[str | None, typer.Option("--user", help="The worker allocated")] = None,
    team: Annotated[str | None, typer.Option("--team", help="The team allocated")] = None,
    agency: Annotated[str | None, typer.Option(
        "--agency", help="The team's agency, when two agencies have a team of that name")]
    = None,
    valid_from: Annotated[str | None, typer.Option("--from", help="From this day (today)")]
    = None,
    valid_to: Annotated[str | None, typer.Option("--to", help="Until this day (open)")]
    = None,
) -> None:
    """Allocate a worker or a team to a child."""
    if (user is None) == (team is None):
        raise typer.BadParameter("give either --user or --team", param_hint="--user/--team")
    start = date_option(valid_from, "--from")
    end = date_option(valid_to, "--to")
    open_db()

    child_id = resolve_person(child)
    if user is not None:
        made = make(child_id, user=get_user(user), valid_from=start, valid_to=end,
                    by=current_user())
        who = user
    else:
        found = find_team(team or "", agency)
        made = make(child_id, team=found, valid_from=start, valid_to=end, by=current_user())
        who = f"the team \"{found.name}\" ({found.agency.code})"
    console.print(f"Allocated {who} to person {child_id} from {made.valid_from:%d/%m/%Y}"
                  + (f" to {made.valid_to:%d/%m/%Y}" if made.valid_to else "") + ".")


@access_app.command("panel")
def panel(review: int, user: str) -> None:
    """Put a user on a practice review's panel (they can then see the review's child)."""
    open_db()

    if add_panel_member(review, get_user(user), by=current_user()):
        console.print(f"{user} is now on the panel of review {review}.")
    else:
        console.print(f"{user} was already on the panel of review {review}.")


@access_app.command("check")
def check(
    user: str,
    child: ChildArgument,
    on: Annotated[str | None, typer.Option("--on", help="Check on this day (today)")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Why a user may open a child's record, or "no legitimate relationship"."""
    day = date_option(on, "--on")
    open_db()

    child_id = resolve_person(child)
    reasons = legitimate_reasons(get_user(user), child_id, day)
    if output is OutputFormat.json:
        print_json({"user": user, "child_id": child_id, "allowed": bool(reasons),
                    "reasons": [{"kind": r.kind, "text": r.text,
                                 "until": r.until.isoformat() if r.until else None}
                                for r in reasons]})
        return
    if not reasons:
        console.print(f"{user} has no legitimate relationship with person {child_id}.")
        return
    console.print(f"{user} may open the record of person {child_id}:")
    for r in reasons:
        console.print(f"  - {r.text}")


@access_app.command("break-glass")
def break_glass(
    user: str,
    child: ChildArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why the record is needed now")],
    minutes: Annotated[int, typer.Option("--minutes", help="How long access lasts")] = 60,
) -> None:
    """Open a child's record to a user for a while, with their stated reason."""
    open_db()
    from django.utils import timezone

    glass = open_glass(get_user(user), resolve_person(child), reason, minutes)
    until = timezone.localtime(glass.expires_at)
    console.print(f"Break-glass {glass.pk}: {user} may open the record of person "
                  f"{glass.child_id} until {until:%H:%M on %d/%m/%Y}. Recorded in the audit "
                  "trail; a safeguarding lead will review it.")


@access_app.command("break-glass-reviews")
def break_glass_reviews(
    agency: Annotated[str | None, typer.Option(
        "--agency", help="Only accesses by staff of this agency")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Break-glass accesses waiting for a safeguarding lead's review, oldest first."""
    open_db()

    rows: list[dict[str, str | int]] = [
        {"id": g.pk, "user": g.user.username, "child_id": g.child_id, "reason": g.reason,
             "started_at": g.started_at.isoformat(), "expires_at": g.expires_at.isoformat()}
            for g in pending_reviews(agency)]
    if output is OutputFormat.json:
        print_json(rows)
        return
    table = Table(title=f"{len(rows)} break-glass accesses to review")
    for column in ("id", "started", "user", "child", "reason"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(str(r["id"]), str(r["started_at"])[:16].replace("T", " "), str(r["user"]),
                      str(r["child_id"]), str(r["reason"]))
    console.print(table)


@access_app.command("review-break-glass")
def review_break_glass(
    glass_id: int,
    reviewer: Annotated[str, typer.Option("--reviewer", help="The safeguarding lead")],
    outcome: Annotated[str, typer.Option("--outcome", help="justified or not_justified")],
    note: Annotated[str, typer.Option("--note", help="Required when not justified")] = "",
) -> None:
    """A safeguarding lead's verdict on one break-glass access."""
    open_db()

    glass = review(glass_id, get_user(reviewer), outcome, note)
    console.print(f"Break-glass {glass.pk} by {glass.user.username}: recorded as "
                  f"{glass.get_outcome_display().lower()} by {glass.reviewed_by}.")


@access_app.command("seal")
def seal(
    child: ChildArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why the record is sealed")],
) -> None:
    """Seal a child's record: only allocated workers and review panels see it."""
    open_db()

    sealed = do_seal(resolve_person(child), reason, current_user())
    console.print(f"Sealed the record of person {sealed.child_id}: only allocated workers and "
                  "teams and review panel members can open it now.")


@access_app.command("approve-sealed")
def approve_sealed(
    person: ChildArgument,
    steward: Annotated[str, typer.Option("--steward", help="The data steward approved")],
    by: Annotated[str, typer.Option("--by", help="The safeguarding lead approving")],
    reason: Annotated[str, typer.Option("--reason", help="Why the steward needs the record")],
    hours: Annotated[int, typer.Option("--hours", help="How long the approval lasts")] = 8,
) -> None:
    """A safeguarding lead lets a data steward see a sealed person's details on the data
    steward's pages (and join or split their records) for some hours."""
    open_db()
    from django.utils import timezone

    made = approve(resolve_person(person), get_user(steward), get_user(by), reason, hours)
    until = timezone.localtime(made.expires_at)
    console.print(f"Approved: {steward} may see the sealed record of person {made.person_id} "
                  f"on the data steward's pages until {until:%H:%M on %d/%m/%Y}. Recorded in "
                  "the audit trail.")


@audit_app.command("verify")
def verify() -> None:
    """Check that no entry of the audit trail was edited, deleted or reordered."""
    open_db()

    problems = audit.verify()
    if not problems:
        total = audit.count()
        console.print(f"The audit trail is intact: {total:,} "
                      f"entr{'y' if total == 1 else 'ies'}.")
        return
    first = problems[0]
    console_err.print(f"The audit trail is broken at entry {first.entry_id}: {first.message}.")
    for more in problems[1:20]:
        console_err.print(f"  also entry {more.entry_id}: {more.message}")
    if len(problems) > 20:
        console_err.print(f"  and {len(problems) - 20} more problems.")
    raise typer.Exit(1)


@audit_app.command("list")
def list_entries(
    child: Annotated[str | None, typer.Option(
        "--child", help="Person id or AGENCY:SOURCE_PERSON_ID")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Who did it")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many, newest first")]
    = 500,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Audit entries, newest first: who did what, to which child, and why."""
    open_db()

    child_id = resolve_person(child) if child else None
    rows = list(audit.entries(child_id=child_id, actor=actor)[:max(limit, 0)])
    if output is OutputFormat.json:
        print_json([audit.as_dict(e) for e in rows])
        return
    table = Table(title=f"{len(rows):,} audit entries")
    for column in ("#", "at", "who", "action", "child", "object", "reason"):
        table.add_column(column, overflow="fold")
    from django.utils import timezone

    for e in rows:
        table.add_row(str(e.id), f"{timezone.localtime(e.at):%d/%m/%Y %H:%M}", e.actor,
                      e.action, str(e.child_id or ""),
                      f"{e.object_type} {e.object_id}".strip(), e.reason)
    console.print(table)
