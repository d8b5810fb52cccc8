"""What the `joinedup review ...` commands share: the review number argument, the output
format option, and dates as the commands read and show them (day/month/year)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from joinedup.cli.common import OutputFormat, date_option
from joinedup.reviews import today

FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table or json")]
ReviewId = Annotated[int, typer.Argument(help="The review number (`joinedup review list`)")]


def show_day(value: str | dt.date | None) -> str:
    """A date (or ISO text) as the commands show it, day/month/year; nothing as ''."""
    if value is None or value == "":
        return ""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return day.strftime("%d/%m/%Y")


def required_date(text: str, option: str) -> dt.date:
    """The date given to a required ``option``."""
    day = date_option(text, option)
    assert day is not None  # noqa: S101 - narrows the type: used for required options, never None
    return day


def review_today() -> dt.date:
    """Today in England, the day the review timetable counts from."""
    return today()
