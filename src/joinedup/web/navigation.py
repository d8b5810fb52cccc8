"""The service navigation: the sections a signed-in user's roles lead them to.

Each section is listed once here with the roles that see it (``None``: everyone signed in).
Hiding a link is a courtesy; every view checks again (``web/permissions.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from joinedup.access import Role, roles_of


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    prefix: str
    roles: frozenset[str] | None = None


R = Role
SECTIONS = [
    Section("My work", "my-work", "/work/"),
    Section("Children", "children", "/children/"),
    Section("Alerts", "alerts", "/alerts/"),
    Section("Requests and meetings", "requests", "/requests/"),
    Section("Reviews", "reviews", "/reviews/", frozenset({
        R.BUSINESS_UNIT, R.REVIEW_PANEL_MEMBER, R.SAFEGUARDING_LEAD})),
    Section("Briefings", "briefings", "/briefings/"),
    Section("Overview", "overview", "/overview/", frozenset({
        R.SAFEGUARDING_LEAD, R.BUSINESS_UNIT})),
    Section("Data", "steward", "/data/", frozenset({R.DATA_STEWARD})),
    Section("Late recording", "late-recording", "/recording/", frozenset({
        R.TEAM_MANAGER, R.DATA_STEWARD})),
    Section("Audit", "audit", "/audit/", frozenset({
        R.AUDITOR, R.SAFEGUARDING_LEAD, R.SYSTEM_ADMINISTRATOR})),
]


LANDINGS = [
    (frozenset({R.PRACTITIONER, R.TEAM_MANAGER, R.SAFEGUARDING_LEAD}), "my-work"),
    (frozenset({R.BUSINESS_UNIT, R.REVIEW_PANEL_MEMBER}), "reviews"),
    (frozenset({R.DATA_STEWARD}), "steward"),
    (frozenset({R.AUDITOR, R.SYSTEM_ADMINISTRATOR}), "audit"),
]
"""Where each role lands after signing in, first match first: whoever works with children
lands on My work; the business unit and panel members on the reviews they run or sit on;
data stewards on their returns and linkage; auditors and administrators on the audit
trail. Anyone else lands on My work."""


def landing_for(user: Any) -> str:
    """The name of the page this user lands on (:data:`LANDINGS`)."""
    roles = roles_of(user)
    return next((name for wanted, name in LANDINGS if roles & wanted), "my-work")


def items_for(request: Any) -> list[dict[str, Any]]:
    """GOV.UK service navigation items for this request's user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    if not hasattr(request, "_joinedup_roles"):
        request._joinedup_roles = roles_of(user)
    roles = request._joinedup_roles
    items = []
    for section in SECTIONS:
        if section.roles is not None and not (roles & section.roles):
            continue
        items.append({"text": section.label, "href": reverse(section.url_name),
                      "active": request.path.startswith(section.prefix)})
    return items
