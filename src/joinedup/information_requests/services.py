"""The API of information requests and professionals meetings, for other code to call.

The early-warning rules (for example TRANSFER_IN_NO_HISTORY: history asked for and not
answered) and the command line both go through these functions, so every request and
meeting gets the same checks, history and chronology events whoever records it.

Errors: an unknown agency, person, request or action raises
:class:`~joinedup.errors.NotFoundError`; an action the state forbids (answering a withdrawn
request, withdrawing an answered one, a missing reason) raises
:class:`~joinedup.errors.ActionError`. Both carry a message for a person.
"""

from __future__ import annotations

from joinedup.information_requests.deadlines import (
    DEFAULT_DUE_WORKING_DAYS,
    due_date,
    is_overdue,
    working_days_overdue,
)
from joinedup.information_requests.meetings import (
    complete_action,
    get_meeting,
    list_meetings,
    record_meeting,
)
from joinedup.information_requests.requests import (
    get_request,
    list_requests,
    overdue_requests,
    receive_response,
    send_request,
    withdraw_request,
)

__all__ = [
    "DEFAULT_DUE_WORKING_DAYS",
    "complete_action",
    "due_date",
    "get_meeting",
    "get_request",
    "is_overdue",
    "list_meetings",
    "list_requests",
    "overdue_requests",
    "receive_response",
    "record_meeting",
    "send_request",
    "withdraw_request",
    "working_days_overdue",
]
