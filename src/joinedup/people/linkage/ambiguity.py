"""Records that fit two people equally: a record linked about as strongly to both records of
a pair kept apart (possible twins, ``births.py``, ``home_twins.py``), and kept apart from
neither, cannot say which of the two it belongs to. A twin's record with no given name
matches both twins alike. ``clustering.py`` joins such a record to neither, and a person
decides."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import chain

import numpy as np

Pair = tuple[int, int]


TORN_BITS = 3.0
"""A record matches two records kept apart about equally when its two match weights
(log2 of the odds) are within this many bits: odds within eight times of each other."""


def _weight(probability: float) -> float:
    p = min(max(probability, 1e-12), 1 - 1e-12)
    return math.log2(p / (1 - p))


def torn_records(links: Mapping[Pair, float], apart: Mapping[int, set[int]],
                 maybe_one: Mapping[int, set[int]] | None = None) -> dict[int, set[int]]:
    """Records linked about equally (:data:`TORN_BITS`) to both records of a pair kept
    apart, and kept apart from neither: each with those two. A twin's record with no given
    name matches both twins alike; it joins neither, and waits for a person. A record kept
    apart from one of the two only as ``maybe_one`` (two records at one agency, which may
    still be one person written twice) counts as kept apart from neither: the agency's
    second record does not say which twin it is."""
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
                surely = apart.get(record, set()) - (maybe_one or {}).get(record, set())
                if close and not surely & {x, y}:
                    torn[record].update((x, y))
    return torn


def pairs_for_twins(links: list[Pair]) -> list[Pair]:
    """The pairs the twins rule at one home reads: the links, then the pairs of records
    linked to one record but not to each other (:func:`linked_through_one`)."""
    return [*links, *linked_through_one(links)]


MANY_LINKS = 20
"""A record linked to more records than this (a default value shared by many people's
records) is not read for the pairs linked through it."""


def linked_through_one(links: Iterable[Pair]) -> list[Pair]:
    """Pairs of records both linked to one record but not to each other, each as (smaller
    id, larger id), in order.

    Twins' records with different NHS numbers or given names are seldom linked to each
    other, so the twins rules (``home_twins.py``) never see them as a pair. A twin's record
    with no given name and no NHS number links to both alike: read as a pair, the two are
    kept apart as possible twins, and that record then joins neither (:func:`torn_records`).
    Worked on arrays: a million records' links take under a second."""
    pairs = list(links)
    if len(pairs) < 2:
        return []
    ends = np.fromiter(chain.from_iterable(pairs), dtype=np.int64, count=2 * len(pairs))
    base = int(ends.min())
    ids = None
    if int(ends.max()) - base < 1 << 31:
        ends -= base
    else:  # ids far apart: each record by its place among them (0, 1, 2...) instead
        ids = _distinct(ends.copy())
        ends = np.searchsorted(ids, ends)
    low, high = np.minimum(ends[0::2], ends[1::2]), np.maximum(ends[0::2], ends[1::2])
    del ends  # at a million links each array is 8 to 17 MB: none is kept longer than needed
    width = max(int(high.max()), 1).bit_length()  # a pair is one number: low << width | high
    mask = (1 << width) - 1
    linked = (low << width) | high
    edges = _distinct(np.concatenate([linked, (high << width) | low]))
    del low, high
    hub, other = edges >> width, edges & mask  # each record's links, in order
    del edges
    starts = np.flatnonzero(np.concatenate(([True], hub[1:] != hub[:-1])))
    degrees = np.diff(np.append(starts, len(hub)))
    del hub
    through = []
    for degree in range(2, MANY_LINKS + 1):
        first_of = starts[degrees == degree]
        if len(first_of):
            i, j = np.triu_indices(degree, 1)
            through.append((other[(first_of[:, None] + i).ravel()] << width)
                           | other[(first_of[:, None] + j).ravel()])
    if not through:
        return []
    found = _distinct(np.concatenate(through))
    del through
    linked = _distinct(linked)
    found = found[linked[np.minimum(np.searchsorted(linked, found), len(linked) - 1)] != found]
    smaller, larger = found >> width, found & mask
    if ids is None:
        smaller, larger = smaller + base, larger + base
    else:
        smaller, larger = ids[smaller], ids[larger]
    return list(zip(smaller.tolist(), larger.tolist(), strict=True))


def _distinct(values: np.ndarray) -> np.ndarray:
    """The values sorted, each once; ``values`` itself is sorted in place (``np.unique``
    is several times slower on a million)."""
    values.sort()
    return values[np.concatenate(([True], values[1:] != values[:-1]))]
