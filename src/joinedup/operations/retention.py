"""`joinedup retention run`: what the schedule says is due, and removing or pseudonymising it.

:func:`run` goes through the record classes of the schedule (``retention_schedule.py``) in
order. For each it finds what is due on the ``as_of`` date; a dry run stops there. Applying
does each class in one transaction, together with one audit entry for the class (action
``change``, object ``retention``/<class>, the counts in its details), so a class is either
done and audited or not done at all. Only what still holds something to remove is due, so a second
run changes nothing and writes nothing.

The audit trail itself is never edited or deleted (``audit_trail`` is a ``keep`` class: its
old entries are reported, not removed), so ``joinedup audit verify`` passes after any run.

Pseudonymised person records keep their ids, sex, flags and links; their names, date of
birth, NHS number, postcode, address and extra columns are blanked (empty, so that linkage
treats them as missing, never as a match) in the record and in every stored version. Their
content fingerprint stays, so an agency re-sending the same old record changes nothing; a
corrected record sent later is loaded as usual and the next run decides again. Records of
one person are tied together with must-link decisions, so later linkage runs cannot split a
person whose details are gone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from joinedup.access import audit
from joinedup.access.models import AuditAction, AuditEntry, BreakGlass
from joinedup.alerts.models import AlertChange
from joinedup.chronology.models import Event
from joinedup.information_requests.models import (
    InformationRequest,
    MeetingAction,
    ProfessionalsMeeting,
    RequestChange,
    RequestStatus,
)
from joinedup.ingest.models import QuarantinedRow, RowWarning
from joinedup.operations.person_retention import PeopleDue, add_years, people_due
from joinedup.operations.retention_schedule import ACTIONS, RecordClass, Schedule
from joinedup.people.models import LinkDecision, PersonRecord, PersonRecordVersion

REMOVED_TEXT = "(removed under the retention schedule)"
IDENTIFYING = ("given_name", "family_name", "other_names", "date_of_birth", "nhs_number",
               "postcode", "address", "extra", "date_of_birth_text", "nhs_number_text", "uprn")
BLANK: dict[str, Any] = {"given_name": "", "family_name": "", "other_names": [],
                         "date_of_birth": None, "nhs_number": "", "postcode": "",
                         "address": "", "extra": {}, "date_of_birth_text": "",
                         "nhs_number_text": "", "uprn": ""}
CHUNK = 900  # ids per IN (...): under SQLite's limit on query parameters


@dataclass
class ClassResult:
    """One record class on one run: how many are due, since when, and what was done."""

    name: str
    label: str
    action: str
    period: str
    enabled: bool
    due: int = 0
    oldest: dt.date | None = None  # the earliest day any of them fell due
    done: int = 0
    details: dict[str, int] = field(default_factory=dict)
    note: str = ""

    @property
    def what_happens(self) -> str:
        return ACTIONS[self.action] if self.enabled else "switched off"

    def as_json(self) -> dict[str, Any]:
        return {"class": self.name, "label": self.label, "action": self.action,
                "period": self.period, "enabled": self.enabled, "due": self.due,
                "oldest_due_on": self.oldest.isoformat() if self.oldest else None,
                "done": self.done, "details": self.details, "note": self.note}


def chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def cutoff(cls: RecordClass, as_of: dt.date) -> dt.date:
    """Things counted from before this day are due."""
    if cls.keep_years is not None:
        return add_years(as_of, -cls.keep_years)
    return as_of - dt.timedelta(days=cls.keep_days or 0)


def due_from(cls: RecordClass, earliest: dt.date | dt.datetime | None) -> dt.date | None:
    """The day the oldest of them fell due, from the day it is counted from."""
    if earliest is None:
        return None
    day = timezone.localdate(earliest) if isinstance(earliest, dt.datetime) else earliest
    if cls.keep_years is not None:
        return add_years(day, cls.keep_years)
    return day + dt.timedelta(days=cls.keep_days or 0)


@dataclass
class Context:
    schedule: Schedule
    as_of: dt.date
    who: str
    _people: PeopleDue | None = None

    def people(self) -> PeopleDue:
        if self._people is None:
            self._people = people_due(self.schedule, self.as_of)
        return self._people


# -- the classes ---------------------------------------------------------------------------
# Each finder returns (how many are due, the oldest due day, a function doing it that returns
# the counts per table).

Found = tuple[int, dt.date | None, Callable[[], dict[str, int]]]


def _quarantine(cls: RecordClass, ctx: Context) -> Found:
    before = start_of(cutoff(cls, ctx.as_of))
    rows = QuarantinedRow.objects.filter(submission__received_at__lt=before)
    warnings = RowWarning.objects.filter(submission__received_at__lt=before)
    earliest = [q.aggregate(m=Min("submission__received_at"))["m"] for q in (rows, warnings)]
    oldest = min((e for e in earliest if e is not None), default=None)

    def apply() -> dict[str, int]:
        return {"quarantined_rows": rows.delete()[0], "row_warnings": warnings.delete()[0]}

    return rows.count() + warnings.count(), due_from(cls, oldest), apply


def _holds_details(values: dict[str, Any]) -> bool:
    return any(values.get(k) not in (None, "", [], {}) for k in IDENTIFYING)


def _blank_content(content: Any) -> Any:
    if not isinstance(content, dict):
        return content
    return {key: BLANK[key] if key in BLANK else value for key, value in content.items()}


def _person_details(cls: RecordClass, ctx: Context) -> Found:
    people = ctx.people()
    changing: set[int] = set()
    versions: dict[int, Any] = {}
    for chunk in chunks(people.records()):
        for values in PersonRecord.objects.filter(id__in=chunk).values("id", *IDENTIFYING):
            if _holds_details(values):
                changing.add(values["id"])
        for vid, record_id, content in PersonRecordVersion.objects.filter(
                person_record_id__in=chunk).values_list("id", "person_record_id", "content"):
            if _blank_content(content) != content:
                versions[vid] = _blank_content(content)
                changing.add(record_id)
    key_of = {r: key for key in people.due for r in people.facts[key].records}
    keys = {key_of[r] for r in changing}
    oldest = min((people.due[k].until for k in keys), default=None)

    def apply() -> dict[str, int]:
        now = timezone.now()
        ids = sorted(changing)
        for chunk in chunks(ids):
            PersonRecord.objects.filter(id__in=chunk).update(**BLANK, pseudonymised_at=now)
        rows = [PersonRecordVersion(id=vid, content=content) for vid, content in versions.items()]
        PersonRecordVersion.objects.bulk_update(rows, ["content"], batch_size=500)
        tied = _keep_together([people.facts[k].records for k in keys if k > 0], ctx.who)
        return {"person_records": len(ids), "persons": len(keys), "versions": len(rows),
                "kept_together": tied}

    return len(changing), oldest, apply


def _keep_together(groups: list[list[int]], who: str) -> int:
    """Must-link decisions between the records of each person, so that linkage, which can no
    longer compare their details, keeps them one person."""

    live = set(LinkDecision.objects.filter(withdrawn_at__isnull=True).values_list(
        "record_a_id", "record_b_id"))
    made = [LinkDecision(record_a_id=a, record_b_id=b, decision=LinkDecision.MUST_LINK, who=who,
                         why="Kept together: their identifying details were removed under "
                             "the retention schedule, so linkage can no longer compare them.")
            for records in groups for a, b in zip(sorted(records), sorted(records)[1:],
                                                   strict=False)
            if (a, b) not in live]
    LinkDecision.objects.bulk_create(made, batch_size=500)
    return len(made)


def _case_text(cls: RecordClass, ctx: Context) -> Found:
    if not ctx.schedule.classes["person_details"].enabled:
        return 0, None, dict  # it follows person_details, switched off
    people = ctx.people()
    key_of = {r: key for key in people.due for r in people.facts[key].records}
    found: dict[str, list[int]] = {"events": [], "meetings": [], "meeting_actions": [],
                                   "alert_notes": [], "information_requests": []}
    keys: set[int] = set()
    for chunk in chunks(people.records()):
        for event_id, subject in Event.objects.filter(
                ~Q(summary="") | ~Q(extra={}), subject_id__in=chunk).values_list(
                "id", "subject_id"):
            found["events"].append(event_id)
            keys.add(key_of[subject])
    for chunk in chunks(people.persons()):
        tables: dict[str, QuerySet[Any]] = {
            "meetings": ProfessionalsMeeting.objects.filter(child_id__in=chunk).exclude(
                decisions=REMOVED_TEXT, chaired_by="").values_list("id", "child_id"),
            "meeting_actions": MeetingAction.objects.filter(meeting__child_id__in=chunk).exclude(
                description=REMOVED_TEXT).values_list("id", "meeting__child_id"),
            "alert_notes": AlertChange.objects.filter(alert__child_id__in=chunk).exclude(
                note="").values_list("id", "alert__child_id"),
        }
        for name, rows in tables.items():
            for row_id, key in rows:
                found[name].append(row_id)
                keys.add(key)
        for row_id, person, child in InformationRequest.objects.filter(
                TEXT_LEFT, Q(person_id__in=chunk) | Q(child_id__in=chunk)).values_list(
                "id", "person_id", "child_id").distinct():
            found["information_requests"].append(row_id)
            keys.update(k for k in (person, child) if k in people.due)
    found["information_requests"] = sorted(set(found["information_requests"]))
    oldest = min((people.due[k].until for k in keys), default=None)

    def apply() -> dict[str, int]:
        for chunk in chunks(found["events"]):
            Event.objects.filter(id__in=chunk).update(summary="", extra={})
        for chunk in chunks(found["meetings"]):
            ProfessionalsMeeting.objects.filter(id__in=chunk).update(decisions=REMOVED_TEXT,
                                                                     chaired_by="")
        for chunk in chunks(found["meeting_actions"]):
            MeetingAction.objects.filter(id__in=chunk).update(description=REMOVED_TEXT)
        for chunk in chunks(found["alert_notes"]):
            AlertChange.objects.filter(id__in=chunk).update(note="")
        _remove_request_text(found["information_requests"])
        return {name: len(ids) for name, ids in found.items()}

    return sum(len(ids) for ids in found.values()), oldest, apply


TEXT_LEFT = (~Q(question=REMOVED_TEXT) | ~Q(response="") | ~Q(withdrawn_reason="")
             | Q(changes__note__gt=""))
"""An information request that still holds text to remove."""


def _remove_request_text(ids: list[int]) -> None:
    for chunk in chunks(ids):
        InformationRequest.objects.filter(id__in=chunk).update(
            question=REMOVED_TEXT, response="", withdrawn_reason="")
        RequestChange.objects.filter(request_id__in=chunk).exclude(note="").update(note="")


def _information_requests(cls: RecordClass, ctx: Context) -> Found:
    before = cutoff(cls, ctx.as_of)
    due = InformationRequest.objects.filter(
        Q(status=RequestStatus.RECEIVED, received_on__lt=before)
        | Q(status=RequestStatus.WITHDRAWN, withdrawn_on__lt=before)).filter(TEXT_LEFT)
    ids = sorted(set(due.values_list("id", flat=True)))
    first = due.aggregate(received=Min("received_on"), withdrawn=Min("withdrawn_on"))
    oldest = min((d for d in first.values() if d is not None), default=None)

    def apply() -> dict[str, int]:
        _remove_request_text(ids)
        return {"information_requests": len(ids)}

    return len(ids), due_from(cls, oldest), apply


def _deleting(query: QuerySet[Any], field_name: str, cls: RecordClass, label: str) -> Found:
    oldest = query.aggregate(m=Min(field_name))["m"]

    def apply() -> dict[str, int]:
        return {label: query.delete()[0]}

    return query.count(), due_from(cls, oldest), apply


def _break_glass(cls: RecordClass, ctx: Context) -> Found:
    query = BreakGlass.objects.filter(reviewed_at__lt=start_of(cutoff(cls, ctx.as_of)))
    return _deleting(query, "reviewed_at", cls, "break_glass")


def _sessions(cls: RecordClass, ctx: Context) -> Found:
    from django.contrib.sessions.models import Session

    query = Session.objects.filter(expire_date__lt=start_of(cutoff(cls, ctx.as_of)))
    return _deleting(query, "expire_date", cls, "sessions")


def _sign_in_records(cls: RecordClass, ctx: Context) -> Found:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    before = start_of(cutoff(cls, ctx.as_of))
    queries = {"access_attempts": AccessAttempt.objects.filter(attempt_time__lt=before),
               "access_failures": AccessFailureLog.objects.filter(attempt_time__lt=before),
               "access_log": AccessLog.objects.filter(attempt_time__lt=before)}
    earliest = [q.aggregate(m=Min("attempt_time"))["m"] for q in queries.values()]

    def apply() -> dict[str, int]:
        return {name: q.delete()[0] for name, q in queries.items()}

    return (sum(q.count() for q in queries.values()),
            due_from(cls, min((e for e in earliest if e is not None), default=None)), apply)


def _audit_trail(cls: RecordClass, ctx: Context) -> Found:
    old = AuditEntry.objects.filter(at__lt=start_of(cutoff(cls, ctx.as_of)))
    return old.count(), due_from(cls, old.aggregate(m=Min("at"))["m"]), dict


FINDERS: dict[str, Callable[[RecordClass, Context], Found]] = {
    "quarantine": _quarantine,
    "person_details": _person_details,
    "case_text": _case_text,
    "information_requests": _information_requests,
    "break_glass": _break_glass,
    "sessions": _sessions,
    "sign_in_records": _sign_in_records,
    "audit_trail": _audit_trail,
}


def run(schedule: Schedule, as_of: dt.date, *, apply: bool, who: str) -> list[ClassResult]:
    """Every class of the schedule on ``as_of``: what is due and, with ``apply``, done."""

    ctx = Context(schedule, as_of, who)
    results = []
    for name, finder in FINDERS.items():
        cls = schedule.classes[name]
        result = ClassResult(name, cls.label, cls.action, cls.period, cls.enabled)
        results.append(result)
        if not cls.enabled:
            result.note = "switched off in the schedule: nothing looked at"
            continue
        if cls.action == "keep":
            result.due, result.oldest, _ = finder(cls, ctx)
            result.note = "exempt: kept, never removed by joinedup (docs/retention.md)"
            continue
        if not apply:
            result.due, result.oldest, _ = finder(cls, ctx)
            continue
        with transaction.atomic():  # the class and its audit entry, or neither
            result.due, result.oldest, do = finder(cls, ctx)
            if not result.due:
                continue
            result.details = do()
            result.done = result.due
            audit.record(who, AuditAction.CHANGE, object_type="retention", object_id=name,
                         reason=f"Retention schedule: {cls.label}: {ACTIONS[cls.action]} "
                                f"({cls.period}, counted from {cls.counted_from})",
                         details={"as_of": as_of.isoformat(), "class": name,
                                  "action": cls.action, "counts": result.details,
                                  "schedule": schedule.source})
    return results
