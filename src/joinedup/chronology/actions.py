"""What was done about an event, or why nothing was, as far as the agency's record says.

Chronology guidance asks that each significant event shows the action taken, or the reason
for none. Agencies send it, when they do, in the event's ``details`` (docs/data-contract.md,
"What was done about an event"): ``action_taken`` and ``no_action_reason``, or the keys
some returns already carry (``outcome``, ``decision``, ``to``: whom it was passed to,
``request``, ``reason``). Nothing is inferred from later events: when the record holds none
of these, the chronology says so plainly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from joinedup.chronology.assembly import Entry
from joinedup.chronology.sharing import HEADLINE_SHARE

ACTION_KEYS: tuple[tuple[str, str], ...] = (
    ("action_taken", "Action taken"),
    ("decision", "Decision"),
    ("outcome", "Outcome"),
    ("to", "Passed to"),
    ("request", "Asked for"),
)
NO_ACTION_KEYS: tuple[tuple[str, str], ...] = (
    ("no_action_reason", "No action, because"),
    ("reason", "Reason recorded"),
)


@dataclass(frozen=True)
class RecordedAction:
    """The lines the record holds about what was done (each "label: value"), or ``note``
    saying why there are none to show."""

    lines: tuple[str, ...]
    note: str = ""


def recorded_action(entry: Entry, agency_names: Mapping[str, str]) -> RecordedAction:
    """What ``entry``'s record says was done about it, for the reader it was made for."""
    holder = agency_names.get(entry.agency, entry.agency)
    if entry.shared_as == HEADLINE_SHARE:
        return RecordedAction((), f"Held back: ask {holder} what was done.")
    lines = []
    for key, label in (*ACTION_KEYS, *NO_ACTION_KEYS):
        value = entry.details.get(key)
        if value is None or not str(value).strip():
            continue
        text = str(value).strip()
        if key == "to":
            text = agency_names.get(text.upper(), text)
        lines.append(f"{label}: {text}")
    if lines:
        return RecordedAction(tuple(lines))
    return RecordedAction((), f"{holder}'s record does not say what was done, or why nothing "
                              "was.")
