"""The demonstration's users: one person for each role, placed where the Baby S case puts
them, so a newcomer can sign in as each and see how the case looks to them.

All share one password, printed by `joinedup serve --demo`; they exist only in the demo
database. The scenario's events are from 2024 and 2025, so the demo server counts an agency's
involvement for three years (``DEMO_INVOLVEMENT_DAYS``) instead of the usual one: otherwise
the probation officer's and police officer's involvement would have lapsed by now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from joinedup.access.allocation import add_panel_member, allocate
from joinedup.access.models import Allocation, Team
from joinedup.access.users import add_user
from joinedup.agencies.registry import register_agency

DEMO_PASSWORD = "joinedup-demo-only"  # noqa: S105 - published on purpose: set only on the demo database's synthetic users
DEMO_INVOLVEMENT_DAYS = 3 * 365
DEMO_REFERRAL_ROUTE = ("the demonstration area's multi-agency safeguarding hub (MASH) on 0161 "
                       "496 0000, out of hours 0161 496 0999")
"""The referral route the demo shows after a break-glass (Ofcom's drama numbers)."""
PARTNERSHIP_AGENCY = ("SSCP", "Safeguarding Partnership business unit", "OTHER", "E08000007")
OUTSIDER_AGENCY = ("SCHOOL", "Heaton Primary School", "EDUCATION", "E08000007")


@dataclass(frozen=True)
class DemoUser:
    username: str
    agency: str
    roles: tuple[str, ...]
    who: str
    teams: tuple[str, ...] = ()


DEMO_USERS = [
    DemoUser("social.worker", "CSC", ("practitioner",),
             "Baby S's allocated social worker, children's social care",
             ("Stockport family safeguarding",)),
    DemoUser("health.visitor", "HV", ("practitioner",),
             "health visitor; her team is allocated to Baby S",
             ("Stockport South health visiting",)),
    DemoUser("probation.officer", "PROBATION", ("practitioner",),
             "probation officer who managed Baby S's father: sees the case through him"),
    DemoUser("police.officer", "POLICE", ("practitioner",),
             "police public protection officer"),
    DemoUser("team.manager", "CSC", ("team_manager",),
             "team manager, children's social care", ("Stockport family safeguarding",)),
    DemoUser("safeguarding.lead", "CSC", ("safeguarding_lead",),
             "designated safeguarding lead: reviews break-glass access"),
    DemoUser("panel.member", "SSCP", ("review_panel_member",),
             "sits on the panel of the Baby S practice review"),
    DemoUser("business.unit", "SSCP", ("business_unit",),
             "partnership business manager: reviews, briefings, overview"),
    DemoUser("data.steward", "SSCP", ("data_steward",),
             "receives agency returns and reviews linkage"),
    DemoUser("auditor", "SSCP", ("auditor",), "reads who looked at which child and why"),
    DemoUser("administrator", "SSCP", ("system_administrator",), "manages users and roles"),
    DemoUser("school.teacher", "SCHOOL", ("practitioner",),
             "a teacher with no relationship to the family: is refused, may break the glass"),
]


def create_demo_users(child_id: int, review_id: int | None, *, by: str = "demo") -> list[Any]:
    """Create the demo users (again: existing ones are left as they are), allocate the social
    worker and the health visiting team to the child, and put the panel member on the review."""
    from django.contrib.auth import get_user_model

    for code, name, kind, area in (PARTNERSHIP_AGENCY, OUTSIDER_AGENCY):
        register_agency(code, name, kind, area)
    User = get_user_model()
    made = []
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user, _ = add_user(spec.username, spec.agency, spec.roles, teams=spec.teams,
                               password=DEMO_PASSWORD, by=by)
        made.append(user)
    since = dt.date(2024, 8, 9)  # the day Baby S was born
    social_worker = User.objects.get(username="social.worker")
    if not Allocation.objects.filter(child_id=child_id, user=social_worker).exists():
        allocate(child_id, user=social_worker, valid_from=since, by=by)
    hv_team = Team.objects.get(agency__code="HV", name="Stockport South health visiting")
    if not Allocation.objects.filter(child_id=child_id, team=hv_team).exists():
        allocate(child_id, team=hv_team, valid_from=since, by=by)
    if review_id is not None:
        add_panel_member(review_id, User.objects.get(username="panel.member"), by=by)
    return made
