"""Until when each person's identifying details are kept, under the schedule's person rules.

A *person* here is a linked person (its id), or a person record not linked to anyone yet
(its key is minus the record's id). For each, every rule that applies gives a date, and the
person is kept until the latest of them (:func:`keep_until`):

- ``years_after_last_activity``: after the last day any agency recorded something about
  them (an event's occurred or recorded date, as subject or related person); for someone with
  no events, the day their record was first received;
- ``until_birthday``: their birthday of that age (the latest date of birth their records
  give). A rule that needs evidence (looked after) and has it, but no date of birth, keeps the
  person for ever: the date cannot be worked out, so nothing is removed;
- ``years_after_evidence``: after the last event that is the rule's evidence (for evidence
  that is only a flag, after their last activity);
- ``keep_always``: for ever, while the evidence exists (the child of a practice review).

With ``family_network`` the people around a person keep them: everyone is kept until the
latest date of anyone within two relationships of them (the reach of the family network
page: a child's parents, and their partners and other children), so an adult stays on a
child's chronology for as long as the child's record is kept.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Max, Min
from django.utils import timezone

from joinedup.chronology.models import Event
from joinedup.operations.retention_schedule import PersonRule, Schedule
from joinedup.people.models import PersonRecord, PersonRecordVersion, RelationshipRecord
from joinedup.reviews.models import Review

FOREVER = dt.date.max


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=min(day.year + years, dt.MAXYEAR))
    except ValueError:  # 29 February in a year without one
        return day.replace(year=min(day.year + years, dt.MAXYEAR), day=28)


@dataclass
class Facts:
    """What the rules need to know about one person."""

    records: list[int] = field(default_factory=list)
    date_of_birth: dt.date | None = None
    flags: set[str] = field(default_factory=set)
    last_event: dt.date | None = None
    first_received: dt.date | None = None
    evidence: dict[str, dt.date] = field(default_factory=dict)  # rule name -> last evidence
    reviewed: bool = False

    @property
    def last_activity(self) -> dt.date | None:
        return self.last_event or self.first_received


@dataclass(frozen=True)
class Kept:
    until: dt.date  # FOREVER: no end
    rule: str
    by: int  # the person whose rule it is (themself, or someone in their network)


def keep_until(facts: Facts, rules: Iterable[PersonRule], key: int) -> Kept | None:
    """The latest date any rule keeps this person until (None: no rule applies)."""
    best: Kept | None = None
    for rule in rules:
        until = _rule_until(facts, rule)
        if until is not None and (best is None or until > best.until):
            best = Kept(until, rule.name, key)
    return best


def _rule_until(facts: Facts, rule: PersonRule) -> dt.date | None:
    evidence = facts.evidence.get(rule.name)
    has_evidence = evidence is not None or bool(facts.flags & set(rule.flags)) or (
        rule.reviewed_child and facts.reviewed)
    if rule.needs_evidence and not has_evidence:
        return None
    if rule.keep_always:
        return FOREVER
    if rule.years_after_last_activity is not None:
        last = facts.last_activity
        return add_years(last, rule.years_after_last_activity) if last else None
    if rule.until_birthday is not None:
        if facts.date_of_birth is None:
            return FOREVER if rule.needs_evidence else None
        return add_years(facts.date_of_birth, rule.until_birthday)
    if rule.years_after_evidence is not None:
        since = evidence or facts.last_activity
        return add_years(since, rule.years_after_evidence) if since else FOREVER
    return None


def gather(schedule: Schedule) -> tuple[dict[int, Facts], dict[int, set[int]]]:
    """The facts of every person, and who is related to whom (by person key)."""

    facts: dict[int, Facts] = defaultdict(Facts)
    key_of: dict[int, int] = {}
    for record_id, person_id, born, flags in PersonRecord.objects.values_list(
            "id", "person_id", "date_of_birth", "flags").iterator(chunk_size=5000):
        key = person_id if person_id is not None else -record_id
        key_of[record_id] = key
        person = facts[key]
        person.records.append(record_id)
        if born is not None and (person.date_of_birth is None or born > person.date_of_birth):
            person.date_of_birth = born
        person.flags.update(str(f).upper() for f in flags or [])
    for record_id, first in PersonRecordVersion.objects.values_list(
            "person_record_id").annotate(first=Min("loaded_at")):
        person = facts[key_of[record_id]]
        day = timezone.localdate(first)
        if person.first_received is None or day < person.first_received:
            person.first_received = day
    _last_events(facts, key_of)
    _evidence(facts, key_of, schedule)
    for child_id in Review.objects.values_list("child_id", flat=True):
        if child_id in facts:
            facts[child_id].reviewed = True
    related: dict[int, set[int]] = defaultdict(set)
    for a, b in RelationshipRecord.objects.values_list(
            "person_id", "related_person_id").distinct().iterator(chunk_size=5000):
        ka, kb = key_of.get(a), key_of.get(b)
        if ka is not None and kb is not None and ka != kb:
            related[ka].add(kb)
            related[kb].add(ka)
    return dict(facts), dict(related)


def _last_events(facts: dict[int, Facts], key_of: dict[int, int]) -> None:
    def later(person: Facts, *days: dt.date | None) -> None:
        for day in days:
            if day is not None and (person.last_event is None or day > person.last_event):
                person.last_event = day

    for column in ("subject_id", "related_person_id"):
        rows = Event.objects.exclude(**{column: None}).values_list(column).annotate(
            occurred=Max("occurred_on"), recorded=Max("recorded_on"))
        for record_id, occurred, recorded in rows:
            if record_id in key_of:
                later(facts[key_of[record_id]], occurred, recorded)


def _evidence(facts: dict[int, Facts], key_of: dict[int, int], schedule: Schedule) -> None:
    """Fill in each person's last evidence date per rule from their events."""

    def note(rule: PersonRule, record_id: int, day: dt.date) -> None:
        person = facts.get(key_of.get(record_id, 0))
        if person is not None and (rule.name not in person.evidence
                                   or day > person.evidence[rule.name]):
            person.evidence[rule.name] = day

    for rule in schedule.person_rules:
        if rule.event_types:
            for record_id, day in Event.objects.filter(
                    event_type__in=rule.event_types).values_list("subject_id").annotate(
                    last=Max("occurred_on")):
                note(rule, record_id, day)
        wanted = {d.event_type for d in rule.details}
        if wanted:
            for record_id, event_type, details, day in Event.objects.filter(
                    event_type__in=wanted).values_list(
                    "subject_id", "event_type", "details", "occurred_on").iterator(
                    chunk_size=5000):
                if any(d.event_type == event_type and isinstance(details, dict)
                       and str(details.get(d.key, "")).strip().upper() in d.values
                       for d in rule.details):
                    note(rule, record_id, day)


@dataclass
class PeopleDue:
    """Everyone whose details are past the schedule on a date, and until when each is kept."""

    as_of: dt.date
    kept: dict[int, Kept]  # every person with a rule
    due: dict[int, Kept]
    facts: dict[int, Facts]

    def records(self) -> list[int]:
        return sorted(r for key in self.due for r in self.facts[key].records)

    def persons(self) -> list[int]:
        return sorted(key for key in self.due if key > 0)


def people_due(schedule: Schedule, as_of: dt.date) -> PeopleDue:
    facts, related = gather(schedule)
    own = {key: found for key, f in facts.items()
           if (found := keep_until(f, schedule.person_rules, key)) is not None}
    kept: dict[int, Kept] = {}
    for key in facts:
        reach = {key}
        if schedule.family_network:
            near = related.get(key, set())
            reach |= near
            for other in near:
                reach |= related.get(other, set())
        candidates = [own[k] for k in reach if k in own]
        if candidates:
            kept[key] = max(candidates, key=lambda k: (k.until, k.by == key))
    due = {key: k for key, k in kept.items() if k.until < as_of}
    return PeopleDue(as_of, kept, due, facts)
