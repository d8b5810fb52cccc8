"""Dates as a chronology shows them to people.

Printable chronologies and plain-English gap descriptions write dates in words ("3 March
2025"): a chronology is read aloud in meetings and reviews, where "03/03/2025" is easy to
misread. Month names are written out here rather than with ``strftime("%B")``, which
depends on the machine's locale.
"""

from __future__ import annotations

import datetime as dt

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_date(day: dt.date | None) -> str:
    """``3 March 2025``; empty for no date."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date | None) -> str:
    """``03/03/2025``, the UK convention for tables on screen."""
    return day.strftime("%d/%m/%Y") if day else ""
