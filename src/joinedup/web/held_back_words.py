"""Held back by late recording, in words, as one reader may see it (``joinedup.alerts``
works it out; docs/alerts.md): on an alert's page ("Health Visiting recorded the home visit
of 10 March 2025 on 1 April 2025, 15 working days late. On what had happened, this alert
could have been raised on 12 March 2025; the records made it true on 1 April 2025.") and on
each line of the replay page.

Every late entry passes the visibility gate first, as the alert's evidence does: an entry
the reader may not see is never named, not its agency nor its type or dates, only counted
("an entry that is not shown to you"), so a perpetrator-side reader never learns that a
victim-support service recorded something.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from joinedup.alerts import HeldBack
from joinedup.visibility import Reader, sight
from joinedup.vocabulary import event_label
from joinedup.web.jinja import long_date


def _seen(entry: Any, reader: Reader) -> bool:
    return sight(reader, entry.agency_code, entry.agency_kind, entry.event_type,
                 (entry.subject_id, entry.related_id)).show


def _what(event_type: str) -> str:
    """"home visit" from "Home visit"; an initialism ("ED attendance") is kept as it is."""
    label = event_label(event_type)
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _hidden(count: int) -> str:
    return ("an entry that is not shown to you was recorded late" if count == 1 else
            f"{count} entries that are not shown to you were recorded late")


def entry_lines(entries: Iterable[Any], reader: Reader) -> list[str]:
    """One clause for each late entry the reader may see, then one counting those they may
    not ("Health Visiting recorded the home visit of 10 March 2025 on 1 April 2025, 15
    working days late")."""
    lines: list[str] = []
    hidden = 0
    for entry in entries:
        if not _seen(entry, reader):
            hidden += 1
            continue
        days = entry.working_days_late
        lines.append(f"{entry.agency_name} recorded the {_what(entry.event_type)} of "
                     f"{long_date(entry.occurred_on)} on {long_date(entry.recorded_on)}, "
                     f"{days} working day{'s' if days != 1 else ''} late")
    if hidden:
        lines.append(_hidden(hidden))
    return lines


def held_back_sentence(item: HeldBack | None, reader: Reader) -> str:
    """The alert page's section; empty when late recording did not hold the alert back."""
    if item is None:
        return ""
    lines = entry_lines(item.late, reader)
    first = "; ".join(lines)
    return (f"{first[0].upper()}{first[1:]}. On what had happened, this alert could have been "
            f"raised on {long_date(item.could_have_been_raised_on)}; the records made it "
            f"true on {long_date(item.records_made_it_true_on)}.")


def replay_notes(late: dict[tuple[str, str], tuple[Any, ...]],
                 reader: Reader) -> dict[tuple[str, str], str]:
    """For each replayed line held back by late recording, by (rule, key): who recorded
    late ("Health Visiting recorded the ... late"), as the reader may see it."""
    notes = {key: "; ".join(entry_lines(entries, reader)) for key, entries in late.items()}
    return {key: f"{note[0].upper()}{note[1:]}." for key, note in notes.items() if note}
