"""The JSON API for agency systems (``/api/v1/``, django-ninja; docs/api.md).

Agency case systems push returns (``POST /api/v1/submissions``) with a per-agency API key
and read back what happened to them; signed-in users read their alerts and a child's
chronology under the same access rules as the web pages.

    credentials.py   API keys: made, listed, revoked, checked (hashed at rest)
    limits.py        requests per minute per key, request size
    errors.py        the one error shape, and every refusal as an exception
    receiving.py     a request body or upload turned into a return on disk
    submissions.py   loading it through the ingest, once per idempotency key
    records.py       alerts and chronologies for signed-in users
    schemas.py       what the endpoints answer (and the request bodies they take)
    v1.py            the NinjaAPI instance and its endpoints
    schema_file.py   writes the schema to docs/openapi.json (checked by a test)

``from joinedup.api import api`` gives the NinjaAPI instance (imported lazily, so the app can
be listed in INSTALLED_APPS before Django's models are ready).
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "api":
        from joinedup.api.v1 import api

        return api
    raise AttributeError(f"module 'joinedup.api' has no attribute {name!r}")
