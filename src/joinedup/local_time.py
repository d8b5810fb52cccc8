"""England's clock: the time zone every date is read in, and a moment's date there.

Agencies record local times; a date-time without a zone is a time in England (GMT or BST
as the day falls), and the date of an event is its date in England.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

ENGLAND = ZoneInfo("Europe/London")


@lru_cache(maxsize=4096)
def utc_text(moment: dt.datetime) -> str:
    """An aware date-time as UTC text, 'YYYY-MM-DD HH:MM:SS[.ffffff]' (how SQLite keeps it)."""
    return str(moment.astimezone(dt.UTC).replace(tzinfo=None))


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar date in England of an aware date-time."""
    if moment.tzinfo is ENGLAND:
        return moment.date()
    return moment.astimezone(ENGLAND).date()
