"""The review chronology: the child's multi-agency chronology as it was known on the day the
local authority became aware, with the key practice episodes marked and the agencies'
summaries attached.

Panels now build this by hand from each agency's Word return. Assembling it from joinedup
with ``known_by`` = the date of awareness shows what the agencies had recorded then, not what
was written up afterwards: the review asks what could have been known, and a note typed a
week after the injury must not make the record look better (or worse) than it was.

Key practice episodes are the events a finding cites as evidence and the events that are a
concern in themselves. Evidence is matched by agency and event id, not by version, so a
finding that cites an event corrected after awareness still marks the version known then;
evidence recorded only after awareness is listed separately, because it is not in this
chronology.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from joinedup.chronology.assembly import Chronology, Entry, assemble
from joinedup.chronology.render import printable
from joinedup.chronology.render.data import to_dict as chronology_dict
from joinedup.reviews.models import Review


@dataclass(frozen=True)
class AgencySummary:
    """One agency's summary for the rapid review (an AGENCY_SUMMARY step)."""

    agency: str
    agency_name: str
    due_on: dt.date | None
    received_on: dt.date | None
    text: str


@dataclass(frozen=True)
class Mark:
    """Why an entry is a key practice episode: the findings citing it, and/or a concern."""

    findings: tuple[int, ...] = ()
    concern: bool = False

    @property
    def text(self) -> str:
        parts = []
        if self.findings:
            numbers = ", ".join(str(n) for n in self.findings)
            parts.append(f"Key practice episode (finding{'s' if len(self.findings) > 1 else ''}"
                         f" {numbers})")
        if self.concern:
            parts.append("Concern")
        return "; ".join(parts)


@dataclass
class ReviewChronology:
    review_id: int
    pseudonym: str
    aware_on: dt.date
    incident_on: dt.date
    chronology: Chronology
    marks: dict[int, Mark]  # entry.event (version pk) to its mark; key episodes only
    summaries: list[AgencySummary]
    evidence_after_awareness: list[tuple[str, str, tuple[int, ...]]] = field(
        default_factory=list)  # (agency, event id, findings) cited but not known then

    def mark(self, entry: Entry) -> Mark | None:
        return self.marks.get(entry.event)


def mark_episodes(chronology: Chronology, evidence: dict[tuple[str, str], tuple[int, ...]]
                  ) -> tuple[dict[int, Mark], list[tuple[str, str, tuple[int, ...]]]]:
    """Pure: the marks for the key practice episodes of ``chronology`` given the evidence
    (agency, event id) -> finding numbers; and the evidence not in the chronology."""
    marks: dict[int, Mark] = {}
    shown = set()
    for entry in chronology.entries:
        key = (entry.agency, entry.source_id)
        findings = evidence.get(key, ())
        shown.add(key)
        if findings or entry.significance == "concern":
            marks[entry.event] = Mark(findings, entry.significance == "concern")
    missing = [(agency, source_id, numbers)
               for (agency, source_id), numbers in sorted(evidence.items())
               if (agency, source_id) not in shown]
    return marks, missing


def _evidence(review: Review) -> dict[tuple[str, str], tuple[int, ...]]:
    from joinedup.reviews.models import Finding

    cited: dict[tuple[str, str], list[int]] = {}
    rows = Finding.evidence.through.objects.filter(finding__review=review).values_list(
        "event__agency__code", "event__source_id", "finding__number")
    for agency, source_id, number in rows:
        cited.setdefault((agency, source_id), []).append(number)
    return {key: tuple(sorted(set(numbers))) for key, numbers in cited.items()}


def agency_summaries(review: Review) -> list[AgencySummary]:
    from joinedup.reviews.clocks import AGENCY_SUMMARY

    steps = review.steps.filter(kind=AGENCY_SUMMARY).select_related("agency")
    return sorted((AgencySummary(s.agency.code if s.agency else "",
                                 s.agency.name if s.agency else "", s.due_on, s.done_on,
                                 s.note) for s in steps), key=lambda s: s.agency)


def review_chronology(review_id: int) -> ReviewChronology:
    """Assemble the review chronology of one review from the database."""
    from joinedup.reviews.workflow import get_review

    review = get_review(review_id)
    chronology = assemble(review.child_id, as_of=review.aware_on, known_by=review.aware_on,
                          today=review.aware_on)
    marks, missing = mark_episodes(chronology, _evidence(review))
    return ReviewChronology(review.pk, review.pseudonym, review.aware_on, review.incident_on,
                            chronology, marks, agency_summaries(review), missing)


def to_dict(rc: ReviewChronology) -> dict[str, Any]:
    """The JSON document: the chronology's own document (docs/chronology.md) under
    ``chronology``, each entry with ``key_episode`` and ``findings`` added, plus the review,
    the marking, the agency summaries and the evidence recorded after awareness."""

    body = chronology_dict(rc.chronology)
    for entry, row in zip(rc.chronology.entries, body["entries"], strict=True):
        mark = rc.mark(entry)
        row["key_episode"] = mark is not None
        row["findings"] = list(mark.findings) if mark else []
    return {
        "marking": printable.MARKING,
        "review": {"id": rc.review_id, "pseudonym": rc.pseudonym,
                   "aware_on": rc.aware_on.isoformat(), "incident_on": rc.incident_on.isoformat(),
                   "known_by": rc.aware_on.isoformat()},
        "chronology": body,
        "agency_summaries": [{"agency": s.agency, "agency_name": s.agency_name,
                              "due_on": s.due_on.isoformat() if s.due_on else None,
                              "received_on": s.received_on.isoformat() if s.received_on
                              else None, "text": s.text} for s in rc.summaries],
        "evidence_after_awareness": [{"agency": a, "event_id": e, "findings": list(n)}
                                     for a, e, n in rc.evidence_after_awareness],
    }
