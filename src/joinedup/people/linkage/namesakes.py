"""Namesakes at one postcode: what the other records of a name at a postcode say about a pair
of records with that name there.

Many pairs the model leaves uncertain are two records with the same given name, family
name and postcode, one with a date of birth and one without (a police record of "Dean
Walsh" at a child's home, a GP's record with no date). They are either one person written
twice or two people of one name in one family: a father and a son, or a mother and a
daughter. The other records at that postcode can tell them apart:

- **"only one of this name at this postcode"** (:data:`ONLY_ONE`): one of the two records has
  a date of birth and the other has none; and every record there with that name (the two
  included) gives the same date of birth, where it gives one, and the same valid NHS number,
  where it gives one. On the benchmark's varied population nearly every such pair is one
  person (docs/linkage.md gives the count).
- **"two of this name at this postcode"** (:data:`TWO_THERE`): the records there with that
  name give two or more dates of birth or two or more NHS numbers. A parent and a child of
  one name may live there, and a record without a date of birth may be either of them.

Neither is a link: they are reasons shown with a pair in the review queue, for a data
steward to weigh. A father's record with no date of birth at the home of his son of the
same name, where no agency recorded the father's date, reads as "only one of this name":
nothing written tells them apart, so a person decides.

Names are compared as the model prepares them (``features.py``): the given name's root
(Kate and Katherine are one), the family name, and the postcode, each in its standard form;
dates of birth as read (``dob``) and NHS numbers only where valid (``nhs``). A record with
none of the three has no namesakes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Row = Mapping[str, Any]
"""A record as ``features.prepare_record`` gives it."""

ONLY_ONE = "only one of this name at this postcode"
TWO_THERE = "two of this name at this postcode"
MEANINGS = {
    ONLY_ONE: "one record has a date of birth and the other none, and every record at this "
              "postcode with this given name and family name gives the same date of birth "
              "and NHS number where it gives one (a parent and child of one name, where only "
              "one of them has a date recorded, also read this way)",
    TWO_THERE: "the records at this postcode with this given name and family name give two "
               "or more dates of birth or NHS numbers: a parent and child, or two children, "
               "of one name may live there",
}
"""The reasons this module gives, and what each means (``family_links.REASONS`` lists them)."""


def name_at_postcode(row: Row) -> tuple[str, str, str] | None:
    """The given-name root, family name and postcode that make a record's namesakes; None
    where any of them is missing."""
    key = (row.get("given_root"), row.get("family_std"), row.get("postcode_std"))
    return key if all(key) else None  # type: ignore[return-value]


def namesakes_reason(a: Row, b: Row, others: Iterable[Row]) -> str | None:
    """:data:`ONLY_ONE`, :data:`TWO_THERE` or None for the pair ``a``, ``b``; ``others``:
    records at the pair's postcode (any name; the pair's own are passed over)."""
    key = name_at_postcode(a)
    if key is None or key != name_at_postcode(b):
        return None
    pair = {a.get("unique_id"), b.get("unique_id")}
    same_name = [a, b, *(r for r in others if r.get("unique_id") not in pair
                         and name_at_postcode(r) == key)]
    dates = {r["dob"] for r in same_name if r.get("dob")}
    numbers = {r["nhs"] for r in same_name if r.get("nhs")}
    if len(dates) > 1 or len(numbers) > 1:
        return TWO_THERE
    if bool(a.get("dob")) != bool(b.get("dob")):
        return ONLY_ONE
    return None
