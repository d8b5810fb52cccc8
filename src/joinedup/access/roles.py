"""The roles a user can hold: a closed set, each with plain words (docs/access.md).

A role says what a person does, not which children they may see: no role opens a child's
record by itself. That comes from a legitimate relationship (``policy.py``).
"""

from __future__ import annotations

from typing import Any

from django.db import models

from joinedup.errors import ActionError


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    REVIEW_PANEL_MEMBER = "review_panel_member", "Review panel member"
    BUSINESS_UNIT = "business_unit", "Partnership business unit"
    DATA_STEWARD = "data_steward", "Data steward"
    AUDITOR = "auditor", "Auditor"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"


WHAT_EACH_ROLE_DOES: dict[str, str] = {
    Role.PRACTITIONER: "works with children and families: sees the children they have a "
                       "legitimate relationship with",
    Role.TEAM_MANAGER: "manages a team: sees the children allocated to the team",
    Role.SAFEGUARDING_LEAD: "the agency's designated lead: reviews break-glass access, and "
                            "may break the glass on a sealed record",
    Role.REVIEW_PANEL_MEMBER: "sits on practice review panels: sees the child of each review "
                              "they are on",
    Role.BUSINESS_UNIT: "runs the partnership's reviews, briefings and overview",
    Role.DATA_STEWARD: "receives agency returns and reviews linkage",
    Role.AUDITOR: "reads the audit trail: who looked at which child, and why",
    Role.SYSTEM_ADMINISTRATOR: "manages users, roles and teams",
}


def parse_role(text: str) -> Role:
    """A role from its code (``team_manager``) or words (``team manager``)."""

    code = text.strip().lower().replace(" ", "_").replace("-", "_")
    try:
        return Role(code)
    except ValueError:
        raise ActionError(f"{text!r} is not a role. Use one of: "
                          f"{', '.join(r.value for r in Role)}.") from None


def roles_of(user: Any) -> set[str]:
    """The roles a user holds (none for an inactive or anonymous user)."""
    if user is None or not getattr(user, "is_active", False) or not user.pk:
        return set()
    from joinedup.access.models import RoleGrant

    return set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))


def has_role(user: Any, role: Role) -> bool:
    return role.value in roles_of(user)
