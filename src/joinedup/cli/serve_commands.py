"""`joinedup serve`: the web application for practitioners."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.table import Table

from joinedup import database
from joinedup.cli.common import console
from joinedup.demo import (
    DEMO_INVOLVEMENT_DAYS,
    DEMO_PASSWORD,
    DEMO_REFERRAL_ROUTE,
    DEMO_USERS,
    create_demo_users,
)
from joinedup.errors import NotFoundError
from joinedup.people import resolve_person
from joinedup.reviews import Review
from joinedup.web.server import check_ready, start


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (keep 127.0.0.1 behind a "
                                           "reverse proxy)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 2,
    threads: Annotated[int, typer.Option(help="Threads per worker process")] = 8,
    demo: Annotated[bool, typer.Option(
        "--demo", help="Development mode, with a demo user for each role (printed)")] = False,
) -> None:
    """Serve the web application (gunicorn) until stopped with Ctrl+C."""
    if demo:
        os.environ["JOINEDUP_DEVELOPMENT"] = "1"

        os.environ.setdefault("JOINEDUP_INVOLVEMENT_DAYS", str(DEMO_INVOLVEMENT_DAYS))
        os.environ.setdefault("JOINEDUP_REFERRAL_ROUTE", DEMO_REFERRAL_ROUTE)
    check_ready()
    database.open_database()
    if demo:
        _demo_users(host, port)
    console.print(f"joinedup is at http://{host}:{port}/ (Ctrl+C stops it).")
    start(host, port, workers, threads)


def _demo_users(host: str, port: int) -> None:
    try:
        child = resolve_person("HV:HV-5510871")
    except NotFoundError:
        raise NotFoundError("The demo database has no Baby S: run `joinedup demo` first "
                            "(or `make demo`).") from None
    review = Review.objects.filter(child_id=child).order_by("pk").first()
    create_demo_users(child, review.pk if review else None)
    table = Table(title=f"Demo users (password for all: {DEMO_PASSWORD})")
    table.add_column("user name")
    table.add_column("agency")
    table.add_column("who they are")
    for user in DEMO_USERS:
        table.add_row(user.username, user.agency, user.who)
    console.print(table)
    console.print(f"Baby S is person {child}. Sign in as social.worker, health.visitor, "
                  "probation.officer and panel.member to see how her case looks to each, "
                  f"and as school.teacher to be refused: http://{host}:{port}/children/{child}/")
