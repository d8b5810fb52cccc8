"""Who may read and change practice reviews and 7-minute briefings on the web.

A review is about a child, but its workflow (clocks, decision, findings, actions, themes) is
written with the pseudonym ("Baby S"), never the family's names. So:

- the **business unit** (which runs reviews) and **safeguarding leads** read every review's
  workflow pages; the business unit records every change;
- a **review panel member** reads the reviews whose panel they sit on, and adds findings and
  actions and marks actions done there (the panel writes the learning); the timetable, the
  decision and closing the review are the business unit's to record. When a review closes
  its panel keeps it for the grace period (``reviews/panel_access.py``), then it leaves their
  list and its pages answer as for anyone else without access;
- the **review chronology** is the child's record as known on the day of awareness, and
  the agencies' summaries attached to it are their account of the family: it needs both
  the right to read the review and ``open_child`` (a legitimate relationship: the panel,
  allocation, involvement or break-glass), audited as a chronology view. The business unit
  has no relationship by its role: an officer who needs the chronology joins the panel.

Published briefings are de-identified (the guard refuses names, dates of birth, NHS numbers,
postcodes and addresses) and are for every signed-in user; drafts only for the business unit.
docs/web/reviews-and-briefings.md explains the choice.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from joinedup.access import ReviewPanelMember, Role
from joinedup.briefings import Briefing, BriefingStatus
from joinedup.reviews import Review, panel_still_open
from joinedup.web.permissions import user_roles

READ_EVERY_REVIEW = frozenset({Role.BUSINESS_UNIT.value, Role.SAFEGUARDING_LEAD.value})
REVIEW_ROLES = (Role.BUSINESS_UNIT, Role.SAFEGUARDING_LEAD, Role.REVIEW_PANEL_MEMBER)


def user_pk(request: HttpRequest) -> int:
    """The signed-in user's id (every page here is behind sign-in)."""
    return int(request.user.pk or 0)


def is_business_unit(request: HttpRequest) -> bool:
    return Role.BUSINESS_UNIT.value in user_roles(request)


def reviews_for(request: HttpRequest, reviews: QuerySet[Review]) -> QuerySet[Review]:
    """The reviews the user may read, narrowed inside the query: every one for the business
    unit and safeguarding leads, the ones whose panel they sit on for anyone else (a closed
    review only until its grace period ends)."""
    if user_roles(request) & READ_EVERY_REVIEW:
        return reviews
    return reviews.filter(panel_still_open(timezone.localdate(), ""),
                          panel__user_id=user_pk(request))


def sits_on_panel(request: HttpRequest, review: Review) -> bool:
    """The user is on the review's panel and the panel still has it (open, or closed no
    longer ago than the grace period)."""
    return ReviewPanelMember.objects.filter(panel_still_open(timezone.localdate()),
                                            review=review, user_id=user_pk(request)).exists()


def can_read_review(request: HttpRequest, review: Review) -> bool:
    return bool(user_roles(request) & READ_EVERY_REVIEW) or sits_on_panel(request, review)


def can_record_steps(request: HttpRequest) -> bool:
    """The timetable, agency summaries and the decision: the business unit."""
    return is_business_unit(request)


def can_write_learning(request: HttpRequest, review: Review) -> bool:
    """Findings and actions: the business unit and the review's panel."""
    return is_business_unit(request) or sits_on_panel(request, review)


def review_rights(request: HttpRequest, review: Review) -> dict[str, Any]:
    """What the page offers this user (each view checks again before changing anything)."""
    return {"record_steps": can_record_steps(request),
            "write_learning": can_write_learning(request, review)}


def briefings_for(request: HttpRequest, briefings: QuerySet[Briefing]) -> QuerySet[Briefing]:
    """Published briefings for everyone; drafts too for the business unit."""
    if is_business_unit(request):
        return briefings
    return briefings.filter(status=BriefingStatus.PUBLISHED)


def can_read_briefing(request: HttpRequest, briefing: Briefing) -> bool:
    return briefing.status == BriefingStatus.PUBLISHED or is_business_unit(request)


def who(request: HttpRequest) -> str:
    """The name written in the review's and briefing's own history."""
    return str(request.user.get_username())
