"""Group person records into persons, and keep person ids stable from one run to the next.

Grouping (:func:`cluster`)
    The model scores candidate pairs of records. A pair scoring at or above the threshold
    is a *link*. A data steward may also have *confirmed* pairs (must-link) and *rejected*
    pairs (cannot-link). Records are grouped with union-find, in this order:

    1. confirmed pairs, in order of (smaller id, larger id);
    2. links, highest probability first; equal probabilities in order of (smaller id,
       larger id). A pair scored twice counts once, at its highest probability.

    Two groups are joined unless the joined group would hold both records of a rejected
    pair; every record remembers the records it must never share a group with. Pairs
    *kept apart* (possible twins, ``people/linkage/births.py``) stop links the same way,
    but not confirmations: only a person may decide that two such records are one child.
    Where records' valid NHS numbers are given (``numbers``), two groups holding different
    numbers (and none in common) are joined only by a link between two records that both
    hold a number: the model then weighed the two numbers itself. A record with no number
    (a police record of "Lee Jones, born 14 August 1985") never joins two persons whose
    numbers say they are two people; it joins the one it matches best.

    What is guaranteed:

    - a rejected pair never ends up in one group (a rejection always wins);
    - a confirmed pair always ends up in one group, unless confirmations contradict
      rejections (confirm A-B, confirm B-C, reject A-C). The confirmation that would break
      a rejection is then not applied and is listed in ``Clustering.conflicts`` with a
      reason for the steward;
    - a link refused because of a rejection is listed in ``Clustering.refused_links``;
    - a pair kept apart never ends up in one group through links alone; a link that would
      join it is refused and listed in ``Clustering.refused_links`` too; a record linked
      about equally to both records of a pair kept apart (and kept apart from neither)
      joins neither of them: its links to them are refused and listed as well, unless a
      person has confirmed the two as one;
    - two records with different NHS numbers end up in one group through links only where
      one link joins two numbered records of their groups; a link from a record without a
      number that would join them is refused and listed in ``Clustering.refused_links``;
    - the same input in any order gives the same result.

Stable person ids (:func:`assign_person_ids`)
    Each group keeps the person id that held most of its records last run. Candidate
    (group, old id) pairs are taken largest overlap first, then smaller old id, then smaller
    group; an old id goes to one group at most. Groups left without an id get new ids
    counting up from ``next_id``, in order of their smallest record id. Every difference
    from the last run is described by a :class:`PersonChange`:

    - created: a group none of whose records were held by a person before;
    - merged: a group whose records were held by two or more persons;
    - split: a person whose records now sit in two or more groups;
    - retired: a person id no longer used;
    - grew: a person kept whole that gained records new since the last run;
    - shrank: a person kept that lost records which are no longer in any group.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Literal, NamedTuple

from joinedup.errors import LinkageError
from joinedup.people.linkage.ambiguity import torn_records
from joinedup.people.linkage.bulk import collection_paused
from joinedup.people.linkage.person_groups import Groups, RefusedLink

Pair = tuple[int, int]


class Conflict(NamedTuple):
    """A confirmed pair that was not applied, because applying it would break a rejection."""

    a: int
    b: int
    reason: str


@dataclass(frozen=True)
class Clustering:
    groups: list[frozenset[int]]  # ordered by smallest record id
    conflicts: list[Conflict]
    refused_links: list[RefusedLink]


@collection_paused()
def cluster(
    record_ids: Iterable[int],
    edges: Iterable[tuple[int, int, float]],
    threshold: float,
    must_link: Iterable[Pair] = (),
    cannot_link: Iterable[Pair] = (),
    kept_apart: Iterable[Pair] = (),
    numbers: Mapping[int, str] | None = None,
    maybe_one: Iterable[Pair] = (),
) -> Clustering:
    """Group records into persons; see the module docstring for the rules. ``maybe_one``:
    those of ``kept_apart`` that may still be one person (``ambiguity.torn_records``)."""
    records = set(record_ids)
    scored = list(edges)
    confirmed = list(must_link)
    rejected_pairs = list(cannot_link)
    apart_pairs = [pair for pair in kept_apart if pair[0] != pair[1]]
    _check_pairs(records, scored, confirmed + rejected_pairs + apart_pairs)
    if any(a == b for a, b in rejected_pairs):
        raise LinkageError("A record cannot be rejected as the same person as itself.")

    rejected: dict[int, set[int]] = defaultdict(set)
    for a, b in rejected_pairs:
        rejected[a].add(b)
        rejected[b].add(a)
    apart: dict[int, set[int]] = defaultdict(set)
    for a, b in apart_pairs:
        apart[a].add(b)
        apart[b].add(a)
    groups = Groups(records, rejected, apart, numbers)

    conflicts: list[Conflict] = []
    for a, b in sorted({_ordered(a, b) for a, b in confirmed if a != b}):
        if groups.find(a) == groups.find(b):
            continue
        clash = groups.clash(a, b)
        if clash is None:
            groups.join(a, b)
        else:
            conflicts.append(Conflict(a, b, _conflict_reason(a, b, clash)))

    strongest = _strongest(scored, threshold)
    links = sorted(strongest.items())  # then highest first; equal ones stay in pair order
    links.sort(key=itemgetter(1), reverse=True)
    # a pair a person confirmed as one is no longer two people a record could be torn between
    undecided = {record: open_pairs for record, others in apart.items()
                 if (open_pairs := {other for other in others
                                    if groups.find(other) != groups.find(record)})}
    unsure: dict[int, set[int]] = defaultdict(set)
    for a, b in maybe_one:
        unsure[a].add(b)
        unsure[b].add(a)
    refused = groups.link(links, torn_records(strongest, undecided, unsure))
    return Clustering(groups.groups(), conflicts, refused)


def _strongest(scored: list[tuple[int, int, float]], threshold: float) -> dict[Pair, float]:
    """The links: each pair at or over the threshold once, at its highest probability."""
    strongest: dict[Pair, float] = {}
    for a, b, probability in scored:
        if a == b or not probability >= threshold:
            continue
        pair = (a, b) if a <= b else (b, a)
        if pair not in strongest or probability > strongest[pair]:
            strongest[pair] = probability
    return strongest


def _ordered(a: int, b: int) -> Pair:
    return (a, b) if a <= b else (b, a)


def _check_pairs(records: set[int], scored: list[tuple[int, int, float]],
                 pairs: list[Pair]) -> None:
    if (records.issuperset(map(itemgetter(0), scored))
            and records.issuperset(map(itemgetter(1), scored))
            and records.issuperset(chain.from_iterable(pairs))):
        return
    unknown = sorted(({r for a, b, _ in scored for r in (a, b)}
                      | {r for pair in pairs for r in pair}) - records)
    if unknown:
        raise LinkageError(
            f"Pairs name {_listed('record', unknown)}, not among the records being grouped."
        )


def _conflict_reason(a: int, b: int, clash: Pair) -> str:
    if clash == (a, b):
        return (f"Records {a} and {b} were both confirmed and rejected as the same person; "
                "the rejection wins.")
    return (f"Records {a} and {b} were confirmed as the same person, but joining them would "
            f"also join records {clash[0]} and {clash[1]}, which were rejected as the same "
            "person; the confirmation was not applied.")


ChangeKind = Literal["created", "merged", "split", "retired", "grew", "shrank"]
_KINDS: tuple[ChangeKind, ...] = ("created", "merged", "split", "retired", "grew", "shrank")


@dataclass(frozen=True)
class PersonChange:
    kind: ChangeKind
    person_id: int
    other_person_ids: tuple[int, ...]
    record_ids: tuple[int, ...]
    explanation: str


@dataclass(frozen=True)
class Assignment:
    person_of: dict[int, int]  # record id -> person id
    changes: list[PersonChange]  # ordered by person id, then kind


def assign_person_ids(
    groups: Iterable[Iterable[int]], previous: Mapping[int, int], next_id: int
) -> Assignment:
    """Give each group a person id, keeping last run's ids where the records agree."""
    ordered = sorted((frozenset(g) for g in groups), key=lambda g: min(g, default=0))
    if any(not g for g in ordered):
        raise LinkageError("A group of records is empty.")
    if sum(map(len, ordered)) != len(frozenset().union(*ordered)):
        raise LinkageError("A record is in more than one group.")
    if previous and next_id <= max(previous.values()):
        raise LinkageError(f"next_id ({next_id}) must be above every person id already used.")

    person_ids: list[int] = []
    for kept in _keep_old_ids(ordered, previous):
        if kept is None:
            kept, next_id = next_id, next_id + 1
        person_ids.append(kept)
    person_of = {r: pid for g, pid in zip(ordered, person_ids, strict=True) for r in g}

    changes = [c for g, pid in zip(ordered, person_ids, strict=True)
               for c in _group_changes(g, pid, previous)]
    changes += _previous_person_changes(person_of, previous, set(person_ids))
    changes.sort(key=lambda c: (c.person_id, _KINDS.index(c.kind)))
    return Assignment(person_of, changes)


def _keep_old_ids(groups: list[frozenset[int]], previous: Mapping[int, int]) -> list[int | None]:
    candidates = []
    for index, group in enumerate(groups):
        overlap = Counter(previous[r] for r in group if r in previous)
        candidates += [(-count, old, index) for old, count in overlap.items()]
    chosen: list[int | None] = [None] * len(groups)
    used: set[int] = set()
    for _, old, index in sorted(candidates):  # groups are in smallest-record-id order
        if chosen[index] is None and old not in used:
            chosen[index] = old
            used.add(old)
    return chosen


def _group_changes(
    group: frozenset[int], person_id: int, previous: Mapping[int, int]
) -> list[PersonChange]:
    records = tuple(sorted(group))
    sources = sorted({previous[r] for r in records if r in previous})
    new = tuple(r for r in records if r not in previous)
    if not sources:
        return [PersonChange("created", person_id, (), records,
                             f"{_listed('Record', records)} {_be(records)} a new person "
                             f"({person_id})")]
    if len(sources) >= 2:
        held = [r for r in records if r in previous]
        text = (f"{_listed('Record', held)}, held as {_listed('person', sources)}, "
                f"are now one person ({person_id})")
        if new:
            text += f"; new {_listed('record', new)} also joined"
        others = tuple(s for s in sources if s != person_id)
        return [PersonChange("merged", person_id, others, records, text)]
    if sources == [person_id] and new:
        return [PersonChange("grew", person_id, (), new,
                             f"Person {person_id} gained new {_listed('record', new)}")]
    return []


def _previous_person_changes(
    person_of: Mapping[int, int], previous: Mapping[int, int], in_use: set[int]
) -> list[PersonChange]:
    held: dict[int, list[int]] = defaultdict(list)
    for record, old in sorted(previous.items()):
        held[old].append(record)
    changes = []
    for old, records in sorted(held.items()):
        parts: dict[int, list[int]] = defaultdict(list)
        for r in records:
            if r in person_of:
                parts[person_of[r]].append(r)
        now = sorted(parts)
        others = tuple(p for p in now if p != old)
        gone = tuple(r for r in records if r not in person_of)
        if len(now) >= 2:
            pieces = "; ".join(f"{_listed('record', parts[p])} {_be(parts[p])} person {p}"
                               for p in now)
            changes.append(PersonChange("split", old, others, tuple(records),
                                        f"Person {old} is now {len(now)} people: {pieces}"))
        if old not in in_use:
            where = f"now held by {_listed('person', now)}" if now else "no longer in the data"
            changes.append(PersonChange("retired", old, others, tuple(records),
                                        f"Person {old} is no longer used: "
                                        f"{_listed('its record', records)} {_be(records)} {where}"))
        elif gone:
            changes.append(PersonChange("shrank", old, (), gone,
                                        f"Person {old} lost {_listed('record', gone)}, "
                                        "no longer in the data"))
    return changes


def _listed(noun: str, ids: Iterable[int]) -> str:
    """``record 4``, ``records 4 and 9``, ``records 1, 2 and 3``."""
    words = [str(i) for i in ids]
    if len(words) == 1:
        return f"{noun} {words[0]}"
    return f"{noun}s {', '.join(words[:-1])} and {words[-1]}"


def _be(ids: Iterable[int]) -> str:
    return "is" if len(list(ids)) == 1 else "are"
