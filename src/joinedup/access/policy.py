"""Who may open a child's record: deny by default, allow through a legitimate relationship.

A user sees a child's record when at least one of these holds (docs/access.md):

- **allocated worker**: the user is allocated to the child on the day;
- **allocated team**: one of the user's teams is allocated to the child on the day;
- **agency involvement**: the user's agency recorded an event about the child, or about
  someone in the child's family network, within the involvement period up to the day
  (``JOINEDUP_INVOLVEMENT_DAYS``, default 365 days, counted from the day the agency
  recorded the event: recorded on 1 March 2025, it counts until 1 March 2026);
- **review panel**: the user sits on the panel of a practice review of the child, while
  the review is open and for a grace period after it closes (``reviews/panel_access.py``,
  ``JOINEDUP_PANEL_GRACE_DAYS``, default 30 days);
- **break-glass**: the user broke the glass for this child with a stated reason, and the time
  they asked for has not run out (``breakglass.py``).

A sealed record (``sealing.py``) is open only through allocation or a review panel, and
through break-glass only to a safeguarding lead. No role opens a record by itself, and an
inactive user sees nothing.

The family network here is the reach of ``people/network.py``: anyone recorded (by any
agency, in a current relationship between linked records) as related to the child, and
anyone recorded as related to one of the child's parents. That takes in every member
``network_for`` names, and a little more (for instance a parent's carer), which errs towards
the agency that knows the family.

The same rules come in two shapes that must always agree (tests/access/test_policy.py):
:func:`legitimate_reasons` explains one child to one user, and :func:`visible_children` is a
subquery of every child a user may open, for lists (:func:`filter_children`): "checks sit in
the queries, not only in views", so a list never holds what its reader may not open.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from joinedup.access import audit
from joinedup.access.models import (
    Allocation,
    AuditAction,
    BreakGlass,
    Membership,
    ReviewPanelMember,
    Team,
)
from joinedup.access.roles import Role, roles_of
from joinedup.access.sealing import is_sealed, sealed_children
from joinedup.chronology.models import Event
from joinedup.errors import ActionError, ConfigurationError
from joinedup.people.directory import is_child
from joinedup.people.models import Person, RelationshipRecord
from joinedup.people.network import ROLE_LABELS, network_for, relations_around, touching
from joinedup.reviews.panel_access import access_until, panel_still_open
from joinedup.vocabulary import event_label

INVOLVEMENT_DAYS = 365
"""Default period in which an agency's recorded involvement gives its staff access."""

PARENT_RELATIONSHIPS = ("MOTHER_OF", "FATHER_OF")

M = TypeVar("M", bound=Model)


class AccessDenied(ActionError):
    """The user has no legitimate relationship with the child (nothing of the record shown)."""

    code = "access_denied"


@dataclass(frozen=True)
class Reason:
    """One legitimate relationship between a user and a child."""

    kind: str  # allocated_worker, allocated_team, agency_involvement, review_panel, break_glass
    text: str
    until: dt.date | dt.datetime | None = None


def involvement_days() -> int:
    """The involvement period in days: Django setting or environment variable
    ``JOINEDUP_INVOLVEMENT_DAYS``, default 365."""
    from django.conf import settings

    value = getattr(settings, "JOINEDUP_INVOLVEMENT_DAYS", None) \
        or os.environ.get("JOINEDUP_INVOLVEMENT_DAYS", "").strip() or INVOLVEMENT_DAYS
    try:
        days = int(value)
    except ValueError:
        days = 0
    if days < 1:
        raise ConfigurationError(f"JOINEDUP_INVOLVEMENT_DAYS must be a whole number of days "
                                 f"(1 or more), not {value!r}.")
    return days


def _day(day: dt.date) -> str:
    """3 March 2025: reasons are read by people, on pages and in the audit trail."""
    return f"{day.day} {day:%B %Y}"


def _active(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_active", False)) and bool(user.pk)


def _agency_id(user: Any) -> int | None:
    return Membership.objects.filter(user=user).values_list("agency_id", flat=True).first()


def _current(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def _relations() -> QuerySet[Any]:
    return RelationshipRecord.objects.filter(is_current=True)


def _persons(*subqueries: QuerySet[Any]) -> QuerySet[Any]:
    """Person ids in any of the subqueries (each a one-column ``values`` queryset)."""

    where = Q()
    for subquery in subqueries:
        where |= Q(id__in=subquery)
    return Person.objects.filter(where).values("id")


def _agency_events(agency_id: int, on: dt.date, days: int) -> QuerySet[Any]:
    return Event.objects.filter(agency_id=agency_id, is_current=True,
                                recorded_on__gte=on - dt.timedelta(days=days),
                                recorded_on__lte=on)


def _involvement_children(agency_id: int, on: dt.date, days: int) -> QuerySet[Any]:
    """Persons whose family network holds someone the agency recorded an event about."""
    events = _agency_events(agency_id, on, days)
    involved = _persons(events.values("subject__person_id"),
                        events.filter(related_person__isnull=False)
                        .values("related_person__person_id"))
    rel = _relations()
    neighbours = _persons(rel.filter(person__person_id__in=involved)
                          .values("related_person__person_id"),
                          rel.filter(related_person__person_id__in=involved)
                          .values("person__person_id"))
    children_of_neighbours = rel.filter(relationship__in=PARENT_RELATIONSHIPS,
                                        person__person_id__in=neighbours) \
        .values("related_person__person_id")
    return _persons(involved, neighbours, children_of_neighbours)


def visible_children(user: Any, on: dt.date | None = None, *,
                     at: dt.datetime | None = None) -> QuerySet[Any]:
    """Every person id whose record ``user`` may open, as a subquery (``values("id")``):
    use it with ``__in`` (never turned into a Python list, so no variable limit)."""

    if not _active(user):
        return Person.objects.none().values("id")
    day = on or timezone.localdate()
    moment = at or timezone.now()
    teams = Team.objects.filter(members__user=user).values("id")
    always = [
        Allocation.objects.filter(_current(day), user=user).values("child_id"),
        Allocation.objects.filter(_current(day), team__in=teams).values("child_id"),
        ReviewPanelMember.objects.filter(panel_still_open(day), user=user)
        .values("review__child_id"),
    ]
    glass = BreakGlass.objects.filter(user=user, started_at__lte=moment,
                                      expires_at__gt=moment).values("child_id")
    unless_sealed = []
    if Role.SAFEGUARDING_LEAD.value in roles_of(user):
        always.append(glass)
    else:
        unless_sealed.append(glass)
    agency_id = _agency_id(user)
    if agency_id is not None:
        unless_sealed.append(_involvement_children(agency_id, day, involvement_days()))
    where = Q()
    for subquery in always:
        where |= Q(id__in=subquery)
    if unless_sealed:
        open_ones = Q()
        for subquery in unless_sealed:
            open_ones |= Q(id__in=subquery)
        where |= open_ones & ~Q(id__in=sealed_children())
    return Person.objects.filter(where).values("id")


def filter_children(queryset: QuerySet[M], user: Any, field: str = "child_id",
                    on: dt.date | None = None) -> QuerySet[M]:
    """Keep only the rows about children ``user`` may open: ``Alert.objects.all()``,
    ``Review.objects...``, ``InformationRequest.objects...`` (``field`` names the child)."""
    return queryset.filter(**{f"{field}__in": visible_children(user, on)})


def _reach(child_id: int) -> set[int]:
    """The child and everyone whose involvement opens the child's record: everyone in a
    current relationship (between linked records) with the child or with one of the child's
    parents. The same reach as :func:`_involvement_children`, seen from the child, and the
    same relationships the child's family network is worked out from."""

    reach = {child_id}
    for relation in relations_around(child_id):
        reach.update((relation.person_id, relation.related_id))
    return reach


def _who(child_id: int, person_id: int) -> str:
    """Plain words for a person of the child's network: "the child", "the father"..."""
    if person_id == child_id:
        return "the child"

    for member in network_for(child_id).members:
        if member.person_id == person_id:
            return f"the child's {ROLE_LABELS[member.role]} (person {person_id})"
    return f"someone recorded as related to the child's family (person {person_id})"


def _involvement(agency_id: int, child_id: int, on: dt.date) -> Reason | None:
    days = involvement_days()
    reach = list(_reach(child_id))
    event = (_agency_events(agency_id, on, days)
             .filter(touching(reach, "subject_id", "related_person_id"))
             .select_related("agency", "subject", "related_person")
             .order_by("-recorded_on", "-id").first())
    if event is None:
        return None
    subject = event.subject.person_id
    about = subject if subject in reach else event.related_person.person_id  # type: ignore
    until = event.recorded_on + dt.timedelta(days=days)
    return Reason("agency_involvement",
                  f"{event.agency.code} recorded \"{event_label(event.event_type)}\" about "
                  f"{_who(child_id, int(about))} on {_day(event.recorded_on)} (involvement "
                  f"counts for {days} days)", until)


def involved_agencies(child_id: int, on: dt.date | None = None) -> set[int]:
    """Ids of the agencies with a legitimate relationship with the child on the day through
    the agency itself: an involvement (as :func:`_involvement` finds it for one agency, for
    all at once; none for a sealed record) or a worker or team allocated to the child."""
    day = on or timezone.localdate()
    found: set[int] = set()
    if not is_sealed(child_id):
        days = involvement_days()
        events = (Event.objects.filter(is_current=True, recorded_on__lte=day,
                                       recorded_on__gte=day - dt.timedelta(days=days))
                  .filter(touching(list(_reach(child_id)), "subject_id", "related_person_id")))
        found.update(events.values_list("agency_id", flat=True).distinct())
    allocations = Allocation.objects.filter(_current(day), child_id=child_id)
    found.update(a for a in allocations.values_list("team__agency_id", flat=True) if a)
    found.update(Membership.objects.filter(user_id__in=allocations.values("user_id"))
                 .values_list("agency_id", flat=True))
    return found


def legitimate_reasons(user: Any, child_id: int, on: dt.date | None = None, *,
                       at: dt.datetime | None = None) -> list[Reason]:
    """Every legitimate relationship ``user`` has with the child on the day (today), in
    plain words; empty when there is none (then the record stays closed)."""
    if not _active(user):
        return []
    day = on or timezone.localdate()
    moment = at or timezone.now()
    sealed = is_sealed(child_id)
    found: list[Reason] = []
    teams = Team.objects.filter(members__user=user).values("id")
    allocations = (Allocation.objects.filter(_current(day), Q(user=user) | Q(team__in=teams),
                                             child_id=child_id).select_related("team"))
    for a in sorted(allocations, key=lambda a: (a.team_id is not None, a.pk)):  # own first
        until = f" to {_day(a.valid_to)}" if a.valid_to else ""
        if a.user_id == user.pk:
            found.append(Reason("allocated_worker",
                                f"allocated to the child from {_day(a.valid_from)}{until}",
                                a.valid_to))
        else:
            found.append(Reason("allocated_team",
                                f"your team \"{a.team.name}\" is allocated to the child from "  # type: ignore[union-attr]
                                f"{_day(a.valid_from)}{until}", a.valid_to))
    for member in (ReviewPanelMember.objects.filter(panel_still_open(day), user=user,
                                                    review__child_id=child_id)
                   .select_related("review")):
        closed_on = member.review.closed_on
        last_day = access_until(closed_on)
        closed = (f", closed on {_day(closed_on)}: access until {_day(last_day)}"
                  if closed_on and last_day else "")
        found.append(Reason("review_panel",
                            f"on the panel of review {member.review_id} "
                            f"({member.review.pseudonym}){closed}", last_day))
    agency_id = _agency_id(user)
    if agency_id is not None and not sealed:
        involvement = _involvement(agency_id, child_id, day)
        if involvement:
            found.append(involvement)
    if not sealed or Role.SAFEGUARDING_LEAD.value in roles_of(user):
        for glass in BreakGlass.objects.filter(user=user, child_id=child_id,
                                               started_at__lte=moment, expires_at__gt=moment):
            local = timezone.localtime(glass.expires_at)
            found.append(Reason("break_glass",
                                f"break-glass until {local:%H:%M} on {_day(local)}: {glass.reason}",
                                glass.expires_at))
    return found


def can_view_child(user: Any, child_id: int, on: dt.date | None = None) -> bool:
    return bool(legitimate_reasons(user, child_id, on))


def open_child_record(user: Any, child_id: int, action: str = AuditAction.VIEW_CHILD, *,
                      object_type: str = "person", object_id: Any = None,
                      details: dict[str, Any] | None = None) -> list[Reason]:
    """What every page, export and download of a child's record calls first: the reasons
    the user may open it, written to the audit trail with the look; or, with no reason or
    when the person is not a child today (an adult appears only inside a child's record),
    an ``access_refused`` entry and :class:`AccessDenied`."""

    child = is_child(child_id, timezone.localdate())
    reasons = legitimate_reasons(user, child_id) if child else []
    if not reasons:
        audit.record(user, AuditAction.ACCESS_REFUSED, object_type=object_type,
                     object_id=child_id if object_id is None else object_id,
                     child_id=child_id,
                     reason="no legitimate relationship" if child else "not a child's record",
                     details={"asked_for": str(action), **(details or {})})
        raise AccessDenied("You have no legitimate relationship with this child, so their "
                           "record is not shown. If you need it now to keep someone safe, "
                           "break the glass with your reason.")
    audit.record(user, action, object_type=object_type,
                 object_id=child_id if object_id is None else object_id, child_id=child_id,
                 reason="; ".join(r.text for r in reasons),
                 details={"relationships": [r.kind for r in reasons], **(details or {})})
    return reasons
