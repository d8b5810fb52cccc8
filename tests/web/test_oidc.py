"""Optional OpenID Connect sign-in: settings from the environment, people known by issuer and
subject (never by email), roles from claims."""

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

    from joinedup.agencies.registry import register_agency

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


@pytest.fixture
def backend(entra: None, settings: Any) -> Any:
    settings.OIDC_RP_CLIENT_ID = "joinedup-app"
    settings.OIDC_RP_CLIENT_SECRET = "not-a-real-secret"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://sso.example.org/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://sso.example.org/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://sso.example.org/keys"
    return oidc.RoleMappingBackend()


def sign_in(backend: Any, sub: str, email: str, issuer: str = ENTRA,
            **claims: Any) -> Any:
    """What the backend does with a verified ID token and the user information endpoint's
    answer (the provider's HTTP exchange itself is mozilla-django-oidc's)."""
    token = {"iss": issuer, "aud": "joinedup-app", "sub": sub, "email": email, **claims}
    return backend.user_for(token, {"sub": sub, "email": email})


def roles_of(user: Any) -> set[str]:
    return set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))


def test_the_backend_maps_roles_when_it_creates_a_user(backend: Any) -> None:
    user = sign_in(backend, "a1b2", "lead@example.org", roles=["JoinedUp.Lead"])
    assert roles_of(user) == {"safeguarding_lead"}


def test_two_people_sharing_an_email_address_are_two_users(backend: Any) -> None:
    first = sign_in(backend, "subject-one", "duty.team@example.org",
                    roles=["JoinedUp.Lead"])
    second = sign_in(backend, "subject-two", "duty.team@example.org",
                     roles=["JoinedUp.Practitioner"])
    assert first.pk != second.pk
    assert roles_of(first) == {"safeguarding_lead"}
    assert roles_of(second) == {"practitioner"}
    again = sign_in(backend, "subject-one", "duty.team@example.org", roles=["JoinedUp.Lead"])
    assert again.pk == first.pk


def test_a_changed_email_address_keeps_its_account_and_a_reused_one_gets_none(
        backend: Any) -> None:
    from django.contrib.auth import get_user_model

    kim = sign_in(backend, "kim-at-the-council", "k.smith@example.org",
                  roles=["JoinedUp.Lead"], given_name="Kim", family_name="Smith")
    renamed = sign_in(backend, "kim-at-the-council", "k.jones@example.org",
                      roles=["JoinedUp.Lead"], given_name="Kim", family_name="Jones")
    assert renamed.pk == kim.pk
    assert (renamed.email, renamed.last_name) == ("k.jones@example.org", "Jones")
    # the old address, given to someone new, does not lead to Kim's account or roles
    newcomer = sign_in(backend, "a-new-starter", "k.smith@example.org")
    assert newcomer.pk != kim.pk
    assert roles_of(newcomer) == set()
    assert get_user_model().objects.filter(email="k.smith@example.org").count() == 1


def test_a_local_account_with_the_same_email_is_never_taken_over(backend: Any) -> None:
    from joinedup.access.users import add_user
    from joinedup.agencies.registry import register_agency

    register_agency("HV", "Health Visiting", "HEALTH_VISITING", "E08000007")
    nurse = add_user("nurse", "HV", ["practitioner"], password="a long enough password")[0]
    nurse.email = "nurse@example.org"
    nurse.save()
    user = sign_in(backend, "someone", "nurse@example.org")
    assert user.pk != nurse.pk


def test_the_same_subject_from_another_issuer_is_another_person(
        backend: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOINEDUP_OIDC_ISSUER")  # a provider configured by its endpoints
    here = sign_in(backend, "12345", "a@example.org", issuer="https://sso.example.org")
    there = sign_in(backend, "12345", "a@example.org", issuer="https://sso.example.net")
    assert here.pk != there.pk


def test_tokens_from_another_issuer_or_for_another_application_are_refused(
        backend: Any) -> None:
    from django.core.exceptions import SuspiciousOperation

    with pytest.raises(SuspiciousOperation, match="issued by"):
        sign_in(backend, "12345", "a@example.org", issuer="https://sso.example.net")
    with pytest.raises(SuspiciousOperation, match="another application"):
        backend.user_for({"iss": ENTRA, "aud": "another-app", "sub": "12345"}, {})
    with pytest.raises(SuspiciousOperation, match="someone else"):
        backend.user_for({"iss": ENTRA, "aud": "joinedup-app", "sub": "12345"},
                         {"sub": "67890"})
    assert not RoleGrant.objects.exists()
