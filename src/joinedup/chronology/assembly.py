"""One multi-agency chronology per child: every agency's events about the child and the
people around them, in date order, each with its provenance.

Whose events: the child's, and those of every person in the child's family network
(:func:`joinedup.people.network.network_for`: parents, partners, household members,
grandparents, siblings, relatives), because the risk to a baby is often held by adult
services about the adults ("The Myth of Invisible Men"). Events of anyone whose related
person is the child are included too (a police incident recorded against an adult with the
child present).

Bitemporal options (docs/chronology.md):

- ``as_of D`` keeps the events that had happened by D (``occurred_on <= D``);
- ``known_by K`` shows what had been recorded by K, choosing versions as
  :mod:`joinedup.chronology.versions` describes; without it, the current versions.

With a ``viewer`` (a :class:`joinedup.visibility.Reader`) the visibility gate is
applied for that reader (:mod:`joinedup.chronology.sharing`): withheld events are left
out (also of the gaps, so a gap never hints at them), headline events keep their type and
date but not their summary or details. Without one nothing is narrowed (the data
steward's command line).

:func:`build` is pure (plain values in, a :class:`Chronology` out); :func:`assemble` reads
the database in a handful of queries (the network, the persons' names, all versions of the
events of the network's records in one query: :mod:`joinedup.chronology.stored_events`)
and calls it. A chronology of 2,000 events assembles in well under 100 ms
(docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from joinedup.agencies.models import Agency
from joinedup.chronology.gaps import (
    QUIET_DAYS,
    STOPPED_DAYS,
    STOPPED_MIN_EVENTS,
    Gap,
    quiet_periods,
    stopped_agencies,
)
from joinedup.chronology.search import matches
from joinedup.chronology.sharing import HEADLINE_SHARE, Shown
from joinedup.chronology.sharing import apply as apply_sharing
from joinedup.chronology.stored_events import load_versions
from joinedup.chronology.versions import EventVersion, visible_versions
from joinedup.local_time import ENGLAND
from joinedup.people.directory import summaries
from joinedup.people.network import CARER_ROLES, ROLE_LABELS, Network, network_for
from joinedup.visibility import Reader
from joinedup.vocabulary import CONCERN_EVENT_TYPES, event_label
from joinedup.workdays import working_days_between

CHILD_ROLE = "CHILD_SUBJECT"
OUTSIDE_ROLE = ""
OUTSIDE_LABEL = "outside the family network"
"""The role shown for the subject of an event included only because the child is its
related person, when that subject is not in the child's network."""
NOT_SEEING_THE_FAMILY = frozenset({"INFO_REQUEST_SENT"})
"""Entries that do not end the window gaps are looked for in: an agency asking another
about the family (joinedup records each request sent on the chronology)."""


@dataclass(slots=True)
class Entry:
    """One line of a chronology: one version of one agency event, with provenance.

    Not frozen: a frozen dataclass sets each field through ``object.__setattr__``, which
    made building 2,000 entries measurably slower; treat entries as read-only."""

    event: int  # the stored event version's primary key
    agency: str
    source_id: str  # the agency's own event id
    version: int
    occurred_at: dt.datetime
    occurred_on: dt.date
    occurred_time: dt.time | None  # in England; None when only the day is known
    event_type: str
    event_label: str
    person_id: int | None  # whose event it is
    role: str
    role_label: str
    person_name: str
    related_person_id: int | None
    summary: str
    recorded_on: dt.date
    recording_delay: int  # working days from occurred_on to recorded_on
    significance: str  # "concern" or ""
    worker_role: str
    details: dict[str, Any] = field(hash=False, compare=False)
    worker_name: str = ""
    worker_contact: str = ""
    """The practitioner who holds the entry, as the agency sent them (blank on a headline,
    whose summary names them where the sharing policy allows)."""
    shared_as: str = ""
    """For adult-services information shown to a reader outside the holding agency:
    "full" or "headline" (the summary is then the policy's replacement text); else empty."""
    lawful_basis: str = ""
    """The lawful basis of the share, when ``shared_as`` is set."""


class Entries(Sequence[Entry]):
    """A chronology's entries in order, each made the first time it is read: a page shows
    200 entries of a chronology that may have thousands, and making an entry (its time in
    England, its recording delay in working days, its labels) is most of the cost of
    assembling them. Reading them all (a download, ``list(entries)``) makes them all."""

    __slots__ = ("_versions", "_make", "_made", "_how")

    def __init__(self, versions: list[EventVersion], make: Callable[[EventVersion], Entry],
                 how: Mapping[int, Shown] | None = None) -> None:
        self._versions = versions
        self._make = make
        self._made: list[Entry | None] = [None] * len(versions)
        self._how = how or {}

    def __len__(self) -> int:
        return len(self._versions)

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> list[Entry]: ...

    def __getitem__(self, index: int | slice) -> Entry | list[Entry]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        made = self._made[index]
        if made is None:
            made = self._made[index] = self._make(self._versions[index])
        return made

    def __iter__(self) -> Iterator[Entry]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Entries({len(self)} entries)"

    # what a page needs of every entry, without making them all

    def days(self) -> list[dt.date]:
        """Each entry's day, in order."""
        return [v.occurred_on for v in self._versions]

    def agencies(self) -> set[str]:
        """The agencies whose events are among the entries."""
        return {v.agency for v in self._versions}

    def recorded_late(self, after: int) -> dict[str, tuple[int, int]]:
        """Per agency, how many of these entries were recorded more than ``after`` working
        days after they happened, and the longest delay (only agencies with any)."""
        delays: dict[tuple[dt.date, dt.date], int] = {}
        found: dict[str, tuple[int, int]] = {}
        for v in self._versions:
            pair = (v.occurred_on, v.recorded_on)
            delay = delays.get(pair)
            if delay is None:
                delay = delays[pair] = working_days_between(*pair)
            if delay > after:
                count, longest = found.get(v.agency, (0, 0))
                found[v.agency] = (count + 1, max(longest, delay))
        return found

    def shared_as(self, kind: str) -> int:
        """How many entries are shown to the reader as ``kind`` ("full", "headline")."""
        return sum(1 for v in self._versions
                   if (shown := self._how.get(v.pk)) is not None and shown.shared_as == kind)


@dataclass(frozen=True)
class NetworkPerson:
    """A person on the chronology's network table: the child first, then who is around
    them, with the agencies that hold a record of them."""

    person_id: int
    name: str
    role: str
    role_label: str
    roles: tuple[str, ...]  # every role, in plain words
    agencies: tuple[str, ...]  # agencies holding a record of the person
    stated_by: tuple[str, ...]  # agencies recording the relationship to the child
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class Filters:
    agencies: tuple[str, ...] = ()
    persons: tuple[int, ...] = ()
    types: tuple[str, ...] = ()
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    words: str = ""  # every word must be in what the reader is shown (chronology.search)


@dataclass
class Chronology:
    child_id: int
    child_name: str
    as_of: dt.date | None
    known_by: dt.date | None
    filters: Filters
    entries: Entries
    gaps: list[Gap]
    network: list[NetworkPerson]
    conflicts: list[str]
    agency_names: dict[str, str]
    start: dt.date | None  # the window the gaps were looked for in
    end: dt.date | None
    viewer: Reader | None = None  # whose view this is (None: not narrowed)


def build(child_id: int, versions: Iterable[EventVersion], network: Network,
          names: Mapping[int, str], holders: Mapping[int, Collection[str]] | None = None, *,
          as_of: dt.date | None = None, known_by: dt.date | None = None,
          filters: Filters | None = None, agency_names: Mapping[str, str] | None = None,
          today: dt.date | None = None, quiet_days: int = QUIET_DAYS,
          stopped_days: int = STOPPED_DAYS, viewer: Reader | None = None,
          agency_kinds: Mapping[str, str] | None = None) -> Chronology:
    """Pure: the chronology of ``child_id`` from every stored version of the events of the
    child and their network (``names``: person id to name; ``holders``: person id to the
    agencies holding a record of them). With ``viewer`` (and ``agency_kinds``: agency code
    to kind) the sharing policy is applied for that reader."""
    filters = filters or Filters()
    roles = _roles(child_id, network)
    shown = [v for v in visible_versions(versions, known_by)
             if as_of is None or v.occurred_on <= as_of]
    how: dict[int, Shown] = {}
    if viewer is not None:
        shown, how = apply_sharing(shown, viewer, agency_kinds or {})
    shown.sort(key=lambda v: (v.occurred_at, v.agency, v.source_id))
    wanted_agencies = {a.upper() for a in filters.agencies}
    wanted_persons = set(filters.persons)
    wanted_types = {t.upper() for t in filters.types}
    entries = Entries([
        v for v in shown
        if _in_period(v.occurred_on, filters)
        and (not wanted_agencies or v.agency in wanted_agencies)
        and (not wanted_persons or v.subject_person in wanted_persons
             or v.related_person in wanted_persons)
        and (not wanted_types or v.event_type in wanted_types)
        and (not filters.words or matches(filters.words, v, how.get(v.pk)))
    ], lambda v: _entry(v, roles, names, how.get(v.pk)), how)
    # Gaps look at every agency's events about the child and carers, whatever the agency,
    # person and type filters: a gap means nobody saw the family, not that a filter hid it.
    carers = {child_id} | {m.person_id for m in network.members if set(m.roles) & CARER_ROLES}
    own = [v for v in shown
           if _in_period(v.occurred_on, filters)
           and (v.subject_person in carers or v.related_person == child_id)]
    start, end = _window(child_id, own, as_of, filters, today or dt.date.today())
    gaps: list[Gap] = []
    if start is not None and end is not None and start <= end:
        in_window = [v for v in own if start <= v.occurred_on <= end]
        gaps = quiet_periods([v.occurred_on for v in in_window], start, end, quiet_days)
        gaps += stopped_agencies([(v.occurred_on, v.agency) for v in in_window], end,
                                 stopped_days, STOPPED_MIN_EVENTS, agency_names)
    return Chronology(
        child_id=child_id, child_name=names.get(child_id, f"person {child_id}"), as_of=as_of,
        known_by=known_by, filters=filters, entries=entries, gaps=gaps,
        network=_network_table(child_id, network, names, holders or {}, viewer),
        conflicts=[c.text for c in network.conflicts
                   if viewer is None or all(viewer.shows_statement(r.agency, r.person_id,
                                                                   r.related_id)
                                            for r in c.relations)],
        agency_names=dict(agency_names or {}), start=start, end=end, viewer=viewer)


def _roles(child_id: int, network: Network) -> dict[int, str]:
    roles = {m.person_id: m.role for m in network.members}
    roles[child_id] = CHILD_ROLE
    return roles


def _in_period(day: dt.date, filters: Filters) -> bool:
    return ((filters.period_from is None or day >= filters.period_from)
            and (filters.period_to is None or day <= filters.period_to))


def _entry(v: EventVersion, roles: Mapping[int, str], names: Mapping[int, str],
           shown: Shown | None = None) -> Entry:
    person = v.subject_person
    headline = shown is not None and shown.shared_as == HEADLINE_SHARE
    role = roles.get(person, OUTSIDE_ROLE) if person is not None else OUTSIDE_ROLE
    name = (names.get(person, "") if person is not None else "") or v.subject_name
    if headline and role == OUTSIDE_ROLE:
        # the minimum necessary: an adult outside the family network is not named in a
        # headline (the police arrest of a visitor with the child present, say)
        name = ""
    return Entry(
        event=v.pk, agency=v.agency, source_id=v.source_id, version=v.version,
        occurred_at=v.occurred_at, occurred_on=v.occurred_on,
        occurred_time=(v.occurred_at.astimezone(ENGLAND).time().replace(second=0,
                                                                          microsecond=0)
                       if v.occurred_time_known else None),
        event_type=v.event_type, event_label=event_label(v.event_type),
        person_id=person, role=role,
        role_label=ROLE_LABELS.get(role, OUTSIDE_LABEL) if role else OUTSIDE_LABEL,
        person_name=name, related_person_id=v.related_person,
        summary=shown.replacement if headline and shown else v.summary,
        recorded_on=v.recorded_on,
        recording_delay=working_days_between(v.occurred_on, v.recorded_on),
        significance="concern" if v.event_type in CONCERN_EVENT_TYPES else "",
        worker_role=v.worker_role, details={} if headline else v.details,
        worker_name="" if headline else v.worker_name,
        worker_contact="" if headline else v.worker_contact,
        shared_as=shown.shared_as if shown else "",
        lawful_basis=shown.lawful_basis if shown else "")


def _window(child_id: int, own: list[EventVersion], as_of: dt.date | None,
            filters: Filters, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """Where gaps are looked for, up to the as-of date (``as_of``, else today) only. Start:
    the period's start, else the child's first event (an unborn baby's included), else the
    carers' first. End: the earlier of as_of and the period's end, else the last event on or
    before the as-of date; never after it. An entry dated after the as-of date (a licence
    end or a conference planned ahead) never stretches the window, and nor does a request
    for information (asking about a family is not seeing it), so neither turns the months
    since the last event into a quiet period or every agency into one that stopped."""
    limit = min(as_of, today) if as_of is not None else today
    dated = [v for v in own if v.occurred_on <= limit]
    if not dated:
        return filters.period_from, None
    start = filters.period_from
    if start is None:
        childs = [v.occurred_on for v in dated
                  if child_id in (v.subject_person, v.related_person)]
        start = min(childs) if childs else min(v.occurred_on for v in dated)
    ends = [d for d in (as_of, filters.period_to) if d is not None]
    seen = [v.occurred_on for v in dated if v.event_type not in NOT_SEEING_THE_FAMILY]
    end = min(ends) if ends else max(seen or [v.occurred_on for v in dated])
    return start, min(end, limit)


def _network_table(child_id: int, network: Network, names: Mapping[int, str],
                   holders: Mapping[int, Collection[str]],
                   viewer: Reader | None = None) -> list[NetworkPerson]:
    rows = [NetworkPerson(child_id, names.get(child_id, f"person {child_id}"), CHILD_ROLE,
                          ROLE_LABELS[CHILD_ROLE], (ROLE_LABELS[CHILD_ROLE],),
                          tuple(sorted(holders.get(child_id, ()))), ())]
    for m in network.members:
        rows.append(NetworkPerson(
            m.person_id, names.get(m.person_id, f"person {m.person_id}"), m.role,
            ROLE_LABELS[m.role], tuple(ROLE_LABELS[r] for r in m.roles),
            tuple(sorted(holders.get(m.person_id, ()))),
            tuple(viewer.agencies(m.agencies) if viewer else m.agencies), m.since, m.until))
    return rows


# --- reading the database -----------------------------------------------------------------

def assemble(child_id: int, *, as_of: dt.date | None = None, known_by: dt.date | None = None,
             agencies: Iterable[str] | None = None, persons: Iterable[int] | None = None,
             types: Iterable[str] | None = None, words: str = "",
             period: tuple[dt.date | None, dt.date | None] = (None, None),
             quiet_days: int = QUIET_DAYS, stopped_days: int = STOPPED_DAYS,
             today: dt.date | None = None, viewer: Reader | None = None) -> Chronology:
    """The chronology of person ``child_id`` read from the database (see the module
    docstring). ``period`` is (from, to), both included, either may be None. ``viewer``:
    the reader the visibility gate is applied for (:func:`joinedup.access.readers.
    reader_for` gives a signed-in user's); None shows everything."""

    network = network_for(child_id)
    person_ids = [child_id, *(m.person_id for m in network.members)]
    people = summaries(person_ids)
    names = {pid: s.name for pid, s in people.items()}
    holders = {pid: {r.agency for r in s.records} for pid, s in people.items()}
    versions = load_versions(child_id, person_ids)
    agency_rows = list(Agency.objects.values_list("code", "name", "kind"))
    agency_names = {code: name for code, name, _ in agency_rows}
    agency_kinds = {code: kind for code, _, kind in agency_rows}
    if viewer is not None:  # names and holders as the gate lets this reader see them
        names = {pid: viewer.name(pid, name) for pid, name in names.items()}
        holders = {pid: set(viewer.agencies(codes)) if viewer.shows_identity(pid) else set()
                   for pid, codes in holders.items()}
        agency_names = {c: n for c, n in agency_names.items() if viewer.shows_agency(c)}
        for version in versions:
            if version.subject_person is not None and version.subject_person not in names:
                version.subject_name = viewer.name(version.subject_person,
                                                   version.subject_name)
    filters = Filters(tuple(agencies or ()), tuple(persons or ()), tuple(types or ()),
                      period[0], period[1], words)
    return build(child_id, versions, network, names, holders, as_of=as_of, known_by=known_by,
                 filters=filters, agency_names=agency_names, today=today,
                 quiet_days=quiet_days, stopped_days=stopped_days, viewer=viewer,
                 agency_kinds=agency_kinds)
