"""Namesakes at one postcode for the review queue's pairs, read from the database (the rule
is ``linkage/namesakes.py``'s).

    namesake_reasons()  for each pair of two records of one name at one postcode, "only one
                        of this name at this postcode" or "two of this name at this postcode"

Only records with the same postcode as recorded are read, and of those only the ones whose
given name and family name are the pair's; they are prepared as linkage compares them
(blanks filled through their NHS numbers, ``record_rows.prepared``). Where a record of that
name there belongs to a person the reader may not see (``unseen``: a sealed child's person,
docs/access.md), the pair gets no namesakes reason at all: neither reason would be true to
what the reader is shown, and either would say something about the record they may not see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from joinedup.people import record_rows
from joinedup.people.linkage import features, namesakes
from joinedup.people.models import PairScore, PersonRecord

Key = tuple[str, str, str]


def _key(given: str, family: str, postcode: str) -> Key | None:
    """The record's name and postcode as recorded, in the form the rule compares."""
    return namesakes.name_at_postcode({"given_root": features.given_root(given),
                                       "family_std": features.family_std(family),
                                       "postcode_std": features.postcode_std(postcode)})


def _of(record: PersonRecord) -> Key | None:
    return _key(record.given_name, record.family_name, record.postcode)


def namesake_reasons(pairs: Sequence[PairScore], unseen: Iterable[int] = ()
                     ) -> dict[tuple[int, int], str]:
    """The namesakes reason of each pair (by its two record ids) that has one; none where a
    record of the pair's name at its postcode belongs to an ``unseen`` person."""
    wanted = {(p.record_a_id, p.record_b_id): key for p in pairs
              if (key := _of(p.record_a)) is not None and key == _of(p.record_b)}
    if not wanted:
        return {}
    keys = set(wanted.values())
    postcodes = sorted({p.record_a.postcode for p in pairs
                        if (p.record_a_id, p.record_b_id) in wanted})
    hidden, ids = set(unseen), set[int]()
    muted: set[Key | None] = set()
    for start in range(0, len(postcodes), 500):
        for rid, given, family, postcode, person in PersonRecord.objects.filter(
                postcode__in=postcodes[start:start + 500]).values_list(
                "id", "given_name", "family_name", "postcode", "person_id"):
            key = _key(given, family, postcode)
            if key in keys and person in hidden:
                muted.add(key)
            elif key in keys:
                ids.add(rid)
    # a narrow read found the records of the pairs' names; only those are read in full
    rows = record_rows.prepared(record_rows.records_by_id(ids).values()).to_pylist()
    there: dict[Key | None, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        there[namesakes.name_at_postcode(row)].append(row)
    prepared = {row["unique_id"]: row for row in rows}
    found = {}
    for (first, second), key in wanted.items():
        a, b = prepared.get(first), prepared.get(second)
        if key in muted or a is None or b is None:
            continue
        reason = namesakes.namesakes_reason(a, b, there[namesakes.name_at_postcode(a)])
        if reason is not None:
            found[(first, second)] = reason
    return found
