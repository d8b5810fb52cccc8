"""Another agency's entries as this viewer may see them, under the sharing policy for
adult-services information (``joinedup.access.sharing``, docs/access.md): in full, as a
headline ("Held by probation: ask the probation officer") or not at all."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from joinedup.access.sharing import shareable
from joinedup.vocabulary import event_label
from joinedup.web.work.viewer import Viewer


@dataclass(frozen=True)
class EvidenceLine:
    occurred_on: dt.date
    recorded_on: dt.date
    agency_code: str
    agency_name: str
    what: str
    summary: str
    headline_only: bool


def shared_text(viewer: Viewer, agency: Any, event_type: str, text: str) -> tuple[bool, str]:
    """(shown, text): what of ``text``, written by ``agency`` as an ``event_type`` entry,
    the viewer sees; the policy's replacement when only the headline is shared."""
    share = shareable(agency.kind, event_type, viewer.agency_kind,
                      same_agency=viewer.agency_id == agency.pk)
    if not share.show:
        return False, ""
    return True, text if share.summary_visible else share.replacement


def evidence_lines(events: list[Any], viewer: Viewer) -> tuple[list[EvidenceLine], list[str]]:
    """The evidence events the viewer may see, and a sentence for each agency whose entries
    are withheld from them ("1 entry held by Adult mental health is not shown to you")."""
    shown: list[EvidenceLine] = []
    withheld: Counter[str] = Counter()
    for event in events:
        share = shareable(event.agency.kind, event.event_type, viewer.agency_kind,
                          same_agency=viewer.agency_id == event.agency_id)
        if not share.show:
            withheld[event.agency.name] += 1
            continue
        shown.append(EvidenceLine(
            occurred_on=event.occurred_on, recorded_on=event.recorded_on,
            agency_code=event.agency.code, agency_name=event.agency.name,
            what=event_label(event.event_type),
            summary=event.summary if share.summary_visible else share.replacement,
            headline_only=not share.summary_visible))
    notes = [f"{count} {'entry' if count == 1 else 'entries'} held by {name} "
             f"{'is' if count == 1 else 'are'} not shown to you"
             for name, count in sorted(withheld.items())]
    return shown, notes
