"""Whether OpenID Connect sign-in is switched on, and the settings it needs (web/oidc.py
describes the environment variables). Read by the web's settings, before Django's apps are
loaded, so it imports nothing of the domain.
"""

from __future__ import annotations

import os
from typing import Any

from joinedup.errors import ConfigurationError


def configured() -> bool:
    return bool(os.environ.get("JOINEDUP_OIDC_CLIENT_ID", "").strip())


def setting(name: str, default: str = "") -> str:
    return os.environ.get(f"JOINEDUP_OIDC_{name}", default).strip()


def django_settings() -> dict[str, Any]:
    """The mozilla-django-oidc settings for this environment."""
    issuer = setting("ISSUER").rstrip("/")
    endpoints = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": setting("AUTHORIZATION_ENDPOINT"),
        "OIDC_OP_TOKEN_ENDPOINT": setting("TOKEN_ENDPOINT"),
        "OIDC_OP_USER_ENDPOINT": setting("USERINFO_ENDPOINT"),
        "OIDC_OP_JWKS_ENDPOINT": setting("JWKS_ENDPOINT"),
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
        "OIDC_RP_CLIENT_ID": setting("CLIENT_ID"),
        "OIDC_RP_CLIENT_SECRET": setting("CLIENT_SECRET"),
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": "openid email profile",
        "OIDC_USE_PKCE": True,
        "LOGIN_REDIRECT_URL_FAILURE": "/sign-in/",
        **endpoints,
    }
