"""Information requests between agencies and multi-agency professionals meetings.

Both are things practitioners do *about* a child rather than things an agency sends in a
return, so joinedup records them itself and puts them on the chronology (INFO_REQUEST_SENT,
INFO_RECEIVED, PROFESSIONALS_MEETING) where the early-warning rules can see them. The API
other code calls is in :mod:`joinedup.information_requests.services`.

Its public face: what the interfaces (cli, web, api) may use, loaded on first use
(``joinedup.public_face``).
"""

from typing import TYPE_CHECKING

from joinedup import public_face

__all__ = [
    "ActionStatus",
    "InformationRequest",
    "MeetingAction",
    "MeetingStatus",
    "ProfessionalsMeeting",
    "Reason",
    "Replies",
    "RequestStatus",
    "complete_action",
    "get_meeting",
    "get_request",
    "is_overdue",
    "list_meetings",
    "list_requests",
    "meeting_summary",
    "overdue_requests",
    "receive_response",
    "record_meeting",
    "request_replies",
    "request_summary",
    "send_request",
    "services",
    "today",
    "withdraw_request",
    "working_days_overdue",
]

if TYPE_CHECKING:
    from joinedup.information_requests import services
    from joinedup.information_requests.deadlines import is_overdue, working_days_overdue
    from joinedup.information_requests.lookups import today
    from joinedup.information_requests.models import (
        ActionStatus,
        InformationRequest,
        MeetingAction,
        MeetingStatus,
        ProfessionalsMeeting,
        Reason,
        RequestStatus,
    )
    from joinedup.information_requests.reply_times import Replies, request_replies
    from joinedup.information_requests.services import (
        complete_action,
        get_meeting,
        get_request,
        list_meetings,
        list_requests,
        overdue_requests,
        receive_response,
        record_meeting,
        send_request,
        withdraw_request,
    )
    from joinedup.information_requests.summaries import meeting_summary, request_summary

__getattr__ = public_face.lazy(__name__, __file__)
