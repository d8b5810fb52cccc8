"""Optional OpenID Connect sign-in: settings from the environment, roles from claims."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.access.models import AuditEntry, RoleGrant
from joinedup.errors import ConfigurationError
from joinedup.web import oidc

pytestmark = pytest.mark.django_db

ENTRA = "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0"


@pytest.fixture
def entra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOINEDUP_OIDC_CLIENT_ID", "joinedup-app")
    monkeypatch.setenv("JOINEDUP_OIDC_CLIENT_SECRET", "not-a-real-secret")
    monkeypatch.setenv("JOINEDUP_OIDC_ISSUER", ENTRA)
    monkeypatch.setenv("JOINEDUP_OIDC_ROLE_MAP",
                       "JoinedUp.Practitioner=practitioner,JoinedUp.Lead=safeguarding lead")


def test_off_unless_a_client_id_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOINEDUP_OIDC_CLIENT_ID", raising=False)
    assert not oidc.configured()


def test_entra_id_endpoints_come_from_the_issuer(entra: None) -> None:
    config = oidc.django_settings()
    base = ENTRA.removesuffix("/v2.0")
    assert config["OIDC_OP_AUTHORIZATION_ENDPOINT"] == f"{base}/oauth2/v2.0/authorize"
    assert config["OIDC_OP_TOKEN_ENDPOINT"] == f"{base}/oauth2/v2.0/token"
    assert config["OIDC_OP_JWKS_ENDPOINT"] == f"{base}/discovery/v2.0/keys"
    assert config["OIDC_USE_PKCE"] is True


def test_another_provider_without_endpoints_is_a_clear_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOINEDUP_OIDC_CLIENT_ID", "joinedup-app")
    monkeypatch.setenv("JOINEDUP_OIDC_ISSUER", "https://sso.example.org")
    with pytest.raises(ConfigurationError, match="JOINEDUP_OIDC_TOKEN_ENDPOINT"):
        oidc.django_settings()


def test_claims_map_to_roles_and_unknown_values_are_ignored(entra: None) -> None:
    claims = {"roles": ["JoinedUp.Practitioner", "JoinedUp.Lead", "auditor", "Finance.User"]}
    assert oidc.roles_from_claims(claims) == {"practitioner", "safeguarding_lead", "auditor"}


def test_a_bad_role_map_names_the_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOINEDUP_OIDC_ROLE_MAP", "JoinedUp.Practitioner")
    with pytest.raises(ConfigurationError, match="JoinedUp.Practitioner"):
        oidc.role_map()


def test_each_sign_in_brings_agency_and_roles_in_line_with_the_claims(entra: None) -> None:
    from django.contrib.auth import get_user_model

    from joinedup.ingest.agencies import register_agency

    register_agency("HV", "Health Visiting", "HEALTH_VISITING", "E08000007")
    user = get_user_model().objects.create_user(username="a.nurse@example.org")
    oidc.apply_claims(user, {"roles": ["JoinedUp.Practitioner", "JoinedUp.Lead"],
                             "agency": "hv"})
    assert user.membership.agency.code == "HV"
    assert set(RoleGrant.objects.filter(user=user).values_list("role", flat=True)) == {
        "practitioner", "safeguarding_lead"}
    oidc.apply_claims(user, {"roles": ["JoinedUp.Practitioner"], "agency": "HV"})
    assert set(RoleGrant.objects.filter(user=user).values_list("role", flat=True)) == {
        "practitioner"}
    changes = AuditEntry.objects.filter(action="permission_change",
                                        object_id="a.nurse@example.org")
    assert [c.details["removed"] for c in changes] == [[], ["safeguarding_lead"]]


def test_the_backend_maps_roles_when_it_creates_a_user(entra: None, settings: Any) -> None:
    settings.OIDC_RP_CLIENT_ID = "joinedup-app"
    settings.OIDC_RP_CLIENT_SECRET = "not-a-real-secret"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://sso.example.org/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://sso.example.org/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://sso.example.org/keys"
    backend = oidc.RoleMappingBackend()
    user = backend.create_user({"email": "lead@example.org", "roles": ["JoinedUp.Lead"]})
    assert set(RoleGrant.objects.filter(user=user).values_list("role", flat=True)) == {
        "safeguarding_lead"}
