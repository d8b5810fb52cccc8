"""`joinedup users`, `joinedup access` and `joinedup audit`: messages and exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def cli(baby_s: dict[str, Any], db: None, cli: Callable[..., Any]) -> Callable[..., Any]:
    """`joinedup ...` (tests/conftest.py) against the test database holding Baby S."""
    return cli


def test_users_are_added_with_roles_teams_and_an_argon2_password(
        cli: Callable[..., Any]) -> None:
    added = cli("users", "add", "hv.practitioner", "--agency", "hv", "--role", "practitioner",
                "--role", "team manager", "--team", "Stockport South", "--password-stdin",
                stdin="correct horse battery staple\n")
    assert added.exit_code == 0, added.output
    assert 'Created the team "Stockport South" at HV.' in added.stdout
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="hv.practitioner")
    assert user.password.startswith("argon2")
    assert user.check_password("correct horse battery staple")
    listed = json.loads(cli("users", "list", "--format", "json").stdout)
    assert listed == [{"username": "hv.practitioner", "agency": "HV",
                       "roles": ["practitioner", "team_manager"], "teams": ["Stockport South"],
                       "active": True, "password": True}]
    again = cli("users", "add", "hv.practitioner", "--agency", "HV", "--role", "practitioner")
    assert again.exit_code == 1 and "already a user" in again.output
    wrong = cli("users", "add", "x", "--agency", "HV", "--role", "boss")
    assert wrong.exit_code == 1 and "'boss' is not a role" in wrong.output
    nowhere = cli("users", "add", "x", "--agency", "NOPE", "--role", "practitioner")
    assert nowhere.exit_code == 1 and "There is no agency 'NOPE'" in nowhere.output
    assert cli("users", "add", "x", "--agency", "HV").exit_code == 2  # --role is required


def test_check_allocate_break_glass_seal_and_the_audit(cli: Callable[..., Any]) -> None:
    from joinedup.agencies.registry import register_agency

    register_agency("SCHOOL", "Heaton Primary School", "EDUCATION", "E08000007")
    assert cli("users", "add", "teacher", "--agency", "SCHOOL", "--role",
               "practitioner").exit_code == 0
    child = "HV:HV-5510871"
    none = cli("access", "check", "teacher", child)
    assert none.exit_code == 0 and "has no legitimate relationship" in none.stdout
    assert cli("access", "allocate", child).exit_code == 2  # neither --user nor --team
    allocated = cli("access", "allocate", child, "--user", "teacher", "--from", "2025-05-01",
                    "--to", "31/05/2025")
    assert allocated.exit_code == 0, allocated.output
    assert "from 01/05/2025 to 31/05/2025" in allocated.stdout
    checked = json.loads(cli("access", "check", "teacher", child, "--on", "2025-05-21",
                             "--format", "json").stdout)
    assert checked["allowed"] and [r["kind"] for r in checked["reasons"]] == \
        ["allocated_worker"]

    refused = cli("access", "break-glass", "teacher", child, "--reason", " ")
    assert refused.exit_code == 1 and "without a reason is refused" in refused.output
    opened = cli("access", "break-glass", "teacher", child, "--reason",
                 "Disclosure at school.", "--minutes", "15")
    assert opened.exit_code == 0 and "a safeguarding lead will review it" in opened.stdout
    pending = json.loads(cli("access", "break-glass-reviews", "--format", "json").stdout)
    assert [p["reason"] for p in pending] == ["Disclosure at school."]
    assert cli("users", "add", "lead", "--agency", "SCHOOL", "--role",
               "safeguarding_lead").exit_code == 0
    reviewed = cli("access", "review-break-glass", str(pending[0]["id"]), "--reviewer", "lead",
                   "--outcome", "justified")
    assert reviewed.exit_code == 0 and "recorded as justified by lead" in reviewed.stdout

    sealed = cli("access", "seal", child, "--reason", "Placed for adoption.")
    assert sealed.exit_code == 0 and "Sealed the record" in sealed.stdout
    assert cli("access", "seal", child, "--reason", "again").exit_code == 1

    entries = json.loads(cli("audit", "list", "--child", child, "--format", "json").stdout)
    assert [e["action"] for e in entries] == ["permission_change", "break_glass_review",
                                              "break_glass", "permission_change"]
    by_teacher = json.loads(cli("audit", "list", "--actor", "teacher", "--format",
                                "json").stdout)
    assert [e["action"] for e in by_teacher] == ["break_glass"]
    assert cli("audit", "list").exit_code == 0

    intact = cli("audit", "verify")
    total = len(json.loads(cli("audit", "list", "--format", "json").stdout))
    assert intact.exit_code == 0
    assert f"The audit trail is intact: {total} entries." in intact.stdout
    with connection.cursor() as cursor:
        cursor.execute("UPDATE access_auditentry SET reason = 'nothing' WHERE id = 2")
    broken = cli("audit", "verify")
    assert broken.exit_code == 1
    assert "The audit trail is broken at entry 2: entry 2 (permission_change by" \
        in broken.output
