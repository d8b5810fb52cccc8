"""What each comparison found, in words a data steward can act on.

The linkage model's level labels (``people/linkage/comparisons.py``) say what matched; beside
a weight they can read as a contradiction: "same postcode district" with a negative weight.
This says what the finding means as evidence: weak because it is common, against the pair
because true pairs usually agree more closely, or no evidence because a value is missing.
A level this module does not know yet still gets the general words for its weight.
"""

from __future__ import annotations

from typing import Any

STRONG = 0.5
"""A weight within this of zero makes little difference (as the Effect column says)."""

AGAINST = {  # level -> why it counts against the pair, when its weight is negative
    "same postcode district": "most records of one person share the full postcode",
    "dates of birth within a year of each other": "most records of one person give the same "
                                                  "date of birth",
    "dates of birth one character apart": "most records of one person give the same date of "
                                          "birth, so a slip is rarer than a different person",
    "given names somewhat similar": "most records of one person spell the given name alike",
    "family names somewhat similar": "most records of one person spell the family name alike",
    "given names are known variants": "most records of one person use the same form of the name",
    "another house at the same postcode": "records of one person at one postcode usually give "
                                          "the same house",
}
WEAK = {  # level -> why it is weak evidence, when its weight is near zero
    "same postcode district": "common here, so weak evidence",
    "same sex": "half of all pairs share it, so weak evidence",
    "NHS numbers one digit or one swap apart": "both numbers pass the check digit, so they are "
                                               "two different numbers (as twins' often are), "
                                               "not a typing slip: weak evidence either way",
    "same postcode, with the same family name (as one household has)":
        "a whole household shares these, so weak evidence that it is one person",
    "the same house, as well as the same postcode": "the postcode has already counted most of "
                                                    "this, so it adds little",
    "NHS number as written (unreadable) unlike the other's": "it is not a valid NHS number and "
                                                             "is unlike the other's: it may be "
                                                             "a slip, junk or another person's "
                                                             "number, so no evidence either way",
}


def _district(record: Any) -> str:
    """The postcode district (the outward code: "SK1" of "SK1 3XE"), or "" if none."""
    compact = "".join(ch for ch in (getattr(record, "postcode", "") or "").upper()
                      if ch.isalnum())
    return compact[:-3] if 5 <= len(compact) <= 7 else ""


def _named(level: str, comparison: str, a: Any, b: Any) -> str:
    """The level with the shared value named where that helps (the postcode district)."""
    if comparison == "postcode" and level == "same postcode district" and _district(a):
        return f"{level} ({_district(a)})"
    return level


def plain_finding(comparison: str, level: str, weight: float, a: Any, b: Any) -> str:
    """The finding, capitalised, then what it means as evidence for this weight."""
    named = _named(level, comparison, a, b)
    text = named[:1].upper() + named[1:]
    if "missing" in level:
        return f"{text}: nothing to compare, so no evidence either way"
    if weight < -STRONG:
        why = AGAINST.get(level)
        if why:
            return f"{text}, but not closer: counts against, because {why}"
        if not level.startswith("different"):
            return (f"{text}: counts against, because records of one person usually agree "
                    "more closely than this")
        return f"{text}: counts against"
    if weight <= STRONG:
        return f"{text}: {WEAK.get(level, 'common, so weak evidence either way')}"
    if level.startswith("different"):
        return f"{text}: still counts for the same person, as this often differs between " \
               "agencies"
    return f"{text}: counts for the same person"
