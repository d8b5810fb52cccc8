"""`joinedup api-key ...`: API keys for agencies' systems (docs/api.md)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from joinedup.api import credentials
from joinedup.cli.common import OutputFormat, console, current_user, open_db, print_json

api_key_app = typer.Typer(help="API keys for agencies' systems: make, list, revoke.",
                          no_args_is_help=True)


@api_key_app.command("create")
def create_key(
    agency: Annotated[str, typer.Option("--agency", help="Code of the agency whose system "
                                                         "uses the key")],
    scope: Annotated[str, typer.Option("--scope", help="submit (send returns and read their "
                                                       "status) or read (status only)")],
    name: Annotated[str, typer.Option("--name", help="Which system uses it, e.g. 'Mosaic "
                                                     "nightly return'")],
    expires_days: Annotated[int, typer.Option("--expires-days", help="Days until it expires "
                                                                     "(1 to 1095)")] = 365,
) -> None:
    """Make an API key and print it once: it is stored only as a hash."""
    open_db()

    issued = credentials.create(agency, scope.strip().lower(), name, by=current_user(),
                                expires_days=expires_days)
    c = issued.credential
    console.print(f"Made API key {c.pk} ({c.prefix}) for {c.agency.code}, scope {c.scope}, "
                  f"\"{c.name}\", expiring on {c.expires_at:%d/%m/%Y}.")
    console.print("The key is shown this once; joinedup keeps only its hash. Give it to the "
                  "system's supplier by a secure route:")
    print(issued.key)


@api_key_app.command("list")
def list_keys(
    agency: Annotated[str | None, typer.Option("--agency", help="Only this agency's")] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json")]
    = OutputFormat.table,
) -> None:
    """Every API key (never the keys themselves): agency, scope, state, last use."""
    open_db()

    rows: list[dict[str, Any]] = [
        {"id": c.pk, "prefix": c.prefix, "agency": c.agency.code, "name": c.name,
         "scope": c.scope, "state": credentials.state(c),
         "created_at": c.created_at.isoformat(timespec="seconds"),
         "created_by": c.created_by,
         "expires_at": c.expires_at.isoformat(timespec="seconds"),
         "revoked_at": c.revoked_at.isoformat(timespec="seconds") if c.revoked_at else None,
         "last_used_at": c.last_used_at.isoformat(timespec="seconds")
         if c.last_used_at else None}
        for c in credentials.listed(agency)
    ]
    if output is OutputFormat.json:
        print_json(rows)
        return
    if not rows:
        console.print("No API keys yet: joinedup api-key create --agency CODE --scope submit "
                      "--name TEXT")
        return
    table = Table(title=f"{len(rows)} API key{'' if len(rows) == 1 else 's'}")
    columns = ("id", "prefix", "agency", "name", "scope", "state", "expires_at",
               "last_used_at")
    for column in columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*(str(row[c] or "-") for c in columns))
    console.print(table)


@api_key_app.command("revoke")
def revoke_key(key_id: Annotated[int, typer.Argument(help="The key's id (api-key list)")]
               ) -> None:
    """Revoke a key: refused from its next request."""
    open_db()

    c = credentials.revoke(key_id, by=current_user())
    console.print(f"Revoked API key {c.pk} ({c.prefix}) of {c.agency.code}: \"{c.name}\".")
