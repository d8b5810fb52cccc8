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

A person is known by the identity provider's issuer and their subject identifier (``sub``),
both from the signed ID token: never by email address, which a directory can reuse or change.
The pair is kept as the user name (``sso-`` and a digest of it: ``username_for``), so two
people sharing an address are two users, and a changed address keeps its account.

Roles are taken from the claims at every sign-in: a role removed in the directory is removed
here at the next sign-in, and every change is written to the audit trail.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db import transaction

from joinedup.access import AuditAction, Membership, Role, RoleGrant, audit, parse_role
from joinedup.agencies import Agency
from joinedup.errors import ConfigurationError
from joinedup.web.oidc_settings import configured, django_settings, setting

__all__ = ["configured", "django_settings"]  # read by the web's settings (web/oidc_settings.py)


def role_map() -> dict[str, str]:
    """Claim value -> role code, from JOINEDUP_OIDC_ROLE_MAP."""

    mapping: dict[str, str] = {}
    for pair in setting("ROLE_MAP").split(","):
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

    values = claims.get(setting("ROLE_CLAIM", "roles") or "roles") or []
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


USERNAME_PREFIX = "sso-"


def username_for(issuer: str, subject: str) -> str:
    """The user name of the person the issuer knows as ``subject``: a digest of the pair, the
    same at every sign-in, whatever else about the person changes."""
    pair = f"{issuer.rstrip('/')}\n{subject}".encode()
    digest = base64.b32encode(hashlib.sha256(pair).digest()).decode().rstrip("=").lower()
    return USERNAME_PREFIX + digest


def identity_from_token(id_claims: dict[str, Any], client_id: str) -> tuple[str, str]:
    """The (issuer, subject) pair of a verified ID token's claims, after checking the token
    was issued by the configured issuer (when one is configured) to this application.
    Raises SuspiciousOperation: the sign-in is refused and logged by mozilla-django-oidc."""

    issuer = str(id_claims.get("iss") or "").rstrip("/")
    subject = str(id_claims.get("sub") or "")
    if not issuer or not subject:
        raise SuspiciousOperation("the ID token has no issuer or no subject")
    expected = setting("ISSUER").rstrip("/")
    if expected and issuer != expected:
        raise SuspiciousOperation(f"the ID token was issued by {issuer!r}, not {expected!r}")
    audience = id_claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if client_id not in audiences:
        raise SuspiciousOperation("the ID token was issued to another application")
    return issuer, subject



def apply_claims(user: Any, claims: dict[str, Any]) -> Any:
    """Bring a user's agency and roles in line with their claims, auditing each change."""

    wanted = roles_from_claims(claims)
    agency_code = str(claims.get(setting("AGENCY_CLAIM", "agency") or "agency") or "").upper()
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


def _details(claims: dict[str, Any]) -> dict[str, str]:
    """What the user record shows of a person (their email and name), kept up to date at
    each sign-in; none of it is used to find them."""
    return {"email": str(claims.get("email") or "")[:254],
            "first_name": str(claims.get("given_name") or "")[:150],
            "last_name": str(claims.get("family_name") or "")[:150]}


def __getattr__(name: str) -> Any:
    if name == "RoleMappingBackend":
        base = _backend_base()

        class RoleMappingBackend(base):  # type: ignore[misc, valid-type]
            """Signs users in from OpenID Connect claims, matched by issuer and subject,
            mapping their roles."""

            def get_or_create_user(self, access_token: str, id_token: str,
                                   payload: dict[str, Any]) -> Any:
                userinfo = self.get_userinfo(access_token, id_token, payload)
                return self.user_for(payload, userinfo)

            def user_for(self, id_claims: dict[str, Any], userinfo: dict[str, Any]) -> Any:
                """The user signing in, from the verified ID token's claims and the user
                information endpoint's answer: found by issuer and subject, or created."""
                from django.core.exceptions import SuspiciousOperation

                issuer, subject = identity_from_token(id_claims, self.OIDC_RP_CLIENT_ID)
                if str(userinfo.get("sub") or subject) != subject:
                    raise SuspiciousOperation("the user information is about someone else")
                # the signed token's claims win over the user information endpoint's
                claims = {**userinfo, **id_claims}
                users = self.filter_users_by_claims(claims)
                if users:
                    return self.update_user(users[0], claims)
                if not self.get_settings("OIDC_CREATE_USER", True):
                    return None
                return self.create_user(claims)

            def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
                if not claims.get("iss") or not claims.get("sub"):
                    return self.UserModel.objects.none()
                return self.UserModel.objects.filter(
                    username=username_for(str(claims["iss"]), str(claims["sub"])))

            def verify_claims(self, claims: dict[str, Any]) -> bool:
                return bool(claims.get("sub"))

            def create_user(self, claims: dict[str, Any]) -> Any:
                from django.core.exceptions import SuspiciousOperation

                if not claims.get("iss") or not claims.get("sub"):
                    raise SuspiciousOperation("no issuer or subject to know the user by")
                user = self.UserModel.objects.create_user(
                    username_for(str(claims["iss"]), str(claims["sub"])),
                    **_details(claims))  # no password: they sign in only through the provider
                return apply_claims(user, claims)

            def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
                details = _details(claims)
                if any(getattr(user, field) != value for field, value in details.items()):
                    for field, value in details.items():
                        setattr(user, field, value)
                    user.save(update_fields=list(details))
                return apply_claims(user, claims)

        globals()["RoleMappingBackend"] = RoleMappingBackend
        return RoleMappingBackend
    raise AttributeError(name)
