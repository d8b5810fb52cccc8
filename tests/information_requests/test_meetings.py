"""Professionals meetings on the Baby S case: the chronology entry and the actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from joinedup.chronology.models import Event
from joinedup.errors import ActionError, NotFoundError
from joinedup.information_requests.models import MeetingAction, ProfessionalsMeeting
from joinedup.information_requests.services import complete_action, record_meeting

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

D = dt.date


def _meeting(baby_s: dict[str, Any], **changes: Any) -> ProfessionalsMeeting:
    args = {
        "child_id": baby_s["child"], "agency": "CSC", "held_on": D(2024, 9, 2),
        "attending": ["HV", "PROBATION", "POLICE"], "who": "t.manager",
        "decisions": "Step-up review; share the father's release date with the health visitor",
        "chaired_by": "Team manager, CSC",
        "actions": [
            {"description": "Tell HV of the release date", "owner": "Offender manager",
             "due_on": D(2024, 9, 4), "owner_agency": "PROBATION"},
            {"description": "Step-up review", "owner": "CSC team", "due_on": D(2024, 9, 9)},
        ],
    }
    return record_meeting(**{**args, **changes})


def test_a_meeting_goes_on_the_childs_chronology_with_who_attended(
        baby_s: dict[str, Any], db: None) -> None:
    meeting = _meeting(baby_s)
    on_chronology = Event.objects.filter(subject__person_id=baby_s["child"],
                                         event_type="PROFESSIONALS_MEETING", is_current=True)
    event = on_chronology.select_related("agency", "subject", "submission").get()
    assert event.pk == meeting.event_id
    assert event.agency.code == "CSC" and event.subject.agency_id == event.agency.pk
    assert event.occurred_on == D(2024, 9, 2)
    # the chair's agency attends, whether it was listed or not
    assert event.details["attending"] == ["CSC", "HV", "POLICE", "PROBATION"]
    assert [a["description"] for a in event.details["actions"]] == [
        "Tell HV of the release date", "Step-up review"]
    assert "chaired by Team manager, CSC" in event.summary
    assert event.submission.file_name == "joinedup: professionals meetings"
    actions = list(meeting.actions.order_by("due_on"))
    assert [(a.owner, a.owner_agency.code if a.owner_agency else None, a.status)
            for a in actions] == [("Offender manager", "PROBATION", "open"),
                                  ("CSC team", None, "open")]


def test_actions_are_done_once(baby_s: dict[str, Any], db: None) -> None:
    first = _meeting(baby_s).actions.order_by("due_on").first()
    assert first is not None
    done = complete_action(first.pk, who="o.manager", done_on=D(2024, 9, 3))
    assert (done.status, done.done_on, done.updated_by) == ("done", D(2024, 9, 3), "o.manager")
    with pytest.raises(ActionError, match="already done on 03/09/2024"):
        complete_action(first.pk, who="o.manager")
    with pytest.raises(NotFoundError, match="no meeting action"):
        complete_action(99_999, who="o.manager")


def test_an_action_cannot_be_done_before_the_meeting(baby_s: dict[str, Any], db: None) -> None:
    action = _meeting(baby_s).actions.first()
    assert action is not None
    with pytest.raises(ActionError, match="before the meeting"):
        complete_action(action.pk, who="o.manager", done_on=D(2024, 9, 1))
    action.refresh_from_db()
    assert action.status == "open"


@pytest.mark.parametrize("changes,error,message", [
    ({"attending": ["HV", "NOPE", "ZZZ"]}, NotFoundError, "no agency with code NOPE, ZZZ"),
    ({"agency": "NOPE"}, NotFoundError, "no agency with code 'NOPE'"),
    ({"attending": ["CSC"]}, ActionError, "name the other agencies"),
    ({"child_id": 999_999}, NotFoundError, "no child with person id 999999"),
    ({"decisions": " "}, ActionError, "decisions"),
    ({"held_on": D(2099, 1, 1)}, ActionError, "in the future"),
    ({"actions": [{"description": "x", "owner": "y", "due_on": D(2024, 8, 1)}]}, ActionError,
     "before the meeting"),
    ({"actions": [{"description": "x", "due_on": D(2024, 9, 9)}]}, ActionError, "owner"),
    ({"actions": [{"description": "x", "owner": "y", "due_on": D(2024, 9, 9),
                   "owner_agency": "NOPE"}]}, NotFoundError, "NOPE"),
])
def test_wrong_meetings_are_refused_and_nothing_is_stored(
        baby_s: dict[str, Any], db: None, changes: dict[str, Any], error: type[Exception],
        message: str) -> None:
    with pytest.raises(error, match=message):
        _meeting(baby_s, **changes)
    assert not ProfessionalsMeeting.objects.exists()
    assert not MeetingAction.objects.exists()
    assert not Event.objects.filter(event_type="PROFESSIONALS_MEETING",
                                    source_id__startswith="JU-").exists()
