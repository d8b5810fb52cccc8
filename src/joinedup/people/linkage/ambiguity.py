"""Records that fit two people equally: a record linked about as strongly to both records of
a pair kept apart (possible twins, ``births.py``, ``home_twins.py``), and kept apart from
neither, cannot say which of the two it belongs to. A twin's record with no given name
matches both twins alike. ``clustering.py`` joins such a record to neither, and a person
decides."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from itertools import combinations

Pair = tuple[int, int]


TORN_BITS = 3.0
"""A record matches two records kept apart about equally when its two match weights
(log2 of the odds) are within this many bits: odds within eight times of each other."""


def _weight(probability: float) -> float:
    p = min(max(probability, 1e-12), 1 - 1e-12)
    return math.log2(p / (1 - p))


def torn_records(links: Mapping[Pair, float], apart: Mapping[int, set[int]]) -> dict[int, set[int]]:
    """Records linked about equally (:data:`TORN_BITS`) to both records of a pair kept
    apart, and kept apart from neither: each with those two. A twin's record with no given
    name matches both twins alike; it joins neither, and waits for a person."""
    if not apart:
        return {}
    near: dict[int, dict[int, float]] = defaultdict(dict)
    for (a, b), probability in links.items():
        if a in apart or b in apart:
            near[a][b] = near[b][a] = _weight(probability)
    torn: dict[int, set[int]] = defaultdict(set)
    for x, others in apart.items():
        for y in others:
            for record in near.get(x, {}).keys() & near.get(y, {}).keys():
                close = abs(near[x][record] - near[y][record]) < TORN_BITS
                if close and not apart.get(record, set()) & {x, y}:
                    torn[record].update((x, y))
    return torn



MANY_LINKS = 20
"""A record linked to more records than this (a default value shared by many people's
records) is not read for the pairs linked through it."""


def linked_through_one(links: Iterable[Pair]) -> list[Pair]:
    """Pairs of records both linked to one record but not to each other, in order.

    Twins' records with different NHS numbers or given names are seldom linked to each
    other, so the twins rules (``home_twins.py``) never see them as a pair. A twin's record
    with no given name and no NHS number links to both alike: read as a pair, the two are
    kept apart as possible twins, and that record then joins neither (:func:`torn_records`).
    """
    pairs = list(links)
    degree: Counter[int] = Counter()
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    near: dict[int, list[int]] = defaultdict(list)
    for a, b in pairs:
        if 1 < degree[a] <= MANY_LINKS:
            near[a].append(b)
        if 1 < degree[b] <= MANY_LINKS:
            near[b].append(a)
    through: set[Pair] = set()
    for others in near.values():
        through.update(combinations(sorted(set(others)), 2))
    through.difference_update((a, b) if a < b else (b, a) for a, b in pairs)
    return sorted(through)
