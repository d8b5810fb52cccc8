"""The fingerprint of a row's content: equal content, equal digest. A record is stored with
the digest of its content, so a row sent again unchanged is recognised and left alone (a
re-sent file is a no-op), and a changed one is a correction. Events get the same digest
whichever way they arrive: checked row by row (:mod:`joinedup.ingest.validation`), in the
bulk lane (:mod:`joinedup.ingest.bulk_events`) or from an information request's answer.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

_DIGEST_JSON = json.JSONEncoder(sort_keys=True, default=str, separators=(",", ":"))
"""json.dumps(value, sort_keys=True, ...) without making an encoder for every value."""


def json_text(value: Any) -> str:
    """A value as the canonical JSON text its row's digest is made from."""
    if not value:
        return ""
    return _DIGEST_JSON.encode(value)


def event_digest(source_id: str, person_id: str, code: str, occurred_utc: str,
                 occurred_time_known: bool, recorded_utc: str, summary: str, related: str,
                 details_json: str, extra_json: str) -> str:
    """The fingerprint of an event's content. The bulk lane (bulk_events.py) uses it too, so
    the same event gives the same digest whichever way it arrives."""
    return row_digest([source_id, person_id, code, occurred_utc, str(occurred_time_known),
                       recorded_utc, summary, related, details_json, extra_json])


def row_digest(parts: list[str]) -> str:
    """A fingerprint of a row's content: equal content, equal digest."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8"), usedforsecurity=False).hexdigest()
