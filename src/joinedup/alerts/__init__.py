"""Early warnings: the rule catalogue (``catalogue.toml``, docs/rules.md), the engine that
runs it over a snapshot of the records, the alerts it raises with their evidence, and one
state machine for what a practitioner does with them (``states.py``); replay shows when each
alert would have fired.

Its public face: what the interfaces (cli, web, api) may use, loaded on first use
(``joinedup.public_face``).
"""

from typing import TYPE_CHECKING

from joinedup import public_face

__all__ = [
    "Alert",
    "AlertOutcomes",
    "AlertStatus",
    "Burden",
    "HeldBack",
    "LeadTime",
    "PRIORITY_ASKS",
    "Priority",
    "RULE_ENGINES",
    "Replay",
    "ReplayLine",
    "acknowledge",
    "concerning_children",
    "counts_by_tier",
    "act_with_meeting",
    "act_with_request",
    "actioned_line",
    "agenda_entries",
    "alert_outcomes",
    "as_dicts",
    "cancel_planned",
    "dismiss",
    "export_snapshot",
    "filtered",
    "get_alert",
    "held_back_alerts",
    "in_queue_order",
    "late_after",
    "late_in_replay",
    "lifecycle",
    "load_catalogue",
    "measure_burden",
    "meeting_agenda",
    "priority_note",
    "record_planned",
    "reopen",
    "replay_alerts",
    "run_alerts",
    "states",
    "unanswered_alerts",
]

if TYPE_CHECKING:
    from joinedup.alerts import lifecycle, states
    from joinedup.alerts.agency_measures import late_after
    from joinedup.alerts.burden import Burden, concerning_children
    from joinedup.alerts.burden import measure as measure_burden
    from joinedup.alerts.catalogue import load_catalogue
    from joinedup.alerts.held_back import HeldBack, held_back_alerts, late_in_replay
    from joinedup.alerts.lead_time import LeadTime
    from joinedup.alerts.lifecycle import (
        acknowledge,
        act_with_meeting,
        act_with_request,
        dismiss,
        get_alert,
        reopen,
    )
    from joinedup.alerts.listing import as_dicts, filtered, priority_note
    from joinedup.alerts.models import Alert, AlertStatus
    from joinedup.alerts.outcomes import AlertOutcomes, alert_outcomes
    from joinedup.alerts.planned_meetings import (
        agenda_entries,
        cancel_planned,
        meeting_agenda,
        record_planned,
        unanswered_alerts,
    )
    from joinedup.alerts.priority import ASKS as PRIORITY_ASKS
    from joinedup.alerts.priority import Priority, counts_by_tier, in_queue_order
    from joinedup.alerts.raising import ENGINES as RULE_ENGINES
    from joinedup.alerts.raising import run_alerts
    from joinedup.alerts.recognition import actioned_line
    from joinedup.alerts.replay import Replay, ReplayLine
    from joinedup.alerts.replay import replay as replay_alerts
    from joinedup.alerts.snapshot_files import export_database as export_snapshot

__getattr__ = public_face.lazy(__name__, __file__)
