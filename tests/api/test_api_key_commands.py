"""`joinedup api-key create|list|revoke`: the key shown once, listed without it, revoked."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import API, bearer, error_of

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def cli(agencies: dict[str, Any], cli: Callable[..., Any]) -> Callable[..., Any]:
    """`joinedup api-key ...` (tests/conftest.py) with the agencies registered."""
    return lambda *args: cli("api-key", *args)


def test_a_key_is_printed_once_listed_without_it_and_revoked(cli: Callable[..., Any],
                                                              api: Client) -> None:
    from joinedup.access.models import AuditEntry

    made = cli("create", "--agency", "hv", "--scope", "submit", "--name", "Mosaic nightly",
               "--expires-days", "30")
    assert made.exit_code == 0, made.output
    key = made.stdout.strip().splitlines()[-1]
    assert key.startswith("jup_")
    assert "shown this once" in made.stdout and "for HV, scope submit" in made.stdout
    assert api.get(f"{API}/submissions", **bearer(key)).status_code == 200

    listed = json.loads(cli("list", "--format", "json").stdout)
    assert len(listed) == 1
    row = listed[0]
    assert (row["agency"], row["scope"], row["state"], row["name"]) == \
        ("HV", "submit", "active", "Mosaic nightly")
    assert row["last_used_at"] is not None
    assert key not in json.dumps(listed) and key[17:] not in json.dumps(listed)
    table = cli("list").stdout
    assert "Mosaic nightly" in table and key[17:] not in table

    revoked = cli("revoke", str(row["id"]))
    assert revoked.exit_code == 0 and "Revoked API key" in revoked.stdout
    assert json.loads(cli("list", "--format", "json").stdout)[0]["state"] == "revoked"
    refused = api.get(f"{API}/submissions", **bearer(key))
    assert error_of(refused)["code"] == "revoked_credentials"
    again = cli("revoke", str(row["id"]))
    assert again.exit_code == 1 and "already revoked" in again.output
    changes = AuditEntry.objects.filter(action="permission_change",
                                        object_type="api_credential")
    assert changes.count() == 2


@pytest.mark.parametrize(("args", "words"), [
    (("--agency", "NOPE", "--scope", "submit", "--name", "x"), "no agency with code"),
    (("--agency", "HV", "--scope", "admin", "--name", "x"), "'admin' is not a scope"),
    (("--agency", "HV", "--scope", "read", "--name", "  "), "Give the key a name"),
    (("--agency", "HV", "--scope", "read", "--name", "x", "--expires-days", "5000"),
     "from 1 to 1095 days"),
])
def test_wrong_requests_for_a_key_are_explained(cli: Callable[..., Any], args: tuple[str, ...],
                                                words: str) -> None:
    from joinedup.api.models import ApiCredential

    result = cli("create", *args)
    assert result.exit_code != 0
    assert words in result.output
    assert ApiCredential.objects.count() == 0


def test_the_commands_are_in_the_cli_reference() -> None:
    from tests.helpers import REPO

    reference = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in ("create", "list", "revoke"):
        assert f"## `joinedup api-key {command}" in reference
