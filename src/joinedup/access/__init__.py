"""Who may see a child's record, and the record of everyone who looked (docs/access.md).

- ``roles``: the closed set of roles and who holds them;
- ``users``: members of agencies and teams;
- ``allocation``: workers and teams allocated to a child;
- ``review_panel``: how long a review's panel may open the child's record (open, and a
  grace period after it closes);
- ``sealing``: sealed records;
- ``policy``: legitimate relationships, deny by default, and the query filter for lists;
- ``sharing``: which adult-services events a child's chronology shows, and on what lawful basis;
- ``breakglass``: time-limited access with a stated reason, reviewed by a safeguarding lead;
- ``audit``: the append-only, hash-chained audit trail;
- ``current_picture``: the child's status and the practitioners involved, as a case page
  opens on them.

Its public face: what the interfaces (cli, web, api) may use, loaded on first use
(``joinedup.public_face``).
"""

from typing import TYPE_CHECKING

from joinedup import public_face

__all__ = [
    "AccessDenied",
    "Allocation",
    "AuditAction",
    "AuditEntry",
    "BreakGlass",
    "BreakGlassOutcome",
    "CareStatus",
    "Membership",
    "Practitioner",
    "Reason",
    "ReviewPanelMember",
    "Role",
    "RoleGrant",
    "Team",
    "add_panel_member",
    "add_user",
    "allocate",
    "approve",
    "audit",
    "break_glass",
    "breakglass",
    "care_statuses",
    "filter_children",
    "find_team",
    "get_user",
    "hidden_from",
    "invitable_agencies",
    "is_sealed",
    "legitimate_reasons",
    "may_be_protected",
    "parse_role",
    "pending_reviews",
    "plan_meeting",
    "policy",
    "practitioners",
    "reader_for",
    "readers_for",
    "review_break_glass",
    "roles_of",
    "seal",
    "stewardship",
    "summaries",
    "unseen_by",
    "visible_children",
]

if TYPE_CHECKING:
    from joinedup.access import audit, breakglass, policy, stewardship
    from joinedup.access.allocation import add_panel_member, allocate
    from joinedup.access.breakglass import break_glass, pending_reviews, review_break_glass
    from joinedup.access.current_picture import (
        CareStatus,
        Practitioner,
        care_statuses,
        practitioners,
    )
    from joinedup.access.meeting_plans import invitable_agencies, plan_meeting
    from joinedup.access.models import (
        Allocation,
        AuditAction,
        AuditEntry,
        BreakGlass,
        BreakGlassOutcome,
        Membership,
        ReviewPanelMember,
        RoleGrant,
        Team,
    )
    from joinedup.access.policy import (
        AccessDenied,
        Reason,
        filter_children,
        legitimate_reasons,
        visible_children,
    )
    from joinedup.access.protection import may_be_protected
    from joinedup.access.readers import reader_for, readers_for
    from joinedup.access.roles import Role, parse_role, roles_of
    from joinedup.access.sealed_approval import approve, hidden_from, unseen_by
    from joinedup.access.sealing import is_sealed, seal
    from joinedup.access.users import add_user, find_team, get_user, summaries

__getattr__ = public_face.lazy(__name__, __file__)
