"""Optional OpenID Connect sign-in (councils use Microsoft Entra ID), set up from the environment.

Nothing here is active unless ``JOINEDUP_OIDC_CLIENT_ID`` is set. Then these are read:

``JOINEDUP_OIDC_CLIENT_ID`` / ``JOINEDUP_OIDC_CLIENT_SECRET``  the app registration
``JOINEDUP_OIDC_ISSUER``        e.g. ``https://login.microsoftonline.com/TENANT/v2.0``; the
                                standard endpoints below are derived from it for Entra ID
``JOINEDUP_OIDC_AUTHORIZATION_ENDPOINT``, ``..._TOKEN_ENDPOINT``, ``..._USERINFO_ENDPOINT``,
``..._JWKS_ENDPOINT``           set these for any other provider
``JOINEDUP_OIDC_ROLE_CLAIM``    the claim carrying app roles (default ``roles``)
``JOINEDUP_OIDC_ROLE_MAP``      ``claim value=role`` pairs, comma-separated, e.g.
                                ``JoinedUp.Practitioner=practitioner,JoinedUp.Lead=safeguarding_lead``;
                                a claim value that is itself a role code maps to that role
``JOINEDUP_OIDC_AGENCY_CLAIM``  the claim naming the user's agency code (default ``agency``)

Roles are taken from the claims at every sign-in: a role removed in the directory is removed
here at the next sign-in, and every change is written to the audit trail.
"""

from __future__ import annotations

import os
from typing import Any

from joinedup.errors import ConfigurationError


def configured() -> bool:
    return bool(os.environ.get("JOINEDUP_OIDC_CLIENT_ID", "").strip())


def _env(name: str, default: str = "") -> str:
    return os.environ.get(f"JOINEDUP_OIDC_{name}", default).strip()


def django_settings() -> dict[str, Any]:
    """The mozilla-django-oidc settings for this environment."""
    issuer = _env("ISSUER").rstrip("/")
    endpoints = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": _env("AUTHORIZATION_ENDPOINT"),
        "OIDC_OP_TOKEN_ENDPOINT": _env("TOKEN_ENDPOINT"),
        "OIDC_OP_USER_ENDPOINT": _env("USERINFO_ENDPOINT"),
        "OIDC_OP_JWKS_ENDPOINT": _env("JWKS_ENDPOINT"),
    }
    if issuer and issuer.startswith("https://login.microsoftonline.com/"):
        base = issuer.removesuffix("/v2.0")
        endpoints["OIDC_OP_AUTHORIZATION_ENDPOINT"] = (
            endpoints["OIDC_OP_AUTHORIZATION_ENDPOINT"] or f"{base}/oauth2/v2.0/authorize")
        endpoints["OIDC_OP_TOKEN_ENDPOINT"] = (
            endpoints["OIDC_OP_TOKEN_ENDPOINT"] or f"{base}/oauth2/v2.0/token")
        endpoints["OIDC_OP_USER_ENDPOINT"] = (
            endpoints["OIDC_OP_USER_ENDPOINT"] or "https://graph.microsoft.com/oidc/userinfo")
        endpoints["OIDC_OP_JWKS_ENDPOINT"] = (
            endpoints["OIDC_OP_JWKS_ENDPOINT"] or f"{base}/discovery/v2.0/keys")
    missing = [name for name, value in endpoints.items() if not value]
    if missing:
        raise ConfigurationError(
            "OpenID Connect sign-in is switched on (JOINEDUP_OIDC_CLIENT_ID is set) but these "
            "are unknown: " + ", ".join(m.replace("OIDC_OP_", "JOINEDUP_OIDC_") for m in missing)
            + ". Set JOINEDUP_OIDC_ISSUER for Entra ID, or each endpoint for another provider.")
    return {
        "OIDC_RP_CLIENT_ID": _env("CLIENT_ID"),
        "OIDC_RP_CLIENT_SECRET": _env("CLIENT_SECRET"),
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": "openid email profile",
        "OIDC_USE_PKCE": True,
        "LOGIN_REDIRECT_URL_FAILURE": "/sign-in/",
        **endpoints,
    }


def role_map() -> dict[str, str]:
    """Claim value -> role code, from JOINEDUP_OIDC_ROLE_MAP."""
    from joinedup.access.roles import parse_role

    mapping: dict[str, str] = {}
    for pair in _env("ROLE_MAP").split(","):
        if not pair.strip():
            continue
        claim, sep, role = pair.partition("=")
        if not sep:
            raise ConfigurationError(f"JOINEDUP_OIDC_ROLE_MAP: {pair!r} should be "
                                     "'claim value=role'.")
        mapping[claim.strip()] = parse_role(role).value
    return mapping


def roles_from_claims(claims: dict[str, Any]) -> set[str]:
    """The joinedup roles a set of claims carries; unknown values are ignored."""
    from joinedup.access.roles import Role

    values = claims.get(_env("ROLE_CLAIM", "roles") or "roles") or []
    if isinstance(values, str):
        values = [values]
    mapping = role_map()
    roles = set()
    for value in values:
        text = str(value)
        if text in mapping:
            roles.add(mapping[text])
        elif text in Role.values:
            roles.add(text)
    return roles


def _backend_base() -> type:
    from mozilla_django_oidc.auth import OIDCAuthenticationBackend

    return OIDCAuthenticationBackend



def apply_claims(user: Any, claims: dict[str, Any]) -> Any:
    """Bring a user's agency and roles in line with their claims, auditing each change."""
    from django.db import transaction

    from joinedup.access import audit
    from joinedup.access.models import AuditAction, Membership, RoleGrant
    from joinedup.ingest.models import Agency

    wanted = roles_from_claims(claims)
    agency_code = str(claims.get(_env("AGENCY_CLAIM", "agency") or "agency") or "").upper()
    with transaction.atomic():
        if agency_code:
            agency = Agency.objects.filter(code=agency_code).first()
            if agency is not None:
                Membership.objects.update_or_create(user=user, defaults={"agency": agency})
        held = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
        for role in sorted(wanted - held):
            RoleGrant.objects.create(user=user, role=role, granted_by="single sign-on")
        if held - wanted:
            RoleGrant.objects.filter(user=user, role__in=held - wanted).delete()
        if wanted != held:
            audit.record("single sign-on", AuditAction.PERMISSION_CHANGE, object_type="user",
                         object_id=user.username, reason="roles from single sign-on",
                         details={"added": sorted(wanted - held),
                                  "removed": sorted(held - wanted)})
    return user


def __getattr__(name: str) -> Any:
    if name == "RoleMappingBackend":
        base = _backend_base()

        class RoleMappingBackend(base):  # type: ignore[misc, valid-type]
            """Signs users in from OpenID Connect claims, mapping their roles."""

            def create_user(self, claims: dict[str, Any]) -> Any:
                user = super().create_user(claims)
                return apply_claims(user, claims)

            def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
                return apply_claims(user, claims)

        globals()["RoleMappingBackend"] = RoleMappingBackend
        return RoleMappingBackend
    raise AttributeError(name)
