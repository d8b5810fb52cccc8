"""How long sitting on a review's panel opens the child's record.

A panel member may open the record of the review's child while the review is open, and for
a grace period after it is closed (``JOINEDUP_PANEL_GRACE_DAYS``, default 30 calendar days,
counted from the day it closed and including the last day: closed on 1 March 2026, access
lasts until the end of 31 March 2026). After that the panel loses the record, the review's
pages and its place in their list of reviews. The business unit and safeguarding leads read
closed reviews as before (docs/access.md).

Every place that counts panel membership (``policy.py``, the children list, the review pages)
asks the same question through :func:`panel_still_open`, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.db.models import Q

from joinedup.errors import ConfigurationError

PANEL_GRACE_DAYS = 30
"""Default number of calendar days a closed review's panel keeps access."""

MOST_GRACE_DAYS = 3650
"""The longest grace period accepted (ten years): anything longer is surely a typing slip."""

SETTING = "JOINEDUP_PANEL_GRACE_DAYS"


def panel_grace_days() -> int:
    """The grace period in days: Django setting or environment variable
    ``JOINEDUP_PANEL_GRACE_DAYS``, default 30. Zero means access ends with the day the
    review closes."""
    from django.conf import settings

    value: Any = getattr(settings, SETTING, None)
    if value is None or (isinstance(value, str) and not value.strip()):
        value = os.environ.get(SETTING, "").strip() or PANEL_GRACE_DAYS
    try:
        days = int(value) if not isinstance(value, bool | float) else -1
    except (TypeError, ValueError):
        days = -1
    if not 0 <= days <= MOST_GRACE_DAYS:
        raise ConfigurationError(
            f"{SETTING} must be a whole number of days from 0 to {MOST_GRACE_DAYS} (how long "
            f"a closed review's panel keeps access to the child's record), not {value!r}.")
    return days


def access_until(closed_on: dt.date | None, days: int | None = None) -> dt.date | None:
    """The last day a panel member may open the child's record, for a review closed on
    ``closed_on``; None while the review is open."""
    if closed_on is None:
        return None
    return closed_on + dt.timedelta(days=panel_grace_days() if days is None else days)


def panel_still_open(on: dt.date, review: str = "review__") -> Q:
    """Rows whose review still opens the child to its panel on the day: the review is open,
    or closed no more than the grace period before ``on``. ``review`` is the path from the
    queried model to the review: ``"review__"`` for ``ReviewPanelMember``, ``""`` for
    ``Review`` itself."""
    earliest = on - dt.timedelta(days=panel_grace_days())
    return (Q(**{f"{review}closed_on__isnull": True})
            | Q(**{f"{review}closed_on__gte": earliest}))
