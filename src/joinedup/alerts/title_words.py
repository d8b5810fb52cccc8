"""The words state titles are made of (``state_titles.py``): dates in plain English ("3
March 2025"), spans, counts, working days and event types' words. Nothing here reads a
name, a summary or a detail: only what it is given."""

from __future__ import annotations

import datetime as dt
import re

from joinedup.vocabulary import event_label


def day(date: dt.date) -> str:
    """"3 March 2025"."""
    return f"{date.day} {date:%B %Y}"


def between(start: dt.date, end: dt.date) -> str:
    if start == end:
        return f"on {day(start)}"
    if start.year == end.year:
        return f"between {start.day} {start:%B} and {day(end)}"
    return f"between {day(start)} and {day(end)}"


def count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def working_days(n: int) -> str:
    return count(int(n), "working day")


def noun(event_type: str) -> str:
    """An event type's words without their bracketed gloss: "Appointment missed"."""
    return re.sub(r"\s*\([^)]*\)", "", event_label(event_type)).strip()


def lower(words: str) -> str:
    return words[:1].lower() + words[1:] if words[1:2].islower() else words


def listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def age(months: int) -> str:
    """"one", "2" (years) or "6 months", after "under"."""
    if months == 12:
        return "one"
    return str(months // 12) if months % 12 == 0 else count(months, "month")


def later(first: dt.date, then: dt.date) -> str:
    gap = (then - first).days
    if gap == 0:
        return "the same day"
    return f"{count(abs(gap), 'day')} {'later' if gap > 0 else 'earlier'}"
