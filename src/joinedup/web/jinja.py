"""The Jinja2 environment every page is drawn with: GOV.UK Frontend macros, plain-English
dates ("3 March 2025"), URL reversing and the navigation a user's roles give them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader

from joinedup.config import partnership_name
from joinedup.web import navigation


def long_date(value: Any) -> str:
    """3 March 2025 (the GOV.UK style); an empty string for no date."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return f"{value.day} {value:%B %Y}"


def long_datetime(value: Any) -> str:
    """3 March 2025 at 2:05pm."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        return long_date(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    hour = value.hour % 12 or 12
    return f"{long_date(value)} at {hour}:{value:%M}{'am' if value.hour < 12 else 'pm'}"


def iso_date(value: Any) -> str:
    """2025-03-03, for date inputs."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def plural(count: int, singular: str, many: str | None = None) -> str:
    """'1 alert', '3 alerts'."""
    return f"{count:,} {singular if count == 1 else (many or singular + 's')}"


def meeting_heading(meeting: Any, noun: str = "Meeting") -> str:
    """'Meeting on 3 March 2025', 'Meeting planned for 12 December 2026' or 'Meeting
    planned for 12 December 2026: called off'."""
    day = long_date(meeting.held_on)
    if meeting.status == "planned":
        return f"{noun} planned for {day}"
    if meeting.status == "cancelled":
        return f"{noun} planned for {day}: called off"
    return f"{noun} on {day}"


def environment(**options: Any) -> Environment:
    options["loader"] = ChoiceLoader([
        FileSystemLoader(str(settings.WEB_DIR / "templates")),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    options.pop("autoescape", None)  # always on, whatever a setting asks (below)
    extensions: list[Any] = list(options.get("extensions") or [])
    options["extensions"] = [*extensions, "jinja2.ext.do"]
    env = Environment(autoescape=True, **options)
    env.globals.update(
        url=url, static=static, service_name="joinedup", partnership_name=partnership_name,
        navigation=navigation.items_for, get_messages=get_messages, plural=plural,
        meeting_heading=meeting_heading,
        today=lambda: timezone.localdate())
    env.filters.update(long_date=long_date, long_datetime=long_datetime, iso_date=iso_date,
                       plural=plural)
    return env
