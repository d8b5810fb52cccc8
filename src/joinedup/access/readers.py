"""The reader a user is, for the record of one child or of many persons: what the visibility
gate (:mod:`joinedup.visibility`) needs to know about them and the family, read from the
database once per page (``access/protection.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from joinedup.access import protection
from joinedup.visibility import Reader


def reader_for(user: Any, child_id: int, on: dt.date | None = None) -> Reader:
    """The reader ``user`` is for the record of ``child_id`` (reads the database)."""
    return protection.reader(user, child_id, on)


def readers_for(user: Any, person_ids: Iterable[int]) -> dict[int, Reader]:
    """A reader for each of many persons (a list's names): the full one only where the gate
    might show the person differently (``protection.may_be_protected``), a plain one for
    everyone else, whom every reader sees alike."""
    ids = {int(p) for p in person_ids}
    careful = protection.may_be_protected(ids)
    return {p: protection.reader(user, p) if p in careful else Reader(child_id=p)
            for p in ids}
