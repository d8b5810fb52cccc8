"""Which version of each event a chronology shows: the bitemporal choice.

An agency can correct an event by sending it again with other content; joinedup keeps every
version. A chronology asked "as known by K" must show each event as it could have been read
on K, not as it reads today, or a review would credit practitioners with knowledge that
arrived later. The rule (docs/chronology.md):

- version 1 is known from its ``recorded_on``: the day the agency recorded it, which is
  when the agency knew it (even if joinedup received the return later);
- a correction (version > 1) is known from the later of its ``recorded_on`` and the day
  joinedup loaded it (``loaded_at`` in Europe/London): a correction re-dated to look old
  was not readable before it arrived;
- for each event the highest version known by K is shown; an event with no version known
  by K is left out. Without K, the current version (``is_current``) is shown.

Pure: works on :class:`EventVersion` values, so it is tested without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from joinedup.local_time import local_date


@dataclass(slots=True)
class EventVersion:
    """One stored version of one agency event, with its subject and related person already
    resolved to joinedup person ids (None when the record is not linked). Read-only by
    convention, not frozen: frozen dataclasses are slower to build, and thousands are."""

    pk: int
    agency: str
    source_id: str
    version: int
    is_current: bool
    event_type: str
    occurred_at: dt.datetime
    occurred_on: dt.date
    occurred_time_known: bool
    recorded_on: dt.date
    loaded_at: dt.datetime | None  # needed for corrections only (see known_from)
    subject_person: int | None
    related_person: int | None = None
    subject_name: str = ""
    summary: str = ""
    details: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    worker_role: str = ""
    worker_name: str = ""
    worker_contact: str = ""


def known_from(version: EventVersion) -> dt.date:
    """The first day on which this version could be read (see the module docstring)."""
    if version.version <= 1 or version.loaded_at is None:
        return version.recorded_on
    return max(version.recorded_on, local_date(version.loaded_at))


def visible_versions(versions: Iterable[EventVersion],
                     known_by: dt.date | None = None) -> list[EventVersion]:
    """One version per event (agency, source_id): the current one, or with ``known_by`` the
    highest version known by that day; events with none known by then are left out."""
    chosen: dict[tuple[str, str], EventVersion] = {}
    for item in versions:
        if known_by is None:
            if not item.is_current:
                continue
        elif known_from(item) > known_by:
            continue
        key = (item.agency, item.source_id)
        held = chosen.get(key)
        if held is None or item.version > held.version:
            chosen[key] = item
    return list(chosen.values())
