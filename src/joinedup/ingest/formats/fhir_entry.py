"""One validated FHIR resource on its way to canonical rows: where it was in the file, its
ids, its recorded date, and the events row every mapping makes the same way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.fhir_elements import day_of, reference_id, when
from joinedup.ingest.problems import RowProblem, error


@dataclass
class Entry:
    """A resource the R4B model accepted, with its place: ``number`` counts the Bundle's
    entries (or the NDJSON file's lines) from 1, ``location`` says it in words."""

    resource: Any
    raw: dict[str, Any]
    """The resource as sent (what the model accepted)."""
    number: int
    location: str
    resource_id: str
    today: dt.date
    full_urls: dict[str, str] = field(default_factory=dict)
    same_person: dict[str, str] = field(default_factory=dict)
    """RelatedPerson id -> the id of the Patient whose ``link`` says it is the same person
    (shared by every entry of one file)."""

    @property
    def kind(self) -> str:
        return str(self.resource.get_resource_type())

    def person_id(self) -> str:
        """A Patient is known by its id; a RelatedPerson by ``RelatedPerson/<id>``, as the
        two kinds of resource may share ids."""
        if self.kind == "RelatedPerson":
            return f"RelatedPerson/{self.resource_id}"
        return self.resource_id

    def subject(self, reference: Any) -> str:
        """The person a subject or patient reference names (a RelatedPerson keeps its
        prefix)."""
        found = reference_id(reference, self.full_urls)
        text = (reference.reference or "") if reference is not None else ""
        if "RelatedPerson/" in text:
            return self.same_person.get(found) or f"RelatedPerson/{found}"
        return found

    def last_updated(self) -> Any:
        meta = self.resource.meta
        return meta.lastUpdated if meta is not None else None

    def event(self, code: str, occurred: Any, subject: Any, summary: str,
              details: dict[str, Any], *, recorded: Any = None, suffix: str = "",
              recorded_from: str = "", date_element: str = "period.start") -> SourceRow:
        """The events row of this resource: ``event_id`` is ``<type>/<id>`` (plus a suffix
        when one resource gives two events), so a resource sent again is the same event.
        ``recorded_at`` is the resource's own recorded date, else ``meta.lastUpdated``, else
        the date of the event itself; ``details.recorded_at_from`` says which."""
        source = recorded_from
        if recorded is None and self.last_updated() is not None:
            recorded, source = self.last_updated(), "meta.lastUpdated"
        if recorded is None:
            recorded, source = occurred, "event date"
        else:
            recorded_on, occurred_on = day_of(recorded), day_of(occurred)
            if recorded_on is not None and occurred_on is not None and \
                    recorded_on < occurred_on:
                # recorded in advance (an appointment booked, then missed): the event's date
                recorded, source = occurred, "event date"
        event_id = f"{self.kind}/{self.resource_id}" + (f"/{suffix}" if suffix else "")
        person = self.subject(subject)
        row = SourceRow("events", self.number, {
            "event_id": event_id, "person_id": person, "event_type": code,
            "occurred_at": when(occurred), "recorded_at": when(recorded), "summary": summary,
            "related_person_id": "",
            "details": {"source_format": "fhir", "fhir_resource": f"{self.kind}/"
                        f"{self.resource_id}", "recorded_at_from": source or "recorded date",
                        **{k: v for k, v in details.items() if v not in (None, "", [], {})}},
        }, self.location)
        if not person:
            row.problems.append(self.problem("events", "subject",
                                             f"the {self.kind} names no patient",
                                             "Give the reference to the patient "
                                             "(Patient/<id>) and send it again."))
        if occurred is None:
            row.problems.append(self.problem("events", date_element,
                                             f"the {self.kind} has no date",
                                             "Send the date it happened and send it again."))
        return row

    def problem(self, table: str, element: str, message: str, fix: str,
                raw: object = None) -> RowProblem:
        return error(table, self.number, element, message, fix, raw, self.location)
