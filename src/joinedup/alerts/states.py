"""The alert lifecycle as data: which moves there are, from which states each may happen, and
the state it leads to. ``joinedup.alerts.lifecycle`` (people acting, from the web page or the
command line) and the runs (``raising.py`` reopening a dismissed alert that gained evidence,
``recognition.py`` recognising an action already recorded) move alerts only through this
table, and the alert page offers exactly the moves people may make.

    open ──► acknowledged ──► actioned (a meeting or an information request; or
      │            │                       recognised: a run found a recorded event that
      │            │                       meets the rule's action, ``recognition.py``)
      │            │
      └────────────┴──► dismissed (a reason is required) ──► open (reopened, with a reason)

A professionals meeting planned about the alert acknowledges it ("meeting planned"); held,
it actions it; called off, it puts the alert back in the open queue ("meeting cancelled").

Each move is named by the word written in the alert's history (AlertChange.kind).
"""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.alerts.models import AlertStatus
from joinedup.errors import ActionError


@dataclass(frozen=True)
class Move:
    sources: frozenset[AlertStatus]
    target: AlertStatus


MOVES: dict[str, Move] = {
    "acknowledged": Move(frozenset({AlertStatus.OPEN}), AlertStatus.ACKNOWLEDGED),
    "actioned": Move(frozenset({AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED}),
                     AlertStatus.ACTIONED),
    "recognised": Move(frozenset({AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED}),
                       AlertStatus.ACTIONED),
    "dismissed": Move(frozenset({AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED}),
                      AlertStatus.DISMISSED),
    "reopened": Move(frozenset({AlertStatus.DISMISSED, AlertStatus.ACTIONED}),
                     AlertStatus.OPEN),
    "meeting planned": Move(frozenset({AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED}),
                            AlertStatus.ACKNOWLEDGED),
    "meeting cancelled": Move(frozenset({AlertStatus.ACKNOWLEDGED}), AlertStatus.OPEN),
}


def may(move: str, status: str) -> bool:
    """Whether ``move`` may happen to an alert that is ``status`` now."""
    return status in MOVES[move].sources


def after(alert_id: int, status: str, move: str) -> AlertStatus:
    """The state ``move`` leads to from ``status``; ActionError when it may not happen."""
    if not may(move, status):
        raise ActionError(f"Alert {alert_id} is {status}; it cannot be {move}.")
    return MOVES[move].target


def offered(status: str) -> dict[str, bool]:
    """The actions the alert page offers for an alert that is ``status`` now."""
    return {"acknowledge": may("acknowledged", status), "act": may("actioned", status),
            "dismiss": may("dismissed", status), "reopen": may("reopened", status)}
