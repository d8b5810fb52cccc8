"""Users as members of an agency and its teams, with their roles.

Every change to who holds which role, or who belongs where, is a ``permission_change`` in the
audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from joinedup.access import audit
from joinedup.access.models import AuditAction, Membership, RoleGrant, Team
from joinedup.access.roles import Role, parse_role
from joinedup.agencies.models import Agency
from joinedup.errors import ActionError, AgencyError, NextStep, NotFoundError


@dataclass
class UserSummary:
    username: str
    agency: str | None
    roles: list[str]
    teams: list[str]
    active: bool
    can_sign_in_with_password: bool


def get_user(username: str) -> Any:
    """A user by name; NotFoundError naming the command that lists them."""
    User = get_user_model()
    try:
        return User.objects.get(username=username.strip())
    except User.DoesNotExist:
        raise NotFoundError(f"There is no user {username!r}.",
                            next_step=NextStep.LIST_USERS) from None


def find_team(name: str, agency_code: str | None = None) -> Team:
    """A team by name (and agency, when two agencies have a team of that name)."""
    query = Team.objects.select_related("agency").filter(name=name.strip())
    if agency_code:
        query = query.filter(agency__code=agency_code.strip().upper())
    teams = list(query)
    if not teams:
        raise NotFoundError(f"There is no team {name!r}"
                            + (f" at {agency_code.upper()}" if agency_code else "")
                            + ": adding a user to a team creates it.",
                            next_step=NextStep.ADD_TEAM)
    if len(teams) > 1:
        raise ActionError(f"Several agencies have a team {name!r} "
                          f"({', '.join(t.agency.code for t in teams)}): give the agency too.")
    return teams[0]


def add_user(username: str, agency_code: str, roles: Iterable[str], *,
             teams: Iterable[str] = (), password: str | None = None,
             by: str = "system") -> tuple[Any, list[str]]:
    """Create a user at an agency with their roles and teams. Returns the user and the names
    of teams created on the way. Without a password the user cannot sign in with one (for
    single sign-on, or until a password is set)."""

    name = username.strip()
    if not name:
        raise ActionError("A user needs a user name.")
    role_list = sorted({parse_role(r).value for r in roles})
    if not role_list:
        raise ActionError(f"Give {name} at least one role.",
                          next_step=NextStep.GIVE_DETAIL(detail="role"))
    try:
        agency = Agency.objects.get(code=agency_code.strip().upper())
    except Agency.DoesNotExist:
        raise AgencyError(f"There is no agency {agency_code!r}.",
                          next_step=NextStep.LIST_AGENCIES) from None
    User = get_user_model()
    if User.objects.filter(username=name).exists():
        raise ActionError(f"There is already a user {name!r}.")
    if password is not None and not password.strip():
        raise ActionError("The password is empty.")
    created: list[str] = []
    with transaction.atomic():
        user = User.objects.create_user(username=name, password=password)
        membership = Membership.objects.create(user=user, agency=agency)
        for team_name in teams:
            team, new = Team.objects.get_or_create(agency=agency, name=team_name.strip())
            membership.teams.add(team)
            if new:
                created.append(team.name)
        RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r, granted_by=by)
                                       for r in role_list])
        audit.record(by, AuditAction.PERMISSION_CHANGE, object_type="user", object_id=name,
                     reason="user added",
                     details={"agency": agency.code, "roles": role_list,
                              "teams": sorted(t.strip() for t in teams),
                              "password": password is not None})
    return user, created


def grant_role(user: Any, role: Role | str, by: str) -> bool:
    """Give a user one more role; False if they held it already."""
    value = parse_role(role).value if isinstance(role, str) else role.value
    _, created = RoleGrant.objects.get_or_create(user=user, role=value,
                                                 defaults={"granted_by": by})
    if created:
        audit.record(by, AuditAction.PERMISSION_CHANGE, object_type="user",
                     object_id=user.username, reason="role granted", details={"role": value})
    return created


def summaries() -> list[UserSummary]:
    """Every user with their agency, roles and teams, by name."""
    User = get_user_model()
    users = User.objects.order_by("username").prefetch_related("role_grants")
    members = {m.user_id: m for m in Membership.objects.select_related("agency")
               .prefetch_related("teams")}
    result = []
    for user in users:
        member = members.get(user.pk)
        result.append(UserSummary(
            username=user.username,
            agency=member.agency.code if member else None,
            roles=sorted(g.role for g in user.role_grants.all()),
            teams=sorted(t.name for t in member.teams.all()) if member else [],
            active=user.is_active,
            can_sign_in_with_password=user.has_usable_password()))
    return result
