"""Planning a professionals meeting about a child: who may be invited, on a need to know.

An invitation tells an agency that the meeting is about this child and shows it the agenda,
so only an agency with a legitimate relationship with the child through the agency itself
may be invited: one involved with the child's family, or one whose worker or team is
allocated to the child (``policy.involved_agencies``). Any other agency has no reason to
see the record: ask it for information with an information request instead. What each
invitee then sees of the agenda passes the visibility gate, like every other surface.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from joinedup.access.policy import involved_agencies, involvement_days
from joinedup.agencies.models import Agency
from joinedup.alerts.planned_meetings import link_planned, meeting_agenda
from joinedup.errors import ActionError, NextStep
from joinedup.information_requests.lookups import find_agencies
from joinedup.information_requests.meeting_plans import plan_meeting as store_plan
from joinedup.information_requests.models import ProfessionalsMeeting


def invitable_agencies(child_id: int) -> list[Agency]:
    """The agencies a meeting about the child may invite, by name."""
    return list(Agency.objects.filter(pk__in=involved_agencies(child_id)).order_by("name"))


def _check_invited(child_id: int, invited: list[str]) -> None:
    codes = [a.code for a in find_agencies(invited)]  # unknown codes: one message
    may = {a.code for a in invitable_agencies(child_id)}
    refused = sorted(set(codes) - may)
    if refused:
        names = dict(Agency.objects.filter(code__in=refused).values_list("code", "name"))
        listed = ", ".join(f"{names[c]} ({c})" for c in refused)
        raise ActionError(
            f"{listed} cannot be invited: only an agency that has recorded something about "
            f"the child's family in the last {involvement_days()} days, or that is allocated "
            "to the child, may be told about the child's meetings. Ask another agency for "
            "what it knows with an information request.",
            next_step=NextStep.GIVE_DETAIL(detail="invited"))


def plan_meeting(*, child_id: int, agency: str, on: dt.date, invited: list[str], who: str,
                 purpose: str, alert_ids: list[int] | None = None) -> ProfessionalsMeeting:
    """Plan a professionals meeting about the child for ``on``, organised by ``agency``,
    inviting ``invited`` (agency codes), its agenda pre-filled with the child's open alerts
    (or the ones in ``alert_ids``) and the entries behind them; those alerts are
    acknowledged, linked to the meeting."""
    _check_invited(child_id, invited)
    agenda = meeting_agenda(child_id, alert_ids)
    with transaction.atomic():
        meeting = store_plan(child_id=child_id, agency=agency, on=on, invited=invited,
                             who=who, purpose=purpose, alert_ids=agenda.alert_ids,
                             event_ids=agenda.event_ids)
        link_planned(meeting, agenda.alert_ids, who)
    return meeting
