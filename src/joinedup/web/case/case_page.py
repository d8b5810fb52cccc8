"""The child's case page: who the child is, why the user may see the record, the family
network as every agency recorded it, and what is open about the child (alerts, information
requests, professionals meetings), with the ways into the chronology, swimlane and replay.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from joinedup.access import Reason, Role, care_statuses, practitioners
from joinedup.alerts import Alert, AlertStatus, Priority, load_catalogue
from joinedup.chronology import long_date
from joinedup.config import referral_route
from joinedup.information_requests import (
    InformationRequest,
    MeetingStatus,
    RequestStatus,
    is_overdue,
    list_meetings,
)
from joinedup.people import (
    ROLE_LABELS,
    Conflict,
    Member,
    PersonSummary,
    Relation,
    network_for,
    summaries,
)
from joinedup.visibility import Reader
from joinedup.vocabulary import PERSON_FLAGS
from joinedup.web.case import links
from joinedup.web.case.child_context import child_page
from joinedup.web.permissions import user_roles
from joinedup.web.work.sharing import meeting_texts, request_texts
from joinedup.web.work.viewer import viewer_of

REASON_HEADINGS = {
    "allocated_worker": "You are allocated",
    "allocated_team": "Your team is allocated",
    "agency_involvement": "Your agency works with the family",
    "review_panel": "You sit on a review panel",
    "break_glass": "You broke the glass",
}
ACTING_ROLES = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER, Role.SAFEGUARDING_LEAD})
"""The roles that send information requests and plan meetings about a child (with an
agency to send them from): the case page offers them the buttons."""
SEX = {"F": "Female", "M": "Male", "X": "Other", "U": "Not known"}
RELATIONSHIP_WORDS = {
    "MOTHER_OF": "mother of", "FATHER_OF": "father of", "PARTNER_OF": "partner of",
    "EX_PARTNER_OF": "former partner of", "HOUSEHOLD_MEMBER_OF": "lives with",
    "SIBLING_OF": "brother or sister of", "GRANDPARENT_OF": "grandparent of",
    "CARER_OF": "carer of",
}


@dataclass(frozen=True)
class Statement:
    """One agency's record of why a person is in the network, in words."""

    agency: str
    role: str
    records: str
    since: dt.date | None
    until: dt.date | None

    @property
    def dates(self) -> str:
        if self.since and self.until:
            return f"from {long_date(self.since)} to {long_date(self.until)}"
        if self.since:
            return f"since {long_date(self.since)}"
        if self.until:
            return f"until {long_date(self.until)}"
        return "no dates given"


@dataclass
class NetworkRow:
    person_id: int
    name: str
    roles: list[str]
    agencies: list[str]
    statements: list[Statement] = field(default_factory=list)
    current: bool = True

    @property
    def recorded(self) -> list[str]:
        """Who recorded each role, agencies with the same dates together: "mother: AMH,
        CSC and HV, since 9 August 2024; POLICE, no dates given"."""
        by_role: dict[str, dict[str, set[str]]] = {}
        for s in self.statements:
            by_role.setdefault(s.role, {}).setdefault(s.dates, set()).add(s.agency)
        return [f"{role}: " + "; ".join(f"{', '.join(sorted(agencies))}, {dates}"
                                       for dates, agencies in sorted(
                                           groups.items(), key=lambda g: (-len(g[1]), g[0])))
                for role, groups in by_role.items()]


@dataclass(frozen=True)
class Disagreement:
    text: str
    sources: list[str]


def reason_lines(reasons: list[Reason]) -> list[tuple[str, str]]:
    """(heading, the reason in full) for each legitimate relationship."""
    return [(REASON_HEADINGS.get(r.kind, r.kind), r.text[:1].upper() + r.text[1:])
            for r in reasons]


def _records(r: Relation) -> str:
    """An agency's statement as it recorded it: "HV:HV-5510238 mother of HV:HV-5510871"."""
    words = RELATIONSHIP_WORDS.get(r.relationship, r.relationship)
    return f"{r.agency}:{r.person_record} {words} {r.agency}:{r.related_record}"


def _statement(member: Member, index: int) -> Statement:
    link = member.links[index]
    r = link.relation
    return Statement(r.agency, ROLE_LABELS[link.role], _records(r), r.valid_from, r.valid_to)


def network_rows(members: list[Member], people: dict[int, PersonSummary],
                 today: dt.date, reader: Reader | None = None) -> list[NetworkRow]:
    """The network table; with ``reader``, only the agencies' statements the visibility
    gate lets them see (a perpetrator-side reader is not told which victim-support
    service recorded a link, nor a protected person's record references)."""
    rows = []
    for m in members:
        person = people.get(m.person_id)
        statements = [_statement(m, i) for i in range(len(m.links))
                      if reader is None or reader.shows_statement(
                          m.links[i].relation.agency, m.person_id)]
        rows.append(NetworkRow(
            m.person_id, person.name if person else f"person {m.person_id}",
            [ROLE_LABELS[r] for r in m.roles],
            sorted({r.agency for r in person.records}) if person else [],
            statements, m.current_on(today)))
    return rows


def gated_summaries(reader: Reader, people: dict[int, PersonSummary],
                    ) -> dict[int, PersonSummary]:
    """The persons' summaries as the visibility gate lets ``reader`` see them: a sealed
    or protected person's name replaced, and their identifiers (date of birth, flags,
    agencies' references) left out; victim-support agencies left out for a reader who may
    not know of them."""
    shown = {}
    for pid, s in people.items():
        if reader.shows_identity(pid):
            records = [r for r in s.records if reader.shows_agency(r.agency)]
            flags = {f: reader.agencies(a) for f, a in s.flags.items() if reader.agencies(a)}
            shown[pid] = PersonSummary(pid, reader.name(pid, s.name), s.date_of_birth, s.sex,
                                       flags, records, s.other_names)
        else:
            shown[pid] = PersonSummary(pid, reader.name(pid, s.name), None, "U")
    return shown


def disagreements(conflicts: list[Conflict]) -> list[Disagreement]:
    return [Disagreement(c.text, [
        f"{r.agency} recorded {_records(r)}"
        + (f" from {long_date(r.valid_from)}" if r.valid_from else "")
        for r in c.relations]) for c in conflicts]


@dataclass
class AlertGroup:
    """The open alerts of one rule, the latest first (a rule such as "Recorded late" can
    fire many times for one child)."""

    title: str
    alerts: list[tuple[Alert, str]]

    @property
    def priority(self) -> str:
        """The most urgent tier among the rule's open alerts."""
        tiers = {a.priority for a, _ in self.alerts}
        return next((t for t in PRIORITY_ORDER if t in tiers), Priority.ROUTINE)

    @property
    def latest(self) -> tuple[Alert, str]:
        return self.alerts[0]

    @property
    def earlier(self) -> list[tuple[Alert, str]]:
        return self.alerts[1:]


ALERT_COLUMNS = ("id", "rule", "title", "fired_on", "status", "priority")
PRIORITY_ORDER = (Priority.URGENT, Priority.HIGH, Priority.ROUTINE)
"""What the case page shows of an alert: a child can have hundreds open, and their long
text (explanation, evidence, source) belongs to the alert's own page."""


def alert_groups(alerts: list[Alert]) -> list[AlertGroup]:
    """Open alerts grouped by rule (titled with the rule's own title; each alert's title
    says its state), the most urgent first and, within a tier, the rule that fired most
    recently first."""
    rule_titles = {rule.id: rule.title for rule in load_catalogue()}
    groups: dict[str, AlertGroup] = {}
    for alert in sorted(alerts, key=lambda a: (a.fired_on, a.pk), reverse=True):
        group = groups.setdefault(alert.rule, AlertGroup(
            rule_titles.get(alert.rule, alert.title), []))
        group.alerts.append((alert, links.alert(alert.pk)))
    return sorted(groups.values(), key=lambda g: PRIORITY_ORDER.index(g.priority))


def child(request: HttpRequest, child_id: int) -> HttpResponse:
    """GET /children/<id>/: the case page."""
    opened = child_page(request, child_id)
    today = timezone.localdate()
    reader = opened.reader
    viewer = viewer_of(request)
    network = network_for(child_id)
    people = gated_summaries(reader, summaries([child_id,
                                               *(m.person_id for m in network.members)]))
    person = people.get(child_id) or PersonSummary(child_id, f"person {child_id}", None, "U")
    alerts = list(Alert.objects.filter(child_id=child_id)
                  .filter(status__in=[AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED])
                  .only(*ALERT_COLUMNS).order_by("-fired_on", "rule", "id"))
    closed_alerts = Alert.objects.filter(child_id=child_id).exclude(
        status__in=[AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]).count()
    requests = list(InformationRequest.objects.filter(Q(child_id=child_id)
                                                      | Q(person_id=child_id))
                    .select_related("from_agency", "to_agency")
                    .order_by("-requested_on", "-id"))
    meetings = [(m, links.meeting(m.pk), meeting_texts(reader, m))
                for m in list_meetings(child_id=child_id)]
    request_rows = [(r, links.request(r.pk), is_overdue(r.status, r.due_on, today),
                     r.question if viewer.agency_id in (r.from_agency_id, r.to_agency_id)
                     else request_texts(reader, r)[0]) for r in requests]
    return opened.render("case/child.html", {
        "person": person, "today": today, "crumbs": opened.breadcrumbs(person.name),
        "age": person.age_on(today), "sex": SEX.get(person.sex, "Not known"),
        "flags": [(PERSON_FLAGS[f].label if f in PERSON_FLAGS else f, agencies)
                  for f, agencies in person.flags.items()],
        "agencies": sorted({r.agency for r in person.records}),
        "reasons": reason_lines(opened.reasons),
        "broke_glass": any(r.kind == "break_glass" for r in opened.reasons),
        "referral_route": referral_route(),
        "statuses": care_statuses(child_id, reader, today),
        "practitioners": practitioners(child_id, reader, today),
        "network": network_rows(network.members, people, today, reader),
        "disagreements": disagreements([c for c in network.conflicts if all(
            reader.shows_statement(r.agency, r.person_id, r.related_id)
            for r in c.relations)]),
        "alerts": alert_groups(alerts), "open_alerts": len(alerts),
        "closed_alerts": closed_alerts,
        "requests": request_rows, "meetings": meetings,
        "may_act": viewer.agency_id is not None and bool(user_roles(request) & ACTING_ROLES),
        "waiting": [row for row in request_rows if row[0].status == RequestStatus.SENT],
        "upcoming": sorted((row for row in meetings if row[0].status == MeetingStatus.PLANNED
                            and row[0].held_on >= today), key=lambda row: row[0].held_on),
    })
