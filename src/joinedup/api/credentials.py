"""API keys: made for one agency and one scope, shown once, kept only as a hash.

A key reads ``jup_<prefix>_<secret>``: ``prefix`` (12 hex digits) finds the stored row, and
``secret`` is 32 random bytes (43 URL-safe characters). Only the SHA-256 of the whole key is
kept: a random 256-bit secret needs no slow password hash, and checking it costs nothing on
each request. Making and revoking keys are ``permission_change`` entries of the audit trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from joinedup.access import AuditAction, audit
from joinedup.agencies import Agency
from joinedup.api.errors import ApiError
from joinedup.api.models import ApiCredential, Scope
from joinedup.errors import ActionError, AgencyError, NextStep, NotFoundError

KEY_PATTERN = re.compile(r"^jup_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
DEFAULT_DAYS = 365
MOST_DAYS = 3 * 365


@dataclass(frozen=True)
class Issued:
    credential: ApiCredential
    key: str
    """The key itself: shown once, never stored."""


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def state(credential: ApiCredential, now: dt.datetime | None = None) -> str:
    """active, expired or revoked."""
    now = now or timezone.now()
    if credential.revoked_at is not None:
        return "revoked"
    if credential.expires_at <= now:
        return "expired"
    return "active"


def create(agency_code: str, scope: str, name: str, *, by: str,
           expires_days: int = DEFAULT_DAYS) -> Issued:
    """A new key for the agency's system; audited as a permission change."""

    agency = Agency.objects.filter(code=agency_code.strip().upper()).first()
    if agency is None:
        raise AgencyError(f"There is no agency with code {agency_code!r}.",
                          next_step=NextStep.LIST_AGENCIES)
    if scope not in Scope.values:
        raise ActionError(f"{scope!r} is not a scope: use submit (send returns and read "
                          "their status) or read (read their status only).")
    name = " ".join(name.split())
    if not name:
        raise ActionError("Give the key a name saying which system uses it, e.g. "
                          "'Mosaic nightly return'.",
                          next_step=NextStep.GIVE_DETAIL(detail="name"))
    if len(name) > 200:
        raise ActionError("The name is too long: 200 characters at most.")
    if not 1 <= expires_days <= MOST_DAYS:
        raise ActionError(f"A key lasts from 1 to {MOST_DAYS} days (asked: {expires_days}).")
    prefix = secrets.token_hex(6)
    key = f"jup_{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    with transaction.atomic():
        credential = ApiCredential.objects.create(
            agency=agency, name=name, scope=scope, prefix=prefix, secret_hash=digest(key),
            created_at=now, created_by=by[:150],
            expires_at=now + dt.timedelta(days=expires_days))
        audit.record(by, AuditAction.PERMISSION_CHANGE, object_type="api_credential",
                     object_id=credential.pk,
                     reason=f"API key {prefix} made for {agency.code} ({scope}): {name}",
                     details={"agency": agency.code, "scope": scope, "name": name,
                              "prefix": prefix,
                              "expires_at": credential.expires_at.isoformat()})
    return Issued(credential, key)


def listed(agency_code: str | None = None) -> list[ApiCredential]:
    query = ApiCredential.objects.select_related("agency")
    if agency_code:
        query = query.filter(agency__code=agency_code.strip().upper())
    return list(query)


def revoke(credential_id: int, *, by: str) -> ApiCredential:
    """Revoke a key at once (it is refused from the next request); audited."""
    with transaction.atomic():
        credential = (ApiCredential.objects.select_for_update().select_related("agency")
                      .filter(pk=credential_id).first())
        if credential is None:
            raise NotFoundError(f"There is no API key {credential_id}.",
                                next_step=NextStep.LIST_API_KEYS)
        if credential.revoked_at is not None:
            raise ActionError(f"API key {credential_id} was already revoked on "
                              f"{timezone.localtime(credential.revoked_at):%d/%m/%Y at %H:%M}"
                              f" by {credential.revoked_by}.")
        credential.revoked_at = timezone.now()
        credential.revoked_by = by[:150]
        credential.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(by, AuditAction.PERMISSION_CHANGE, object_type="api_credential",
                     object_id=credential.pk,
                     reason=f"API key {credential.prefix} of {credential.agency.code} revoked",
                     details={"agency": credential.agency.code, "prefix": credential.prefix,
                              "name": credential.name})
    return credential


def _refused(code: str, message: str) -> ApiError:
    challenge = 'Bearer realm="joinedup"'
    if code != "missing_credentials":
        challenge += ', error="invalid_token"'
    return ApiError(code, message, headers={"WWW-Authenticate": challenge})


def check(authorization: str | None, now: dt.datetime | None = None) -> ApiCredential:
    """The credential an ``Authorization`` header carries; every refusal as an ApiError
    (401) saying which: missing, malformed, unknown, revoked or expired."""
    if not authorization or not authorization.strip():
        raise _refused("missing_credentials", "This needs an API key: send the header "
                                              "'Authorization: Bearer <key>'.")
    scheme, _, key = authorization.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise _refused("malformed_credentials", "The Authorization header must be 'Bearer' "
                                                "followed by a space and the API key.")
    match = KEY_PATTERN.match(key)
    if match is None:
        raise _refused("malformed_credentials", "That is not an API key joinedup issues: a key "
                                                "looks like jup_<12 characters>_<43 "
                                                "characters>. Copy it again in full.")
    credential = (ApiCredential.objects.select_related("agency")
                  .filter(prefix=match.group(1)).first())
    if credential is None or not hmac.compare_digest(credential.secret_hash, digest(key)):
        raise _refused("unknown_credentials", "This API key is not one joinedup issued. Ask "
                                              "the partnership's data steward for a key.")
    now = now or timezone.now()
    if credential.revoked_at is not None:
        raise _refused("revoked_credentials", "This API key has been revoked. Ask the "
                                              "partnership's data steward for a new one.")
    if credential.expires_at <= now:
        expired = timezone.localtime(credential.expires_at)
        raise _refused("expired_credentials", f"This API key expired on {expired:%d/%m/%Y}. Ask "
                                              "the partnership's data steward for a new one.")
    return credential


def actor(credential: ApiCredential) -> str:
    """How a key appears in the audit trail and on the submissions it sent."""
    return f"API key {credential.prefix} ({credential.agency.code}: {credential.name})"[:150]


def audit_details(credential: ApiCredential) -> dict[str, object]:
    return {"credential_id": credential.pk, "credential": credential.prefix,
            "credential_name": credential.name, "agency": credential.agency.code,
            "scope": credential.scope}
