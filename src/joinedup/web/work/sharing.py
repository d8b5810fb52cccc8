"""Another agency's entries as this reader may see them, through the visibility gate
(``joinedup.visibility``, docs/security.md): in full, as a headline ("Held by
probation: ask the probation officer", with the practitioner's contact and the event's
category where the agency sent them) or not at all."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from joinedup.visibility import Held, Reader, sight
from joinedup.vocabulary import event_label


@dataclass(frozen=True)
class EvidenceLine:
    occurred_on: dt.date
    recorded_on: dt.date
    agency_code: str
    agency_name: str
    what: str
    summary: str
    headline_only: bool


def shared_text(reader: Reader, agency: Any, event_type: str, text: str,
                persons: Iterable[int | None] = ()) -> tuple[bool, str]:
    """(shown, text): what of ``text``, written by ``agency`` as an ``event_type`` entry
    about ``persons``, the reader sees; the replacement when only the headline is shared."""
    seen = sight(reader, agency.code, agency.kind, event_type, persons)
    return seen.show, seen.text(text)


def _person(record: Any) -> int | None:
    return record.person_id if record is not None else None


def evidence_lines(events: list[Any], reader: Reader) -> tuple[list[EvidenceLine], list[str]]:
    """The evidence events the reader may see, and a sentence for each agency whose entries
    are withheld from them ("1 entry held by Adult mental health is not shown to you").
    A perpetrator-side reader is not told which victim-support service holds an entry."""
    shown: list[EvidenceLine] = []
    withheld: Counter[str] = Counter()
    for event in events:
        seen = sight(reader, event.agency.code, event.agency.kind, event.event_type,
                     (_person(event.subject), _person(event.related_person)),
                     Held.of(event.details, event.extra))
        if not seen.show:
            if reader.shows_agency(event.agency.code):
                withheld[event.agency.name] += 1
            else:
                withheld["another service"] += 1
            continue
        shown.append(EvidenceLine(
            occurred_on=event.occurred_on, recorded_on=event.recorded_on,
            agency_code=event.agency.code, agency_name=event.agency.name,
            what=event_label(event.event_type), summary=seen.text(event.summary),
            headline_only=not seen.full))
    notes = [f"{count} {'entry' if count == 1 else 'entries'} held by {name} "
             f"{'is' if count == 1 else 'are'} not shown to you"
             for name, count in sorted(withheld.items())]
    return shown, notes


def request_texts(reader: Reader, item: Any) -> tuple[str, str]:
    """(question, response) of an information request as a reader who is not a party to it
    sees them: each through the gate as the entry of the agency that wrote it."""
    about = (item.child_id, item.person_id)
    question = shared_text(reader, item.from_agency, "INFO_REQUEST_SENT", item.question,
                           about)[1]
    response = item.response
    if response:
        response = shared_text(reader, item.to_agency or item.from_agency, "INFO_RECEIVED",
                               response, about)[1]
    return question, response


ANOTHER_AGENCY = "Another agency"


class MeetingTexts(NamedTuple):
    decisions: str
    actions: list[tuple[Any, str]]
    """Each agreed action with the text the reader sees of it."""
    attending: list[Any]
    invited: list[Any]
    """The agencies that came, and those invited, that the reader may be told of, by name."""
    purpose: str
    organiser: str
    """The chairing or organising agency's name, or "Another agency"."""


def organiser_name(reader: Reader, meeting: Any) -> str:
    """The organising (chairing) agency's name, unless the reader may not be told of it."""
    return meeting.agency.name if reader.shows_agency(meeting.agency.code) else ANOTHER_AGENCY


def _told_of(reader: Reader, agencies: Iterable[Any]) -> list[Any]:
    return sorted((a for a in agencies if reader.shows_agency(a.code)), key=lambda a: a.name)


def meeting_texts(reader: Reader, meeting: Any) -> MeetingTexts:
    """A meeting's decisions (or, planned, its purpose) and its agreed actions (earliest due
    first, each with its text) as the reader sees them: in full for the meeting's attendees
    and invitees, an action in full for the agency that owes it, anything else through the
    gate as the organising agency's entry. A perpetrator-side reader is not told which
    victim-support services came or were invited."""
    attending, invited = list(meeting.attending.all()), list(meeting.invited.all())
    party = reader.agency is not None and reader.agency in {
        a.code for a in [meeting.agency, *attending, *invited]}

    def seen(text: str) -> str:
        return text if party else shared_text(
            reader, meeting.agency, "PROFESSIONALS_MEETING", text, (meeting.child_id,))[1]

    actions = [(a, a.description if a.owner_agency_id is not None
                and a.owner_agency.code == reader.agency else seen(a.description))
               for a in sorted(meeting.actions.all(), key=lambda a: (a.due_on, a.pk))]
    purpose = str((meeting.agenda or {}).get("purpose") or "")
    return MeetingTexts(seen(meeting.decisions) if meeting.decisions else "", actions,
                        _told_of(reader, attending), _told_of(reader, invited),
                        seen(purpose) if purpose else "", organiser_name(reader, meeting))
