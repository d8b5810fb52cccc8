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
      joins neither of them: its links to them are refused and listed as well;
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
from typing import Literal, NamedTuple, TypeVar

from joinedup.errors import LinkageError
from joinedup.people.linkage.ambiguity import torn_records
from joinedup.people.linkage.bulk import collection_paused

Pair = tuple[int, int]
_T = TypeVar("_T")


class Conflict(NamedTuple):
    """A confirmed pair that was not applied, because applying it would break a rejection."""

    a: int
    b: int
    reason: str


class RefusedLink(NamedTuple):
    """A link at or above the threshold that was not applied, because of a rejection."""

    a: int
    b: int
    probability: float


@dataclass(frozen=True)
class Clustering:
    groups: list[frozenset[int]]  # ordered by smallest record id
    conflicts: list[Conflict]
    refused_links: list[RefusedLink]


class _Groups:
    """Union-find over record ids; each group also knows which records it must never hold.

    Methods ending ``_roots`` take the groups' roots (from :meth:`find`), so that a link is
    looked up once. What a group holds beyond itself (its members, the records it must
    never hold, the records kept apart from it, its NHS numbers) is kept only for groups
    that have some: at a million records most have none."""

    def __init__(self, record_ids: Iterable[int], rejected: Mapping[int, set[int]],
                 apart: Mapping[int, set[int]] | None = None,
                 numbers: Mapping[int, str] | None = None) -> None:
        self._parent = {r: r for r in record_ids}
        self._numbered = set(numbers or ())
        self._numbers = {r: {n} for r, n in (numbers or {}).items() if r in self._parent}
        self._members: dict[int, set[int]] = {}  # only groups of two or more
        self._forbidden = {r: set(others) for r, others in rejected.items()
                           if others and r in self._parent}
        self._rejected = rejected
        self._kept_apart = {r: set(others) for r, others in (apart or {}).items()
                            if r in self._parent}

    def find(self, record: int) -> int:
        root = record
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[record] != root:
            self._parent[record], record = root, self._parent[record]
        return root

    def _held(self, root: int) -> set[int]:
        return self._members.get(root) or {root}

    def clash(self, a: int, b: int) -> Pair | None:
        """A rejected pair that joining the groups of ``a`` and ``b`` would put together."""
        return self.clash_roots(self.find(a), self.find(b))

    def clash_roots(self, root_a: int, root_b: int) -> Pair | None:
        forbidden = self._forbidden.get(root_b)
        if not forbidden:
            return None
        held = self._held(root_a) & forbidden
        if not held:
            return None
        x = min(held)
        y = min(self._rejected[x] & self._held(root_b))
        return (x, y) if x < y else (y, x)

    def kept_apart_roots(self, root_a: int, root_b: int) -> bool:
        """Whether joining the two groups would put a pair kept apart together."""
        apart = self._kept_apart.get(root_b)
        return bool(apart and self._held(root_a) & apart)

    def numbers_differ_roots(self, a: int, b: int, root_a: int, root_b: int) -> bool:
        """Whether the link a-b, from a record without an NHS number, would join groups
        whose records hold different numbers (and none in common)."""
        if a in self._numbered and b in self._numbered:
            return False
        first, second = self._numbers.get(root_a), self._numbers.get(root_b)
        return bool(first and second and not first & second)

    def join(self, a: int, b: int) -> None:
        self.join_roots(self.find(a), self.find(b))

    def join_roots(self, small: int, large: int) -> None:
        if len(self._held(small)) > len(self._held(large)):
            small, large = large, small
        self._parent[small] = large
        members = self._members.setdefault(large, {large})
        members |= self._members.pop(small, set()) or {small}
        _move(self._forbidden, small, large)
        _move(self._kept_apart, small, large)
        _move(self._numbers, small, large)

    def groups(self) -> list[frozenset[int]]:
        return sorted((frozenset(self._held(r)) for r, parent in self._parent.items()
                       if r == parent), key=min)


def _move(held: dict[int, set[_T]], small: int, large: int) -> None:
    """Give the joined group (``large``) what the other group held."""
    moved = held.pop(small, None)
    if moved:
        held.setdefault(large, set()).update(moved)


@collection_paused()
def cluster(
    record_ids: Iterable[int],
    edges: Iterable[tuple[int, int, float]],
    threshold: float,
    must_link: Iterable[Pair] = (),
    cannot_link: Iterable[Pair] = (),
    kept_apart: Iterable[Pair] = (),
    numbers: Mapping[int, str] | None = None,
) -> Clustering:
    """Group records into persons; see the module docstring for the rules."""
    records = set(record_ids)
    scored = list(edges)
    confirmed = list(must_link)
    rejected_pairs = list(cannot_link)
    apart_pairs = [pair for pair in kept_apart if pair[0] != pair[1]]
    _check_pairs(records, [(a, b) for a, b, _ in scored] + confirmed + rejected_pairs
                 + apart_pairs)
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
    groups = _Groups(records, rejected, apart, numbers)

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
    refused: list[RefusedLink] = []
    torn = torn_records(strongest, apart)
    for (a, b), probability in sorted(strongest.items(), key=lambda item: (-item[1], item[0])):
        root_a, root_b = groups.find(a), groups.find(b)
        if root_a == root_b:
            continue
        if (b not in torn.get(a, ()) and a not in torn.get(b, ())
                and groups.clash_roots(root_a, root_b) is None
                and not groups.kept_apart_roots(root_a, root_b)
                and not groups.numbers_differ_roots(a, b, root_a, root_b)):
            groups.join_roots(root_a, root_b)
        else:
            refused.append(RefusedLink(a, b, probability))
    return Clustering(groups.groups(), conflicts, refused)


def _strongest(scored: list[tuple[int, int, float]], threshold: float) -> dict[Pair, float]:
    """The links: each pair at or over the threshold once, at its highest probability."""
    strongest: dict[Pair, float] = {}
    for a, b, probability in scored:
        pair = _ordered(a, b)
        if a == b or not probability >= threshold:
            continue
        if pair not in strongest or probability > strongest[pair]:
            strongest[pair] = probability
    return strongest


def _ordered(a: int, b: int) -> Pair:
    return (a, b) if a <= b else (b, a)


def _check_pairs(records: set[int], pairs: list[Pair]) -> None:
    unknown = sorted({r for pair in pairs for r in pair} - records)
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
