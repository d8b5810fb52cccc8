"""Records grouped by union-find, each group knowing what it must never hold: the records
rejected as the same person as one of its own, the records kept apart from its own
(possible twins) and its records' NHS numbers. ``clustering.cluster`` decides in which
order links are tried and why one is refused; this module keeps the groups."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple, TypeVar

Pair = tuple[int, int]
_T = TypeVar("_T")


class RefusedLink(NamedTuple):
    """A link at or above the threshold that was not applied, because of a rejection."""

    a: int
    b: int
    probability: float


class Groups:
    """Union-find over record ids; each group also knows which records it must never hold.

    Methods ending ``_roots`` take the groups' roots (from :meth:`find`), so that a link is
    looked up once. What a group holds beyond itself (its members, the records it must
    never hold, the records kept apart from it, its NHS numbers) is kept only for groups
    that have some: at a million records most have none."""

    def __init__(self, record_ids: Iterable[int], rejected: Mapping[int, set[int]],
                 apart: Mapping[int, set[int]] | None = None,
                 numbers: Mapping[int, str] | None = None) -> None:
        ids = list(record_ids)
        self._parent = dict(zip(ids, ids, strict=True))
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
        members = self._members
        held_small, held_large = members.get(small), members.get(large)
        if (len(held_small) if held_small else 1) > (len(held_large) if held_large else 1):
            small, large, held_small, held_large = large, small, held_large, held_small
        self._parent[small] = large
        if held_large is None:
            held_large = members[large] = {large}
        if held_small is None:
            held_large.add(small)
        else:
            held_large |= members.pop(small)
        # what the other group held goes to the joined group
        if small in self._forbidden:
            _move(self._forbidden, small, large)
        if small in self._kept_apart:
            _move(self._kept_apart, small, large)
        if small in self._numbers:
            _move(self._numbers, small, large)

    def link(self, links: list[tuple[Pair, float]], torn: Mapping[int, set[int]]
             ) -> list[RefusedLink]:
        """Join the groups of each link in turn, unless a rule stops it; the links
        stopped."""
        parent, refused = self._parent, []
        forbidden, apart, numbered = self._forbidden, self._kept_apart, self._numbered
        for (a, b), probability in links:
            root_a, root_b = parent[a], parent[b]
            if parent[root_a] != root_a:
                root_a = self.find(a)
            if parent[root_b] != root_b:
                root_b = self.find(b)
            if root_a == root_b:
                continue
            # each rule asked only where it could apply: most links join plain records
            if (((a in torn or b in torn) and (b in torn.get(a, ()) or a in torn.get(b, ())))
                    or (root_b in forbidden and self.clash_roots(root_a, root_b) is not None)
                    or (root_b in apart and self.kept_apart_roots(root_a, root_b))
                    or (not (a in numbered and b in numbered)
                        and self.numbers_differ_roots(a, b, root_a, root_b))):
                refused.append(RefusedLink(a, b, probability))
            else:
                self.join_roots(root_a, root_b)
        return refused

    def groups(self) -> list[frozenset[int]]:
        return sorted((frozenset(self._held(r)) for r, parent in self._parent.items()
                       if r == parent), key=min)


def _move(held: dict[int, set[_T]], small: int, large: int) -> None:
    """Give the joined group (``large``) what the other group (``small``) held."""
    moved, into = held.pop(small), held.get(large)
    if into is None:
        held[large] = moved  # no longer the other group's: it is popped
    else:
        into |= moved
