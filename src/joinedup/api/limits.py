"""How much one API key may ask: requests per minute, and bytes per request.

``JOINEDUP_API_RATE_PER_MINUTE`` (default 60) and ``JOINEDUP_API_MAX_BYTES`` (default 50 MB)
are read from Django settings or the environment at each request.

The count of a key's requests lives on its row (``window_started_at``, ``window_requests``),
so every server process and thread shares it, and each request changes it with one
conditional UPDATE: a window opens at a key's first request and lasts a minute; inside it the
count goes up while it is under the limit; past the limit the request is refused with 429 and
``Retry-After`` (the seconds until the window closes).
"""

from __future__ import annotations

import datetime as dt
import math
import os

from django.db.models import F, Q
from django.utils import timezone

from joinedup.api.errors import ApiError
from joinedup.api.models import ApiCredential
from joinedup.errors import ConfigurationError

RATE_PER_MINUTE = 60
MAX_BYTES = 50 * 1024 * 1024
WINDOW = dt.timedelta(minutes=1)
UNPACK_FACTOR = 4
"""A zipped return may unpack to this many times the request limit."""


def _setting(name: str, default: int) -> int:
    from django.conf import settings

    value = getattr(settings, name, None) or os.environ.get(name, "").strip() or default
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise ConfigurationError(f"{name} must be a whole number, 1 or more (not {value!r}).")
    return number


def rate_per_minute() -> int:
    return _setting("JOINEDUP_API_RATE_PER_MINUTE", RATE_PER_MINUTE)


def max_bytes() -> int:
    return _setting("JOINEDUP_API_MAX_BYTES", MAX_BYTES)


def megabytes(size: int) -> str:
    """50 MB, 1.5 MB; small limits in bytes (1,000 bytes)."""
    if size >= 1024 * 1024:
        return f"{round(size / (1024 * 1024), 1):g} MB"
    return f"{size:,} bytes"


def count_request(credential: ApiCredential, now: dt.datetime | None = None) -> None:
    """Count one request of ``credential`` (and note when it was last used), or refuse it
    with ``rate_limited`` when it has used up the minute's requests."""
    now = now or timezone.now()
    limit = rate_per_minute()
    rows = ApiCredential.objects.filter(pk=credential.pk)
    opened = rows.filter(Q(window_started_at__isnull=True)
                         | Q(window_started_at__lte=now - WINDOW)).update(
        window_started_at=now, window_requests=1, last_used_at=now)
    if opened:
        return
    counted = rows.filter(window_started_at__gt=now - WINDOW,
                          window_requests__lt=limit).update(
        window_requests=F("window_requests") + 1, last_used_at=now)
    if counted:
        return
    started = rows.values_list("window_started_at", flat=True).first() or now
    wait = max(1, math.ceil((started + WINDOW - now).total_seconds()))
    raise ApiError("rate_limited",
                   f"This API key has made {limit} requests in the last minute, the most "
                   f"allowed. Try again in {wait} second{'' if wait == 1 else 's'}.",
                   headers={"Retry-After": str(wait)})


def check_length(content_length: int) -> None:
    """Refuse a request whose declared size is over the limit, before reading it."""
    limit = max_bytes()
    if content_length > limit:
        raise too_large(limit)


def too_large(limit: int, what: str = "The request") -> ApiError:
    return ApiError("too_large", f"{what} is larger than the {megabytes(limit)} the API takes "
                                 "in one request. Split the return into smaller ones (for "
                                 "instance one table, or one month, at a time).")
