"""A child's current picture, as the case page opens on it (docs/web.md, "The child's
record"): the child's status (child in need, a child protection plan, looked after), since
when and under which agency, and the practitioners of every agency involved with the child,
the lead professional first.

Both are read from the agencies' events (docs/data-contract.md): the status from the plan
and care-episode events about the child, the practitioners from the ``worker_role``,
``worker_name``, ``worker_contact`` and ``lead_professional`` the agencies send with their
events. Only what the visibility gate shows the reader counts: an event the reader may not
see sets no status and names no practitioner, and an agency the reader may not be told of
is never listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from joinedup.access.policy import involved_agencies, involvement_days
from joinedup.chronology.models import Event
from joinedup.ingest.worker_fields import is_lead
from joinedup.people.models import PersonRecord
from joinedup.people.network import relations_around, touching
from joinedup.visibility import Reader, sight
from joinedup.visibility.gate import PROTECTED_REPLACEMENT, VICTIM_SUPPORT_REPLACEMENT

STATUS_EVENTS: dict[str, tuple[str, bool]] = {
    "CIN_PLAN_START": ("CIN", True), "CIN_PLAN_END": ("CIN", False),
    "CP_PLAN_START": ("CP", True), "CP_PLAN_END": ("CP", False),
    "LAC_EPISODE_START": ("LAC", True), "LAC_EPISODE_END": ("LAC", False),
}
"""The events that open (True) or close (False) each status."""
STATUS_LABELS = {"LAC": "Looked after", "CP": "Child protection plan", "CIN": "Child in need"}
"""Each status in words, the strongest first (a child on a plan is also a child in need)."""
CLOSES_ALL = frozenset({"CASE_CLOSURE", "TRANSFER_OUT"})
"""Events that end every plan the agency holds (a closed or transferred case)."""
WORKER_FIELDS = ("worker_role", "worker_name", "worker_contact", "lead_professional")


@dataclass(frozen=True)
class CareStatus:
    """One status the child holds today: "Looked after since 23 May 2025 (CSC)"."""

    code: str
    since: dt.date
    agency: str
    agency_name: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.code]


@dataclass(frozen=True)
class Practitioner:
    """Who works with the child for one agency, as the agency last sent it."""

    agency: str
    agency_name: str
    role: str
    name: str
    contact: str
    lead: bool
    last_recorded: dt.date


KEPT_SAFE = (VICTIM_SUPPORT_REPLACEMENT, PROTECTED_REPLACEMENT)
"""Headlines that send the reader to the allocated social worker: an event shown so names no
practitioner (a refuge worker's or a local team's contact could tell where someone lives)."""


def _shown(reader: Reader, row: dict[str, Any]) -> bool:
    """Does the gate show the reader the event? Marks ``row["names_worker"]``: may its
    practitioner's name and contact be shown too?"""
    if not reader.shows_agency(row["agency__code"]):
        return False
    seen = sight(reader, row["agency__code"], row["agency__kind"], row["event_type"],
                 (row["subject__person_id"], row["related_person__person_id"]))
    row["names_worker"] = seen.full or seen.replacement not in KEPT_SAFE
    return seen.show


_COLUMNS = ("event_type", "occurred_on", "recorded_on", "agency__code", "agency__name",
            "agency__kind", "subject__person_id", "related_person__person_id", "extra")


def care_statuses(child_id: int, reader: Reader, on: dt.date) -> list[CareStatus]:
    """The statuses the child holds on the day, the strongest first, each from the latest
    start event (about the child, shown to ``reader``) not followed by its end."""
    records = PersonRecord.objects.filter(person_id=child_id).values("id")
    types = [*STATUS_EVENTS, *CLOSES_ALL]
    rows = (Event.objects.filter(is_current=True, subject__in=records, event_type__in=types,
                                 occurred_on__lte=on)
            .order_by("occurred_at", "id").values(*_COLUMNS))
    open_: dict[str, CareStatus] = {}
    for row in rows:
        if not _shown(reader, row):
            continue
        if row["event_type"] in CLOSES_ALL:
            open_ = {c: s for c, s in open_.items() if s.agency != row["agency__code"]}
            continue
        code, starts = STATUS_EVENTS[row["event_type"]]
        if starts and code not in open_:
            open_[code] = CareStatus(code, row["occurred_on"], row["agency__code"],
                                     row["agency__name"])
        elif not starts:
            open_.pop(code, None)
    return [open_[c] for c in STATUS_LABELS if c in open_]


def _reach(child_id: int) -> set[int]:
    reach = {child_id}
    for relation in relations_around(child_id):
        reach.update((relation.person_id, relation.related_id))
    return reach


def _practitioner(rows: list[dict[str, Any]]) -> Practitioner:
    """One agency's practitioner from its events, the latest first: each field as the
    latest event that sent it has it (the name and contact only from events that may name
    the practitioner to this reader)."""
    sent = {key: next((str(r["extra"][key]).strip() for r in rows
                       if str(r["extra"].get(key, "")).strip()
                       and (key == "worker_role" or r["names_worker"])), "")
            for key in WORKER_FIELDS}
    first = rows[0]
    return Practitioner(first["agency__code"], first["agency__name"], sent["worker_role"],
                        sent["worker_name"], sent["worker_contact"],
                        is_lead(sent["lead_professional"]), first["recorded_on"])


def practitioners(child_id: int, reader: Reader, on: dt.date) -> list[Practitioner]:
    """The practitioner of each agency involved with the child on the day (through its
    events in the involvement period), the lead professional first and then by agency.
    Where more than one agency names a lead professional, the latest to do so leads."""
    agencies = involved_agencies(child_id, on)
    since = on - dt.timedelta(days=involvement_days())
    rows = (Event.objects.filter(is_current=True, agency_id__in=agencies,
                                 recorded_on__lte=on, recorded_on__gte=since)
            .filter(touching(_reach(child_id), "subject_id", "related_person_id"))
            .order_by("-recorded_at", "-id").values(*_COLUMNS))
    by_agency: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if _shown(reader, row):
            by_agency.setdefault(row["agency__code"], []).append(row)
    found = [_practitioner(rows) for rows in by_agency.values()]
    leads = sorted((p for p in found if p.lead), key=lambda p: p.last_recorded, reverse=True)
    lead = leads[0] if leads else None
    rest = sorted((replace(p, lead=False) for p in found if p is not lead),
                  key=lambda p: p.agency_name)
    return [lead, *rest] if lead else rest
