"""Putting what joinedup itself records (requests, meetings) on the chronology.

Events normally arrive in an agency's return; these are made by joinedup on the agency's
behalf. They are stored exactly like ingested events so the chronology, the rules and
"what was known on date D" treat them the same:

- each belongs to a per-agency *system submission* ("joinedup: information requests",
  one per agency and kind, found again rather than created twice), so every event still
  has a submission to trace it to;
- the subject is the acting agency's own record of the person when it has one (that is the
  record its practitioners know), otherwise the person's first record by agency and id;
- the source id is joinedup's (``JU-REQ-7-SENT``), so it can never clash with an agency's;
- the content hash is computed as ingest computes it, and a later change (a withdrawal
  note) is a new version with the old one kept and marked superseded.

Only the date of a request or meeting is known, so events sit at midnight (UK time) of that
date with ``occurred_time_known`` false, and are recorded on the same date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from joinedup.agencies.models import Agency, Submission
from joinedup.chronology.models import Event
from joinedup.errors import NextStep, NotFoundError
from joinedup.ingest.fingerprints import event_digest, json_text
from joinedup.local_time import ENGLAND, utc_text
from joinedup.people.models import PersonRecord

SYSTEM_FORMAT = "joinedup"
SYSTEM_SENDER = "joinedup"


def system_submission(agency: Agency, label: str) -> Submission:
    """The submission that holds the events joinedup records for ``agency`` under
    ``label``. Its SHA-256 is of a fixed text, unique per agency and label, so it is
    created once and found again afterwards."""
    sha256 = hashlib.sha256(f"joinedup system submission\x1f{label}\x1f{agency.code}"
                            .encode()).hexdigest()
    submission, _ = Submission.objects.get_or_create(
        agency=agency, sha256=sha256,
        defaults={"file_name": f"joinedup: {label}", "format": SYSTEM_FORMAT,
                  "received_by": SYSTEM_SENDER},
    )
    return submission


def subject_record(person_id: int, agency: Agency) -> PersonRecord:
    """The record an event about the person is filed under (see the module docstring)."""
    records = PersonRecord.objects.filter(person_id=person_id).select_related("agency")
    own = records.filter(agency=agency).order_by("source_id").first()
    if own is not None:
        return own
    first = records.order_by("agency__code", "source_id").first()
    if first is None:
        raise NotFoundError(f"Person {person_id} has no agency records, so nothing can be "
                            "put on a chronology for them. Link the agencies' records first.",
                            next_step=NextStep.LINK_RECORDS)
    return first


def sentence(text: str) -> str:
    """``text`` ending in a full stop (or its own ? or !), so summaries read as prose."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def midnight(day: dt.date) -> dt.datetime:
    """Midnight UK time at the start of ``day``: the moment of a date-only event."""
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=ENGLAND)


@dataclass(frozen=True)
class Entry:
    """An event to put on the chronology, before it has an id."""

    agency: Agency
    subject: PersonRecord
    event_type: str
    source_id: str
    on: dt.date
    summary: str
    details: dict[str, Any] = field(default_factory=dict)
    related: PersonRecord | None = None


def _content_hash(entry: Entry, moment: dt.datetime) -> str:
    related = entry.related.source_id if entry.related is not None else ""
    return event_digest(entry.source_id, entry.subject.source_id, entry.event_type,
                        utc_text(moment), False, utc_text(moment), entry.summary, related,
                        json_text(entry.details), "")


def record_event(entry: Entry, submission: Submission,
                 now: dt.datetime | None = None) -> Event:
    """Store ``entry`` as version 1 of a current event."""
    moment = midnight(entry.on)
    return Event.objects.create(
        agency=entry.agency, source_id=entry.source_id, version=1, is_current=True,
        subject=entry.subject, related_person=entry.related, event_type=entry.event_type,
        occurred_at=moment, occurred_on=entry.on, occurred_time_known=False,
        recorded_at=moment, recorded_on=entry.on, summary=entry.summary,
        details=entry.details, extra={}, content_hash=_content_hash(entry, moment),
        submission=submission, source_row=0, loaded_at=now or timezone.now(),
    )


def revise_event(event: Event, *, summary: str, details: dict[str, Any],
                 now: dt.datetime | None = None) -> Event:
    """A new version of ``event`` with another summary and details; the old version is kept,
    superseded, as an agency's correction would be. Must run inside a transaction."""
    now = now or timezone.now()
    entry = Entry(agency=event.agency, subject=event.subject, event_type=event.event_type,
                  source_id=event.source_id, on=event.occurred_on, summary=summary,
                  details=details, related=event.related_person)
    Event.objects.filter(pk=event.pk).update(is_current=False, superseded_at=now)
    return Event.objects.create(
        agency=event.agency, source_id=event.source_id, version=event.version + 1,
        is_current=True, subject=event.subject, related_person=event.related_person,
        event_type=event.event_type, occurred_at=event.occurred_at,
        occurred_on=event.occurred_on, occurred_time_known=event.occurred_time_known,
        recorded_at=event.recorded_at, recorded_on=event.recorded_on, summary=summary,
        details=details, extra=event.extra, content_hash=_content_hash(entry, event.occurred_at),
        submission=event.submission, source_row=event.source_row, loaded_at=now,
    )
