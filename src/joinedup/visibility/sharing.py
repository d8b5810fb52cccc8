"""The sharing policy for adult-services information on a child's chronology.

Probation, prison, adult mental health and police intelligence are about adults. They belong
on a child's chronology when they bear on the child's safety, and then only as much as is
necessary (Caldicott principle 3). For each agency kind and event type the policy says one of:

- ``FULL``: the event and its summary are shown;
- ``HEADLINE``: the event type and date are shown, the summary is replaced by where the
  detail is held and whom to ask ("Held by probation: ask the probation officer");
- ``WITHHELD``: the event is not shown outside the agency.

Each share carries its lawful basis: UK GDPR Art. 6(1)(e) (public task) with Art. 9(2)(g)
(substantial public interest) and DPA 2018 Schedule 1 paragraph 18 (safeguarding of children
and of individuals at risk); for criminal offence data (police, probation, prison) Art. 10
with DPA 2018 s. 10(5) and Schedule 1 paragraph 36, which extends paragraph 18 to it.

Staff of the agency that holds the record see it in full, and events of every other agency
kind (children's social care, health, education...) are shown in full to partners under the
safeguarding basis. The table below is the default; docs/access.md explains each choice.
:func:`shareable` is pure, for the chronology to call on each event.
"""

from __future__ import annotations

from dataclasses import dataclass

FULL = "full"
HEADLINE = "headline"
WITHHELD = "withheld"

SAFEGUARDING_BASIS = ("UK GDPR Art. 6(1)(e) and Art. 9(2)(g); "
                      "DPA 2018 Sch. 1 para 18 (safeguarding of children and individuals at risk)")
CRIMINAL_OFFENCE_BASIS = (SAFEGUARDING_BASIS + "; criminal offence data: UK GDPR Art. 10 with "
                          "DPA 2018 s. 10(5) and Sch. 1 para 36")
OWN_RECORD_BASIS = "UK GDPR Art. 6(1)(e): the agency's own record"


@dataclass(frozen=True)
class Share:
    """How one event appears to one viewer."""

    show: bool
    summary_visible: bool
    lawful_basis: str
    replacement: str = ""
    """What stands in for the summary when it is not visible."""


@dataclass(frozen=True)
class KindPolicy:
    """The policy for one adult-services agency kind."""

    held_by: str
    ask: str
    basis: str
    default: str
    events: dict[str, str]

    @property
    def replacement(self) -> str:
        return f"Held by {self.held_by}: ask {self.ask}"


POLICY: dict[str, KindPolicy] = {
    "PROBATION": KindPolicy(
        held_by="probation", ask="the probation officer", basis=CRIMINAL_OFFENCE_BASIS,
        default=HEADLINE,
        events={
            # what the child's workers need to know in full: checks about children, and what
            # probation chose to share with partners
            "HOME_CIRCUMSTANCES_CHECK": FULL,
            "INFO_SHARED": FULL,
            # the fact and date matter; the detail (licence conditions naming a victim, test
            # results, supervision notes) stays with probation
            "CUSTODY_RELEASE": HEADLINE, "LICENCE_START": HEADLINE, "LICENCE_END": HEADLINE,
            "LICENCE_RECALL": HEADLINE, "MAPPA_LEVEL": HEADLINE, "ADDRESS_CHANGE": HEADLINE,
            "APPOINTMENT_MISSED": HEADLINE, "SUBSTANCE_MISUSE_CONCERN": HEADLINE,
            "INFO_REQUEST_SENT": HEADLINE, "INFO_RECEIVED": HEADLINE,
        }),
    "PRISON": KindPolicy(
        held_by="the prison", ask="the prison's offender management unit",
        basis=CRIMINAL_OFFENCE_BASIS, default=HEADLINE,
        events={"INFO_SHARED": FULL, "CUSTODY_START": HEADLINE, "CUSTODY_RELEASE": HEADLINE}),
    "ADULT_MENTAL_HEALTH": KindPolicy(
        held_by="adult mental health services", ask="the care coordinator",
        basis=SAFEGUARDING_BASIS, default=HEADLINE,
        events={
            "INFO_SHARED": FULL,
            "MENTAL_HEALTH_CONCERN": HEADLINE, "MEDICATION_STOPPED": HEADLINE,
            "ADMISSION": HEADLINE, "APPOINTMENT_MISSED": HEADLINE,
            "SUBSTANCE_MISUSE_CONCERN": HEADLINE, "ADULT_SERVICE_CONTACT": HEADLINE,
            # routine treatment says nothing about the child's safety
            "MEDICATION_PRESCRIBED": WITHHELD, "APPOINTMENT_ATTENDED": WITHHELD,
        }),
    "POLICE": KindPolicy(
        held_by="the police", ask="the police public protection unit",
        basis=CRIMINAL_OFFENCE_BASIS, default=HEADLINE,
        events={
            # domestic abuse where a child lives is shared with schools and social care
            # anyway (notifications, Operation Encompass): the summary is shown
            "DA_INCIDENT": FULL,
            "INFO_SHARED": FULL,
            "ARREST": HEADLINE, "CONVICTION": HEADLINE, "CUSTODY_START": HEADLINE,
            "SEX_OFFENDER_REGISTERED": HEADLINE, "DISCLOSURE_MADE": HEADLINE,
            # MARAC information is confidential to the MARAC: the fact of a referral shows
            "MARAC_REFERRAL": HEADLINE, "MARAC_MEETING": HEADLINE,
        }),
}
"""The default sharing policy, per adult-services agency kind and event type."""


def shareable(event_agency_kind: str, event_type: str, viewer_agency_kind: str | None, *,
              same_agency: bool = False) -> Share:
    """How an event of ``event_type`` recorded by an agency of ``event_agency_kind`` appears
    on a child's chronology to a viewer from an agency of ``viewer_agency_kind`` (None: a
    viewer without an agency, e.g. a review panel member from the business unit).
    ``same_agency``: the viewer works for the agency that recorded the event."""
    policy = POLICY.get(event_agency_kind)
    if same_agency or (viewer_agency_kind is not None
                       and viewer_agency_kind == event_agency_kind):
        return Share(True, True, OWN_RECORD_BASIS if same_agency or policy is None
                     else policy.basis)
    if policy is None:
        return Share(True, True, SAFEGUARDING_BASIS)
    level = policy.events.get(event_type, policy.default)
    if level == FULL:
        return Share(True, True, policy.basis)
    if level == HEADLINE:
        return Share(True, False, policy.basis, policy.replacement)
    return Share(False, False, policy.basis, policy.replacement)


def policy_table() -> list[dict[str, str]]:
    """The policy as rows (agency kind, event type, level, lawful basis), for docs and pages;
    ``*`` is the level of every event type not listed."""
    rows = []
    for kind, policy in POLICY.items():
        for event_type, level in sorted(policy.events.items()):
            rows.append({"agency_kind": kind, "event_type": event_type, "level": level,
                         "lawful_basis": policy.basis,
                         "replacement": policy.replacement if level != FULL else ""})
        rows.append({"agency_kind": kind, "event_type": "*", "level": policy.default,
                     "lawful_basis": policy.basis, "replacement": policy.replacement})
    return rows
