"""Records that fit two people equally: a record linked about as strongly to both records of
a pair kept apart (possible twins, ``births.py``, ``home_twins.py``), and kept apart from
neither, cannot say which of the two it belongs to. A twin's record with no given name
matches both twins alike. ``clustering.py`` joins such a record to neither, and a person
decides."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping

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
