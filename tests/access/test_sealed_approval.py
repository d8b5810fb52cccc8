"""A safeguarding lead's approval for a data steward to see a sealed person's details:
`joinedup access approve-sealed`, who may give it, how long it lasts, and the audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from joinedup.access.models import AuditEntry, SealedRecordApproval

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def cli(staff: SimpleNamespace, cli: Callable[..., Any]) -> Callable[..., Any]:
    """`joinedup ...` (tests/conftest.py) with the staff in place."""
    return cli


@pytest.fixture
def sealed(staff: SimpleNamespace) -> SimpleNamespace:
    """Baby S's record sealed, and a data steward."""
    from joinedup.access.sealing import seal
    from joinedup.access.users import add_user

    seal(staff.child, "Placed for adoption", "test")
    steward = add_user("data.steward", "SSCP", ["data_steward"])[0]
    return SimpleNamespace(**vars(staff), steward=steward)


def test_a_safeguarding_lead_approves_a_steward_for_some_hours_and_it_is_audited(
        cli: Callable[..., Any], sealed: SimpleNamespace) -> None:
    from joinedup.access.sealed_approval import approvals_for

    before = timezone.now()
    done = cli("access", "approve-sealed", str(sealed.child), "--steward", "data.steward",
               "--by", "csc.lead", "--reason", "Duplicate records before the adoption order",
               "--hours", "2")
    assert done.exit_code == 0, done.output
    assert f"data.steward may see the sealed record of person {sealed.child}" in done.stdout
    approval = SealedRecordApproval.objects.get()
    assert approval.steward == sealed.steward and approval.approved_by == sealed.lead
    assert dt.timedelta(hours=2) <= approval.expires_at - before < dt.timedelta(hours=2,
                                                                                 minutes=1)
    assert approvals_for(sealed.steward, [sealed.child]) == {sealed.child: approval.pk}
    assert approvals_for(sealed.steward, [sealed.mother]) == {}
    entry = AuditEntry.objects.filter(object_type="sealed_record_approval").get()
    assert (entry.action, entry.actor, entry.child_id) == ("permission_change", "csc.lead",
                                                           sealed.child)
    assert entry.reason == "Duplicate records before the adoption order"
    assert entry.details["steward"] == "data.steward"


def test_an_approval_ends_and_belongs_to_one_steward(sealed: SimpleNamespace) -> None:
    from joinedup.access.sealed_approval import approvals_for, approve, hidden_from, unseen_by
    from joinedup.access.users import add_user

    other = add_user("other.steward", "SSCP", ["data_steward"])[0]
    assert unseen_by(sealed.steward) == unseen_by(other) == {sealed.child}
    approval = approve(sealed.child, sealed.steward, sealed.lead, "Merging duplicates", 1)
    assert hidden_from(other, [sealed.child, sealed.mother]) == ({sealed.child}, {})
    assert unseen_by(sealed.steward) == set() and unseen_by(other) == {sealed.child}
    assert hidden_from(sealed.steward, [sealed.child]) == (set(), {sealed.child: approval.pk})
    SealedRecordApproval.objects.filter(pk=approval.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert approvals_for(sealed.steward, [sealed.child]) == {}
    assert hidden_from(sealed.steward, [sealed.child]) == ({sealed.child}, {})


@pytest.mark.parametrize(("args", "message"), [
    (["--by", "hv.practitioner"], "hv.practitioner is not a safeguarding lead"),
    (["--by", "csc.lead", "--steward", "hv.practitioner"], "hv.practitioner is not a data "
                                                           "steward"),
    (["--by", "csc.lead", "--reason", "  "], "Say why the data steward needs to see"),
    (["--by", "csc.lead", "--hours", "100"], "between 1 and 72 hours"),
    (["--by", "csc.lead", "--person", "mother"], "is not sealed"),
    (["--by", "nobody"], "There is no user 'nobody'"),
])
def test_only_a_safeguarding_lead_approves_and_only_for_a_sealed_person(
        cli: Callable[..., Any], sealed: SimpleNamespace, args: list[str],
        message: str) -> None:
    given = {"--steward": "data.steward", "--reason": "Merging duplicates",
             "--person": "child"}
    pairs = dict(zip(args[::2], args[1::2], strict=True))
    given.update(pairs)
    person = getattr(sealed, given.pop("--person"))
    options = [part for item in given.items() for part in item]
    refused = cli("access", "approve-sealed", str(person), *options)
    assert refused.exit_code == 1, refused.output
    assert message in refused.output
    assert not SealedRecordApproval.objects.exists()
    assert not AuditEntry.objects.filter(object_type="sealed_record_approval").exists()
