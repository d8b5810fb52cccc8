"""Professionals meetings about a child and the actions they agree.

Reviews of children who were harmed repeatedly find that each professional held one piece
of the jigsaw and nobody brought them together. Recording the meeting puts a
PROFESSIONALS_MEETING event on the child's chronology (so the rules can see the pieces were
brought together), and its actions are tracked until done, because a meeting whose actions
quietly lapse protects nobody.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from joinedup.agencies.models import Agency
from joinedup.errors import ActionError, NextStep, NotFoundError
from joinedup.information_requests.chronology_entries import (
    Entry,
    record_event,
    sentence,
    subject_record,
    system_submission,
)
from joinedup.information_requests.lookups import (
    find_agencies,
    find_agency,
    find_person,
    not_in_future,
    require_text,
    require_who,
    today,
)
from joinedup.information_requests.models import (
    ActionStatus,
    MeetingAction,
    MeetingStatus,
    ProfessionalsMeeting,
)

SUBMISSION_LABEL = "professionals meetings"


@dataclass(frozen=True)
class AgreedAction:
    """An action as agreed at the meeting, checked before anything is stored."""

    description: str
    owner: str
    due_on: dt.date
    owner_agency: Agency | None


def _as_date(value: Any, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ActionError(f"{what}: {value!r} is not a date (use YYYY-MM-DD).") from None


def _check_actions(actions: list[dict[str, Any]], held_on: dt.date) -> list[AgreedAction]:
    """Every action complete and sensible, or one message naming each one that is not."""
    checked: list[AgreedAction] = []
    for number, action in enumerate(actions, start=1):
        where = f"Action {number}"
        description = require_text(str(action.get("description") or ""),
                                   f"description for action {number}")
        owner = require_text(str(action.get("owner") or ""),
                             f"owner (person or team) for action {number}")
        if action.get("due_on") in (None, ""):
            raise ActionError(f"{where} needs a due date.")
        due_on = _as_date(action["due_on"], where)
        if due_on < held_on:
            raise ActionError(f"{where} is due on {due_on:%d/%m/%Y}, before the meeting "
                              f"({held_on:%d/%m/%Y}).")
        code = str(action.get("owner_agency") or "").strip()
        checked.append(AgreedAction(description, owner, due_on,
                                    find_agency(code) if code else None))
    return checked


def _summary(chair: Agency, chaired_by: str, attending: list[Agency], decisions: str,
             actions: list[AgreedAction]) -> str:
    by = f"chaired by {chaired_by} ({chair.code})" if chaired_by else f"chaired by {chair.code}"
    text = (f"Professionals meeting {by}; attending: "
            f"{', '.join(sorted(a.code for a in attending))}. Decisions: {sentence(decisions)}")
    if actions:
        text += f" Actions agreed: {len(actions)}."
    return text


def _planned(meeting_id: int, child_id: int) -> ProfessionalsMeeting:
    """The planned meeting about this child that is now being recorded as held, locked."""
    meeting = (ProfessionalsMeeting.objects.select_for_update()
               .filter(pk=meeting_id, child_id=child_id).first())
    if meeting is None:
        raise NotFoundError(f"There is no professionals meeting {meeting_id} about person "
                            f"{child_id}.", next_step=NextStep.LIST_MEETINGS)
    if meeting.status != MeetingStatus.PLANNED:
        raise ActionError(f"Meeting {meeting_id} is already {meeting.get_status_display()}; "
                          "only a planned meeting can be recorded as held.")
    return meeting


def record_meeting(*, child_id: int, agency: str, held_on: dt.date, attending: list[str],
                   decisions: str, who: str, chaired_by: str = "",
                   actions: list[dict[str, Any]] | None = None,
                   planned_id: int | None = None) -> ProfessionalsMeeting:
    """Record a meeting held about a child, its actions, and a PROFESSIONALS_MEETING event
    on the child's chronology recorded by the chair's agency (``agency``). The chair's
    agency always counts as attending. ``planned_id``: the planned meeting this one is
    (``meeting_plans``), which becomes held, keeping its invitations and agenda."""
    who = require_who(who)
    chair = find_agency(agency)
    present = find_agencies([chair.code, *attending])
    if len(present) < 2:
        raise ActionError("A professionals meeting brings agencies together: name the other "
                          "agencies attending.",
                          next_step=NextStep.GIVE_DETAIL(detail="attending"))
    decisions = require_text(decisions, "record of the decisions made", "decisions")
    child = find_person(child_id, "child")
    held_on = not_in_future(held_on, "meeting date")
    agreed = _check_actions(actions or [], held_on)
    chaired_by = (chaired_by or "").strip()
    now = timezone.now()
    with transaction.atomic():
        if planned_id is None:
            meeting = ProfessionalsMeeting(child=child)
        else:
            meeting = _planned(planned_id, child.pk)
            if meeting.planned_at and held_on < timezone.localdate(meeting.planned_at):
                raise ActionError(f"Meeting {planned_id} was planned on "
                                  f"{timezone.localdate(meeting.planned_at):%d/%m/%Y}; it "
                                  f"cannot have been held before that ({held_on:%d/%m/%Y}).")
        meeting.agency, meeting.held_on, meeting.status = chair, held_on, MeetingStatus.HELD
        meeting.chaired_by, meeting.decisions = chaired_by, decisions
        meeting.recorded_by, meeting.recorded_at = who, now
        meeting.save()
        meeting.attending.set(present)
        made = MeetingAction.objects.bulk_create([
            MeetingAction(meeting=meeting, description=a.description, owner=a.owner,
                          owner_agency=a.owner_agency, due_on=a.due_on, updated_by=who,
                          updated_at=now)
            for a in agreed
        ])
        entry = Entry(
            agency=chair, subject=subject_record(child.pk, chair),
            event_type="PROFESSIONALS_MEETING", source_id=f"JU-MTG-{meeting.pk}", on=held_on,
            summary=_summary(chair, chaired_by, present, decisions, agreed),
            details={
                "meeting_id": meeting.pk, "attending": sorted(a.code for a in present),
                "chaired_by": chaired_by,
                "actions": [{"id": m.pk, "description": m.description, "owner": m.owner,
                             "owner_agency": m.owner_agency.code if m.owner_agency else None,
                             "due_on": m.due_on.isoformat()} for m in made],
            },
        )
        meeting.event = record_event(entry, system_submission(chair, SUBMISSION_LABEL), now)
        meeting.save(update_fields=["event"])
    return meeting


def get_meeting(meeting_id: int) -> ProfessionalsMeeting:
    meeting = (ProfessionalsMeeting.objects.select_related("agency", "event")
               .prefetch_related("attending", "invited", "actions__owner_agency")
               .filter(pk=meeting_id).first())
    if meeting is None:
        raise NotFoundError(f"There is no professionals meeting {meeting_id}.",
                            next_step=NextStep.LIST_MEETINGS)
    return meeting


def list_meetings(*, child_id: int | None = None) -> QuerySet[ProfessionalsMeeting]:
    meetings = (ProfessionalsMeeting.objects.select_related("agency")
                .prefetch_related("attending", "invited", "actions__owner_agency"))
    if child_id is not None:
        meetings = meetings.filter(child_id=child_id)
    return meetings.order_by("-held_on", "-id")


def complete_action(action_id: int, *, who: str,
                    done_on: dt.date | None = None) -> MeetingAction:
    """Mark an open action done (on ``done_on``, default today)."""
    who = require_who(who)
    with transaction.atomic():
        action = (MeetingAction.objects.select_for_update(of=("self",))
                  .select_related("meeting")
                  .filter(pk=action_id).first())
        if action is None:
            raise NotFoundError(f"There is no meeting action {action_id}.",
                                next_step=NextStep.LIST_MEETING_ACTIONS)
        if action.status == ActionStatus.DONE:
            raise ActionError(f"Action {action_id} was already done on "
                              f"{action.done_on:%d/%m/%Y}.")
        if action.status == ActionStatus.CANCELLED:
            raise ActionError(f"Action {action_id} was cancelled; it cannot be marked done.")
        done_on = not_in_future(done_on or today(), "date the action was done")
        if done_on < action.meeting.held_on:
            raise ActionError(f"Action {action_id} cannot be done ({done_on:%d/%m/%Y}) before "
                              f"the meeting that agreed it ({action.meeting.held_on:%d/%m/%Y}).")
        action.status = ActionStatus.DONE
        action.done_on = done_on
        action.updated_by, action.updated_at = who, timezone.now()
        action.save()
    return action
