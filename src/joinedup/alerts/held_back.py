"""Held back by late recording: where a late entry kept an urgent or high alert off the
records (issue 16).

A late recording is an agency measure ("Recorded late", ``agency_measures``); it touches a
child's alert only where it held back an urgent or high one. For a stored alert:

- it **could have been raised** on its ``fired_on``: a run over everything now known finds
  each firing on the day it became true on what had happened;
- the **records made it true** on the day the last entry it needed was recorded: the later
  of ``fired_on`` and the recorded date of each evidence entry that had happened by then
  (entries after ``fired_on``, such as the entry a run recognised as its action, are not
  needed for the firing);
- it was **held back by late recording** when its priority is urgent or high and some entry
  it needed was recorded after ``fired_on`` and more than ``late_after()`` working days
  after it happened (the "Recorded late" rule's threshold). Those are its late entries.

This is worked out directly from the evidence's dates, one query for many alerts, so a page
or a list can afford it; replay (``replay.py``) finds the day by running the rules again on
what had been recorded by each day, which takes seconds a child (2 s for Baby S). The two
agree on every urgent and high alert of the Baby S scenario (tests/alerts/test_held_back.py).
They can differ where a firing needed only some of its evidence (one of several counted
concerns recorded late: the day here is then too late), where a correction rather than the
first recording made an entry count (too late), or where a rule reads an entry it does not
keep as evidence (too early: on Baby S, one routine alert about a parent's thin care history
by 3 days).

The entries are plain data; each interface shows them through the visibility gate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from joinedup.alerts.agency_measures import late_after
from joinedup.alerts.models import Alert
from joinedup.alerts.replay import ReplayLine
from joinedup.chronology.models import Event
from joinedup.workdays import working_days_between

ASKING_SOON = ("urgent", "high")
"""The priorities a late recording may touch."""


@dataclass(frozen=True)
class Entry:
    """One evidence entry's dates and who recorded it."""

    event_pk: int
    agency_code: str
    agency_name: str
    agency_kind: str
    source_id: str
    event_type: str
    occurred_on: dt.date
    recorded_on: dt.date
    subject_id: int | None = None
    related_id: int | None = None

    @property
    def working_days_late(self) -> int:
        return max(0, working_days_between(self.occurred_on, self.recorded_on))


@dataclass(frozen=True)
class HeldBack:
    """An alert that late recording held back: the day it could have been raised on what had
    happened, the day the records made it true, and the entries recorded late."""

    alert_id: int
    could_have_been_raised_on: dt.date
    records_made_it_true_on: dt.date
    late: tuple[Entry, ...]

    @property
    def days(self) -> int:
        return (self.records_made_it_true_on - self.could_have_been_raised_on).days

    def as_dict(self) -> dict[str, Any]:
        return {"could_have_been_raised_on": self.could_have_been_raised_on.isoformat(),
                "records_made_it_true_on": self.records_made_it_true_on.isoformat(),
                "days": self.days,
                "late_entries": [{"agency": e.agency_code, "event_id": e.source_id,
                                  "event_type": e.event_type,
                                  "occurred_on": e.occurred_on.isoformat(),
                                  "recorded_on": e.recorded_on.isoformat(),
                                  "working_days_late": e.working_days_late}
                                 for e in self.late]}


def known_on(fired_on: dt.date, evidence: Iterable[Entry]) -> dt.date:
    """The day the records made a firing of ``fired_on`` true: the last recording among the
    entries it needed (those that had happened by ``fired_on``)."""
    return max([fired_on, *(e.recorded_on for e in evidence if e.occurred_on <= fired_on)])


def late_entries(fired_on: dt.date, evidence: Iterable[Entry], *,
                 after: int | None = None) -> tuple[Entry, ...]:
    """The entries a firing of ``fired_on`` needed that were recorded after it and more than
    ``after`` (the "Recorded late" threshold) working days after they happened."""
    threshold = late_after() if after is None else after
    return tuple(sorted((e for e in evidence if e.occurred_on <= fired_on < e.recorded_on
                         and e.working_days_late > threshold),
                        key=lambda e: (e.recorded_on, e.occurred_on, e.agency_code,
                                       e.source_id)))


_ENTRY_FIELDS = ("agency__code", "agency__name", "agency__kind", "source_id", "event_type",
                 "occurred_on", "recorded_on", "subject__person_id",
                 "related_person__person_id")


def evidence_of(alert_ids: Iterable[int]) -> dict[int, list[Entry]]:
    """Each alert's evidence entries with their dates, in one query (per 500 alerts)."""
    ids = sorted(set(alert_ids))
    found: dict[int, list[Entry]] = defaultdict(list)
    through = Alert.evidence.through
    for start in range(0, len(ids), 500):
        rows = through.objects.filter(alert_id__in=ids[start:start + 500]).values_list(
            "alert_id", "event_id", *(f"event__{name}" for name in _ENTRY_FIELDS))
        for alert_id, *fields in rows.order_by("alert_id", "event__occurred_at", "event_id"):
            found[alert_id].append(Entry(*fields))
    return found


def _held_back(alert: Alert, evidence: list[Entry], after: int) -> HeldBack | None:
    if alert.priority not in ASKING_SOON:
        return None
    needed = [e for e in evidence if e.event_pk != alert.actioned_by_id]
    late = late_entries(alert.fired_on, needed, after=after)
    if not late:
        return None
    return HeldBack(alert.pk, alert.fired_on, known_on(alert.fired_on, needed), late)


def held_back_alerts(alerts: list[Alert]) -> dict[int, HeldBack]:
    """The urgent or high alerts among ``alerts`` that late recording held back, by id."""
    asking = [a for a in alerts if a.priority in ASKING_SOON]
    evidence = evidence_of(a.pk for a in asking)
    after = late_after()
    found = {a.pk: _held_back(a, evidence[a.pk], after) for a in asking}
    return {pk: item for pk, item in found.items() if item is not None}


def visible_on(alerts: list[Alert]) -> dict[int, dt.date]:
    """The day the records made each alert true (see the module's docstring), by id."""
    evidence = evidence_of(a.pk for a in alerts)
    return {a.pk: known_on(a.fired_on, [e for e in evidence[a.pk]
                                        if e.event_pk != a.actioned_by_id])
            for a in alerts}


def late_in_replay(lines: list[ReplayLine]) -> dict[tuple[str, str], tuple[Entry, ...]]:
    """For each replayed firing that the records showed later than it happened, by (rule,
    key): the entries it needed that were recorded late after the day it happened."""
    delayed = [line for line in lines if line.delay_days]
    wanted = sorted({pk for line in delayed for pk in line.evidence})
    entries: dict[int, Entry] = {}
    for start in range(0, len(wanted), 500):
        for pk, *fields in (Event.objects.filter(pk__in=wanted[start:start + 500])
                            .values_list("pk", *_ENTRY_FIELDS)):
            entries[pk] = Entry(pk, *fields)
    after = late_after()
    found = {(line.rule, line.key): late_entries(
        line.happened_on, [entries[pk] for pk in line.evidence if pk in entries], after=after)
        for line in delayed}
    return {key: late for key, late in found.items() if late}
